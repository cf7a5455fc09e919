"""Streamlit caches keyed by the data: query results per data version, the plan per file time.

Every committed load changes the database file or its write-ahead log; the data version is read
again only then, and every cached query result carries it in its key, so a cached result never
outlives the data it came from.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import duckdb
import streamlit as st

from sostac_control import store
from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.errors import SostacError
from sostac_control.i18n import current_language, use_language
from sostac_control.plan.load import load_plan
from sostac_control.plan.model import Plan
from sostac_control.ui.workspace import workspace

P = ParamSpec("P")
R = TypeVar("R")


def data_version(db: StoreRef) -> str:
    """A cache key that changes with every load; '' when there is no database yet.

    Every committed write changes the database file or its write-ahead log, so the file is
    opened only when their size or time changes, not on every call of every script run. A
    DuckLake store has no such file: its version is read on every call (one short query).
    """
    if isinstance(db, LakeStore):
        try:
            with store.reader(db) as con:
                return store.data_version(con)
        except SostacError:  # no data in the lake yet
            return ""
    if not db.exists():
        return ""
    return _data_version(str(db), _file_stamp(db))


def _file_stamp(db: Path) -> tuple[tuple[int, int] | None, ...]:
    stamps: list[tuple[int, int] | None] = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            stamps.append(None)
            continue
        stamps.append((stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


@st.cache_data(max_entries=16, show_spinner=False)
def _data_version(db: str, stamp: tuple[tuple[int, int] | None, ...]) -> str:
    with store.reader(db) as con:
        return store.data_version(con)


def query(
    func: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """func(con, *args) on a short read-only connection, cached per database and data version.

    func must be a module-level function of sostac_control; every load changes the data
    version, so a cached result never outlives the data it came from. The page gets func's
    return type.
    """
    ws = workspace()
    version = data_version(ws.db)
    result: R = _cached_query(
        func.__module__,
        func.__qualname__,
        ws.db,
        version,
        args,
        tuple(kwargs.items()),
        current_language(),
    )
    return result


@st.cache_data(max_entries=128, show_spinner=False)
def _cached_query(
    module: str,
    name: str,
    db: StoreRef,
    version: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...] = (),
    language: str = "en",  # results hold words and formatted figures: one entry per language
) -> Any:
    func = getattr(importlib.import_module(module), name)
    with use_language(language), store.reader(db) as con:
        return func(con, *args, **dict(kwargs))


def cached_plan(path: Path) -> Plan:
    """The plan in `path`, read again only when the file changed (PlanError when unusable;
    its problems are in the current language)."""
    return _cached_plan(str(path), path.stat().st_mtime, current_language())


@st.cache_data(max_entries=8, show_spinner=False)
def _cached_plan(path: str, mtime: float, language: str) -> Plan:
    with use_language(language):
        return load_plan(path)
