"""Copy a workspace's whole store to another backend: a DuckDB file ⇄ DuckLake.

Every table is copied as it is (loads with their statements, so versions and undo keep
working; the ingest log, rejects, fetch state, the sent-alert log, refusals, changes), in one
transaction on the target, and then the totals of both are compared; the copy is refused (and
the target left empty) when anything differs. The target must be empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.errors import SostacError
from sostac_control.i18n import _
from sostac_control.store import lake
from sostac_control.store.connect import connect, transaction

# What a store holds, in the order it is copied (a load before what refers to it).
TABLES = (
    "loads",
    "statements",
    "observations",
    "posts",
    "rejects",
    "fetch_state",
    "alert_log",
    "refused_files",
    "changes",
)
SOURCE = "copy_source"


@dataclass
class CopyReport:
    """What was copied: rows per table, and the totals checked on both sides."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)


def totals(con: duckdb.DuckDBPyConnection, prefix: str = "") -> dict[str, float]:
    """Rows per table and the sums that must survive a copy (values stated and current)."""
    found: dict[str, float] = {}
    for table in TABLES:
        row = con.execute(f"SELECT count(*) FROM {prefix}{table}").fetchone()
        found[f"{table} rows"] = float(row[0]) if row else 0.0
    for table in ("statements", "observations"):
        row = con.execute(f"SELECT coalesce(sum(value), 0) FROM {prefix}{table}").fetchone()
        found[f"{table} value sum"] = round(float(row[0]) if row else 0.0, 6)
    row = con.execute(f"SELECT coalesce(sum(load_id), 0) FROM {prefix}loads").fetchone()
    found["load ids sum"] = float(row[0]) if row else 0.0
    return found


def copy_store(source: StoreRef, target: StoreRef) -> CopyReport:
    """Copy everything in `source` into the empty `target`; raises SostacError when the
    target holds data or the totals differ after the copy (nothing is then kept)."""
    with connect(source):  # brings the source's schema up to date first
        pass
    report = CopyReport(str(source), str(target))
    with connect(target) as con:
        row = con.execute("SELECT count(*) FROM loads").fetchone()
        if row and row[0]:
            raise SostacError(
                _(
                    "{target} already holds {n} loads; a workspace moves into an empty store."
                ).format(target=target, n=row[0]),
                hint=_("Give a new DuckDB file, or an empty PostgreSQL database and data path."),
            )
        _attach(con, source)
        try:
            expected = totals(con, f"{SOURCE}.")
            with transaction(con):
                for table in TABLES:
                    con.execute(f"DELETE FROM {table}")  # an empty store may hold a refusal
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {SOURCE}.{table}")
                if not lake.is_lake(con):  # new loads in the file continue after the copied ids
                    top = con.execute("SELECT coalesce(max(load_id), 0) FROM loads").fetchone()
                    start = int(top[0]) + 1 if top else 1
                    con.execute(f"CREATE OR REPLACE SEQUENCE load_id_seq START {start}")
                found = totals(con)
                if found != expected:
                    differ = {
                        k: (v, found.get(k)) for k, v in expected.items() if found.get(k) != v
                    }
                    raise SostacError(
                        _(
                            "The copy of {source} into {target} does not add up "
                            "(expected, found): {differ}."
                        ).format(source=source, target=target, differ=differ),
                        hint=_(
                            "Nothing was kept in the target; the workspace still uses its "
                            "old store. Report this with the numbers above."
                        ),
                    )
        finally:
            con.execute(f"DETACH {SOURCE}")
    report.totals = expected
    report.rows = {k[: -len(" rows")]: int(v) for k, v in expected.items() if k.endswith(" rows")}
    return report


def _attach(con: duckdb.DuckDBPyConnection, source: StoreRef) -> None:
    if isinstance(source, LakeStore):
        for name in lake.PACKAGES:
            con.execute(f"LOAD '{lake.extension_file(name)}'")
        con.execute(
            f"ATTACH 'ducklake:postgres:{source.catalog.replace(chr(39), chr(39) * 2)}' AS "
            f"{SOURCE} (DATA_PATH '{source.data_path.replace(chr(39), chr(39) * 2)}', READ_ONLY)"
        )
    else:
        path = str(Path(source)).replace("'", "''")
        con.execute(f"ATTACH '{path}' AS {SOURCE} (READ_ONLY)")
