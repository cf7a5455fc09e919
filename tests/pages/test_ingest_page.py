"""The Data page, run with Streamlit's AppTest on a real database."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sostac_control.errors import Problem
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


def _history(page: AppTest):
    return next(d.value for d in page.dataframe if "load_id" in d.value.columns)


def test_history_lists_loads_and_undo_asks_before_it_removes_one(
    page: AppTest, db: Path, tmp_path: Path
) -> None:
    posts = [Post("1", datetime(2025, 3, 1), {"reach": 10})]
    ingest_paths([write_mbs_posts(tmp_path / "fb.csv", posts)], db)
    ingest_paths([write_mbs_posts(tmp_path / "fb2.csv", posts, account="Other")], db)
    page.run()
    assert not page.exception
    assert list(_history(page)["source"]) == ["fb2.csv", "fb.csv"]
    undo_buttons = [b for b in page.button if b.label == "Undo"]
    assert len(undo_buttons) == 2
    undo_buttons[0].click().run()
    # One click only asks: nothing is removed yet.
    assert [h["status"] for h in load_history(db)] == ["loaded", "loaded"]
    assert any("Remove load #2 (fb2.csv)?" in w.value for w in page.warning)
    next(b for b in page.button if b.label == "Cancel").click().run()
    assert [h["status"] for h in load_history(db)] == ["loaded", "loaded"]
    assert not any("Remove load" in w.value for w in page.warning)
    next(b for b in page.button if b.label == "Undo").click().run()
    next(b for b in page.button if b.label == "Yes, remove it").click().run()
    assert [h["status"] for h in load_history(db)] == ["removed", "loaded"]
    assert any("removed" in s.value for s in page.success)
    assert len([b for b in page.button if b.label == "Undo"]) == 1


def test_results_show_refused_files_first_with_message_and_hint(page: AppTest) -> None:
    refused = IngestResult(
        file="notes.txt",
        message="notes.txt: not a format sostac-control knows.",
        hint="Known formats: `sostac-control formats`.",
    )
    page.session_state["data_results"] = [refused]
    page.run()
    assert not page.exception
    assert any("notes.txt" in e.value and "refused" in e.value for e in page.error)
    assert any("Known formats" in c.value for c in page.caption)
    assert "0 of 1 file(s) loaded; 1 refused." in [m.value for m in page.markdown]


def test_results_of_a_loaded_file_read_as_one_line_with_the_stored_preview(
    page: AppTest, db: Path, tmp_path: Path
) -> None:
    posts = [Post("1", datetime(2025, 3, 1), {"reach": 10, "views": 30})]
    results = ingest_paths([write_mbs_posts(tmp_path / "fb.csv", posts)], db)
    page.session_state["data_results"] = results
    page.run()
    assert not page.exception
    (line,) = [s.value for s in page.success]
    assert line.startswith("✓ **fb.csv** — loaded: ")
    assert "1 rows" in line and "01 Mar 2025" in line and "2 new" in line
    preview = page.dataframe[1].value  # after the reconciliation table
    assert sorted(preview["metric"]) == ["reach", "views"]


def test_a_partly_rejected_or_truncated_file_is_a_warning_not_a_quiet_loaded() -> None:
    from sostac_control.views.data import file_lines

    ok = IngestResult(file="b.csv", status="loaded", rows_read=10, platform="Meta",
                      format="meta_fb_posts")  # fmt: skip
    cut = IngestResult(
        file="a.csv", status="loaded", rows_read=10, rejected=0, platform="Meta",
        format="meta_fb_posts",
        errors=[Problem.at_row(-1, "", "3 fields where the header has 18")],
    )  # fmt: skip
    partly = IngestResult(file="c.csv", status="loaded", rows_read=10, rejected=4,
                          platform="X", format="x_content",
                          errors=[Problem.at_row(3, "date", "no date")])  # fmt: skip
    refused = IngestResult(file="z.csv", message="z.csv: unknown")
    lines = file_lines([ok, cut, partly, refused])
    assert [(f.file, f.verdict) for f in lines] == [
        ("z.csv", "refused"), ("a.csv", "warning"), ("c.csv", "warning"), ("b.csv", "loaded"),
    ]  # fmt: skip
    assert "cut short or damaged: 3 fields where the header has 18" in lines[1].warnings[0]
    assert lines[2].warnings == ("4 of 10 rows rejected (40%); the rest loaded",)


def test_coverage_shows_each_channel_and_account_with_freshness_and_the_checklist(
    page: AppTest, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date, timedelta

    today = date.today()
    tidy = tmp_path / "t.csv"
    tidy.write_text(
        "date,channel,metric,value,account\n"
        f"{today - timedelta(days=20)},instagram,views,10,koffie\n"
        f"{today - timedelta(days=10)},instagram,views,10,koffie\n"
        f"{today - timedelta(days=1)},x,impressions,5,koffie\n"
    )
    ingest_paths([tidy], db)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        f"""version: 1
name: P
objectives:
  - id: o
    title: O
    start: {today - timedelta(days=30)}
    end: {today + timedelta(days=30)}
    kpis:
      - {{metric: views, channel: instagram, target: 100}}
      - {{metric: views, channel: tiktok, target: 100}}
      - {{metric: impressions, channel: x, target: 100}}
"""
    )
    monkeypatch.setenv("SOSTAC_PLAN", str(plan))
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    checklist = next(d.value for d in page.dataframe if "needed_for" in d.value.columns)
    status = dict(zip(checklist["label"], checklist["status"], strict=True))
    assert status["TikTok"] == "no data yet: load this export"
    assert status["Instagram"].startswith("due: loaded up to")
    assert status["X"] == "up to date"
    assert "TikTok Studio" in " ".join(checklist["where"])
    cover = next(d.value for d in page.dataframe if "freshness" in d.value.columns)
    fresh = dict(zip(cover["label"], cover["freshness"], strict=True))
    assert fresh == {"Instagram": "10 days old", "X": "fresh"}


def test_a_refused_file_is_loaded_again_with_its_own_account(
    page: AppTest, db: Path, tmp_path: Path
) -> None:
    from sostac_control.ingest import ingest_bytes

    two = tmp_path / "two.csv"
    two.write_text(
        "date,channel,metric,value,account\n2026-01-05,facebook,views,1,Page A\n"
        "2026-01-05,facebook,views,2,Page B\n"
    )
    ingest_paths([two], db)
    data = b"date,channel,metric,value,account\n2026-01-06,facebook,views,50,\n"
    refused = ingest_bytes("unnamed.csv", data, db)
    assert refused[0].status == "refused"
    page.session_state["data_results"] = refused
    page.session_state["data_refused_bytes"] = {"unnamed.csv": data}
    page.run()
    assert any("Page A, Page B" in e.value for e in page.error)
    page.text_input(key="retry-account-0").input("Page B")
    next(b for b in page.button if b.label == "Load again").click().run()
    assert not page.exception, [e.value for e in page.exception]
    assert any("unnamed.csv" in s.value and "account Page B" in s.value for s in page.success)


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
    table = page.dataframe[0].value
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
    monkeypatch.setattr(sys.modules["sostac_control.dbfile"], "LOCK_WAIT_SECONDS", 1.0)
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
