"""The sidebar: the global filters (period, channels) and the workspace (plan, database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import streamlit as st

from sostac_control import store
from sostac_control.catalog import CHANNEL_LABELS, CHANNELS
from sostac_control.errors import SostacError
from sostac_control.ui.caching import cached_plan, data_version, query
from sostac_control.ui.workspace import shown_path, workspace
from sostac_control.views.period import PERIOD_PRESETS, preset_period


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


def workspace_facts() -> store.WorkspaceFacts:
    """The facts about the workspace's database (empty when there is none yet)."""
    if not data_version(workspace().db):
        return store.WorkspaceFacts()
    return query(store.workspace_facts)


def page_period(default_days: int = 28) -> tuple[date, date, tuple[str, ...]]:
    """(start, end, channels) from the sidebar's filters, else the last `default_days` days
    up to the last day with data (never after today); channels () means all."""
    filters = get_filters()
    if filters is not None:
        return filters.start, filters.end, tuple(filters.channels)
    last = query(store.last_data_day) if data_version(workspace().db) else None
    end = min(last, date.today()) if last else date.today()
    return end - timedelta(days=default_days - 1), end, ()


def as_of_day() -> date:
    """The day the status is judged on: the end of the sidebar's period, else today."""
    filters = get_filters()
    return filters.end if filters is not None else date.today()


def _plan_name(path: Path) -> str:
    if not path.exists():
        return ""
    try:
        return cached_plan(path).name
    except SostacError:
        return ""


def sidebar() -> None:
    """The workspace (plan, database, last load) and the global filters (period, channels)."""
    ws = workspace()
    try:
        facts = workspace_facts()
    except SostacError as exc:
        facts = store.WorkspaceFacts()
        st.sidebar.error(exc.message)
    with st.sidebar:
        st.markdown("### Filters")
        anchor = min(facts.last_day, date.today()) if facts.last_day else date.today()
        preset = st.selectbox(
            "Period",
            PERIOD_PRESETS,
            index=1,
            key="sostac_period_preset",
            help="Counted back from the last day with data "
            f"({anchor:%d %b %Y}); Custom picks any two days.",
        )
        if preset == "Custom":
            default_start, default_end = preset_period("Last 4 weeks", anchor)
            start = st.date_input("From", value=default_start, key="sostac_period_start")
            end = st.date_input("To", value=default_end, key="sostac_period_end")
            if start > end:
                st.warning("*From* is after *To*; the two days were swapped.")
                start, end = end, start
        else:
            start, end = preset_period(preset, anchor)
            st.caption(f"{start:%d %b %Y} – {end:%d %b %Y}")
        options = list(facts.channels) or list(CHANNELS)
        channels = st.multiselect(
            "Channels",
            options,
            key="sostac_channels",
            format_func=lambda c: CHANNEL_LABELS.get(c, c),
            placeholder="All channels",
        )
        st.session_state["sostac_filters"] = Filters(start, end, tuple(channels))

        st.markdown("### Workspace")
        plan_name = _plan_name(ws.plan)
        if plan_name:
            st.markdown(f"**{plan_name}**")
        plan_state = "" if ws.plan.exists() else " (missing)"
        st.caption(
            f"Plan `{shown_path(ws.plan)}`{plan_state}  \nDatabase `{shown_path(ws.db)}`",
            help=f"Plan: {ws.plan.resolve()}  \nDatabase: {ws.db.resolve()}  \n"
            "Set SOSTAC_PLAN and SOSTAC_DB (or pass --plan and --db to the CLI) to show "
            "another plan or database.",
        )
        if facts.last_loaded_at is not None:
            st.caption(
                f"Last load: {facts.last_loaded_at:%d %b %Y %H:%M}  \n"
                f"Data from {facts.first_day:%d %b %Y} to {facts.last_day:%d %b %Y}",
                help=f"The last file loaded: {facts.last_source}",
            )
        else:
            st.caption("No data loaded yet: `sostac-control demo` or the Data page.")
