"""Versioned merges: a load's rows become the current values; undoing a load brings back the old.

Observations are versioned: a load never overwrites a value in place. It marks the old
version not current and adds its own, so that a load can be removed again ("undo an upload")
and the value it replaced comes back. Every row carries the load that wrote it and the row
of the source file it came from. A value equal to the current one (within
SAME_VALUE_TOLERANCE) is unchanged and not written again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from sostac_control.errors import SostacError
from sostac_control.store.connect import connect, transaction
from sostac_control.store.schema import OBSERVATION_KEY, POST_KEY, POST_VALUES

# Two values of a key are "the same value" when they differ by at most this share of the new
# one (or of 1, for values below 1): a file loaded again is unchanged, not updated.
SAME_VALUE_TOLERANCE = 1e-9


def same_value(old: str, new: str) -> str:
    """SQL: the value `old` is the same as `new` (within SAME_VALUE_TOLERANCE)."""
    return f"abs({old} - {new}) <= {SAME_VALUE_TOLERANCE!r} * greatest(1, abs({new}))"


@dataclass
class MergeCounts:
    """What a merge did: rows new to the store, rows that replaced a different value, same."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # rows of the same key within one batch; the last one wins


def key_match(left: str, right: str, key: tuple[str, ...]) -> str:
    return " AND ".join(f"{left}.{k} = {right}.{k}" for k in key)


def merge_observations(con: duckdb.DuckDBPyConnection, load_id: int, stage: str) -> MergeCounts:
    """Merge the staged rows (a table or view named `stage`) into the observations.

    `stage` has the OBSERVATION_KEY columns plus source_row, value and currency. Within the
    batch the last row of a key wins. A key whose current value equals the staged value is
    unchanged and not written again; a different value becomes the new current version.
    Call inside a transaction.
    """
    key = ", ".join(OBSERVATION_KEY)
    bounds = con.execute(
        f"""SELECT count(*), min(period_start), max(period_start),
                   list(DISTINCT channel), list(DISTINCT metric)
            FROM {stage}"""
    ).fetchone()
    assert bounds is not None
    batch_rows, first_day, last_day, channels, metrics = bounds
    if not batch_rows:
        return MergeCounts()
    # Duplicate keys within one file are rare: only then pay for ranking the rows.
    has_duplicates = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {stage} GROUP BY {key} HAVING count(*) > 1)"
    ).fetchone()
    batch = (
        f"""SELECT * EXCLUDE (rn) FROM (
                SELECT {key}, source_row, value, currency,
                       row_number() OVER (PARTITION BY {key} ORDER BY source_row DESC) AS rn
                FROM {stage}) WHERE rn = 1"""
        if has_duplicates and has_duplicates[0]
        else f"SELECT {key}, source_row, value, currency FROM {stage}"
    )
    # Only current rows the batch could meet: its channels, metrics and days. A first load of
    # new days meets none, and skips the join.
    current = """SELECT * FROM observations
        WHERE is_current AND list_contains($channels, channel)
          AND list_contains($metrics, metric)
          AND period_start BETWEEN $first_day AND $last_day"""
    scope = {
        "channels": channels,
        "metrics": metrics,
        "first_day": first_day,
        "last_day": last_day,
    }
    overlap = con.execute(f"SELECT count(*) FROM ({current} LIMIT 1)", scope).fetchone()
    con.execute("DROP TABLE IF EXISTS _merge")
    if overlap and overlap[0]:
        con.execute(
            f"""CREATE TEMP TABLE _merge AS
            SELECT b.{key.replace(", ", ", b.")}, b.source_row, b.value, b.currency,
                   o.value AS old_value
            FROM ({batch}) b
            LEFT JOIN ({current}) o ON {key_match("o", "b", OBSERVATION_KEY)}""",
            scope,
        )
    else:
        con.execute(
            f"""CREATE TEMP TABLE _merge AS
            SELECT *, NULL::DOUBLE AS old_value FROM ({batch})"""
        )
    same = same_value("old_value", "value")
    row = con.execute(
        f"""SELECT
             count(*) FILTER (WHERE old_value IS NULL),
             count(*) FILTER (WHERE old_value IS NOT NULL AND NOT {same}),
             count(*) FILTER (WHERE old_value IS NOT NULL AND {same}),
             count(*)
           FROM _merge"""
    ).fetchone()
    assert row is not None
    counts = MergeCounts(int(row[0]), int(row[1]), int(row[2]), int(batch_rows) - int(row[3]))
    if counts.updated:
        con.execute(
            f"""UPDATE observations SET is_current = false
            FROM _merge m
            WHERE observations.is_current AND {key_match("observations", "m", OBSERVATION_KEY)}
              AND m.old_value IS NOT NULL AND NOT {same_value("m.old_value", "m.value")}"""
        )
    if counts.inserted or counts.updated:
        con.execute(
            f"""INSERT INTO observations
                (load_id, source_row, {key}, value, currency, is_current)
            SELECT ?, source_row, {key}, value, currency, true
            FROM _merge
            WHERE old_value IS NULL OR NOT {same}""",
            [load_id],
        )
    con.execute("DROP TABLE _merge")
    return counts


def merge_posts(con: duckdb.DuckDBPyConnection, load_id: int, stage: str) -> int:
    """Merge staged post metadata (POST_KEY + POST_VALUES columns); returns rows written."""
    key = ", ".join(POST_KEY)
    values = ", ".join(POST_VALUES)
    con.execute("DROP TABLE IF EXISTS _merge_posts")
    con.execute(
        f"""CREATE TEMP TABLE _merge_posts AS
        SELECT * EXCLUDE (rn) FROM (
            SELECT {key}, {values}, row_number() OVER (PARTITION BY {key}) AS rn FROM {stage}
        ) WHERE rn = 1"""
    )
    changed = " OR ".join(f"p.{v} IS DISTINCT FROM m.{v}" for v in POST_VALUES)
    con.execute(
        f"""UPDATE posts SET is_current = false FROM _merge_posts m
        WHERE posts.is_current AND {key_match("posts", "m", POST_KEY)}
          AND EXISTS (SELECT 1 FROM posts p WHERE p.is_current
                      AND {key_match("p", "m", POST_KEY)} AND ({changed}))"""
    )
    row = con.execute(
        f"""INSERT INTO posts (load_id, {key}, {values}, is_current)
        SELECT ?, {key}, {values}, true FROM _merge_posts m
        WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.is_current
                          AND {key_match("p", "m", POST_KEY)})
        RETURNING 1""",
        [load_id],
    ).fetchall()
    con.execute("DROP TABLE _merge_posts")
    return len(row)


def _restore_previous(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> None:
    """After rows were deleted, make the newest remaining version of each key current again."""
    cols = ", ".join(key)
    con.execute(
        f"""UPDATE {table} SET is_current = true
        FROM (SELECT {cols}, max(load_id) AS load_id FROM {table} GROUP BY {cols}
              HAVING NOT bool_or(is_current)) newest
        WHERE {key_match(table, "newest", key)} AND {table}.load_id = newest.load_id"""
    )


def remove_load(con: duckdb.DuckDBPyConnection, load_id: int) -> int:
    """Undo a load: delete what it wrote and bring back the values it had replaced.

    Returns the number of observations removed. Runs in its own transaction.
    """
    row = con.execute("SELECT status FROM loads WHERE load_id = ?", [load_id]).fetchone()
    if row is None:
        raise SostacError(
            f"There is no load with id {load_id}.",
            hint="`sostac-control loads` (or the Data page's history) lists the loads.",
        )
    if row[0] == "removed":
        return 0
    with transaction(con):
        removed = con.execute(
            "SELECT count(*) FROM observations WHERE load_id = ?", [load_id]
        ).fetchone()
        con.execute("DELETE FROM observations WHERE load_id = ?", [load_id])
        con.execute("DELETE FROM posts WHERE load_id = ?", [load_id])
        con.execute("DELETE FROM rejects WHERE load_id = ?", [load_id])
        _restore_previous(con, "observations", OBSERVATION_KEY)
        _restore_previous(con, "posts", POST_KEY)
        con.execute(
            "UPDATE loads SET status = 'removed', removed_at = ? WHERE load_id = ?",
            [datetime.now(), load_id],
        )
    return int(removed[0]) if removed else 0


def undo_load(db: Path | str | None, load_id: int) -> int:
    """Remove a load: delete what it wrote and bring back the values it replaced.

    Returns the number of values removed (0 when the load was removed before).
    """
    with connect(db) as con:
        return remove_load(con, load_id)
