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
from sostac_control.i18n import _, bound, date_short, date_time
from sostac_control.ui.caching import cached_plan, data_version, query
from sostac_control.ui.language import language_picker
from sostac_control.ui.workspace import (
    choose_workspace,
    shown_path,
    signed_in_email,
    who_line,
    workspace,
)
from sostac_control.views.period import (
    DEFAULT_PRESET,
    PERIOD_PRESETS,
    period_label,
    preset_period,
)


@dataclass(frozen=True)
class Filters:
    """The sidebar's global filters: a period and a set of channels (empty means all)."""

    start: date
    end: date
    channels: tuple[str, ...]
    as_of: date | None = None  # the status day: today unless chosen


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
    up to the status day; channels () means all."""
    filters = get_filters()
    if filters is not None:
        return filters.start, filters.end, tuple(filters.channels)
    end = as_of_day()
    return end - timedelta(days=default_days - 1), end, ()


def as_of_day() -> date:
    """The day the status is judged on: today, or the as-of day chosen in the sidebar.

    Never moved by a period preset or by the newest day in a file.
    """
    filters = get_filters()
    return filters.as_of if filters is not None and filters.as_of else date.today()


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
        language_picker()
        st.markdown("### " + _("Filters"))
        anchor = st.date_input(
            _("Status on"),
            value=date.today(),
            key="sostac_as_of",
            format="DD/MM/YYYY",
            help=_(
                "The day every status is judged on: today, or a day in the past to see how "
                "things stood then. Periods below count back from it."
            ),
        )
        preset = st.selectbox(
            _("Period"),
            PERIOD_PRESETS,
            index=PERIOD_PRESETS.index(DEFAULT_PRESET),
            key="sostac_period_preset",
            format_func=bound(_),
            help=_(
                "Counted back from the status day ({day}); weeks run Monday to Sunday (ISO week "
                "numbers); Custom picks any two days."
            ).format(day=date_short(anchor)),
        )
        if preset == "Custom":
            default_start, default_end = preset_period("Last 4 weeks", anchor)
            start = st.date_input(_("From"), value=default_start, key="sostac_period_start")
            end = st.date_input(_("To"), value=default_end, key="sostac_period_end")
            if start > end:
                st.warning(_("*From* is after *To*; the two days were swapped."))
                start, end = end, start
        else:
            start, end = preset_period(preset, anchor)
            st.caption(period_label(start, end))
        options = list(facts.channels) or list(CHANNELS)
        channels = st.multiselect(
            _("Channels"),
            options,
            key="sostac_channels",
            format_func=bound(lambda c: CHANNEL_LABELS.get(c, c)),
            placeholder=_("All channels"),
        )
        st.session_state["sostac_filters"] = Filters(start, end, tuple(channels), anchor)
        if facts.last_day is not None and facts.last_day < anchor - timedelta(days=6):
            st.caption(_("The newest data is from {day}.").format(day=date_short(facts.last_day)))

        st.markdown("### " + _("Workspace"))
        choose_workspace()
        plan_name = _plan_name(ws.plan)
        if plan_name:
            st.markdown(f"**{plan_name}**")
        plan_state = "" if ws.plan.exists() else " " + _("(missing)")
        where = ws.db.resolve() if isinstance(ws.db, Path) else ws.db
        st.caption(
            _("Plan `{plan}`{state}  \nDatabase `{db}`").format(
                plan=shown_path(ws.plan), state=plan_state, db=shown_path(ws.db)
            ),
            help=_(
                "Plan: {plan}  \nDatabase: {db}  \nSet SOSTAC_PLAN and SOSTAC_DB (or pass "
                "--plan and --db to the CLI) to show another plan or database; a workspace "
                "registry serves many."
            ).format(plan=ws.plan.resolve(), db=where),
        )
        if facts.last_loaded_at is not None:
            st.caption(
                _("Last load: {moment}  \nData from {first} to {last}").format(
                    moment=date_time(facts.last_loaded_at),
                    first=date_short(facts.first_day) if facts.first_day else "—",
                    last=date_short(facts.last_day) if facts.last_day else "—",
                ),
                help=_("The last file loaded: {file}").format(file=facts.last_source),
            )
        else:
            st.caption(_("No data loaded yet: `sostac-control demo` or the Data page."))
        st.caption(who_line())
        if signed_in_email():
            st.button(_("Sign out"), key="sostac_sign_out", on_click=st.logout)
