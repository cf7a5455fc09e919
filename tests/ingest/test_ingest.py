"""Loading files: idempotent, newest export wins, all-or-nothing, traceable, undoable."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from sostac_control import store
from sostac_control.cli import main
from sostac_control.dbfile import StoreRef
from sostac_control.ingest import ingest_bytes, ingest_paths
from sostac_control.store import load_history, load_preview, load_rejects, undo_load
from tests.support.exports import Post, write_mbs_posts, write_tweet_activity

TABLES = ("loads", "observations", "posts", "rejects")


def _snapshot(db: StoreRef) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: the database's content."""
    with store.reader(db) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def _current(db: StoreRef, metric: str = "impressions") -> list[tuple]:
    with store.reader(db) as con:
        return con.execute(
            "SELECT day, account, value FROM metric_values WHERE metric = ? ORDER BY day",
            [metric],
        ).fetchall()


@pytest.mark.both_backends
def test_same_file_twice_changes_nothing(write_tidy, db: Path) -> None:
    path = write_tidy(
        [("2026-07-01", "instagram", "impressions", 100, "kbn"),
         ("2026-07-02", "instagram", "impressions", 150, "kbn")]
    )  # fmt: skip
    [first] = ingest_paths([path], db)
    [second] = ingest_paths([path], db)
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 2)
    assert sum(v for _, _, v in _current(db)) == 250
    with store.reader(db) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone() == (2,)


@pytest.mark.both_backends
def test_same_post_export_twice_keeps_one_copy_of_values_and_posts(
    tmp_path: Path, db: Path
) -> None:
    posts = [Post("1", datetime(2025, 3, 1, 10), {"reach": 10, "views": 20})]
    path = write_mbs_posts(tmp_path / "p.csv", posts)
    ingest_paths([path], db)
    [again] = ingest_paths([path], db)
    assert again.unchanged == 2 and again.inserted == 0
    with store.reader(db) as con:
        # Each load keeps its own statement of the post (so undoing either keeps it); one is
        # current, and the values are stored once.
        assert con.execute("SELECT count(*) FROM posts WHERE is_current").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM observations").fetchone() == (2,)


@pytest.mark.both_backends
def test_overlapping_exports_newer_wins_and_counts_once(write_tidy, db: Path) -> None:
    june = write_tidy(
        [("2026-06-29", "x", "impressions", 10, "kbn"),
         ("2026-06-30", "x", "impressions", 20, "kbn")], name="june.csv"
    )  # fmt: skip
    overlap = write_tidy(
        [("2026-06-30", "x", "impressions", 25, "kbn"),
         ("2026-07-01", "x", "impressions", 30, "kbn")], name="overlap.csv"
    )  # fmt: skip
    ingest_paths([june], db)
    [second] = ingest_paths([overlap], db)
    assert (second.inserted, second.updated, second.unchanged) == (1, 1, 0)
    assert [v for _, _, v in _current(db)] == [10, 25, 30]


def test_overlapping_post_exports_count_each_post_once_with_the_newer_lifetime_value(
    tmp_path: Path, db: Path
) -> None:
    march = [
        Post("1", datetime(2025, 3, 1), {"reach": 10}),
        Post("2", datetime(2025, 3, 20), {"reach": 5}),
    ]
    april = [
        Post("2", datetime(2025, 3, 20), {"reach": 9}),
        Post("3", datetime(2025, 4, 2), {"reach": 4}),
    ]
    ingest_paths([write_mbs_posts(tmp_path / "march.csv", march)], db)
    [second] = ingest_paths([write_mbs_posts(tmp_path / "april.csv", april)], db)
    assert (second.inserted, second.updated, second.unchanged) == (1, 1, 0)
    assert sum(v for _, _, v in _current(db, "reach")) == 10 + 9 + 4


@pytest.mark.both_backends
def test_undo_restores_the_replaced_value(write_tidy, db: Path) -> None:
    old = write_tidy([("2026-06-30", "x", "impressions", 20, "kbn")], name="old.csv")
    new = write_tidy([("2026-06-30", "x", "impressions", 25, "kbn")], name="new.csv")
    ingest_paths([old], db)
    [replacing] = ingest_paths([new], db)
    assert [v for _, _, v in _current(db)] == [25]
    assert replacing.load_id is not None
    assert undo_load(db, replacing.load_id) == 1
    assert [v for _, _, v in _current(db)] == [20]
    history = load_history(db)
    assert [h["status"] for h in history] == ["removed", "loaded"]
    assert undo_load(db, replacing.load_id) == 0  # a second undo changes nothing


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"Meeting notes\nnothing to see here\n"),
        ("empty.csv", b""),
        ("weird.csv", b"when,what\n2026-01-01,coffee\n"),
        ("bad.xlsx", b"PK\x03\x04 not really a workbook"),
        ("all_bad.csv", b"date,channel,metric,value\nyesterday,instagram,impressions,1\n"),
    ],
)
@pytest.mark.both_backends
def test_refused_file_leaves_the_database_as_it_was(
    write_tidy, db: Path, tmp_path: Path, name: str, content: bytes
) -> None:
    ingest_paths([write_tidy([("2026-07-01", "instagram", "impressions", 100, "kbn")])], db)
    before = _snapshot(db)
    path = tmp_path / name
    path.write_bytes(content)
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert result.message  # a sentence saying what the file looked like
    assert _snapshot(db) == before


def test_unrecognised_file_names_what_it_looked_like_and_the_known_formats(
    tmp_path: Path, db: Path
) -> None:
    path = tmp_path / "weird.csv"
    path.write_text("when,what\n2026-01-01,coffee\n", encoding="utf-8")
    [result] = ingest_paths([path], db)
    assert "when,what" in result.message
    assert "sostac-control formats" in result.hint
    assert not db.exists()


def test_row_error_is_reported_with_its_row_number_and_the_rest_loads(
    tmp_path: Path, db: Path
) -> None:
    posts = [
        Post("1", datetime(2025, 3, 1, 10), {"reach": 10}),
        Post("2", datetime(2025, 3, 2, 10), {"reach": 11}),
        Post("3", datetime(2025, 3, 3, 10), {"reach": 12}),
    ]
    path = write_mbs_posts(tmp_path / "p.csv", posts)
    text = path.read_text(encoding="utf-8-sig").replace("03/02/2025 10:00", "yesterday")
    path.write_text(text, encoding="utf-8-sig")
    [result] = ingest_paths([path], db)
    assert result.status == "loaded" and result.rejected == 1
    assert [e.as_row() for e in result.errors] == [
        {"row": 2, "column": "Publish time", "message": "'yesterday' is not a date"}
    ]
    assert load_rejects(db, result.load_id or 0)[0]["row"] == 2
    assert sum(v for _, _, v in _current(db, "reach")) == 22


def test_zip_of_exports_loads_every_file_inside(tmp_path: Path, db: Path, write_tidy) -> None:
    tweets = write_tweet_activity(
        tmp_path / "t.csv", [Post("1432793754507923461", datetime(2021, 8, 31), {"impressions": 9})]
    )
    tidy = write_tidy([("2026-07-01", "instagram", "impressions", 100, "kbn")])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(tweets, "exports/tweets.csv")
        archive.write(tidy, "exports/tidy.csv")
        archive.writestr("__MACOSX/._tidy.csv", b"junk")
    results = ingest_bytes("month.zip", buffer.getvalue(), db)
    assert [(r.file, r.status) for r in results] == [
        ("month.zip/exports/tweets.csv", "loaded"),
        ("month.zip/exports/tidy.csv", "loaded"),
        ("month.zip/__MACOSX/._tidy.csv", "skipped"),  # reported, with why, not read
    ]
    assert "hidden or system file" in results[2].message
    assert {r.format for r in results[:2]} == {"x_tweet_activity", "tidy_csv"}


@pytest.mark.both_backends
def test_every_stored_value_traces_to_its_file_and_row(tmp_path: Path, db: Path) -> None:
    posts = [
        Post("1", datetime(2025, 3, 1), {"reach": 10}),
        Post("2", datetime(2025, 3, 2), {"reach": 7}),
    ]
    [result] = ingest_paths([write_mbs_posts(tmp_path / "p.csv", posts)], db)
    with store.reader(db) as con:
        rows = con.execute(
            "SELECT source, source_row, item FROM metric_values ORDER BY source_row"
        ).fetchall()
    assert rows == [("p.csv", 1, "1"), ("p.csv", 2, "2")]
    preview = load_preview(db, result.load_id or 0)
    assert preview[["metric", "values_stored", "total"]].values.tolist() == [["reach", 2, 17.0]]


# --- the command line ----------------------------------------------------------------------------

DESIGN_KEYS = ["file", "format", "platform", "grain", "rows_read", "inserted", "updated",
               "unchanged", "skipped", "rejected", "errors", "status"]  # fmt: skip


def test_cli_ingest_json_has_the_design_shape_and_exit_0(write_tidy, db: Path, capsys) -> None:
    path = write_tidy([("2026-07-01", "instagram", "impressions", 100, "kbn")])
    code = main(["ingest", str(path), "--db", str(db), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert isinstance(document, list) and len(document) == 1
    assert list(document[0])[: len(DESIGN_KEYS)] == DESIGN_KEYS
    assert document[0]["status"] == "loaded" and document[0]["inserted"] == 1
    assert document[0]["errors"] == []


def test_cli_ingest_exit_1_when_a_file_is_refused(write_tidy, db: Path, tmp_path, capsys) -> None:
    good = write_tidy([("2026-07-01", "instagram", "impressions", 100, "kbn")])
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", encoding="utf-8")
    code = main(["ingest", str(good), str(bad), "--db", str(db), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [d["status"] for d in document] == ["loaded", "refused"]


def test_cli_names_a_refused_file_once_with_the_reason_and_hint(db: Path, tmp_path, capsys) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", encoding="utf-8")
    assert main(["ingest", str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("notes.txt") == 1
    assert "not a format sostac-control knows" in err
    assert "hint:" in err


def test_cli_ingest_exit_2_on_bad_usage_or_missing_file(db: Path, tmp_path, capsys) -> None:
    assert main(["ingest", str(tmp_path / "missing.csv"), "--db", str(db)]) == 2
    assert main(["ingest", str(tmp_path / "x.csv"), "--format", "nosuch", "--db", str(db)]) == 2
    with pytest.raises(SystemExit) as exited:
        main(["ingest"])
    assert exited.value.code == 2


def test_cli_loads_and_undo(write_tidy, db: Path, capsys) -> None:
    path = write_tidy([("2026-07-01", "instagram", "impressions", 100, "kbn")])
    main(["ingest", str(path), "--db", str(db)])
    capsys.readouterr()
    assert main(["loads", "--db", str(db), "--json"]) == 0
    [load] = json.loads(capsys.readouterr().out)
    assert load["source"] == "tidy.csv" and load["status"] == "loaded" and load["inserted"] == 1
    assert main(["undo", str(load["load_id"]), "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed_values"] == 1
    assert _current(db) == []
    assert main(["loads", "--db", str(db)]) == 0
    assert "removed" in capsys.readouterr().out
    assert main(["undo", "999", "--db", str(db)]) == 2


def test_cli_formats_lists_the_meta_and_x_formats_with_platform_and_grain(capsys) -> None:
    assert main(["formats", "--json"]) == 0
    listed = {f["name"]: f for f in json.loads(capsys.readouterr().out)}
    assert listed["meta_fb_posts"]["platform"] == "Meta Business Suite"
    assert listed["meta_fb_posts"]["grain"] == "post"
    assert listed["x_daily_activity"]["grain"] == "day"
    assert {"meta_ig_posts", "meta_page_series", "fb_insights_posts", "fb_insights_page",
            "x_tweet_activity", "x_content", "tidy_csv"} <= set(listed)  # fmt: skip
