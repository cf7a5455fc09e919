"""ROI, the quarterly screen: per channel and quarter the cost (money + people), the revenue
or conversion value, ROI, ROAS, CPA against budget and the plan's cost targets."""

from datetime import date

import pandas as pd
import plotly.express as px
import streamlit as st

from sostac_control import ui
from sostac_control.catalog import format_value, short_label
from sostac_control.errors import SostacError
from sostac_control.views import roi

st.title("ROI")
plan = ui.page_plan()
if plan is not None and ui.has_data():
    span = st.radio(
        "Period",
        ["The plan's period", "The sidebar's period"],
        horizontal=True,
        help="The ROI screen is read per quarter; the plan's period covers its budget lines.",
    )
    _, last, chosen = ui.page_period()
    filters = ui.get_filters()
    if span == "The sidebar's period" and filters is not None:
        start, end = filters.start, filters.end
    else:
        start = plan.start or date(last.year, 1, 1)
        end = min(plan.end or last, last)
    try:
        report = ui.query(roi.roi_report, plan, start, end, chosen or None)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(f"{start:%d %b %Y} – {end:%d %b %Y} · amounts in {report.currency}")
    if report.by_quarter.empty:
        st.info(
            "No spend, revenue or budget in this period. Load ads exports (spend, conversions, "
            "revenue) and add `budget:` lines (money, hours, hourly_rate) to the plan."
        )
        st.stop()
    cur = report.currency

    def formatted(frame: pd.DataFrame, first: list[str]) -> pd.DataFrame:
        out = frame[first].rename(columns={"label": "channel"})
        out["channel"] = [short_label(c) for c in frame["channel"]]
        columns = [
            "spend",
            "people_cost",
            "cost",
            "planned_money",
            "budget_used",
            "revenue",
            "conversions",
            "roi",
            "roas",
            "cpa",
            "cpc",
            "cpm",
        ]
        for column in columns:
            metric = {
                "people_cost": "spend",
                "cost": "spend",
                "planned_money": "spend",
                "budget_used": "roi",
            }.get(column, column)
            out[column.replace("_", " ")] = [
                format_value(v, metric, cur) if pd.notna(v) else "—" for v in frame[column]
            ]
        return out

    # Twelve columns: "Website (web analytics)" would be cut, so tables use the short label.
    widths = {"spend": st.column_config.TextColumn(width="small")}
    st.subheader("Per channel")
    st.dataframe(
        formatted(report.by_channel, ["label"]),
        hide_index=True,
        width="stretch",
        column_config=widths,
    )
    ui.download_csv(report.by_channel, "roi-by-channel")
    cost = report.by_quarter.melt(
        id_vars=["label", "quarter"],
        value_vars=["spend", "people_cost"],
        var_name="cost",
        value_name="amount",
    ).dropna()
    figure = px.bar(
        cost,
        x="quarter",
        y="amount",
        color="cost",
        facet_col="label",
        title="Cost per quarter: media spend and people cost",
        labels={"label": "channel", "people_cost": "people cost"},
    )
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    ui.chart(figure, cost, "roi-cost-per-quarter")

    st.subheader("Per channel and quarter")
    st.dataframe(
        formatted(report.by_quarter, ["label", "quarter"]),
        hide_index=True,
        width="stretch",
        column_config=widths,
    )
    ui.download_csv(report.by_quarter, "roi-by-quarter")
    returns = report.by_quarter.dropna(subset=["roi"])
    if returns.empty:
        st.info("No channel has both revenue and cost in this period, so there is no ROI to show.")
    else:
        figure = px.bar(
            returns,
            x="quarter",
            y="roi",
            color="label",
            barmode="group",
            title="ROI per quarter ((revenue − cost) / cost)",
            labels={"label": "channel"},
        )
        figure.update_yaxes(tickformat=".0%")
        ui.chart(figure, returns[["label", "quarter", "revenue", "cost", "roi"]], "roi-per-quarter")

    st.subheader("Budget versus actual spend")
    budget = report.by_channel[report.by_channel["planned_money"] > 0]
    if budget.empty:
        st.info("The plan has no money budget for these channels (`budget:` lines with `money`).")
    else:
        spent = budget.melt(
            id_vars=["label"],
            value_vars=["planned_money", "spend"],
            var_name="amount",
            value_name="value",
        )
        figure = px.bar(
            spent,
            x="label",
            y="value",
            color="amount",
            barmode="group",
            title="Planned money (pro rata) and actual spend",
            labels={"label": "channel"},
        )
        ui.chart(figure, spent, "roi-budget-vs-spend")

    st.subheader("Cost targets in the plan")
    targets = report.targets
    if targets.empty:
        st.info("The plan has no cost or return KPIs (roi, roas, cpa, cpc, cpm, spend, revenue).")
    else:
        shown = pd.DataFrame(
            {
                "objective": targets["objective"],
                "KPI": targets["kpi"],
                "actual": [
                    format_value(v, m, cur) if pd.notna(v) else "—"
                    for v, m in zip(targets["actual"], targets["metric"], strict=True)
                ],
                "target": [
                    format_value(v, m, cur)
                    for v, m in zip(targets["target"], targets["metric"], strict=True)
                ],
                "direction": targets["direction"].map(
                    {"up": "higher is better", "down": "lower is better"}
                ),
                "definition": targets["note"],
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        ui.download_csv(targets, "roi-targets")
    st.caption(" · ".join(report.notes))
