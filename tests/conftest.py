"""Shared fixtures: temporary databases, the shared exports folder, tidy CSV writers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_EXPORTS = ROOT.parent / "shared" / "exports"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB file in a temporary folder (not created yet)."""
    return tmp_path / "test.duckdb"


@pytest.fixture
def shared_exports() -> Path:
    """The real platform exports beside the project; skips the test when they are absent."""
    if not SHARED_EXPORTS.is_dir():
        pytest.skip(f"real exports not found at {SHARED_EXPORTS} (../shared/exports)")
    return SHARED_EXPORTS


@pytest.fixture
def write_tidy(tmp_path: Path):
    """Write rows (date, channel, metric, value[, account[, post_id]]) to a tidy CSV; returns its path."""

    def write(rows: list[tuple], name: str = "tidy.csv", account: bool = True) -> Path:
        header = "date,channel,metric,value" + (",account" if account else "")
        if rows and len(rows[0]) == 6:
            header += ",post_id"
        lines = [header] + [",".join(str(v) for v in row) for row in rows]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory):
    """The demo workspace (plan, exports, database with 26 weeks up to today), built once."""
    from sostac_control.demo import build_demo

    folder = tmp_path_factory.mktemp("demo")
    return build_demo(folder / "sostac.duckdb", folder / "plan.yaml")
