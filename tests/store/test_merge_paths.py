"""The merge's two paths give the same store: a load whose channels, metrics and days meet no
stored value is inserted straight from the stage (no join), any other load is joined with
the current values. Same counts, values, sources, row numbers, statements and undo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sostac_control import store
from sostac_control.ingest import ingest_paths
from sostac_control.store import loads, undo_load

ROWS = [  # date, metric, value: a repeated row (kept once) and a bad value (rejected)
    ("2026-07-01", "impressions", "100"),
    ("2026-07-01", "clicks", "7"),
    ("2026-07-02", "impressions", "150"),
    ("2026-07-02", "impressions", "150"),
    ("2026-07-03", "clicks", "seven"),
    ("2026-07-03", "impressions", "90"),
]


def _write(folder: Path, name: str, channel: str, account: str, rows=ROWS) -> Path:  # type: ignore[no-untyped-def]
    path = folder / name
    lines = ["date,channel,metric,value,account"]
    lines += [f"{day},{channel},{metric},{value},{account}" for day, metric, value in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _values(db: Path, channel: str) -> list[tuple]:
    with store.reader(db) as con:
        return con.execute(
            """SELECT day, account, metric, value, source_row, split_part(source, '-', 1)
               FROM metric_values WHERE channel = ? ORDER BY ALL""",
            [channel],
        ).fetchall()


def _statements(db: Path, channel: str) -> list[tuple]:
    """Every statement of the channel's keys, by natural key and the load's file."""
    with store.reader(db) as con:
        return con.execute(
            """SELECT o.period_start, o.account, o.metric, s.value, s.source_row,
                      split_part(l.source, '-', 1)
               FROM statements s JOIN observations o USING (key_id) JOIN loads l
                    ON l.load_id = s.load_id
               WHERE o.channel = ? ORDER BY ALL""",
            [channel],
        ).fetchall()


@pytest.mark.both_backends
def test_a_load_meeting_nothing_stored_and_one_meeting_stored_values_store_alike(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths: list[int | None] = []
    real_merge = loads.merge_observations

    def spy(con, load_id, stage, **options):  # type: ignore[no-untyped-def]
        counts = real_merge(con, load_id, stage, **options)
        paths.append(counts.new_keys_above)
        return counts

    monkeypatch.setattr(loads, "merge_observations", spy)
    # Another account's values on facebook, the same metrics and days: a facebook load of
    # kbn's values is joined with them; the same values on x meet nothing stored.
    other = _write(tmp_path, "other-fb.csv", "facebook", "other")
    ingest_paths([other], db)
    [fast] = ingest_paths([_write(tmp_path, "kbn-x.csv", "x", "kbn")], db)
    [joined] = ingest_paths([_write(tmp_path, "kbn-fb.csv", "facebook", "kbn")], db)
    assert paths[1] is not None and paths[2] is None  # the straight insert, then the join
    for field in ("status", "inserted", "updated", "unchanged", "rejected", "skipped"):
        assert getattr(fast, field) == getattr(joined, field), field
    assert (fast.inserted, fast.rejected) == (4, 1)
    assert fast.reconciled == joined.reconciled and fast.reconciled  # per metric: read = stored
    assert _values(db, "x") == [v for v in _values(db, "facebook") if v[1] == "kbn"]
    assert _values(db, "x")[0] == (date(2026, 7, 1), "kbn", "clicks", 7.0, 2, "kbn")
    assert _statements(db, "x") == [s for s in _statements(db, "facebook") if s[1] == "kbn"]

    # Loaded again: both are joined now, unchanged alike; undoing the first loads keeps every
    # value (the second loads state them), undoing those leaves only the other account.
    [fast_again] = ingest_paths([tmp_path / "kbn-x.csv"], db)
    [joined_again] = ingest_paths([tmp_path / "kbn-fb.csv"], db)
    assert fast_again.unchanged == joined_again.unchanged == 4
    assert fast.load_id and joined.load_id and fast_again.load_id and joined_again.load_id
    before = _values(db, "x")
    assert undo_load(db, fast.load_id) == undo_load(db, joined.load_id) == 4
    assert _values(db, "x") == before == [v for v in _values(db, "facebook") if v[1] == "kbn"]
    assert _statements(db, "x") == [s for s in _statements(db, "facebook") if s[1] == "kbn"]
    undo_load(db, fast_again.load_id)
    undo_load(db, joined_again.load_id)
    assert _values(db, "x") == []
    assert {v[1] for v in _values(db, "facebook")} == {"other"}


def _merge(
    db: Path, channel: str, rows: list[tuple[str, str, float]], account: str = "kbn"
) -> store.MergeCounts:
    """Merge rows (day, metric, value) of one load through the frame door (keys may repeat)."""
    stage = pd.DataFrame(
        [
            {"channel": channel, "account": account, "metric": metric, "grain": "day",
             "dimension": "", "item": "", "period_start": date.fromisoformat(day),
             "period_end": date.fromisoformat(day), "source_row": i + 1, "value": value,
             "currency": None}
            for i, (day, metric, value) in enumerate(rows)
        ]
    )  # fmt: skip
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source=f"{channel}.csv", command="test")
        con.register("_stage", stage)
        counts = store.merge_observations(con, load_id, "_stage", first_batch=True)
        con.unregister("_stage")
    return counts


def test_repeated_keys_in_a_batch_settle_alike_on_both_paths(db: Path) -> None:
    """The last row of a repeated key wins, and is counted as a duplicate, on either path."""
    rows = [
        ("2026-07-01", "clicks", 1.0),
        ("2026-07-01", "clicks", 2.0),
        ("2026-07-02", "clicks", 3.0),
    ]
    _merge(db, "facebook", [("2026-07-02", "clicks", 9.0)], account="other")  # in the scope
    fast = _merge(db, "x", rows)
    joined = _merge(db, "facebook", rows)
    assert fast.new_keys_above is not None and joined.new_keys_above is None
    assert (fast.inserted, fast.duplicates) == (joined.inserted, joined.duplicates) == (2, 1)
    with store.reader(db) as con:
        got = con.execute(
            """SELECT channel, day, value, source_row FROM metric_values
               WHERE metric = 'clicks' AND account = 'kbn' ORDER BY ALL"""
        ).fetchall()
    assert [row[1:] for row in got if row[0] == "x"] == [
        row[1:] for row in got if row[0] == "facebook"
    ]
    assert [row[1:] for row in got if row[0] == "x"] == [
        (date(2026, 7, 1), 2.0, 2),
        (date(2026, 7, 2), 3.0, 3),
    ]


def test_row_numbers_of_a_large_staged_file_are_its_lines(tmp_path: Path, db: Path) -> None:
    """The staged rows are numbered by the staged table's row ids: over several of DuckDB's
    row groups (and threads) they are still the file's data rows, bad rows and good ones."""
    n = 300_000
    path = tmp_path / "large.csv"
    lines = ["date,channel,metric,value,account"]
    lines += [f"2025-01-01,x,clicks,{i},a{i}" for i in range(1, n + 1)]
    lines[3] = "2025-01-01,x,clicks,three,a3"  # data row 3
    lines[250_001] = "2025-13-01,x,clicks,250001,a250001"  # data row 250,001
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert [e.row for e in result.errors] == [3, 250_001]
    with store.reader(db) as con:
        wrong = con.execute(
            "SELECT count(*) FROM metric_values WHERE source_row <> value::INTEGER"
        ).fetchone()
        count = con.execute("SELECT count(*) FROM metric_values").fetchone()
    assert wrong == (0,) and count == (n - 2,)
