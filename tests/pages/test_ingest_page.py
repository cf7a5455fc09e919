"""The Data page, run with Streamlit's AppTest on a real database."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sostac_control.ingest import IngestResult, ingest_paths
from sostac_control.store import load_history
from tests.support.exports import Post, write_mbs_posts

PAGE = str(Path(__file__).resolve().parent.parent.parent / "app_pages" / "data.py")


@pytest.fixture
def page(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The Data page pointed at the test database."""
    monkeypatch.setenv("SOSTAC_DB", str(db))
    return AppTest.from_file(PAGE, default_timeout=30)


def test_empty_workspace_says_how_to_load_data(page: AppTest) -> None:
    page.run()
    assert not page.exception
    assert page.title[0].value == "Data"
    assert any("Nothing loaded yet" in i.value for i in page.info)
    assert any("MB per file" in c.value for c in page.caption)


def test_history_lists_loads_and_undo_removes_one(page: AppTest, db: Path, tmp_path: Path) -> None:
    posts = [Post("1", datetime(2025, 3, 1), {"reach": 10})]
    ingest_paths([write_mbs_posts(tmp_path / "fb.csv", posts)], db)
    ingest_paths([write_mbs_posts(tmp_path / "fb2.csv", posts, account="Other")], db)
    page.run()
    assert not page.exception
    history = page.dataframe[0].value
    assert list(history["source"]) == ["fb2.csv", "fb.csv"]
    undo_buttons = [b for b in page.button if b.label == "Undo"]
    assert len(undo_buttons) == 2
    undo_buttons[0].click().run()
    assert [h["status"] for h in load_history(db)] == ["removed", "loaded"]
    assert any("removed" in s.value for s in page.success)
    assert len([b for b in page.button if b.label == "Undo"]) == 1


def test_results_show_refused_files_with_message_and_hint(page: AppTest) -> None:
    refused = IngestResult(
        file="notes.txt",
        message="notes.txt: not a format sostac-control knows.",
        hint="Known formats: `sostac-control formats`.",
    )
    page.session_state["data_results"] = [refused]
    page.run()
    assert not page.exception
    assert any("notes.txt" in e.value and "refused" in e.value for e in page.error)
    assert any("Known formats" in i.value for i in page.info)
    assert "0 of 1 file(s) loaded." in [m.value for m in page.markdown]


def test_results_of_a_loaded_file_show_the_stored_preview(
    page: AppTest, db: Path, tmp_path: Path
) -> None:
    posts = [Post("1", datetime(2025, 3, 1), {"reach": 10, "views": 30})]
    results = ingest_paths([write_mbs_posts(tmp_path / "fb.csv", posts)], db)
    page.session_state["data_results"] = results
    page.run()
    assert not page.exception
    summary = page.dataframe[0].value
    assert summary.loc[0, "format"] == "meta_fb_posts" and summary.loc[0, "inserted"] == 2
    preview = page.dataframe[2].value  # after the reconciliation table
    assert sorted(preview["metric"]) == ["reach", "views"]
    assert "values_stored" in preview.columns


def test_results_show_each_files_reconciliation_and_the_rows_set_aside(
    page: AppTest, db: Path, tmp_path: Path
) -> None:
    from datetime import date

    from tests.support.exports import AdRow, write_google_ads

    rows = [AdRow("Lente", "Koffie", "A", 10.25, 100), AdRow("Lente", "Koffie", "B", 4, 50)]
    path = write_google_ads(tmp_path / "Ad report.csv", rows, date(2026, 3, 1), date(2026, 3, 7))
    page.session_state["data_results"] = ingest_paths([path], db)
    page.run()
    assert not page.exception
    table = page.dataframe[1].value
    spend = table[table["metric"] == "spend"].iloc[0]
    assert spend["read from the file"] == 14.25 and spend["stored"] == 14.25
    assert spend["file's own total"] == 14.25
    assert "matches the file's own total" in spend["check"]
    assert any("set aside: 2 total rows" in c.value for c in page.caption)


@pytest.fixture
def held_database(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The test database with a write lock held by another process; waits are 1 s."""
    import subprocess

    ingest_paths([write_mbs_posts(tmp_path / "fb.csv", [Post("1", datetime(2025, 3, 1))])], db)
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    monkeypatch.setattr(sys.modules["sostac_control.store.connect"], "LOCK_WAIT_SECONDS", 1.0)
    yield db
    holder.kill()
    holder.wait()


def test_a_held_database_shows_a_message_not_a_traceback(
    page: AppTest, held_database: Path
) -> None:
    page.session_state["data_results"] = [
        IngestResult(file="fb.csv", status="loaded", load_id=1, platform="Meta")
    ]
    page.run()
    assert not page.exception
    assert any("in use by another program" in e.value for e in page.error)
    assert any("--lock-wait" in i.value for i in page.info)
