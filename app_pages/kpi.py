"""KPI detail: one KPI's cumulative actual against its target and expected path, its daily and
weekly values, its definition, and where it comes from (channels or accounts, post types)."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sostac_control import ui
from sostac_control.catalog import format_value
from sostac_control.errors import SostacError
from sostac_control.i18n import N_, _, bound, day_month
from sostac_control.views import kpi_detail
from sostac_control.views.statuses import status_words

st.title(_("KPI detail"))
plan = ui.page_plan()
if plan is not None and ui.has_data():
    choices = [(o.id, i) for o in plan.objectives for i in range(len(o.kpis))]
    if not choices:
        st.info(_("The plan has no KPIs yet: add `kpis:` under an objective in the plan file."))
        st.stop()
    labels = {
        (o.id, i): f"{o.id} · {k.label}" for o in plan.objectives for i, k in enumerate(o.kpis)
    }
    wanted = st.session_state.pop("sostac_kpi", None)
    if wanted is None and "objective" in st.query_params:
        try:
            wanted = (st.query_params["objective"], int(st.query_params.get("kpi", "0")))
        except ValueError:
            wanted = None
    if wanted in labels:
        st.session_state["kpi_pick"] = wanted
    pick = st.selectbox(
        _("KPI"),
        choices,
        format_func=lambda c: labels[c],
        key="kpi_pick",
        placeholder=_("Pick a KPI"),
    )
    if pick is None:
        st.stop()
    st.query_params["objective"], st.query_params["kpi"] = pick[0], str(pick[1])
    try:
        detail = ui.query(kpi_detail.kpi_detail, plan, pick[0], pick[1], ui.as_of_day())
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    kpi, status, cur = detail.kpi, detail.status, plan.currency

    def fmt(value: float | None) -> str:
        return format_value(value if value is None or pd.notna(value) else None, kpi.metric, cur)

    st.markdown(
        f"**{detail.objective.title}** {ui.status_text(status.status)}", unsafe_allow_html=True
    )
    st.caption(status.reason)
    if detail.crisis:
        st.error(_("Crisis: {crisis}").format(crisis=detail.crisis), icon="🚨")
    if status.status == "stale" and status.last_data_day is not None:
        st.warning(
            _(
                "Stale: no data since {day}; last judged {status}. Load a newer export of this "
                "channel (Data page) to judge it again."
            ).format(
                day=day_month(status.last_data_day),
                status=status_words(status.last_judged or "no_data"),
            )
        )
    if status.attribution is not None:
        st.warning(_("Why it is behind: {why}.").format(why=status.attribution.text))
    for text in status.notes:
        st.info(_("Note: {note}.").format(note=text))
    if detail.pace is not None and detail.pace.sentence:
        st.markdown(_("**Pace needed from now:** {pace}").format(pace=detail.pace.sentence))
    left, mid, right, last = st.columns(4)
    left.metric(_("Actual so far"), fmt(status.actual), border=True)
    mid.metric(_("Target"), fmt(kpi.target), border=True)
    right.metric(_("Expected by now"), fmt(status.expected_to_date), border=True)
    last.metric(_("Projected at the end"), fmt(status.projected), border=True)

    path = detail.path
    figure = go.Figure()
    if path["projected_high"].notna().any():
        figure.add_trace(
            go.Scatter(
                x=path["day"],
                y=path["projected_high"],
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=path["day"],
                y=path["projected_low"],
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(99,110,250,0.15)",
                name=_("projection band (90%)"),
            )
        )
    figure.add_trace(
        go.Scatter(
            x=path["day"],
            y=path["projected"],
            name=_("projected"),
            line={"dash": "dot", "color": "#6d28d9"},  # the actual's colour, never "good" green
        )
    )
    figure.add_trace(
        go.Scatter(
            x=path["day"],
            y=path["expected_cum"],
            name=_("expected path"),
            line={"dash": "dash", "color": "gray"},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=path["day"],
            y=path["actual_cum"],
            name=_("actual"),
            line={"width": 3, "color": "#6d28d9"},
        )
    )
    if kpi.kind in ("sum", "unique"):
        # Dark and dashed: a target is a line to reach, not a "good" colour.
        figure.add_hline(
            y=kpi.target, line_color="#1f2937", line_dash="dash", annotation_text=_("target")
        )
    if status.drift_began is not None:
        figure.add_vline(
            x=pd.Timestamp(status.drift_began).timestamp() * 1000,
            line_color="#b45309",
            line_dash="dot",
            annotation_text=_("drift began {day}").format(day=day_month(status.drift_began)),
        )
    title = {
        "sum": N_("Cumulative actual against the target"),
        "unique": N_("Cumulative actual (sum of daily values) against the target"),
        "ratio": N_("Running ratio of sums against the target"),
        "level": N_("Value against the target"),
    }[kpi.kind]
    figure.update_layout(title=_(title), hovermode="x unified")
    ui.chart(figure, path, f"kpi-path-{pick[0]}-{pick[1]}")

    grain = st.radio(
        _("Bars per"), [N_("day"), N_("week")], format_func=bound(_), horizontal=True, index=1
    )
    bars = (
        detail.daily.rename(columns={"day": "period"})
        if grain == "day"
        else detail.weekly.rename(columns={"label": "period"})
    )
    if grain == "week":
        whole = bars[~bars["partial"]]
        part = bars[bars["partial"]]
        figure = go.Figure(
            go.Bar(
                x=whole["period"], y=whole["value"], name=_("whole week"), marker_color="#4f46e5"
            )
        )
        figure.add_trace(
            go.Bar(
                x=part["period"],
                y=part["value"],
                name=_("part-week (not complete)"),
                marker={"color": "#c7d2fe", "pattern": {"shape": "/"}},
                text=[_("{days} of 7 days").format(days=d) for d in part["days"]],
            )
        )
        needed = detail.pace.needed_per_week if detail.pace else None
        if needed is not None and kpi.kind == "sum":
            figure.add_hline(
                y=needed,
                line_color="#1f2937",
                line_dash="dash",
                annotation_text=_("needed per week from now: {pace}").format(pace=fmt(needed)),
            )
    else:
        figure = go.Figure(go.Bar(x=bars["period"], y=bars["value"], name=kpi.metric))
    per = _("{kpi} per day") if grain == "day" else _("{kpi} per week")
    figure.update_layout(title=per.format(kpi=kpi.label))
    ui.chart(figure, bars, f"kpi-{grain}-{pick[0]}-{pick[1]}")

    st.subheader(_("Definition"))
    st.markdown(detail.definition)
    if detail.note:
        st.caption(_("This value: {note}.").format(note=detail.note))

    part_kind = _(detail.part_kind)
    st.subheader(_("Contribution by {part}").format(part=part_kind))
    if detail.by_part.empty:
        st.info(_("No {part} has data for this KPI in its period yet.").format(part=part_kind))
    elif len(detail.by_part) == 1:
        # One bar would only repeat the KPI's value.
        only = detail.by_part.iloc[0]
        value = format_value(only["value"], kpi.metric, cur) if pd.notna(only["value"]) else "—"
        st.markdown(
            _("All of it comes from one {part}, **{name}**: {value}.").format(
                part=part_kind, name=only["part"], value=value
            )
        )
    else:
        figure = go.Figure(
            go.Bar(x=detail.by_part["value"], y=detail.by_part["part"], orientation="h")
        )
        figure.update_layout(title=_("{kpi} by {part}").format(kpi=kpi.label, part=part_kind))
        ui.chart(figure, detail.by_part, f"kpi-by-{detail.part_kind}-{pick[0]}-{pick[1]}")
    st.subheader(_("Contribution by post type"))
    if detail.by_post_type.empty:
        st.info(
            _(
                "No per-post data for this KPI's metric in its period. Load a posts export of the "
                "channel (e.g. Instagram or Facebook content) to see which post types carry it."
            )
        )
    else:
        figure = go.Figure(
            go.Bar(x=detail.by_post_type["post_type"], y=detail.by_post_type["value"])
        )
        figure.update_layout(
            title=_("{kpi} by post type (from per-post rows)").format(kpi=kpi.label)
        )
        ui.chart(figure, detail.by_post_type, f"kpi-by-post-type-{pick[0]}-{pick[1]}")
