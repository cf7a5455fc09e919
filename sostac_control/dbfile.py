"""Where the database file is and how long to wait for it: settings only, no heavy imports.

The command line reads these before it knows which command runs (`--help` must stay fast), so
this module imports nothing but the standard library. The store's connections read them.
May import: nothing of the package.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DEFAULT_DB = Path("data/sostac.duckdb")
# How long a command or page waits for another writer before giving up: minutes, so that a
# scheduled fetch or a colleague's upload waits its turn (`--lock-wait`, SOSTAC_LOCK_WAIT).
LOCK_WAIT_SECONDS = float(os.environ.get("SOSTAC_LOCK_WAIT", "600"))

# Told (seconds waited so far, seconds it will wait) while the file is held by another
# process: the CLI prints a line, a page shows progress. Set with `lock_wait_reported`.
LockWaitReport = Callable[[float, float], None]
_lock_wait_report: ContextVar[LockWaitReport | None] = ContextVar("lock_wait", default=None)


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
