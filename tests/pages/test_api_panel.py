"""The Data page's "Fetch from APIs" panel, run with Streamlit's AppTest against the fake API."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.support.fake_api import PAGE_ID, TOKEN, FakeApi, Reply, write_sources

ROOT = str(Path(__file__).resolve().parent.parent.parent)


def panel(root: str) -> None:
    import sys

    sys.path.insert(0, root)
    from sostac_control import ui
    from sostac_control.ui.fetch_panel import render_fetch_panel

    render_fetch_panel(ui.workspace())


@pytest.fixture
def app(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The panel pointed at the test database and a sources.yaml in tmp_path."""
    monkeypatch.setenv("SOSTAC_DB", str(db))
    monkeypatch.setenv("SOSTAC_SOURCES", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("TEST_META_TOKEN", TOKEN)
    return AppTest.from_function(panel, args=(ROOT,), default_timeout=60)


def test_without_a_source_config_the_panel_shows_how_to_write_one(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("No API sources configured" in i.value for i in app.info)
    assert "token_env" in app.code[0].value


def test_fetch_now_loads_the_source_and_shows_counts_per_metric(
    app: AppTest, db: Path, tmp_path: Path, fake_api: FakeApi
) -> None:
    write_sources(tmp_path / "sources.yaml", fake_api.url)
    app.run()
    assert not app.exception
    buttons = [b for b in app.button if b.label == "Fetch now"]
    assert len(buttons) == 2
    assert any("never fetched" in c.value for c in app.caption)
    buttons[0].click().run()
    assert not app.exception
    assert any("new" in s.value and "unchanged" in s.value for s in app.success)
    table = app.dataframe[0].value
    assert "views" in list(table["metric"])
    with duckdb.connect(str(db), read_only=True) as con:
        [(n,)] = con.execute(
            "SELECT count(*) FROM metric_values WHERE source = 'api:fb-page'"
        ).fetchall()
        [(command,)] = con.execute("SELECT DISTINCT command FROM loads").fetchall()
    assert n == int(table["inserted"].sum()) > 0
    assert command == "app fetch"
    assert any(c.value.startswith("Last day loaded: 20") for c in app.caption)


def test_a_failed_fetch_shows_the_message_and_hint_without_the_token(
    app: AppTest, tmp_path: Path, fake_api: FakeApi
) -> None:
    write_sources(tmp_path / "sources.yaml", fake_api.url)
    fake_api.routes[f"/{PAGE_ID}/insights"] = lambda q: Reply(
        400, {"error": {"message": f"Invalid OAuth access token {TOKEN}", "code": 190}}
    )
    app.run()
    next(b for b in app.button if b.label == "Fetch now").click().run()
    assert not app.exception
    assert any("access token is expired or invalid" in e.value for e in app.error)
    assert any("Create a new access token" in i.value for i in app.info)
    shown = " ".join(str(e.value) for e in [*app.error, *app.info, *app.markdown, *app.caption])
    assert TOKEN not in shown


def test_a_source_without_its_token_says_which_variable_to_set(
    app: AppTest, tmp_path: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_sources(tmp_path / "sources.yaml", fake_api.url)
    monkeypatch.delenv("TEST_META_TOKEN")
    monkeypatch.chdir(tmp_path)
    app.run()
    assert not app.exception
    assert any("TEST_META_TOKEN" in w.value for w in app.warning)
    assert all(b.disabled for b in app.button if b.label == "Fetch now")


def test_the_data_page_has_the_fetch_panel_in_an_expander(
    db: Path, tmp_path: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOSTAC_DB", str(db))
    monkeypatch.setenv("SOSTAC_SOURCES", str(write_sources(tmp_path / "s.yaml", fake_api.url)))
    monkeypatch.setenv("TEST_META_TOKEN", TOKEN)
    page = AppTest.from_file(str(Path(ROOT) / "app_pages" / "data.py"), default_timeout=60)
    page.run()
    assert not page.exception
    assert "Fetch from APIs" in [e.label for e in page.expander]
    assert len([b for b in page.button if b.label == "Fetch now"]) == 2
    next(b for b in page.button if b.label == "Fetch now").click().run()
    assert not page.exception
    assert any("unchanged values" in s.value for s in page.success)
