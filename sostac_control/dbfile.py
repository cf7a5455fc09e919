"""Where the database file is and how long to wait for it: settings only, no heavy imports.

The command line reads these before it knows which command runs (`--help` must stay fast), so
this module imports nothing but the standard library. The store's connections read them.
May import: nothing of the package.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data/sostac.duckdb")


@dataclass(frozen=True)
class LakeStore:
    """A workspace's data in DuckLake: a PostgreSQL catalog and a folder for the data files.

    Several processes read and write it at once (the DuckDB file allows one writer).
    """

    catalog: str  # a libpq DSN: "host=db.example port=5432 dbname=acme user=sostac"
    data_path: str  # a shared folder (or s3://bucket/prefix/) for the Parquet files

    def __str__(self) -> str:
        shown = " ".join(p for p in self.catalog.split() if not p.startswith("password="))
        return f"DuckLake {self.data_path} (catalog {shown})"


# Where a workspace's data lives: a DuckDB file, or a DuckLake store.
StoreRef = Path | LakeStore


def store_ref(db: StoreRef | str | None) -> StoreRef:
    """A store given as a path, a path's text, a DuckLake store, or None (the default file)."""
    if isinstance(db, LakeStore):
        return db
    return Path(db) if db is not None else default_db_path()


def store_exists(ref: StoreRef) -> bool:
    """A DuckDB file that exists; a DuckLake store always counts (its catalog says more)."""
    return isinstance(ref, LakeStore) or ref.exists()


# How long a command or page waits for another writer before giving up: minutes, so that a
# scheduled fetch or a colleague's upload waits its turn (`--lock-wait`, SOSTAC_LOCK_WAIT).
LOCK_WAIT_SECONDS = float(os.environ.get("SOSTAC_LOCK_WAIT", "600"))

# Told (seconds waited so far, seconds it will wait) while the file is held by another
# process: the CLI prints a line, a page shows progress. Set with `lock_wait_reported`.
LockWaitReport = Callable[[float, float], None]
_lock_wait_report: ContextVar[LockWaitReport | None] = ContextVar("lock_wait", default=None)
# Who does what the store records (loads, undo, plan edits, alert changes): the signed-in
# user's e-mail in the dashboard, else the local user (see `acting_as`).
_actor: ContextVar[str | None] = ContextVar("actor", default=None)


def set_lock_wait_seconds(seconds: float) -> None:
    """How long connections wait from now on (`--lock-wait`)."""
    global LOCK_WAIT_SECONDS
    LOCK_WAIT_SECONDS = seconds


def lock_wait_seconds() -> float:
    """How long connections wait now."""
    return LOCK_WAIT_SECONDS


def lock_wait_report() -> LockWaitReport | None:
    """Who is told about a wait in the current context, if anyone."""
    return _lock_wait_report.get()


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


def current_actor() -> str:
    """Who the store records as doing the current work: the signed-in user set by
    `acting_as`, else SOSTAC_ACTOR, else "local:" and the operating system's user name."""
    actor = _actor.get() or os.environ.get("SOSTAC_ACTOR")
    if actor:
        return actor
    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):
        return "local"


@contextmanager
def acting_as(actor: str | None) -> Iterator[None]:
    """Within the block, loads, undo and changes are recorded as done by `actor`."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)
