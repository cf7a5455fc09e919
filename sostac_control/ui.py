"""The only Streamlit glue in the package: workspace settings, caching, shared widgets.

Pages import from here; the rest of the package never imports Streamlit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from sostac_control import store
from sostac_control.errors import SostacError
from sostac_control.safe_export import csv_bytes


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
    """A cache key that changes with every load; '' when there is no database yet.

    Every committed write changes the database file or its write-ahead log, so the file is
    opened only when their size or time changes, not on every call of every script run.
    """
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


def show_error(exc: SostacError) -> None:
    """A product error at a page's edge: message, hint and the table of problems."""
    st.error(exc.message)
    if exc.hint:
        st.info(exc.hint)
    if exc.problems:
        st.dataframe([p.as_dict() for p in exc.problems], hide_index=True, use_container_width=True)


@contextmanager
def waiting_for_database(progress: Any = None) -> Iterator[None]:
    """While the block waits for another program's write, say so in a progress bar."""
    bar = progress if progress is not None else st.empty()

    def report(waited: float, limit: float) -> None:
        bar.progress(
            min(waited / limit, 1.0) if limit else 1.0,
            text=f"Waiting for the database: another program is writing to it ({waited:.0f} s "
            f"of at most {limit:.0f} s)…",
        )

    with store.lock_wait_reported(report):
        yield


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


PERIOD_PRESETS = ("Last 7 days", "Last 4 weeks", "This quarter", "Last quarter", "Custom")


def preset_period(preset: str, anchor: date) -> tuple[date, date]:
    """The days a period preset covers, counted back from `anchor` (the last day with data).

    "This quarter" runs from the quarter's first day up to the anchor, never into the future;
    "Last quarter" is the whole quarter before the anchor's.
    """
    if preset == "Last 7 days":
        return anchor - timedelta(days=6), anchor
    if preset == "Last 4 weeks":
        return anchor - timedelta(days=27), anchor
    quarter_start = date(anchor.year, 3 * ((anchor.month - 1) // 3) + 1, 1)
    if preset == "This quarter":
        return quarter_start, anchor
    if preset == "Last quarter":
        end = quarter_start - timedelta(days=1)
        return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    raise ValueError(f"unknown period preset {preset!r}")


@dataclass(frozen=True)
class WorkspaceFacts:
    """What the sidebar tells about the database: the last load and the data it holds."""

    last_loaded_at: datetime | None = None
    last_source: str = ""
    first_day: date | None = None
    last_day: date | None = None
    channels: tuple[str, ...] = ()


def _workspace_facts(con: Any) -> WorkspaceFacts:
    load = con.execute(
        "SELECT loaded_at, source FROM loads WHERE status = 'loaded' "
        "ORDER BY loaded_at DESC, load_id DESC LIMIT 1"
    ).fetchone()
    days = con.execute("SELECT min(day), max(period_end) FROM metric_values").fetchone()
    channels = con.execute("SELECT DISTINCT channel FROM metric_values ORDER BY 1").fetchall()
    return WorkspaceFacts(
        last_loaded_at=load[0] if load else None,
        last_source=load[1] if load else "",
        first_day=days[0] if days else None,
        last_day=days[1] if days else None,
        channels=tuple(row[0] for row in channels),
    )


def workspace_facts() -> WorkspaceFacts:
    """The facts about the workspace's database (empty when there is none yet)."""
    ws = workspace()
    version = data_version(ws.db)
    if not version:
        return WorkspaceFacts()
    facts: WorkspaceFacts = _cached_query(
        "sostac_control.ui", "_workspace_facts", str(ws.db), version, ()
    )
    return facts


def _plan_name(path: Path) -> str:
    if not path.exists():
        return ""
    try:
        return str(_cached_plan(str(path), path.stat().st_mtime).name)
    except SostacError:
        return ""


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it, else
    its folder and name (the sidebar is narrow; the full path is in the tooltip)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return f"…/{path.parent.name}/{path.name}" if path.parent.name else str(path)


def sidebar() -> None:
    """The workspace (plan, database, last load) and the global filters (period, channels)."""
    from sostac_control.catalog import CHANNEL_LABELS, CHANNELS

    ws = workspace()
    try:
        facts = workspace_facts()
    except SostacError as exc:
        facts = WorkspaceFacts()
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
            f"Plan `{_shown(ws.plan)}`{plan_state}  \nDatabase `{_shown(ws.db)}`",
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


# --- Widgets of the KPI pages (Overview, KPI detail, Channels, ROI, Content) ----------------

STATUS_COLORS = {
    "on_track": "green",
    "achieved": "green",
    "at_risk": "orange",
    "off_track": "red",
    "missed": "red",
    "too_early": "gray",
    "not_started": "gray",
    "no_data": "violet",
}


def status_text(status: str) -> str:
    """A status as a coloured chip in markdown: :green-badge[on track]."""
    color = STATUS_COLORS.get(status, "gray")
    return f":{color}-badge[{status.replace('_', ' ')}]"


def page_plan() -> Any:
    """The workspace's plan (sostac_control.plan.Plan), or None after saying how to get one."""
    path = workspace().plan
    if not path.exists():
        st.info(
            f"There is no plan at `{path}` yet. Write one with `sostac-control plan init`, "
            "or create the demo workspace with `sostac-control demo`."
        )
        return None
    try:
        return _cached_plan(str(path), path.stat().st_mtime)
    except SostacError as exc:
        show_error(exc)
        return None


@st.cache_data(max_entries=8, show_spinner=False)
def _cached_plan(path: str, mtime: float) -> Any:
    from sostac_control.plan import load_plan

    return load_plan(path)


def has_data() -> bool:
    """True when the database holds observations; else shows what to load and returns False."""
    ws = workspace()
    version = data_version(ws.db)
    count = (
        _cached_query("sostac_control.ui", "_observation_count", str(ws.db), version, ())
        if version
        else 0
    )
    if count:
        return True
    st.info(
        "No metrics loaded yet. Upload platform exports on the Data page or with "
        "`sostac-control ingest FILE...`, or create the demo workspace with "
        "`sostac-control demo`."
    )
    return False


def _observation_count(con: Any) -> int:
    row = con.execute("SELECT count(*) FROM observations WHERE is_current").fetchone()
    return int(row[0]) if row else 0


def _last_data_day(con: Any) -> date | None:
    row = con.execute("SELECT max(period_end) FROM observations WHERE is_current").fetchone()
    return row[0] if row else None


def query(func: Any, *args: Any) -> Any:
    """func(con, *args) on a short read-only connection, cached per database and data version.

    func must be a module-level function of sostac_control; every load changes the data
    version, so a cached result never outlives the data it came from.
    """
    ws = workspace()
    return _cached_query(func.__module__, func.__qualname__, str(ws.db), data_version(ws.db), args)


@st.cache_data(max_entries=128, show_spinner=False)
def _cached_query(module: str, name: str, db: str, version: str, args: tuple[Any, ...]) -> Any:
    import importlib

    func = getattr(importlib.import_module(module), name)
    with store.reader(db) as con:
        return func(con, *args)


def page_period(default_days: int = 28) -> tuple[date, date, tuple[str, ...]]:
    """(start, end, channels) from the sidebar's filters, else the last `default_days` days
    up to the last day with data (never after today); channels () means all."""
    filters = get_filters()
    if filters is not None:
        return filters.start, filters.end, tuple(filters.channels)
    from datetime import timedelta

    ws = workspace()
    last = _cached_query("sostac_control.ui", "_last_data_day", str(ws.db), data_version(ws.db), ())
    end = min(last, date.today()) if last else date.today()
    return end - timedelta(days=default_days - 1), end, ()


def as_of_day() -> date:
    """The day the status is judged on: the end of the sidebar's period, else today."""
    filters = get_filters()
    return filters.end if filters is not None else date.today()


def download_csv(data: Any, name: str, label: str = "Download CSV") -> None:
    """A download button for a chart's or table's data as CSV (no rerun on click); text
    that a spreadsheet would run as a formula is made inert (safe_export.py)."""
    st.download_button(
        label,
        csv_bytes(data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
        icon=":material/download:",
    )


MISSING = "—"  # a value the platform did not report


def styled_table(
    frame: pd.DataFrame, counts: Sequence[str] = (), percents: Sequence[str] = ()
) -> Styler:
    """A table for reading: counts with thousands separators, rates in %, "—" where missing.

    Counts become text: st.dataframe draws a missing number as "None" whatever its format.
    """
    frame = frame.copy()
    for column in (c for c in counts if c in frame.columns):
        frame[column] = [MISSING if pd.isna(v) else f"{v:,.0f}" for v in frame[column]]
    percents = [c for c in percents if c in frame.columns]
    styler = frame.style.format(na_rep=MISSING)
    if percents:
        styler = styler.format("{:.1%}", subset=percents, na_rep=MISSING)
    return styler


def styled_posts(posts: pd.DataFrame) -> Styler:
    """Posts for reading: a day-only publishing date without a made-up 00:00, no "unknown"."""
    styler = styled_table(
        posts,
        counts=("impressions", "reach", "engagements", "clicks"),
        percents=("engagement_rate",),
    )
    if "published_at" in posts.columns:
        timed = posts["has_time"].astype(bool) if "has_time" in posts.columns else True
        rows = pd.Series(timed, index=posts.index)
        with_time: Any = (rows[rows].index, ["published_at"])
        day_only: Any = (rows[~rows].index, ["published_at"])
        styler = styler.format("{:%d %b %Y %H:%M}", subset=with_time)
        styler = styler.format("{:%d %b %Y}", subset=day_only)
    if "post_type" in posts.columns:
        styler = styler.format(
            lambda v: MISSING if v in (None, "unknown") else str(v), subset=["post_type"]
        )
    return styler


def chart(figure: Any, data: Any, name: str) -> None:
    """A plotly chart with its data downloadable as CSV beneath it."""
    figure.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend_title_text="")
    st.plotly_chart(figure, use_container_width=True, key=f"chart-{name}")
    download_csv(data, name)


def kpi_tile(tile: Any, currency: str) -> None:
    """A KPI tile: actual, change versus the previous period, sparkline, target and status."""
    from sostac_control.catalog import format_value

    delta = None
    if tile.change_vs_previous is not None:
        delta = f"{tile.change_vs_previous:+.1%} vs previous period"
    pct = f" · {tile.pct_of_target:.0%} of target" if tile.pct_of_target is not None else ""
    if tile.previous_note:
        pct += f" · no change shown, {tile.previous_note}"
    st.metric(
        tile.label,
        format_value(tile.actual, tile.metric, currency),
        delta,
        delta_color="inverse" if tile.direction == "down" else "normal",
        chart_data=tile.sparkline or None,
        chart_type="area",
        border=True,
        help=tile.reason + (f" ({tile.note})" if tile.note else ""),
    )
    st.markdown(
        f"{status_text(tile.status)} target {format_value(tile.target, tile.metric, currency)}{pct}"
    )


def open_kpi(objective_id: str, index: int, key: str) -> None:
    """A button that opens the KPI detail page on this KPI."""
    if st.button("Details", key=key, icon=":material/query_stats:", type="tertiary"):
        st.session_state["sostac_kpi"] = (objective_id, index)
        st.switch_page("app_pages/kpi.py")
