"""Widgets shared by the pages: status chips, KPI tiles, charts with their CSV."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from sostac_control import store
from sostac_control.catalog import format_value
from sostac_control.errors import SostacError
from sostac_control.i18n import _, percent, plotly_separators
from sostac_control.plan.model import Plan
from sostac_control.ui.caching import cached_plan, data_version, query
from sostac_control.ui.first_run import exports_to_load, offer_start
from sostac_control.ui.problems import show_error
from sostac_control.ui.workspace import workspace
from sostac_control.views.overview import KpiTile
from sostac_control.views.safe_export import csv_bytes
from sostac_control.views.statuses import chip_markdown


def status_text(status: str) -> str:
    """A status badge (symbol, words, AA contrast) for st.markdown(..., unsafe_allow_html=True)."""
    return chip_markdown(status)


def page_plan() -> Plan | None:
    """The workspace's plan, or None after saying how to get one (or what is wrong with it)."""
    ws = workspace()
    path = ws.plan
    if not path.exists():
        st.info(
            _(
                "There is no plan at `{path}` yet. Create the demo workspace to look around, "
                "or start your own plan from a commented example (or use `sostac-control plan "
                "init` and `sostac-control demo`)."
            ).format(path=path)
        )
        offer_start(ws)
        return None
    try:
        return cached_plan(path)
    except SostacError as exc:
        show_error(exc)
        return None


def has_data() -> bool:
    """True when the database holds observations; else shows what to load and returns False."""
    ws = workspace()
    count = query(store.observation_count) if data_version(ws.db) else 0
    if count:
        return True
    st.info(
        _(
            "No metrics loaded yet. Upload platform exports on the Data page or with "
            "`sostac-control ingest FILE...`, or create the demo workspace with "
            "`sostac-control demo`."
        )
    )
    if ws.plan.exists():
        with contextlib.suppress(SostacError):  # the page has shown the plan's problems
            exports_to_load(cached_plan(ws.plan))
    return False


@contextmanager
def waiting_for_database(progress: Any = None) -> Iterator[None]:
    """While the block waits for another program's write, say so in a progress bar."""
    bar = progress if progress is not None else st.empty()

    def report(waited: float, limit: float) -> None:
        bar.progress(
            min(waited / limit, 1.0) if limit else 1.0,
            text=_(
                "Waiting for the database: another program is writing to it ({waited} s of at "
                "most {limit} s)…"
            ).format(waited=f"{waited:.0f}", limit=f"{limit:.0f}"),
        )

    with store.lock_wait_reported(report):
        yield


def download_csv(data: Any, name: str, label: str = "") -> None:
    """A download button for a chart's or table's data as CSV (no rerun on click); text
    that a spreadsheet would run as a formula is made inert (views/safe_export.py). In Dutch
    the CSV is what Dutch Excel opens: `;` between fields, decimal commas, a BOM."""
    st.download_button(
        label or _("Download CSV"),
        csv_bytes(data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart(figure: Any, data: Any, name: str) -> None:
    """A plotly chart with its data downloadable as CSV beneath it."""
    figure.update_layout(
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend_title_text="",
        separators=plotly_separators(),
    )
    st.plotly_chart(figure, width="stretch", key=f"chart-{name}")
    download_csv(data, name)


def kpi_tile(tile: KpiTile, currency: str) -> None:
    """A KPI tile: actual, change versus the previous period, sparkline, target and status."""
    delta = None
    if tile.change_vs_previous is not None:
        delta = _("{change} vs {compared_with}").format(
            change=percent(tile.change_vs_previous, 1, sign=True),
            compared_with=_(tile.compared_with),
        )
    pct = ""
    if tile.pct_of_target is not None:
        pct = " · " + _("{share} of target").format(share=percent(tile.pct_of_target, 0))
    if tile.previous_note:
        pct += " · " + _("no change shown, {why}").format(why=tile.previous_note)
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
        f"{status_text(tile.status)} "
        + _("target {target}").format(target=format_value(tile.target, tile.metric, currency))
        + pct,
        unsafe_allow_html=True,
    )


def open_kpi(objective_id: str, index: int, key: str) -> None:
    """A button that opens the KPI detail page on this KPI."""
    if st.button(_("Details"), key=key, icon=":material/query_stats:", type="tertiary"):
        st.session_state["sostac_kpi"] = (objective_id, index)
        st.switch_page("app_pages/kpi.py")
