"""Short-lived connections to the DuckDB file, with lock retry and schema upgrade.

Every unit of work opens the file, does its work and closes it again, so that the dashboard
never holds the file between script runs and `ingest` from a terminal still works while the
dashboard is open (DuckDB allows one writing process). Writes happen inside one transaction.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sostac_control import dbfile
from sostac_control.dbfile import DEFAULT_DB as DEFAULT_DB
from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.dbfile import LockWaitReport as LockWaitReport
from sostac_control.dbfile import default_db_path as default_db_path
from sostac_control.dbfile import lock_wait_reported as lock_wait_reported
from sostac_control.dbfile import set_lock_wait_seconds as set_lock_wait_seconds
from sostac_control.errors import SostacError, StoreLockedError, StoreUnusableError
from sostac_control.i18n import _
from sostac_control.store import lake, schema

MEMORY_LIMIT = os.environ.get("SOSTAC_MEMORY_LIMIT", "768MB")


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
                raise StoreUnusableError(
                    _("Could not open the database {path}: {reason}").format(path=path, reason=exc),
                    hint=_("Check that the path points to a DuckDB file made by sostac-control."),
                ) from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    _(
                        "The database {path} is in use by another program (waited {waited} s "
                        "for it)."
                    ).format(path=path, waited=f"{wait_seconds:.0f}"),
                    hint=_(
                        "Another sostac-control command may be loading data; try again when "
                        "it has finished, or wait longer with --lock-wait SECONDS (or "
                        "SOSTAC_LOCK_WAIT). A DuckDB client (a notebook, the duckdb shell) that "
                        "keeps the file open must close it first."
                    ),
                ) from exc
            report = dbfile.lock_wait_report()
            if report is not None and time.monotonic() - reported >= 1.0:
                reported = time.monotonic()
                report(reported - started, wait_seconds)
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


@contextmanager
def connect(
    path: StoreRef | str | None = None,
    *,
    read_only: bool = False,
    wait_seconds: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one unit of work, closed afterwards; retries while another holds the lock.

    A write connection creates the file and migrates the schema as needed. A read-only
    connection on a missing file raises a SostacError that says how to create one. A
    DuckLake store (see lake.py) needs no lock: several processes write at once.
    """
    if isinstance(path, LakeStore):
        with _connect_lake(path, read_only) as con:
            yield con
        return
    db = Path(path) if path is not None else default_db_path()
    wait = dbfile.lock_wait_seconds() if wait_seconds is None else wait_seconds
    if read_only and not db.exists():
        raise SostacError(
            _("There is no database at {db} yet.").format(db=db),
            hint=_(
                "Load data with `sostac-control ingest FILE...` or create the demo workspace "
                "with `sostac-control demo`."
            ),
        )
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    con = _open_with_retry(db, read_only, wait)
    # DuckDB draws a progress bar on the terminal for long statements; a command's output
    # (and its --json document) must be ours alone.
    con.execute("SET enable_progress_bar = false")
    # A bound on DuckDB's own memory (it spills to a temporary file beyond it), so that a large
    # load stays within a laptop's means beside the dashboard.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    try:
        if not read_only:
            schema.migrate(con)
        else:
            _check_readable_schema(con, db)
        yield con
    finally:
        con.close()


# DuckLake stores whose schema this process brought up to date (a lake has no single file
# whose opening could check it cheaply; a newer schema from another process is refused by
# migrate's version check on the next process start).
_MIGRATED: set[LakeStore] = set()


@contextmanager
def _connect_lake(ref: LakeStore, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    if not read_only and ref not in _MIGRATED:  # retried while another process migrates it
        lake.retry_conflicts(lambda: _migrate_lake(ref))
        _MIGRATED.add(ref)
    con = lake.open_lake(ref, read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    try:
        if read_only:
            _check_readable_schema(con, ref)
        yield con
    finally:
        con.close()


def _migrate_lake(ref: LakeStore) -> None:
    con = lake.open_lake(ref, read_only=False)
    try:
        schema.migrate(con, lake=True)
    finally:
        con.close()


def _check_readable_schema(con: duckdb.DuckDBPyConnection, db: StoreRef) -> None:
    if isinstance(db, LakeStore) and not _has_schema(con):
        raise SostacError(
            _("There is no data in {db} yet.").format(db=db),
            hint=_(
                "Load data into the workspace with `sostac-control ingest --workspace NAME "
                "FILE...`, or move a workspace there with `sostac-control workspace move`."
            ),
        )
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.Error as exc:
        raise SostacError(
            _("{db} is not a sostac-control database.").format(db=db),
            hint=_("Point --db (or SOSTAC_DB) at the file sostac-control made."),
        ) from exc
    version = int(row[0]) if row and row[0] is not None else 0
    if version < schema.SCHEMA_VERSION:
        # Old file opened read-only: upgrade it once through a short write connection.
        con.close()
        with connect(db, read_only=False):
            pass
        raise _SchemaUpgraded()


def _has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    return bool(row and row[0])


class _SchemaUpgraded(Exception):
    """Internal: a read-only open found an old schema and upgraded it; open again."""


@contextmanager
def reader(path: StoreRef | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
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
    """BEGIN … COMMIT, or ROLLBACK on any error so a failed write leaves the file as it was.
    On DuckLake the COMMIT may fail on a conflict: run the unit again (`retry_conflicts`)."""
    con.execute("BEGIN TRANSACTION")
    try:
        if lake.is_lake(con):
            lake.tick_clock(con)  # a concurrent writer's commit now conflicts (lake.py)
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
