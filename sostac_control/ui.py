"""The only Streamlit glue in the package: workspace settings, caching, shared widgets.

Pages import from here; the rest of the package never imports Streamlit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from sostac_control import store
from sostac_control.errors import SostacError


@dataclass(frozen=True)
class Workspace:
    """Which plan file and which database the dashboard shows."""

    db: Path
    plan: Path


def workspace() -> Workspace:
    """The workspace from the environment (SOSTAC_DB, SOSTAC_PLAN) or the defaults."""
    return Workspace(
        db=Path(os.environ.get("SOSTAC_DB") or store.DEFAULT_DB),
        plan=Path(os.environ.get("SOSTAC_PLAN") or "data/plan.yaml"),
    )


def data_version(db: Path) -> str:
    """A cache key that changes with every load; '' when there is no database yet."""
    if not db.exists():
        return ""
    with store.reader(db) as con:
        return store.data_version(con)


def show_error(exc: SostacError) -> None:
    """A product error at a page's edge: message, hint and the table of problems."""
    st.error(exc.message)
    if exc.hint:
        st.info(exc.hint)
    if exc.problems:
        st.dataframe(
            [p.as_dict() for p in exc.problems], hide_index=True, use_container_width=True
        )


@dataclass(frozen=True)
class Filters:
    """The sidebar's global filters: a period and a set of channels (empty means all)."""

    start: date
    end: date
    channels: tuple[str, ...]


def get_filters() -> Filters | None:
    """The global filters set in the sidebar by app.py (None before the sidebar ran)."""
    value: Any = st.session_state.get("sostac_filters")
    return value if isinstance(value, Filters) else None


def sidebar() -> None:
    """The workspace (plan, database, last load) and the global filters."""
    ws = workspace()
    with st.sidebar:
        st.caption(f"Plan: `{ws.plan}`  \nDatabase: `{ws.db}`")
