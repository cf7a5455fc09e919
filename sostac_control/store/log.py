"""The ingest log: what was loaded when, what each load rejected, and the data version.

Every query of the `loads`, `rejects` and `fetch_state` tables the pages and commands need lives
here, so no page writes SQL against the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from sostac_control.dbfile import StoreRef, current_actor, store_exists, store_ref
from sostac_control.store import lake
from sostac_control.store.connect import connect, reader, transaction

if TYPE_CHECKING:
    import pandas as pd


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes with every load or removal: the key for caches of query results."""
    row = con.execute(
        "SELECT count(*), coalesce(max(load_id), 0), count(removed_at) FROM loads"
    ).fetchone()
    assert row is not None
    return f"{row[0]}-{row[1]}-{row[2]}"


LOAD_COLUMNS = [
    "load_id", "source", "format", "platform", "channel", "grain", "account", "command",
    "loaded_at", "rows_read", "inserted", "updated", "unchanged", "skipped", "rejected",
    "first_day", "last_day", "status", "removed_at", "sha256", "actor", "removed_by",
]  # fmt: skip


def load_history(
    db: StoreRef | str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The ingest log, newest first: one dict per load (LOAD_COLUMNS); [] without a database."""
    path = store_ref(db)
    if not store_exists(path):
        return []
    with reader(path) as con:
        cursor = con.execute(
            f"SELECT {', '.join(LOAD_COLUMNS)} FROM loads ORDER BY load_id DESC"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        return [dict(zip(LOAD_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def load_rejects(db: StoreRef | str | None, load_id: int) -> list[dict[str, Any]]:
    """The rows a load rejected: row, column, message."""
    with reader(db) as con:
        rows = con.execute(
            'SELECT row, "column", message FROM rejects WHERE load_id = ? ORDER BY row',
            [load_id],
        ).fetchall()
    return [{"row": r, "column": c, "message": m} for r, c, m in rows]


def load_preview(db: StoreRef | str | None, load_id: int, limit: int = 50) -> pd.DataFrame:
    """What a load states, per channel, account, metric and grain (also the values it found
    unchanged); empty for a removed load."""
    with reader(db) as con:
        return con.execute(
            """SELECT o.channel, o.account, o.metric, o.grain, count(*) AS values_stored,
                      min(o.period_start)::VARCHAR AS first_day,
                      max(o.period_end)::VARCHAR AS last_day, sum(s.value) AS total
               FROM statements s JOIN observations o USING (key_id) WHERE s.load_id = ?
               GROUP BY ALL ORDER BY channel, account, metric, grain LIMIT ?""",
            [load_id, limit],
        ).df()


def load_totals(con: duckdb.DuckDBPyConnection, load_id: int) -> dict[str, float]:
    """What load `load_id` stated, summed per metric (for reconciling a file with its load)."""
    rows = con.execute(
        """SELECT o.metric, sum(s.value) FROM statements s JOIN observations o USING (key_id)
           WHERE s.load_id = ? GROUP BY o.metric ORDER BY o.metric""",
        [load_id],
    ).fetchall()
    return {metric: float(total) for metric, total in rows}


@dataclass(frozen=True)
class WorkspaceFacts:
    """What the sidebar tells about the database: the last load and the data it holds."""

    last_loaded_at: datetime | None = None
    last_source: str = ""
    first_day: date | None = None
    last_day: date | None = None
    channels: tuple[str, ...] = ()


def workspace_facts(con: duckdb.DuckDBPyConnection) -> WorkspaceFacts:
    """The last load and the days and channels the database holds."""
    load = con.execute(
        "SELECT loaded_at, source FROM loads WHERE status = 'loaded' "
        "ORDER BY loaded_at DESC, load_id DESC LIMIT 1"
    ).fetchone()
    days = con.execute("SELECT min(day), max(period_end) FROM metric_values").fetchone()
    channels = con.execute("SELECT DISTINCT channel FROM metric_values ORDER BY 1").fetchall()
    return WorkspaceFacts(
        last_loaded_at=load[0] if load else None,
        last_source=load[1] if load else "",
        first_day=days[0] if days else None,
        last_day=days[1] if days else None,
        channels=tuple(row[0] for row in channels),
    )


def observation_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many current values the database holds."""
    row = con.execute("SELECT count(*) FROM observations WHERE is_current").fetchone()
    return int(row[0]) if row else 0


def last_data_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The last day any current value covers (None when there is none)."""
    row = con.execute("SELECT max(period_end) FROM observations WHERE is_current").fetchone()
    return row[0] if row else None


# --- API fetch state ------------------------------------------------------------------------


def last_fetched_day(db: StoreRef | str | None, source: str) -> date | None:
    """The newest day a finished fetch of `source` loaded; None before the first."""
    if not store_exists(store_ref(db)):
        return None
    with reader(db) as con:
        row = con.execute("SELECT last_day FROM fetch_state WHERE source = ?", [source]).fetchone()
    return row[0] if row and row[0] else None


def record_fetch_state(db: StoreRef | str | None, source: str, last_day: date) -> None:
    """Remember the newest day a finished fetch of `source` loaded."""

    def record() -> None:
        # Delete and insert, not ON CONFLICT: DuckLake has no primary keys (lake.py).
        with connect(db) as con, transaction(con):
            row = con.execute(
                "SELECT max(last_day) FROM fetch_state WHERE source = ?", [source]
            ).fetchone()
            newest = max(last_day, row[0]) if row and row[0] else last_day
            con.execute("DELETE FROM fetch_state WHERE source = ?", [source])
            con.execute(
                "INSERT INTO fetch_state (source, last_day, fetched_at) VALUES (?, ?, ?)",
                [source, newest, datetime.now()],
            )

    lake.retry_conflicts(record)


# --- Refused files and coverage (reports and alerts) ---------------------------------------


def log_refusal(db: StoreRef | str | None, source: str, message: str) -> None:
    """Note that a file was refused: its name and why, nothing of its data. A database that
    does not exist yet is not created for it."""
    path = store_ref(db)
    if not store_exists(path):
        return
    with connect(path) as con:
        con.execute(
            "INSERT INTO refused_files VALUES (?, ?, ?)", [datetime.now(), source, message[:500]]
        )


def refusal_after_last_load(con: duckdb.DuckDBPyConnection) -> tuple[datetime, str, str] | None:
    """The newest refused file when nothing loaded after it: (refused_at, source, message)."""
    row = con.execute(
        """SELECT refused_at, source, message FROM refused_files
           WHERE refused_at > coalesce((SELECT max(loaded_at) FROM loads WHERE status = 'loaded'),
                                       TIMESTAMP '1970-01-01')
           ORDER BY refused_at DESC LIMIT 1"""
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def loads_covering(con: duckdb.DuckDBPyConnection, start: date, end: date) -> pd.DataFrame:
    """The loads whose days overlap [start, end], with what they read, stored and rejected."""
    return con.execute(
        """SELECT source, format, channel, account, first_day, last_day,
                  rows_read, inserted + updated + unchanged AS values_stored, rejected, loaded_at
           FROM loads WHERE status = 'loaded' AND first_day <= $end AND last_day >= $start
           ORDER BY channel, first_day""",
        {"start": start, "end": end},
    ).df()


def refusals_between(con: duckdb.DuckDBPyConnection, start: date, end: date) -> pd.DataFrame:
    """Files refused from `start` up to a month after `end` (exports arrive late)."""
    return con.execute(
        """SELECT refused_at, source, message FROM refused_files
           WHERE refused_at::DATE BETWEEN $start AND $end + 30 ORDER BY refused_at""",
        {"start": start, "end": end},
    ).df()


def channel_last_day(
    con: duckdb.DuckDBPyConnection, channel: str | None, up_to: date
) -> date | None:
    """The last day a current value of `channel` (None: any) covers, counting values that
    start on or before `up_to`; None when there is none."""
    where = "" if channel is None else "AND channel = $channel"
    params: dict[str, object] = {"up_to": up_to}
    if channel is not None:
        params["channel"] = channel
    row = con.execute(
        f"""SELECT max(period_end) FROM observations
            WHERE is_current AND period_start <= $up_to {where}""",
        params,
    ).fetchone()
    return row[0] if row else None


def channel_spans(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[date, date]]:
    """Per channel, the first and the last day its current values cover."""
    rows = con.execute(
        """SELECT channel, min(period_start), max(period_end) FROM observations
           WHERE is_current GROUP BY channel"""
    ).fetchall()
    return {channel: (first, last) for channel, first, last in rows}


# --- Who changed what (plan edits, alert rules, workspaces) ---------------------------------


def record_change(db: StoreRef | str | None, what: str, detail: str) -> None:
    """Note who changed what beside the data (a plan edit, an alert rule): one row of
    `changes`, with the current actor (dbfile.acting_as)."""

    def record() -> None:
        with connect(db) as con:
            con.execute(
                "INSERT INTO changes VALUES (?, ?, ?, ?)",
                [datetime.now(), current_actor(), what, detail[:2000]],
            )

    lake.retry_conflicts(record)


def change_history(db: StoreRef | str | None, limit: int = 200) -> list[dict[str, Any]]:
    """The newest changes first: changed_at, actor, what, detail."""
    with reader(db) as con:
        rows = con.execute(
            "SELECT changed_at, actor, what, detail FROM changes ORDER BY changed_at DESC LIMIT ?",
            [limit],
        ).fetchall()
    names = ("changed_at", "actor", "what", "detail")
    return [dict(zip(names, row, strict=True)) for row in rows]
