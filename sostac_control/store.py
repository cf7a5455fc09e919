"""The DuckDB file: schema and migrations, short-lived connections with lock retry, loads.

Every unit of work opens the file, does its work and closes it again, so that the dashboard
never holds the file between script runs and `ingest` from a terminal still works while the
dashboard is open (DuckDB allows one writing process). Writes happen inside one transaction.

Observations are versioned: a load never overwrites a value in place. It marks the old
version not current and adds its own, so that a load can be removed again ("undo an upload")
and the value it replaced comes back. Every row carries the load that wrote it and the row
of the source file it came from.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from sostac_control.errors import SostacError, StoreLockedError

DEFAULT_DB = Path("data/sostac.duckdb")

# The natural key of an observation: one value of one metric for one thing over one period.
OBSERVATION_KEY = (
    "channel",
    "account",
    "metric",
    "grain",
    "dimension",
    "item",
    "period_start",
    "period_end",
)
POST_KEY = ("channel", "account", "post_id")
POST_VALUES = ("published_at", "post_type", "text", "permalink", "labels")

# Forward migrations: MIGRATIONS[i] brings a database from version i to i + 1. Never edit a
# released step; append a new one, so a database made by an older version opens in a newer one.
MIGRATIONS: list[list[str]] = [
    [
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version VALUES (0)",
        "CREATE SEQUENCE load_id_seq START 1",
        """CREATE TABLE loads (
            load_id INTEGER PRIMARY KEY,
            source VARCHAR NOT NULL,       -- file name, or 'api:<source name>'
            sha256 VARCHAR,
            format VARCHAR,
            platform VARCHAR,
            channel VARCHAR,
            grain VARCHAR,
            account VARCHAR,
            command VARCHAR,               -- 'cli ingest', 'app upload', 'demo', 'fetch', ...
            loaded_at TIMESTAMP NOT NULL,
            rows_read INTEGER DEFAULT 0,
            inserted INTEGER DEFAULT 0,
            updated INTEGER DEFAULT 0,
            unchanged INTEGER DEFAULT 0,
            skipped INTEGER DEFAULT 0,
            rejected INTEGER DEFAULT 0,
            first_day DATE,
            last_day DATE,
            status VARCHAR NOT NULL,       -- 'loaded' | 'removed'
            removed_at TIMESTAMP
        )""",
        """CREATE TABLE observations (
            load_id INTEGER NOT NULL,
            source_row INTEGER,            -- 1-based data row of the source file (or record)
            channel VARCHAR NOT NULL,
            account VARCHAR NOT NULL,      -- '' when the export does not name one
            metric VARCHAR NOT NULL,
            grain VARCHAR NOT NULL,        -- 'day' | 'post' | 'window'
            dimension VARCHAR NOT NULL,    -- '' for account totals; else 'post', 'campaign', ...
            item VARCHAR NOT NULL,         -- post id, campaign name, country, ...; '' for totals
            period_start DATE NOT NULL,    -- day grain: the day; post grain: the publish day
            period_end DATE NOT NULL,      -- equal to period_start except for windows
            value DOUBLE NOT NULL,
            currency VARCHAR,              -- money metrics: the currency the source named
            is_current BOOLEAN NOT NULL    -- the newest version of this key
        )""",
        """CREATE TABLE posts (
            load_id INTEGER NOT NULL,
            channel VARCHAR NOT NULL,
            account VARCHAR NOT NULL,
            post_id VARCHAR NOT NULL,
            published_at TIMESTAMP,
            post_type VARCHAR,
            text VARCHAR,
            permalink VARCHAR,
            labels VARCHAR,
            is_current BOOLEAN NOT NULL
        )""",
        """CREATE TABLE rejects (
            load_id INTEGER NOT NULL,
            row INTEGER,
            "column" VARCHAR,
            message VARCHAR NOT NULL
        )""",
        """CREATE TABLE fetch_state (
            source VARCHAR PRIMARY KEY,    -- a configured API source
            last_day DATE,                 -- the newest day loaded from it
            fetched_at TIMESTAMP
        )""",
        """CREATE VIEW metric_values AS
            SELECT o.period_start AS day, o.period_end, o.channel, o.account, o.metric,
                   o.grain, o.dimension, o.item, o.value, o.currency,
                   l.source, o.source_row, l.format, l.loaded_at, o.load_id
            FROM observations o JOIN loads l USING (load_id)
            WHERE o.is_current""",
    ],
    # The PRIMARY KEY index on loads cost a new 256 KB block at every checkpoint (DuckDB 1.4's
    # index storage): the file grew by 256 KB per small load. load_id comes from a sequence, so
    # the table keeps its ids unique without an index.
    [
        "ALTER TABLE loads RENAME TO loads_with_index",
        """CREATE TABLE loads (
            load_id INTEGER NOT NULL, source VARCHAR NOT NULL, sha256 VARCHAR,
            format VARCHAR, platform VARCHAR, channel VARCHAR, grain VARCHAR, account VARCHAR,
            command VARCHAR, loaded_at TIMESTAMP NOT NULL, rows_read INTEGER DEFAULT 0,
            inserted INTEGER DEFAULT 0, updated INTEGER DEFAULT 0, unchanged INTEGER DEFAULT 0,
            skipped INTEGER DEFAULT 0, rejected INTEGER DEFAULT 0, first_day DATE,
            last_day DATE, status VARCHAR NOT NULL, removed_at TIMESTAMP
        )""",
        "INSERT INTO loads SELECT * FROM loads_with_index",
        "DROP TABLE loads_with_index",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)

# How long a command or page waits for another writer before giving up: minutes, so that a
# scheduled fetch or a colleague's upload waits its turn (`--lock-wait`, SOSTAC_LOCK_WAIT).
LOCK_WAIT_SECONDS = float(os.environ.get("SOSTAC_LOCK_WAIT", "600"))

# Told (seconds waited so far, seconds it will wait) while the file is held by another
# process: the CLI prints a line, a page shows progress. Set with `lock_wait_reported`.
LockWaitReport = Callable[[float, float], None]
_lock_wait_report: ContextVar[LockWaitReport | None] = ContextVar("lock_wait", default=None)


@contextmanager
def lock_wait_reported(report: LockWaitReport) -> Iterator[None]:
    """Within the block, `report(waited, limit)` is called about once a second of waiting."""
    token = _lock_wait_report.set(report)
    try:
        yield
    finally:
        _lock_wait_report.reset(token)


def default_db_path() -> Path:
    """The database path: SOSTAC_DB, else data/sostac.duckdb."""
    return Path(os.environ.get("SOSTAC_DB") or DEFAULT_DB)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def _open_with_retry(path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    started = time.monotonic()
    deadline, reported = started + wait_seconds, started - 1.0
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise SostacError(
                    f"Could not open the database {path}: {exc}",
                    hint="Check that the path points to a DuckDB file made by sostac-control.",
                ) from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"The database {path} is in use by another program "
                    f"(waited {wait_seconds:.0f} s for it).",
                    hint="Another sostac-control command may be loading data; try again when "
                    "it has finished, or wait longer with --lock-wait SECONDS (or "
                    "SOSTAC_LOCK_WAIT). A DuckDB client (a notebook, the duckdb shell) that "
                    "keeps the file open must close it first.",
                ) from exc
            report = _lock_wait_report.get()
            if report is not None and time.monotonic() - reported >= 1.0:
                reported = time.monotonic()
                report(reported - started, wait_seconds)
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the schema up to SCHEMA_VERSION; returns the version the file had before."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    before = 0
    if has_table and has_table[0]:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
        before = int(row[0]) if row and row[0] is not None else 0
    if before > SCHEMA_VERSION:
        raise SostacError(
            f"The database was made by a newer sostac-control (schema {before}, "
            f"this one knows up to {SCHEMA_VERSION}).",
            hint="Upgrade sostac-control, or point --db at another file.",
        )
    for version in range(before, SCHEMA_VERSION):
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in MIGRATIONS[version]:
                con.execute(statement)
            con.execute("UPDATE schema_version SET version = ?", [version + 1])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return before


@contextmanager
def connect(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    wait_seconds: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one unit of work, closed afterwards; retries while another holds the lock.

    A write connection creates the file and migrates the schema as needed. A read-only
    connection on a missing file raises a SostacError that says how to create one.
    """
    db = Path(path) if path is not None else default_db_path()
    wait = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    if read_only and not db.exists():
        raise SostacError(
            f"There is no database at {db} yet.",
            hint="Load data with `sostac-control ingest FILE...` or create the demo workspace "
            "with `sostac-control demo`.",
        )
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    con = _open_with_retry(db, read_only, wait)
    try:
        if not read_only:
            migrate(con)
        else:
            _check_readable_schema(con, db)
        yield con
    finally:
        con.close()


def _check_readable_schema(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.Error as exc:
        raise SostacError(
            f"{db} is not a sostac-control database.",
            hint="Point --db (or SOSTAC_DB) at the file sostac-control made.",
        ) from exc
    version = int(row[0]) if row and row[0] is not None else 0
    if version < SCHEMA_VERSION:
        # Old file opened read-only: upgrade it once through a short write connection.
        con.close()
        with connect(db, read_only=False):
            pass
        raise _SchemaUpgraded()


class _SchemaUpgraded(Exception):
    """Internal: a read-only open found an old schema and upgraded it; open again."""


@contextmanager
def reader(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection (upgrading an old schema first); the dashboard's way in."""
    try:
        with connect(path, read_only=True) as con:
            yield con
            return
    except _SchemaUpgraded:
        pass
    with connect(path, read_only=True) as con:
        yield con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT, or ROLLBACK on any error so a failed write leaves the file as it was."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@dataclass
class MergeCounts:
    """What a merge did: rows new to the store, rows that replaced a different value, same."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # rows of the same key within one batch; the last one wins


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
) -> int:
    """Record a new load (inside the caller's transaction) and return its id."""
    row = con.execute(
        """INSERT INTO loads (load_id, source, sha256, format, platform, channel, grain,
                              account, command, loaded_at, status)
           VALUES (nextval('load_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded')
           RETURNING load_id""",
        [source, sha256, format, platform, channel, grain, account, command, datetime.now()],
    ).fetchone()
    assert row is not None
    return int(row[0])


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


def _key_match(left: str, right: str, key: tuple[str, ...]) -> str:
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
            LEFT JOIN ({current}) o ON {_key_match("o", "b", OBSERVATION_KEY)}""",
            scope,
        )
    else:
        con.execute(
            f"""CREATE TEMP TABLE _merge AS
            SELECT *, NULL::DOUBLE AS old_value FROM ({batch})"""
        )
    row = con.execute(
        """SELECT
             count(*) FILTER (WHERE old_value IS NULL),
             count(*) FILTER (WHERE old_value IS NOT NULL
                              AND abs(old_value - value) > 1e-9 * greatest(1, abs(value))),
             count(*) FILTER (WHERE old_value IS NOT NULL
                              AND abs(old_value - value) <= 1e-9 * greatest(1, abs(value))),
             count(*)
           FROM _merge"""
    ).fetchone()
    assert row is not None
    counts = MergeCounts(int(row[0]), int(row[1]), int(row[2]), int(batch_rows) - int(row[3]))
    if counts.updated:
        con.execute(
            f"""UPDATE observations SET is_current = false
            FROM _merge m
            WHERE observations.is_current AND {_key_match("observations", "m", OBSERVATION_KEY)}
              AND m.old_value IS NOT NULL
              AND abs(m.old_value - m.value) > 1e-9 * greatest(1, abs(m.value))"""
        )
    if counts.inserted or counts.updated:
        con.execute(
            f"""INSERT INTO observations
                (load_id, source_row, {key}, value, currency, is_current)
            SELECT ?, source_row, {key}, value, currency, true
            FROM _merge
            WHERE old_value IS NULL
               OR abs(old_value - value) > 1e-9 * greatest(1, abs(value))""",
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
        WHERE posts.is_current AND {_key_match("posts", "m", POST_KEY)}
          AND EXISTS (SELECT 1 FROM posts p WHERE p.is_current
                      AND {_key_match("p", "m", POST_KEY)} AND ({changed}))"""
    )
    row = con.execute(
        f"""INSERT INTO posts (load_id, {key}, {values}, is_current)
        SELECT ?, {key}, {values}, true FROM _merge_posts m
        WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.is_current
                          AND {_key_match("p", "m", POST_KEY)})
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
        WHERE {_key_match(table, "newest", key)} AND {table}.load_id = newest.load_id"""
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


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes with every load or removal: the key for caches of query results."""
    row = con.execute(
        "SELECT count(*), coalesce(max(load_id), 0), count(removed_at) FROM loads"
    ).fetchone()
    assert row is not None
    return f"{row[0]}-{row[1]}-{row[2]}"
