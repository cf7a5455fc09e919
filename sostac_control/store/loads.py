"""The one door into the store: record a load and merge its observations, posts and rejects.

File ingest (ingest.py) and API fetch (api/fetch.py) both call `record_load` inside one
transaction; it writes the ingest log row, merges the rows as new versions (store.merge) and
keeps the log's counts. Nothing else writes observations, posts or rejects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from sostac_control.dbfile import current_actor
from sostac_control.store import lake
from sostac_control.store.merge import (
    MergeCounts,
    key_match,
    merge_observations,
    merge_posts,
    same_value,
)
from sostac_control.store.schema import OBSERVATION_KEY, POST_KEY, POST_VALUES


def start_load(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    sha256: str | None = None,
    format: str | None = None,
    platform: str | None = None,
    channel: str | None = None,
    grain: str | None = None,
    account: str | None = None,
    command: str = "",
    actor: str | None = None,
) -> int:
    """Record a new load (inside the caller's transaction) and return its id; `actor` is who
    loaded it (default: the current actor, see dbfile.acting_as)."""
    # The id first, then the row: DuckLake has neither sequences nor RETURNING (there it is
    # max + 1 inside the serialised write transaction, lake.py).
    if lake.is_lake(con):
        load_id = lake.next_load_id(con)
    else:
        row = con.execute("SELECT nextval('load_id_seq')").fetchone()
        assert row is not None
        load_id = int(row[0])
    con.execute(
        """INSERT INTO loads (load_id, source, sha256, format, platform, channel, grain,
                              account, command, loaded_at, status, actor)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?)""",
        [load_id, source, sha256, format, platform, channel, grain, account, command,
         datetime.now(), actor or current_actor()],
    )  # fmt: skip
    return load_id


def finish_load(con: duckdb.DuckDBPyConnection, load_id: int, **counts: object) -> None:
    """Store a load's counts (rows_read, inserted, …, first_day, last_day) in the ingest log."""
    allowed = {
        "rows_read",
        "inserted",
        "updated",
        "unchanged",
        "skipped",
        "rejected",
        "first_day",
        "last_day",
        "account",
    }
    unknown = set(counts) - allowed
    if unknown:
        raise ValueError(f"unknown load fields: {sorted(unknown)}")
    if not counts:
        return
    assignments = ", ".join(f"{name} = ?" for name in counts)
    con.execute(f"UPDATE loads SET {assignments} WHERE load_id = ?", [*counts.values(), load_id])


# --- The one door: record a load and merge its rows ---------------------------------------


@dataclass(frozen=True)
class NewLoad:
    """What the ingest log records about a load before its rows are merged."""

    source: str  # file name, or 'api:<source name>'
    command: str = ""  # 'cli ingest', 'app upload', 'demo', 'cli fetch', ...
    sha256: str | None = None
    format: str | None = None
    platform: str | None = None
    channel: str | None = None
    grain: str | None = None
    account: str | None = None


@dataclass(frozen=True)
class Reject:
    """A row a load rejected: its 1-based row (0 for the file as a whole), column and why."""

    row: int
    column: str
    message: str


@dataclass
class LoadBatch:
    """Rows of one load to merge: observations (OBSERVATION_KEY + source_row, value, currency),
    post metadata (POST_KEY + POST_VALUES), rejects, and what reading the source counted so far.
    """

    # None: the caller staged the rows in the temp view `_stage_obs` already (a format that
    # reads a file inside DuckDB, Format.stage).
    observations: pd.DataFrame | None
    posts: pd.DataFrame | None = None
    rejects: Sequence[Reject] = ()
    rows_read: int = 0  # source rows read so far for this load (the log keeps the latest)
    skipped: int = 0
    rejected: int = 0
    unique_keys: bool = False  # the caller proved the staged rows hold each key once


@dataclass
class LoadOutcome:
    """What record_load did: the load's id, the merge counts, the batch's days and, when asked,
    the counts per metric."""

    load_id: int
    counts: MergeCounts
    first_day: str | None = None
    last_day: str | None = None
    by_metric: dict[str, dict[str, int]] = field(default_factory=dict)
    # Per (channel, metric): what the keys this batch states hold after the merge
    # (stated_totals); the loader reconciles it with what it read.
    stored: dict[tuple[str, str], float] = field(default_factory=dict)


def record_load(
    con: duckdb.DuckDBPyConnection,
    load: NewLoad | int,
    batch: LoadBatch,
    *,
    by_metric: bool = False,
) -> LoadOutcome:
    """The one way rows enter the store, for files and API fetches alike.

    Starts a load (or continues the load with this id, for a fetch committed in batches),
    merges the batch's observations and posts as new versions, stores its rejects, and keeps the
    ingest log's counts up to date: merge counts add up over batches, the days widen, and
    rows_read / skipped / rejected take the batch's (running) totals. Call inside a transaction.
    """
    load_id = load if isinstance(load, int) else start_load(con, **asdict(load))
    if batch.observations is not None:
        _stage_frame(con, batch.observations)
    span = con.execute(
        "SELECT min(period_start)::VARCHAR, max(period_end)::VARCHAR FROM _stage_obs"
    ).fetchone()
    first_day, last_day = span if span else (None, None)
    per_metric = counts_by_metric(con, "_stage_obs") if by_metric else {}
    counts = merge_observations(
        con,
        load_id,
        "_stage_obs",
        unique_keys=batch.unique_keys,
        first_batch=not isinstance(load, int),
    )
    new_load = not isinstance(load, int)
    stored = stated_totals(
        con,
        "_stage_obs",
        load_id,
        new_load=new_load,
        new_keys_above=counts.new_keys_above if new_load else None,
    )
    con.execute("DROP VIEW _stage_obs")
    if batch.observations is not None:
        con.unregister("_obs_frame")
    if batch.posts is not None and not batch.posts.empty:
        con.register("_stage_posts", _as_arrow(batch.posts[[*POST_KEY, *POST_VALUES]]))
        merge_posts(con, load_id, "_stage_posts")
        con.unregister("_stage_posts")
    _record_rejects_and_counts(con, load_id, batch, counts, first_day, last_day)
    return LoadOutcome(load_id, counts, first_day, last_day, per_metric, stored)


def _stage_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """A frame of observations as the typed temp view `_stage_obs` (DuckDB does the casting)."""
    con.register("_obs_frame", _as_arrow(frame))
    con.execute(
        """CREATE OR REPLACE TEMP VIEW _stage_obs AS SELECT
             source_row::INTEGER AS source_row, channel::VARCHAR AS channel,
             coalesce(account::VARCHAR, '') AS account, metric::VARCHAR AS metric,
             grain::VARCHAR AS grain, coalesce(dimension::VARCHAR, '') AS dimension,
             coalesce(item::VARCHAR, '') AS item, period_start::DATE AS period_start,
             period_end::DATE AS period_end, value::DOUBLE AS value,
             currency::VARCHAR AS currency
           FROM _obs_frame"""
    )


def _record_rejects_and_counts(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    batch: LoadBatch,
    counts: MergeCounts,
    first_day: str | None,
    last_day: str | None,
) -> None:
    if batch.rejects:
        rejects = pd.DataFrame(
            [(r.row, r.column, r.message) for r in batch.rejects],
            columns=["row", "column", "message"],
        )
        con.register("_stage_rejects", rejects)
        con.execute(
            'INSERT INTO rejects (load_id, row, "column", message) '
            'SELECT ?, row, "column", message FROM _stage_rejects',
            [load_id],
        )
        con.unregister("_stage_rejects")
    con.execute(
        """UPDATE loads SET rows_read = ?, skipped = ?, rejected = ?,
               inserted = inserted + ?, updated = updated + ?, unchanged = unchanged + ?,
               first_day = least(first_day, ?::DATE), last_day = greatest(last_day, ?::DATE)
           WHERE load_id = ?""",
        [
            batch.rows_read,
            batch.skipped,
            batch.rejected,
            counts.inserted,
            counts.updated,
            counts.unchanged,
            first_day,
            last_day,
            load_id,
        ],
    )


def stated_totals(
    con: duckdb.DuckDBPyConnection,
    stage: str,
    load_id: int,
    *,
    new_load: bool = True,
    new_keys_above: int | None = None,
) -> dict[tuple[str, str], float]:
    """Per (channel, metric): what the store holds after the merge for the keys load `load_id`
    states (its statements), read back from the current values.

    Not the merge's own counts: a key the merge lost adds nothing (the sum falls short); the
    current values hold one row per key, so nothing adds twice. A load continued in batches (a
    fetch) counts only the keys of this batch (`stage`). `new_keys_above`: the new load stated
    only keys it added, numbered above this id (MergeCounts.new_keys_above): read them by id.
    """
    if new_keys_above is not None and new_load:
        rows = con.execute(
            """SELECT channel, metric, sum(value) FROM observations
               WHERE key_id > ? AND load_id = ? GROUP BY ALL""",
            [new_keys_above, load_id],
        ).fetchall()
        return {(str(channel), str(metric)): float(value) for channel, metric, value in rows}
    this_batch = (
        ""
        if new_load
        else f"AND EXISTS (SELECT 1 FROM {stage} s WHERE {key_match('o', 's', OBSERVATION_KEY)})"
    )
    rows = con.execute(
        f"""SELECT o.channel, o.metric, sum(o.value)
            FROM observations o SEMI JOIN (SELECT key_id FROM statements WHERE load_id = ?) st
                 ON o.key_id = st.key_id
            WHERE true {this_batch}
            GROUP BY ALL""",
        [load_id],
    ).fetchall()
    return {(str(channel), str(metric)): float(value) for channel, metric, value in rows}


def counts_by_metric(con: duckdb.DuckDBPyConnection, stage: str) -> dict[str, dict[str, int]]:
    """What merging `stage` will do, per metric: inserted, updated, unchanged (merge's rule)."""
    key = ", ".join(OBSERVATION_KEY)
    same = same_value("o.value", "b.value")
    rows = con.execute(
        f"""WITH batch AS (
              SELECT * FROM (SELECT {key}, value, row_number() OVER (
                  PARTITION BY {key} ORDER BY source_row DESC) AS rn FROM {stage}) WHERE rn = 1)
            SELECT b.metric,
                   count(*) FILTER (WHERE o.value IS NULL),
                   count(*) FILTER (WHERE o.value IS NOT NULL AND NOT {same}),
                   count(*) FILTER (WHERE o.value IS NOT NULL AND {same})
            FROM batch b LEFT JOIN (SELECT * FROM observations WHERE is_current) o
                 ON {key_match("o", "b", OBSERVATION_KEY)}
            GROUP BY b.metric"""
    ).fetchall()
    return {
        str(m): {"inserted": int(i), "updated": int(u), "unchanged": int(n)} for m, i, u, n in rows
    }


def _as_arrow(frame: pd.DataFrame) -> Any:
    """A frame as an Arrow table for DuckDB to scan (fast); the frame itself if it will not go."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return frame
