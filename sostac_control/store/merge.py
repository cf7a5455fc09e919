"""Merges by ownership: a load's rows become statements, the newest live load's value is current.

Values are owned by the loads that state them. A load records every key it states, also the
ones it found unchanged (`statements`); the current value of a key (`observations`) is the one
the newest live load states. Undoing a load deletes its statements and derives each of its keys
again from the loads that remain, so the store is exactly as if the load had never happened: a
value stays as long as any live load states it. Every current value carries the load that set
it and the row of the source file it came from. A value equal to the current one (within
SAME_VALUE_TOLERANCE) is unchanged: its current row keeps the load that set it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from sostac_control import access
from sostac_control.dbfile import StoreRef, current_actor
from sostac_control.errors import SostacError
from sostac_control.i18n import _
from sostac_control.store import lake
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
    # Set when every key the batch states is new, numbered above this id (the no-overlap path):
    # what the load stated is then read back by key id, without joining its statements.
    new_keys_above: int | None = None


def key_match(left: str, right: str, key: tuple[str, ...]) -> str:
    return " AND ".join(f"{left}.{k} = {right}.{k}" for k in key)


def sql_texts(texts: list[str]) -> str:
    """SQL text literals for `x IN (...)`, quotes doubled."""
    return ", ".join("'" + str(text).replace("'", "''") + "'" for text in texts)


def changed(old: str, new: str) -> str:
    """SQL: `new` is a different value from `old` (beyond SAME_VALUE_TOLERANCE)."""
    return f"NOT ({same_value(old, new)})"


def merge_observations(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    stage: str,
    *,
    unique_keys: bool = False,
    first_batch: bool = False,
) -> MergeCounts:
    """Merge the staged rows (a table or view named `stage`) into the store as load `load_id`.

    `stage` has the OBSERVATION_KEY columns plus source_row, value and currency. Within the
    batch the last row of a key wins. Every key becomes a statement of the load; a key whose
    current value equals the staged value is `unchanged` (its current value keeps the load that
    set it), a different value becomes current and is `updated`, a new key is `inserted`.
    `unique_keys`: the caller proved that `stage` holds each key once (no check is made).
    `first_batch`: the load states nothing yet (no earlier chunk of it to replace).
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
    # Duplicate keys within one file are rare: only then pay for ranking the rows. As many
    # distinct key hashes as rows proves there are none (counting hashes is 4x cheaper than
    # grouping by the key); fewer means duplicates, or a hash collision, and ranking is exact.
    distinct = (
        (batch_rows,)
        if unique_keys
        else con.execute(f"SELECT count(DISTINCT hash({key})) FROM {stage}").fetchone()
    )
    batch = (
        f"SELECT {key}, source_row, value, currency FROM {stage}"
        if distinct and distinct[0] == batch_rows
        else f"""SELECT * EXCLUDE (rn) FROM (
                SELECT {key}, source_row, value, currency,
                       row_number() OVER (PARTITION BY {key} ORDER BY source_row DESC) AS rn
                FROM {stage}) WHERE rn = 1"""
    )
    # New keys are numbered from a sequence past the highest id (numbering the rows with a
    # window function would serialise the insert).
    top = con.execute("SELECT coalesce(max(key_id), 0) FROM observations").fetchone()
    base = int(top[0]) if top else 0
    con.execute(f"CREATE OR REPLACE TEMP SEQUENCE _new_key START {base + 1}")
    # Only current rows the batch could meet: its channels, metrics and days. A first load of
    # new days meets none, and skips the join.
    # (Literal lists: DuckDB tests `x IN ('a', 'b')` per row several times faster than
    # `list_contains` of a list parameter.)
    current = f"""SELECT key_id, value, {key} FROM observations
        WHERE channel IN ({sql_texts(channels)}) AND metric IN ({sql_texts(metrics)})
          AND period_start BETWEEN $first_day AND $last_day"""
    scope = {"first_day": first_day, "last_day": last_day}
    overlap = con.execute(f"SELECT count(*) FROM ({current} LIMIT 1)", scope).fetchone()
    if not (overlap and overlap[0]):
        con.execute(
            f"""INSERT INTO observations
            SELECT nextval('_new_key'), $load_id, source_row, {key}, value, currency, true
            FROM ({batch})""",
            {"load_id": load_id},
        )
        new = _state_new_keys(con, load_id, base)
        return MergeCounts(inserted=new, duplicates=int(batch_rows) - new, new_keys_above=base)
    fixed, joined = _fixed_key_parts(con, stage, channels, metrics)
    current = f"""SELECT key_id, value, {", ".join(joined)} FROM observations
        WHERE channel IN ({sql_texts(channels)}) AND metric IN ({sql_texts(metrics)})
          AND period_start BETWEEN $first_day AND $last_day{fixed}"""
    con.execute("DROP TABLE IF EXISTS _merge")
    con.execute(
        f"""CREATE TEMP TABLE _merge AS
        SELECT b.*, o.key_id AS old_key, o.value AS old_value
        FROM ({batch}) b LEFT JOIN ({current}) o ON {key_match("o", "b", joined)}""",
        scope,
    )
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE old_key IS NULL),
                   count(*) FILTER (WHERE old_key IS NOT NULL AND {changed("old_value", "value")}),
                   count(*) FILTER (WHERE old_key IS NOT NULL
                                    AND NOT {changed("old_value", "value")}),
                   count(*)
            FROM _merge"""
    ).fetchone()
    assert row is not None
    counts = MergeCounts(int(row[0]), int(row[1]), int(row[2]), int(batch_rows) - int(row[3]))
    if counts.updated:
        con.execute(
            f"""UPDATE observations SET value = m.value, currency = m.currency,
                   source_row = m.source_row, load_id = $load_id
            FROM _merge m
            WHERE observations.key_id = m.old_key AND {changed("m.old_value", "m.value")}""",
            {"load_id": load_id},
        )
    # A load that merges in chunks (an API fetch) states a key once: its last chunk's row.
    if not first_batch:
        con.execute(
            """DELETE FROM statements WHERE load_id = $load_id
               AND key_id IN (SELECT old_key FROM _merge WHERE old_key IS NOT NULL)""",
            {"load_id": load_id},
        )
    con.execute(
        """INSERT INTO statements
        SELECT $load_id, old_key, source_row, value, currency FROM _merge
        WHERE old_key IS NOT NULL""",
        {"load_id": load_id},
    )
    if counts.inserted:
        con.execute(
            f"""INSERT INTO observations
            SELECT nextval('_new_key'), $load_id, source_row, {key}, value, currency, true
            FROM _merge WHERE old_key IS NULL""",
            {"load_id": load_id},
        )
        _state_new_keys(con, load_id, base)
    con.execute("DROP TABLE _merge")
    return counts


# Key columns that often hold one value in a whole load (a tidy CSV's grain, dimension and
# item); channel and metric are in the load's scope already.
_FIXABLE = ("grain", "dimension", "item")


def _fixed_key_parts(
    con: duckdb.DuckDBPyConnection, stage: str, channels: list[str], metrics: list[str]
) -> tuple[str, tuple[str, ...]]:
    """Narrow the join of staged against stored keys to the key columns that vary in the load.

    A key column that holds one value in every staged row (and period_end, when it equals
    period_start in every staged row) is tested on the stored rows as a filter and left out of
    the join: a stored row with another value there is another key, which no staged row can
    match. Exact, not hashed: a tidy CSV's 8-column join becomes one on channel, account,
    metric and day. The test counts the rows that differ from the first row, comparing with
    a constant (0.1 s at 1M; min and max of the texts took 0.3 s). Returns (the stored side's
    extra filters, the columns to join on)."""
    first = con.execute(f"SELECT {', '.join(_FIXABLE)} FROM {stage} LIMIT 1").fetchone()
    assert first is not None  # the caller returns early on an empty stage
    differing = con.execute(
        f"""SELECT {
            ", ".join(
                f"count(*) FILTER (WHERE {column} IS DISTINCT FROM $v{i})"
                for i, column in enumerate(_FIXABLE)
            )
        },
               count(*) FILTER (WHERE period_end IS DISTINCT FROM period_start)
            FROM {stage}""",
        {f"v{i}": value for i, value in enumerate(first)},
    ).fetchone()
    assert differing is not None
    one = {"channel": len(channels) == 1, "metric": len(metrics) == 1}
    fixed: list[str] = []
    for i, column in enumerate(_FIXABLE):
        # A NULL would match nothing stored: the column stays joined.
        one[column] = differing[i] == 0 and first[i] is not None
        if one[column]:
            fixed.append(f"{column} = {sql_texts([str(first[i])])}")
    one["period_end"] = differing[len(_FIXABLE)] == 0
    if one["period_end"]:
        fixed.append("period_end = period_start")
    joined = tuple(k for k in OBSERVATION_KEY if not one.get(k, False))
    return "".join(f"\n          AND {f}" for f in fixed), joined


def _state_new_keys(con: duckdb.DuckDBPyConnection, load_id: int, base: int) -> int:
    """Record the statements of the keys a load just added (key ids above `base`); how many."""
    row = con.execute(
        """INSERT INTO statements
        SELECT load_id, key_id, source_row, value, currency FROM observations
        WHERE key_id > $base""",
        {"base": base},
    ).fetchone()
    return int(row[0]) if row else 0


def merge_posts(con: duckdb.DuckDBPyConnection, load_id: int, stage: str) -> int:
    """Merge staged post metadata (POST_KEY + POST_VALUES columns); returns the posts stated.

    Like values, post metadata is owned by every load that states it: each load keeps its own
    row, and the newest live load's row is current. A first load (none of its posts stored)
    is one INSERT, without an UPDATE against rows it cannot meet.
    """
    key = ", ".join(POST_KEY)
    values = ", ".join(POST_VALUES)
    con.execute("DROP TABLE IF EXISTS _merge_posts")
    count = con.execute(
        f"SELECT count(*), count(DISTINCT hash({key})) FROM {stage}"
    ).fetchone() or (0, 0)
    # A post stated once per row, as a staged export gives it, needs no ranking (as many
    # distinct key hashes as rows proves it; fewer means repeats, or a collision: rank).
    con.execute(
        f"CREATE TEMP TABLE _merge_posts AS SELECT {key}, {values} FROM {stage}"
        if count[0] == count[1]
        else f"""CREATE TEMP TABLE _merge_posts AS
        SELECT * EXCLUDE (rn) FROM (
            SELECT {key}, {values}, row_number() OVER (PARTITION BY {key}) AS rn FROM {stage}
        ) WHERE rn = 1"""
    )
    stated = con.execute("SELECT count(*) FROM _merge_posts").fetchone()
    # A load that merges in chunks (an API fetch) states a post once: its last chunk's row.
    again = con.execute("SELECT count(*) FROM (SELECT 1 FROM posts WHERE load_id = ? LIMIT 1)",
                        [load_id]).fetchone()  # fmt: skip
    if again and again[0]:
        con.execute(
            f"DELETE FROM posts USING _merge_posts m WHERE posts.load_id = ? AND "
            f"{key_match('posts', 'm', POST_KEY)}",
            [load_id],
        )
        _restore_previous(con, "posts", POST_KEY)
    # Comparing a re-load's posts with their current rows (to keep unchanged ones) was
    # measured slower than replacing them: only a first load takes the shorter path.
    met = con.execute(
        f"""SELECT count(*) FROM (SELECT 1 FROM posts p JOIN _merge_posts m
            ON {key_match("p", "m", POST_KEY)} WHERE p.is_current LIMIT 1)"""
    ).fetchone()
    if met and met[0]:
        con.execute(
            f"""UPDATE posts SET is_current = false FROM _merge_posts m
            WHERE posts.is_current AND {key_match("posts", "m", POST_KEY)}"""
        )
    con.execute(
        f"""INSERT INTO posts (load_id, {key}, {values}, is_current)
        SELECT ?, {key}, {values}, true FROM _merge_posts""",
        [load_id],
    )  # no RETURNING: DuckLake does not support it
    con.execute("DROP TABLE _merge_posts")
    return int(stated[0]) if stated else 0


def _restore_previous(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> None:
    """After rows were deleted, make the newest remaining version of each key current again."""
    cols = ", ".join(key)
    con.execute(
        f"""UPDATE {table} SET is_current = true
        FROM (SELECT {cols}, max(load_id) AS load_id FROM {table} GROUP BY {cols}
              HAVING NOT bool_or(is_current)) newest
        WHERE {key_match(table, "newest", key)} AND {table}.load_id = newest.load_id"""
    )


def _derive_current(con: duckdb.DuckDBPyConnection, keys: str) -> None:
    """Set the current value of the keys in table `keys` from the statements that remain.

    As a replay of the remaining loads in order would: the value is the one that started the
    newest run of equal values, with the load and source row that stated it first; a key no
    live load states is gone.
    """
    con.execute("DROP TABLE IF EXISTS _derived")
    con.execute(
        f"""CREATE TEMP TABLE _derived AS
        WITH stated AS (
            SELECT s.*, lag(s.value) OVER (PARTITION BY s.key_id ORDER BY s.load_id) AS before
            FROM statements s SEMI JOIN {keys} k ON s.key_id = k.key_id
        )
        SELECT key_id, max(load_id) AS load_id, arg_max(value, load_id) AS value,
               arg_max(source_row, load_id) AS source_row,
               arg_max(currency, load_id) AS currency
        FROM stated WHERE before IS NULL OR {changed("before", "value")}
        GROUP BY key_id"""
    )
    con.execute(
        f"""DELETE FROM observations WHERE key_id IN (SELECT key_id FROM {keys})
            AND key_id NOT IN (SELECT key_id FROM _derived)"""
    )
    con.execute(
        """UPDATE observations SET value = d.value, load_id = d.load_id,
               source_row = d.source_row, currency = d.currency
        FROM _derived d WHERE observations.key_id = d.key_id"""
    )
    con.execute("DROP TABLE _derived")


def remove_load(con: duckdb.DuckDBPyConnection, load_id: int) -> int:
    """Undo a load, as if it had never happened: each value it stated is now what the
    remaining loads state (gone when none does).

    Returns the number of values the load stated. Runs in its own transaction.
    """
    row = con.execute("SELECT status FROM loads WHERE load_id = ?", [load_id]).fetchone()
    if row is None:
        raise SostacError(
            _("There is no load with id {load_id}.").format(load_id=load_id),
            hint=_("`sostac-control loads` (or the Data page's history) lists the loads."),
        )
    if row[0] == "removed":
        return 0
    with transaction(con):
        con.execute("DROP TABLE IF EXISTS _undone")
        con.execute(
            "CREATE TEMP TABLE _undone AS SELECT key_id FROM statements WHERE load_id = ?",
            [load_id],
        )
        con.execute("DELETE FROM statements WHERE load_id = ?", [load_id])
        _derive_current(con, "_undone")
        stated = con.execute("SELECT count(*) FROM _undone").fetchone()
        con.execute("DROP TABLE _undone")
        con.execute("DELETE FROM posts WHERE load_id = ?", [load_id])
        con.execute("DELETE FROM rejects WHERE load_id = ?", [load_id])
        _restore_previous(con, "posts", POST_KEY)
        con.execute(
            "UPDATE loads SET status = 'removed', removed_at = ?, removed_by = ? WHERE load_id = ?",
            [datetime.now(), current_actor(), load_id],
        )
    return int(stated[0]) if stated else 0


def undo_load(db: StoreRef | str | None, load_id: int) -> int:
    """Remove a load as if it had never happened; values other loads state stay.

    Returns the number of values the load stated (0 when it was removed before).
    """

    access.require("undo loads")

    def undo() -> int:
        with connect(db) as con:
            return remove_load(con, load_id)

    return lake.retry_conflicts(undo)
