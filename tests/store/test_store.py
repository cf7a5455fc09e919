"""The DuckDB store: migrations, lock retry, transactions, versioned merges, the SQL view."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sostac_control import store
from sostac_control.errors import SostacError, StoreLockedError
from sostac_control.store import schema

KEY = {
    "channel": "instagram",
    "account": "koffiebarnoord",
    "metric": "impressions",
    "grain": "day",
    "dimension": "",
    "item": "",
}


def _stage(rows: list[tuple[date, float]], start_row: int = 1) -> pd.DataFrame:
    """A staged batch of instagram impressions, one row per (day, value)."""
    return pd.DataFrame(
        [
            {
                **KEY,
                "period_start": day,
                "period_end": day,
                "source_row": start_row + i,
                "value": float(value),
                "currency": None,
            }
            for i, (day, value) in enumerate(rows)
        ]
    )


def _load(
    db: Path, rows: list[tuple[date, float]], source: str = "x.csv"
) -> tuple[int, store.MergeCounts]:
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source=source, format="tidy_csv", command="test")
        con.register("_stage", _stage(rows))
        counts = store.merge_observations(con, load_id, "_stage")
        con.unregister("_stage")
    return load_id, counts


def _current(db: Path) -> dict[date, float]:
    with store.reader(db) as con:
        rows = con.execute("SELECT day, value FROM metric_values ORDER BY day").fetchall()
    return {day: value for day, value in rows}


# --- migrations ----------------------------------------------------------------------------


def test_new_database_gets_the_current_schema_version(db: Path) -> None:
    with store.connect(db) as con:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    assert row == (store.SCHEMA_VERSION,)


def test_database_from_an_older_version_is_migrated_on_open(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A "future" release adds a column in a further step; a file made by today's release
    # (with data) must open in it, keep its rows and gain the column.
    _load(db, [(date(2026, 7, 1), 100.0)])
    step = ["ALTER TABLE loads ADD COLUMN note VARCHAR DEFAULT 'migrated'"]
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, step])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with store.connect(db) as con:
        version = con.execute("SELECT max(version) FROM schema_version").fetchone()
        note = con.execute("SELECT note FROM loads").fetchall()
    assert version == (len(schema.MIGRATIONS),)
    assert note == [("migrated",)]
    assert _current(db) == {date(2026, 7, 1): 100.0}


def test_reader_upgrades_an_old_schema_before_reading(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(db, [(date(2026, 7, 1), 5.0)])
    step = ["CREATE TABLE extra (x INTEGER)"]
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, step])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with store.reader(db) as con:
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        version = con.execute("SELECT max(version) FROM schema_version").fetchone()
    assert "extra" in tables
    assert version == (len(schema.MIGRATIONS),)


def test_database_from_a_newer_version_is_refused_with_a_hint(db: Path) -> None:
    with store.connect(db):
        pass
    con = duckdb.connect(str(db))
    con.execute("UPDATE schema_version SET version = ?", [store.SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(SostacError) as info, store.connect(db):
        pass
    assert "newer sostac-control" in info.value.message
    assert "Upgrade" in info.value.hint


def test_file_that_is_not_ours_is_refused_by_the_reader(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(SostacError, match="not a sostac-control database"), store.reader(other):
        pass


def test_reader_on_a_missing_file_says_how_to_create_one(db: Path) -> None:
    with pytest.raises(SostacError) as info, store.reader(db):
        pass
    assert "no database" in info.value.message
    assert "sostac-control demo" in info.value.hint
    assert not db.exists()


# --- the lock held by another process -------------------------------------------------------

_HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Start a second process that holds the database's write lock for `seconds`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_connect_waits_for_a_lock_held_by_another_process(db: Path) -> None:
    _load(db, [(date(2026, 7, 1), 1.0)])
    holder = _hold_lock(db, 1.0)
    try:
        started = time.monotonic()
        with store.connect(db, wait_seconds=20) as con:
            waited = time.monotonic() - started
            row = con.execute("SELECT count(*) FROM observations").fetchone()
    finally:
        holder.wait(timeout=30)
    assert row == (1,)
    assert waited > 0.3  # it really had to wait for the other process


def test_lock_that_persists_raises_a_plain_language_error(db: Path) -> None:
    _load(db, [(date(2026, 7, 1), 1.0)])
    holder = _hold_lock(db, 5.0)
    try:
        started = time.monotonic()
        with pytest.raises(StoreLockedError) as info, store.connect(db, wait_seconds=0.6):
            pass
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert "in use by another program" in info.value.message
    assert "try again" in info.value.hint
    assert 0.5 < waited < 4


# --- transactions and merges ----------------------------------------------------------------


def test_failed_transaction_leaves_the_file_as_it_was(db: Path) -> None:
    _load(db, [(date(2026, 7, 1), 100.0)])
    with store.connect(db) as con:
        before = con.execute("SELECT count(*) FROM loads").fetchone()
    with pytest.raises(RuntimeError), store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source="bad.csv", command="test")
        con.register("_stage", _stage([(date(2026, 7, 1), 999.0), (date(2026, 7, 2), 5.0)]))
        store.merge_observations(con, load_id, "_stage")
        raise RuntimeError("the file turned out to be bad halfway")
    with store.connect(db) as con:
        after = con.execute("SELECT count(*) FROM loads").fetchone()
    assert after == before
    assert _current(db) == {date(2026, 7, 1): 100.0}


def test_merge_counts_inserted_updated_unchanged_and_duplicates(db: Path) -> None:
    _, first = _load(db, [(date(2026, 7, 1), 10.0), (date(2026, 7, 2), 20.0)])
    assert (first.inserted, first.updated, first.unchanged, first.duplicates) == (2, 0, 0, 0)
    _, second = _load(
        db,
        [
            (date(2026, 7, 1), 10.0),  # unchanged
            (date(2026, 7, 2), 21.0),  # updated
            (date(2026, 7, 3), 30.0),  # inserted
            (date(2026, 7, 3), 31.0),  # same key again in the batch: the last row wins
        ],
    )
    assert (second.inserted, second.updated, second.unchanged, second.duplicates) == (1, 1, 1, 1)
    assert _current(db) == {
        date(2026, 7, 1): 10.0,
        date(2026, 7, 2): 21.0,
        date(2026, 7, 3): 31.0,
    }


def test_duplicate_keys_in_a_first_load_keep_the_last_row(db: Path) -> None:
    _, first = _load(db, [(date(2026, 7, 1), 10.0), (date(2026, 7, 1), 11.0)])
    assert (first.inserted, first.duplicates) == (1, 1)
    assert _current(db) == {date(2026, 7, 1): 11.0}


def test_new_days_beside_stored_ones_are_inserted_without_touching_them(db: Path) -> None:
    _load(db, [(date(2026, 7, 1), 10.0)])
    _, later = _load(db, [(date(2026, 8, 1), 20.0)])
    assert (later.inserted, later.updated, later.unchanged) == (1, 0, 0)
    assert _current(db) == {date(2026, 7, 1): 10.0, date(2026, 8, 1): 20.0}


def test_loading_the_same_rows_twice_keeps_one_copy(db: Path) -> None:
    rows = [(date(2026, 7, 1), 10.0), (date(2026, 7, 2), 20.0)]
    _load(db, rows)
    _, again = _load(db, rows)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    with store.reader(db) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone() == (2,)


def test_remove_load_restores_the_value_it_replaced(db: Path) -> None:
    _load(db, [(date(2026, 7, 1), 10.0)])
    second, _ = _load(db, [(date(2026, 7, 1), 15.0), (date(2026, 7, 2), 7.0)])
    assert _current(db) == {date(2026, 7, 1): 15.0, date(2026, 7, 2): 7.0}
    with store.connect(db) as con:
        version_before = store.data_version(con)
        removed = store.remove_load(con, second)
        status = con.execute("SELECT status FROM loads WHERE load_id = ?", [second]).fetchone()
        version_after = store.data_version(con)
        assert store.remove_load(con, second) == 0  # removing twice changes nothing
    assert removed == 2
    assert status == ("removed",)
    assert version_after != version_before
    assert _current(db) == {date(2026, 7, 1): 10.0}


def test_remove_load_of_an_unknown_id_says_where_to_look(db: Path) -> None:
    with store.connect(db) as con, pytest.raises(SostacError, match="no load with id 42"):
        store.remove_load(con, 42)


def test_metric_values_view_shows_current_values_with_their_source(db: Path) -> None:
    _load(db, [(date(2026, 7, 1), 10.0)], source="first.csv")
    _load(db, [(date(2026, 7, 1), 12.0)], source="second.csv")
    with store.reader(db) as con:
        frame = con.execute("SELECT * FROM metric_values").df()
    assert list(frame.columns[:5]) == ["day", "period_end", "channel", "account", "metric"]
    assert {"value", "source", "source_row", "format", "loaded_at", "grain"} <= set(frame.columns)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["channel"], row["account"], row["metric"]) == (
        "instagram",
        "koffiebarnoord",
        "impressions",
    )
    assert (row["value"], row["source"], row["source_row"]) == (12.0, "second.csv", 1)


def test_reader_cannot_write(db: Path) -> None:
    _load(db, [(date(2026, 7, 1), 10.0)])
    with store.reader(db) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM observations")


def test_readme_documents_every_column_of_metric_values(db: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent.parent / "README.md").read_text(
        encoding="utf-8"
    )
    section = readme.split("## Querying the data with SQL", 1)[1].split("\n## ", 1)[0]
    with store.connect(db) as con:
        columns = [row[0] for row in con.execute("DESCRIBE metric_values").fetchall()]
    undocumented = [c for c in columns if f"`{c}`" not in section]
    assert undocumented == []
