"""ROI, the quarterly screen: per channel and quarter the cost (money + people), the revenue
or conversion value, ROI, ROAS, CPA against budget and the plan's cost targets."""

import plotly.express as px
import streamlit as st

from sostac_control import ui
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
    sidebar = (filters.start, filters.end) if filters is not None else None
    start, end = roi.roi_period(plan, last, sidebar if span == "The sidebar's period" else None)
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

    # Twelve columns: "Website (web analytics)" would be cut, so tables use the short label.
    widths = {"spend": st.column_config.TextColumn(width="small")}
    st.subheader("Per channel")
    st.dataframe(
        roi.roi_table(report.by_channel, ["label"], cur),
        hide_index=True,
        width="stretch",
        column_config=widths,
    )
    ui.download_csv(report.by_channel, "roi-by-channel")
    cost = roi.cost_per_quarter(report)
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
        roi.roi_table(report.by_quarter, ["label", "quarter"], cur),
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
    spent = roi.budget_vs_spend(report)
    if spent.empty:
        st.info("The plan has no money budget for these channels (`budget:` lines with `money`).")
    else:
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
        st.dataframe(roi.targets_table(targets, cur), hide_index=True, width="stretch")
        ui.download_csv(targets, "roi-targets")
    st.caption(" · ".join(report.notes))
