"""Shared fixtures for every test folder: temporary databases, the shared exports folder, tidy CSV
writers, the fake API, the demo workspace and the browser. Helpers live in tests/support/."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.demo.build import build_demo
from sostac_control.ingest import IngestResult, ingest_paths
from sostac_control.store.lake import close_lake
from tests.support.browser import CHROMIUM_ARGS, find_chromium, start_server
from tests.support.fake_api import FakeApi, serve_fake_api
from tests.support.postgres import PostgresServer, start_postgres

ROOT = Path(__file__).resolve().parent.parent
SHARED_EXPORTS = ROOT.parent / "shared" / "exports"

# The robustness suite takes minutes: `make test-robust` runs it (SOSTAC_ROBUST=1), `make test`
# does not.
collect_ignore = [] if os.environ.get("SOSTAC_ROBUST") == "1" else ["robust"]


# Tests marked `both_backends` get `db` twice: a DuckDB file and a DuckLake store (a
# representative subset of the metric, ingest and status tests, not a doubled suite).
BACKENDS = ("duckdb", "ducklake")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_backends"):
        # `db`, or a module's own store fixture named `workspace` (tests/engine/test_status.py)
        name = next(n for n in ("db", "workspace") if n in metafunc.fixturenames)
        metafunc.parametrize(name, BACKENDS, indirect=True)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> StoreRef:
    """A fresh store: a DuckDB file path in a temporary folder (not created yet), or, for
    tests marked both_backends, also an empty DuckLake store on the test PostgreSQL."""
    if getattr(request, "param", "duckdb") == "ducklake":
        return request.getfixturevalue("lake_store")
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on 127.0.0.1 (initdb + pg_ctl in a temporary folder, a free port),
    stopped after the session; skips without the binaries (fails: SOSTAC_REQUIRE_POSTGRES=1)."""
    try:
        server = start_postgres()
    except RuntimeError as exc:
        if os.environ.get("SOSTAC_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required (SOSTAC_REQUIRE_POSTGRES=1): {exc}")
        pytest.skip(f"DuckLake tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def lake_store(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[LakeStore]:
    """An empty DuckLake store: a new PostgreSQL database as its catalog, files in tmp_path."""
    dsn = postgres_server.create_database(f"lake_{uuid.uuid4().hex[:12]}")
    ref = LakeStore(dsn, f"{tmp_path / 'lake'}/")
    yield ref
    close_lake(ref)


@pytest.fixture
def shared_exports() -> Path:
    """The real platform exports beside the project; skips the test when they are absent."""
    if not SHARED_EXPORTS.is_dir():
        pytest.skip(f"real exports not found at {SHARED_EXPORTS} (../shared/exports)")
    return SHARED_EXPORTS


@pytest.fixture
def write_tidy(tmp_path: Path):
    """Write rows (date, channel, metric, value[, account[, post_id]]) to a tidy CSV; its path."""

    def write(rows: list[tuple], name: str = "tidy.csv", account: bool = True) -> Path:
        header = "date,channel,metric,value" + (",account" if account else "")
        if rows and len(rows[0]) == 6:
            header += ",post_id"
        lines = [header] + [",".join(str(v) for v in row) for row in rows]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def seed(db: StoreRef, write_tidy):
    """Load tidy rows into `db` through ingest (each file must load): a seeded workspace."""

    def load(rows: list[tuple], name: str = "tidy.csv") -> list[IngestResult]:
        results = ingest_paths([write_tidy(rows, name=name)], db)
        assert all(r.status == "loaded" for r in results), [r.message for r in results]
        return results

    return load


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory):
    """The demo workspace (plan, exports, database with 26 weeks up to today), built once."""
    folder = tmp_path_factory.mktemp("demo")
    return build_demo(folder / "sostac.duckdb", folder / "plan.yaml")


@pytest.fixture(scope="session")
def app_server(demo_workspace, tmp_path_factory: pytest.TempPathFactory):
    """`streamlit run app.py` on a free port against the demo workspace; stopped afterwards."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    server = start_server(demo_workspace.db, demo_workspace.plan, log)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium_browser():
    """Headless Chromium through Playwright; skips (or fails with SOSTAC_REQUIRE_BROWSER=1)."""
    executable = find_chromium()
    reason = "no Chromium found (install the chromium package or set SOSTAC_CHROMIUM)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable, reason = None, "the playwright package is not installed"
    if executable is None:
        if os.environ.get("SOSTAC_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (SOSTAC_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app_page(chromium_browser, app_server):
    """A fresh browser tab (1400×900) for one test; open pages with browser.open_app_page."""
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)  # generous: CI machines can be slow and shared
    yield page
    context.close()


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    """A Graph-shaped API on 127.0.0.1 (a random port), stopped after the test."""
    yield from serve_fake_api()
