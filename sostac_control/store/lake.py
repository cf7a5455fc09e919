"""DuckLake with a PostgreSQL catalog: a store that several processes write at once.

The extensions come from the pinned PyPI packages `duckdb-ext-ducklake` and
`duckdb-ext-postgres` (built for the pinned DuckDB) and are loaded from their install folder:
nothing is downloaded at run time. A connection is an in-memory DuckDB with the lake attached
as catalog LAKE and made the default, so the store's SQL runs unchanged on both backends.

DuckLake has no sequences and no PRIMARY KEY/UNIQUE constraints, and two transactions that
only insert never conflict. So every write transaction also updates the one row of
`store_clock`: two writers at once then touch the same data file, the second COMMIT fails with
a conflict, and `retry_conflicts` runs its whole unit of work again. Load ids are max + 1 inside
that serialised transaction.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import duckdb

from sostac_control.dbfile import LakeStore
from sostac_control.errors import SostacError, StoreUnusableError
from sostac_control.i18n import _

LAKE = "sostac_lake"  # the attached catalog's name in every connection
PACKAGES = {"postgres_scanner": "duckdb-ext-postgres", "ducklake": "duckdb-ext-ducklake"}
# How long a writer keeps retrying after conflicts before it gives up (seconds).
CONFLICT_RETRY_SECONDS = 600.0

T = TypeVar("T")


def extension_file(name: str) -> Path:
    """The `.duckdb_extension` binary that a pinned PyPI package installed for this DuckDB."""
    package = PACKAGES[name]
    try:
        files = metadata.files(package) or []
    except metadata.PackageNotFoundError:
        files = []
    wanted = f"v{duckdb.__version__}/"
    for file in files:
        text = str(file)
        if text.endswith(f"/{name}.duckdb_extension") and wanted in text:
            return Path(str(file.locate()))
    raise StoreUnusableError(
        _("The DuckDB extension {name} for DuckDB {version} is not installed.").format(
            name=name, version=duckdb.__version__
        ),
        hint=_(
            "Install the pinned package: pip install -c constraints.txt {package} "
            "(`make install` does). Nothing is downloaded at run time."
        ).format(package=package),
    )


def open_lake(ref: LakeStore, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached and in use. Loading the two extensions and
    attaching costs about two seconds, so a process does it once per store and hands out
    cursors (their own connections to that in-memory database, each with its own
    transactions). `read_only` readers simply do not write."""
    del read_only
    with _roots_lock:
        root = _roots.get(ref)
        if root is None:
            root = _roots[ref] = _attach_root(ref)
        con = root.cursor()
    con.execute(f"USE {LAKE}")
    return con


_roots: dict[LakeStore, duckdb.DuckDBPyConnection] = {}
_roots_lock = threading.Lock()


def close_lake(ref: LakeStore) -> None:
    """Detach a store this process opened (its catalog connections close)."""
    with _roots_lock:
        root = _roots.pop(ref, None)
    if root is not None:
        root.close()


def _attach_root(ref: LakeStore) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    try:
        for name in PACKAGES:
            con.execute(f"LOAD '{extension_file(name)}'")
        con.execute(
            f"ATTACH 'ducklake:postgres:{_quoted(ref.catalog)}' AS {LAKE} "
            f"(DATA_PATH '{_quoted(ref.data_path)}')"
        )
    except duckdb.Error as exc:
        con.close()
        raise StoreUnusableError(
            _("Could not open the DuckLake store {store}: {reason}").format(
                store=ref, reason=str(exc).splitlines()[0]
            ),
            hint=_(
                "Check the workspace's catalog (a PostgreSQL DSN the server accepts: host, "
                "port, dbname, user) and that its data_path folder is reachable."
            ),
        ) from exc
    return con


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this connection works on a DuckLake store (else on a DuckDB file)."""
    row = con.execute("SELECT current_database()").fetchone()
    return bool(row and row[0] == LAKE)


def is_conflict(exc: BaseException) -> bool:
    """A DuckLake commit that lost against another writer's (worth running again)."""
    text = str(exc)
    return isinstance(exc, duckdb.Error) and (
        "Transaction conflict" in text or "Failed to commit DuckLake" in text
    )


def retry_conflicts(work: Callable[[], T], *, seconds: float | None = None) -> T:
    """work() again, with jittered backoff, while its DuckLake commit conflicts with another
    writer's; every try is a whole unit of work (open, transaction, commit), so nothing is lost
    or doubled. On a DuckDB file nothing conflicts and work() runs once."""
    limit = CONFLICT_RETRY_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + limit
    delay = 0.05
    while True:
        try:
            return work()
        except duckdb.Error as exc:
            if not is_conflict(exc):
                raise
            if time.monotonic() >= deadline:
                raise SostacError(
                    _(
                        "Other writers kept changing the DuckLake store for {limit} s; this "
                        "change was not saved."
                    ).format(limit=f"{limit:.0f}"),
                    hint=_("Try again when the other loads have finished."),
                ) from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 2.0)


def tick_clock(con: duckdb.DuckDBPyConnection) -> None:
    """Inside a write transaction on DuckLake: make a concurrent writer's commit conflict."""
    con.execute("UPDATE store_clock SET writes = writes + 1")


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next load id on DuckLake (no sequences): safe because writers are serialised."""
    row = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()
    return int(row[0]) if row else 1


def _quoted(text: str) -> str:
    return text.replace("'", "''")
