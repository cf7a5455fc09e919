"""Status: every objective's status with its reason, and the quarter replayed week by week."""

import pandas as pd
import plotly.express as px
import streamlit as st
from pandas.io.formats.style import Styler

from sostac_control import ui
from sostac_control.engine import status
from sostac_control.errors import SostacError
from sostac_control.i18n import _, weekday_date
from sostac_control.views import status as status_view
from sostac_control.views.overview import plan_for_channels
from sostac_control.views.statuses import CELL_COLOURS, status_words


def coloured(frame: pd.DataFrame) -> Styler:
    """Status words on their colour (the frame holds raw status names)."""
    return frame.style.map(
        lambda v: f"background-color: {CELL_COLOURS.get(str(v), 'white')}; color: #1f2937"
    ).format(status_words)


st.title(_("Status"))
plan = ui.page_plan()
if plan is not None and ui.has_data():
    as_of = ui.as_of_day()
    _start, _end, chosen = ui.page_period()
    plan = plan_for_channels(plan, chosen)  # the sidebar's channel filter, as on the Overview
    try:
        now = ui.query(status.evaluate_plan, plan, as_of)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    shown = " " + _("Channels: {channels}.").format(channels=", ".join(chosen)) if chosen else ""
    st.caption(
        _("Judged on {day} with the data loaded up to that day.").format(day=weekday_date(as_of))
        + shown
        + " "
        + _(
            "Statuses: too early for the first 14 days (or 15% of the period); off track when "
            "the chance to reach the target stays under 3% for seven days; at risk when it "
            "stays under 30% for five days, or the recent pace projects under 90% of the "
            "target, or the drift alarm sees a change and the pace since then misses the "
            "target. A drift whose pace since the change still reaches the target is a note. "
            "Stale: the newest data is older than the source's usual delay, so it is not judged."
        )
    )

    if now.refresh:
        st.warning(
            _("Stale data: refresh {sources} (Data page, or `sostac-control fetch`).").format(
                sources="; ".join(r.text for r in now.refresh)
            )
        )
    st.subheader(_("Scorecard"))
    for objective in now.objectives:
        with st.container(border=True):
            st.markdown(
                f"**{objective.objective.title}** {ui.status_text(objective.status)}",
                unsafe_allow_html=True,
            )
            st.caption(objective.reason)
            if objective.crisis is not None:
                st.error(_("Crisis: {crisis}").format(crisis=objective.crisis.text), icon="🚨")
            # One line per KPI, not a wide table: nothing is cut off on a phone.
            for line in status_view.scorecard_lines(objective):
                st.markdown(
                    f"{ui.status_text(line.status)} **{line.kpi}**{line.chance} · {line.why}",
                    unsafe_allow_html=True,
                )
            ui.download_csv(
                status_view.scorecard_rows(objective), f"scorecard-{objective.objective.id}"
            )
            for k in objective.kpis:
                if k.attribution is not None:
                    st.markdown(
                        _("**{kpi}**: what explains the gap: {why}.").format(
                            kpi=k.label, why=k.attribution.text
                        )
                    )
                for text in k.notes:
                    st.caption(_("{kpi}: note: {note}.").format(kpi=k.label, note=text))

    st.subheader(_("History"))
    st.caption(
        _(
            "The statuses replayed week by week through the period, newest week first: each week "
            "is judged only on the data up to that day, as `sostac-control status --as-of DAY` "
            "would have."
        )
    )
    try:
        replay = ui.query(status.history, plan, as_of, 7)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    if replay.empty:
        st.info(_("The plan's period has not started yet."))
    else:
        objectives, kpis = status_view.history_tables(replay)
        st.markdown(_("**Objectives**"))
        ui.dataframe(coloured(objectives), width="stretch")
        st.markdown(_("**KPIs**"))
        ui.dataframe(coloured(kpis), width="stretch")
        chance = replay.dropna(subset=["probability"])
        if not chance.empty:
            figure = px.line(
                chance,
                x="day",
                y="probability",
                color="kpi",
                markers=True,
                title=_("Chance to reach the target, week by week"),
                labels={"day": _("week"), "probability": _("chance"), "kpi": _("KPI")},
            )
            figure.add_hline(y=0.5, line_dash="dot", annotation_text=_("at risk below 50%"))
            figure.add_hline(y=0.1, line_dash="dot", annotation_text=_("off track below 10%"))
            figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
            ui.chart(
                figure,
                chance[["day", "objective", "kpi", "status", "probability"]],
                "status-history",
            )
