"""The first run: an empty workspace offers "create the demo" and "start my plan", and a plan
without data lists its KPIs with the exports to load."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sostac_control.dbfile import store_exists
from sostac_control.demo.build import build_demo
from sostac_control.errors import SostacError
from sostac_control.i18n import _
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.model import Plan
from sostac_control.ui.problems import show_error
from sostac_control.ui.tables import dataframe
from sostac_control.ui.workspace import Workspace
from sostac_control.views.data import checklist


def offer_start(ws: Workspace) -> None:
    """Two buttons: the demo workspace (when neither plan nor database exists) and an example
    plan to edit (when there is no plan). Each writes only what does not exist yet."""
    left, right = st.columns(2)
    can_demo = not ws.plan.exists() and not store_exists(ws.db)
    if left.button(
        _("Create the demo"),
        icon=":material/coffee:",
        type="primary",
        disabled=not can_demo,
        help=_(
            "A plan and 26 weeks of exports for a fictional coffee bar, loaded like your own "
            "files would be."
        )
        + ("" if can_demo else " " + _("Only in an empty workspace (no plan and no database).")),
        key="first-run-demo",
    ):
        try:
            with st.spinner(_("Writing and loading the demo exports…")):
                build_demo(ws.db, ws.plan)
        except SostacError as exc:
            show_error(exc)
            return
        st.cache_data.clear()
        st.rerun()
    if right.button(
        _("Start my plan"),
        icon=":material/flag:",
        disabled=ws.plan.exists(),
        help=_("Writes a commented example plan to edit on the Plan page."),
        key="first-run-plan",
    ):
        ws.plan.parent.mkdir(parents=True, exist_ok=True)
        ws.plan.write_text(EXAMPLE_PLAN, encoding="utf-8")
        st.switch_page("app_pages/plan.py")


def exports_to_load(plan: Plan) -> None:
    """The plan's KPIs that have no data yet, with the exports to load and where to get them."""
    columns = ["channel", "last_day"]
    needed = checklist(plan, pd.DataFrame(columns=columns), date.today())
    if needed.empty:
        return
    st.markdown(_("**No data yet: load these exports** (on the Data page)"))
    dataframe(
        needed[["label", "needed_for", "export", "where", "link"]],
        hide_index=True,
        width="stretch",
        column_config={
            "label": "channel",
            "needed_for": "KPIs",
            "link": st.column_config.LinkColumn("open", display_text=_("open")),
        },
    )
