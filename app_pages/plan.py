"""Plan: the objectives → KPIs → targets tree, budgets, the SMART check; edit, upload, download."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sostac_control import ui
from sostac_control.catalog import CATEGORIES, METRICS
from sostac_control.errors import SostacError
from sostac_control.i18n import _, date_short, ngettext
from sostac_control.plan.edit import (
    BUDGET_COLUMNS,
    KPI_COLUMNS,
    OBJECTIVE_COLUMNS,
    ROW,
    PlanTables,
    write_new_plan,
)
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.keys import DIRECTIONS, KPI_CHANNELS
from sostac_control.views.plan import PlanView, plan_view, save_edits, save_upload

st.title(_("Plan"))
ws = ui.workspace()
view = plan_view(ws.plan, ws.db)
st.caption(_("Plan file: `{path}`").format(path=ws.plan))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """An edited table's rows as {column: value}."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def draw_plan(view: PlanView) -> None:
    plan = view.plan
    assert plan is not None
    st.subheader(plan.name)
    left, middle, right = st.columns(3)
    left.metric(_("Objectives"), len(plan.objectives))
    middle.metric(_("KPIs"), len(plan.kpis))
    right.metric(_("Budget (money + people)"), view.budget_total())
    st.caption(
        _("Currency {code}").format(code=plan.currency)
        + (" · " + _("time zone {zone}").format(zone=plan.timezone) if plan.timezone else "")
    )
    for objective in plan.objectives:
        with st.container(border=True):
            st.markdown(f"**{objective.title}**  \n`{objective.id}`")
            category = CATEGORIES[objective.category] if objective.category else _("no category")
            st.caption(
                f"{category} · "
                + _("owner: {owner}").format(owner=objective.owner or "—")
                + f" · {date_short(objective.start)} – {date_short(objective.end)}"
            )
            if objective.kpis:
                ui.dataframe(view.kpi_rows(objective.id), hide_index=True, width="stretch")
            else:
                st.warning(_("No KPIs yet: add them in the KPIs table below."))
    if plan.budget:
        st.subheader(_("Budget: money, people, time"))
        ui.dataframe(view.budget_rows(), hide_index=True, width="stretch")
    st.subheader(_("SMART check"))
    if view.smart_note:
        st.caption(view.smart_note)
    ui.dataframe(view.smart_rows(), hide_index=True, width="stretch")
    advice = view.smart_advice()
    if advice:
        ui.dataframe(advice, hide_index=True, width="stretch")
    else:
        st.success(
            _("Every objective is specific, measurable, achievable, relevant and time-bound.")
        )
    if view.suggestions:
        st.subheader(_("Suggested targets"))
        st.caption(
            _(
                "What history and trend make likely for each KPI's period (from up to 26 weeks "
                "before it, the trend damped by half): 50% likely is the middle outcome, 80% "
                "likely is reached four times in five (a ceiling kept four times in five when "
                "lower is better). `sostac-control plan suggest` prints the same."
            )
        )
        ui.dataframe(view.suggestion_rows(), hide_index=True, width="stretch")


def draw_editor(view: PlanView) -> None:
    if view.tables is None:
        if view.edit_error is not None:
            st.info(f"{view.edit_error.message} {view.edit_error.hint}")
        return
    st.caption(
        _(
            "Edit the cells, add rows at the bottom or delete them, then save. The plan is "
            "checked before it is saved; your comments in the file stay where they are."
        )
    )
    ids = [str(row["id"]) for row in view.tables.objectives if row.get("id")]
    date_column = st.column_config.DateColumn(format="YYYY-MM-DD")
    objectives_tab, kpis_tab, budget_tab = st.tabs(["Objectives", "KPIs", "Budget"])
    with objectives_tab:
        objectives = st.data_editor(
            frame(view.tables.objectives, OBJECTIVE_COLUMNS),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key="edit_objectives",
            column_config={
                ROW: None,
                "category": st.column_config.SelectboxColumn(options=list(CATEGORIES)),
                "start": date_column,
                "end": date_column,
            },
        )
    with kpis_tab:
        kpis = st.data_editor(
            frame(view.tables.kpis, KPI_COLUMNS),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key="edit_kpis",
            column_config={
                ROW: None,
                "objective": st.column_config.SelectboxColumn(options=ids, required=True),
                "metric": st.column_config.SelectboxColumn(options=list(METRICS), required=True),
                "channel": st.column_config.SelectboxColumn(
                    options=list(KPI_CHANNELS), required=True
                ),
                "denominator": st.column_config.SelectboxColumn(
                    options=sorted({d for m in METRICS.values() for d in m.allowed_denominators})
                ),
                "direction": st.column_config.SelectboxColumn(options=list(DIRECTIONS)),
                "target": st.column_config.NumberColumn(format="%g"),
                "baseline": st.column_config.NumberColumn(format="%g"),
                "start": date_column,
                "end": date_column,
            },
        )
    with budget_tab:
        budget = st.data_editor(
            frame(view.tables.budget, BUDGET_COLUMNS),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key="edit_budget",
            column_config={
                ROW: None,
                "channel": st.column_config.SelectboxColumn(
                    options=list(KPI_CHANNELS), required=True
                ),
                "start": date_column,
                "end": date_column,
            },
        )
    if st.button(_("Check and save the plan"), type="primary"):
        tables = PlanTables(records(objectives), records(kpis), records(budget))
        try:
            problems = save_edits(ws.plan, ws.db, tables)
        except SostacError as exc:
            ui.show_error(exc)
            return
        if problems:
            ui.show_problem("Not saved: the edited plan has problems.", problems=problems)
        else:
            st.session_state["plan_saved"] = True
            st.rerun()


def frame(rows: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """A table for st.data_editor: the hidden row key first, then the columns in file order."""
    return pd.DataFrame(rows, columns=[ROW, *columns])


def draw_files(view: PlanView) -> None:
    download, upload = st.columns(2)
    with download:
        st.download_button(
            _("Download the plan file"),
            data=view.text.encode("utf-8"),
            file_name=ws.plan.name,
            mime="application/yaml",
            disabled=not view.text,
        )
    with upload:
        uploaded = st.file_uploader(_("Replace the plan with a file"), type=["yaml", "yml"])
        if uploaded is not None and st.button(_("Check and use the uploaded plan")):
            problems = save_upload(ws.plan, ws.db, uploaded.getvalue(), uploaded.name)
            if problems:
                ui.show_problem(
                    _("Not used: {file} has problems.").format(file=uploaded.name),
                    problems=problems,
                )
            else:
                st.session_state["plan_saved"] = True
                st.rerun()


if st.session_state.pop("plan_saved", False):
    st.success(_("Plan saved."))

if not view.exists:
    st.info(
        _(
            "There is no plan at `{path}` yet. Start from the example plan (a Dutch coffee "
            "bar's half-year, with comments that explain each field), or upload yours."
        ).format(path=ws.plan)
    )
    if st.button(_("Create the example plan"), type="primary"):
        write_new_plan(ws.plan, EXAMPLE_PLAN)
        st.rerun()
elif view.error is not None:
    ui.show_error(view.error)
elif view.problems:
    count = len(view.problems)
    ui.show_problem(
        ngettext(
            "The plan has {n} problem: fix each line in the file (or in the tables below), "
            "then it is used everywhere.",
            "The plan has {n} problems: fix each line in the file (or in the tables below), "
            "then it is used everywhere.",
            count,
        ).format(n=count),
        problems=view.problems,
    )
else:
    draw_plan(view)

if view.exists and view.error is None:
    st.subheader(_("Edit"))
    draw_editor(view)
st.subheader(_("Upload or download"))
draw_files(view)
