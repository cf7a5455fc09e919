"""Status: every objective's status with its reason, and the quarter replayed week by week."""

import pandas as pd
import plotly.express as px
import streamlit as st

from sostac_control import status, ui
from sostac_control.errors import SostacError

# Soft cell colours per status, so a week-by-week table reads like a heat map.
COLOURS = {
    "on_track": "#d8f2e0",
    "at_risk": "#ffe6bf",
    "off_track": "#ffcfcf",
    "achieved": "#c9ebd2",
    "missed": "#f4bcbc",
    "too_early": "#eeeeee",
    "not_started": "#f6f6f6",
    "no_data": "#e6dcf5",
    "stale": "#e6dcf5",
}


def words(value: object) -> object:
    return value.replace("_", " ") if isinstance(value, str) else value


def coloured(frame: pd.DataFrame) -> object:
    """Status words on their colour (the frame holds raw status names)."""
    return frame.style.map(
        lambda v: f"background-color: {COLOURS.get(str(v), 'white')}; color: #1f2937"
    ).format(words)


st.title("Status")
plan = ui.page_plan()
if plan is not None and ui.has_data():
    as_of = ui.as_of_day()
    try:
        now = ui.query(status.evaluate_plan, plan, as_of)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(
        f"Judged on {as_of:%A %d %B %Y} with the data loaded up to that day. Statuses: too "
        "early for the first 14 days (or 15% of the period); off track when the chance to "
        "reach the target stays under 5% for five days; at risk when it stays under 30% for three "
        "days, or the recent pace (or the pace since a drift began) projects under 90% of the "
        "target. A drift whose recent pace still clears the target is a note. Stale: the newest "
        "data is older than the source's usual delay, so it is not judged."
    )

    if now.refresh:
        st.warning(
            "Stale data: refresh "
            + "; ".join(r.text for r in now.refresh)
            + " (Data page, or `sostac-control fetch`)."
        )
    st.subheader("Scorecard")
    for objective in now.objectives:
        with st.container(border=True):
            st.markdown(f"**{objective.objective.title}** {ui.status_text(objective.status)}")
            st.caption(objective.reason)
            if objective.crisis is not None:
                st.error(f"Crisis: {objective.crisis.text}", icon="🚨")
            rows = pd.DataFrame(
                [
                    {
                        "KPI": k.label,
                        "status": k.status,
                        # Whole percents: a chance is an estimate, not a measurement.
                        "chance": None if k.probability is None else round(100 * k.probability),
                        "why": k.reason,
                        "culprit": k.attribution.text if k.attribution is not None else "",
                        "notes": "; ".join(k.notes),
                    }
                    for k in objective.kpis
                ]
            )
            st.dataframe(
                coloured(rows) if len(rows) else rows,
                hide_index=True,
                width="stretch",
                column_config={
                    "chance": st.column_config.ProgressColumn(
                        "chance to reach it", format="%d%%", min_value=0, max_value=100
                    ),
                    "why": st.column_config.TextColumn(width="large"),
                    "culprit": st.column_config.TextColumn("what explains the gap"),
                    "notes": st.column_config.TextColumn(width="medium"),
                },
            )
            for k in objective.kpis:
                if k.attribution is not None:
                    st.markdown(f"**{k.label}**: what explains the gap: {k.attribution.text}.")
                for text in k.notes:
                    st.caption(f"{k.label}: note: {text}.")

    st.subheader("History")
    st.caption(
        "The statuses replayed week by week through the period: each week is judged only on "
        "the data up to that day, as `sostac-control status --as-of DAY` would have."
    )
    try:
        replay = ui.query(status.history, plan, as_of, 7)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    if replay.empty:
        st.info("The plan's period has not started yet.")
    else:
        replay["week of"] = pd.to_datetime(replay["day"]).dt.strftime("%d %b")
        order = list(dict.fromkeys(replay["week of"]))
        objectives = (
            replay.drop_duplicates(["day", "objective_id"])
            .pivot(index="objective", columns="week of", values="objective_status")
            .reindex(columns=order)
        )
        st.markdown("**Objectives**")
        st.dataframe(coloured(objectives), width="stretch")
        kpis = replay.pivot_table(
            index=["objective_id", "kpi"], columns="week of", values="status", aggfunc="first"
        ).reindex(columns=order)
        st.markdown("**KPIs**")
        st.dataframe(coloured(kpis), width="stretch")
        chance = replay.dropna(subset=["probability"])
        if not chance.empty:
            figure = px.line(
                chance,
                x="day",
                y="probability",
                color="kpi",
                markers=True,
                title="Chance to reach the target, week by week",
            )
            figure.add_hline(y=0.5, line_dash="dot", annotation_text="at risk below 50%")
            figure.add_hline(y=0.1, line_dash="dot", annotation_text="off track below 10%")
            figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
            ui.chart(
                figure,
                chance[["day", "objective", "kpi", "status", "probability"]],
                "status-history",
            )
