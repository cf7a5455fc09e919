"""ROI, the quarterly screen: the final scorecard of closed objectives, per channel and quarter
the cost (money + people), the revenue, ROI, ROAS, CPA against budget, the change against an
earlier period, return credited to social from GA4, hours planned and worked, cost targets."""

import plotly.express as px
import streamlit as st

from sostac_control import ui
from sostac_control.errors import SostacError
from sostac_control.i18n import N_, _, bound
from sostac_control.views import quarter, roi
from sostac_control.views.channels import COMPARISONS
from sostac_control.views.period import period_label

st.title(_("ROI"))
plan = ui.page_plan()
if plan is not None and ui.has_data():
    span = st.radio(
        _("Period"),
        [N_("The plan's period"), N_("The sidebar's period")],
        horizontal=True,
        format_func=bound(_),
        help=_("The ROI screen is read per quarter; the plan's period covers its budget lines."),
    )
    compare = st.radio(_("Compare with"), COMPARISONS, horizontal=True, format_func=bound(_))
    _start, _end, chosen = ui.page_period()
    as_of = ui.as_of_day()
    filters = ui.get_filters()
    sidebar = (filters.start, filters.end) if filters is not None else None
    start, end = roi.roi_period(plan, as_of, sidebar if span == "The sidebar's period" else None)
    try:
        report = ui.query(roi.roi_report, plan, start, end, chosen or None)
        review = ui.query(quarter.quarter_review, plan, start, end, chosen, compare, as_of)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(
        f"{period_label(start, end)} · "
        + _("amounts in {currency}").format(currency=report.currency)
    )
    for note in (n for n in report.notes if "left out of every sum" in n):
        st.warning(note, icon=":material/currency_exchange:")

    if len(review.closed):
        st.subheader(_("Objectives that have ended: final results"))
        st.caption(_("Each KPI's result over its whole period against its target."))
        ui.dataframe(
            quarter.closed_table(review.closed, report.currency), hide_index=True, width="stretch"
        )
        ui.download_csv(review.closed, "closed-objectives")
    if report.by_quarter.empty:
        st.info(
            _(
                "No spend, revenue or budget in this period. Load ads exports (spend, conversions, "
                "revenue) and add `budget:` lines (money, hours, hourly_rate) to the plan."
            )
        )
        st.stop()
    cur = report.currency

    # Twelve columns: "Website (web analytics)" would be cut, so tables use the short label.
    widths = {"spend": st.column_config.TextColumn(width="small")}
    st.subheader(_("Per channel"))
    ui.dataframe(
        roi.roi_table(report.by_channel, ["label"], cur),
        hide_index=True,
        width="stretch",
        column_config=widths,
    )
    ui.download_csv(report.by_channel, "roi-by-channel")
    earlier = period_label(*review.compared_with)
    if review.changes.drop(columns=["channel", "label"]).isna().all().all():
        st.caption(
            _(
                "No change against the {compared} ({period}): nothing loaded to compare with."
            ).format(compared=_(compare), period=earlier)
        )
    else:
        st.markdown(
            _("**Change against the {compared}** ({period})").format(
                compared=_(compare), period=earlier
            )
        )
        ui.dataframe(quarter.changes_table(review.changes), hide_index=True, width="stretch")

    st.subheader(_("Return credited to social (GA4)"))
    st.caption(review.credit.method)
    credited = [f for f in (review.credit.by_group, review.credit.by_platform) if len(f)]
    for frame in credited:
        ui.dataframe(quarter.credit_table(frame, cur), hide_index=True, width="stretch")
    if credited:
        ui.download_csv(review.credit.by_group, "credited-to-social")

    st.subheader(_("People and time"))
    if review.hours.empty:
        st.info(
            _(
                "No hours planned (`budget:` lines with `hours`) and no time log loaded. A time "
                "log is a tidy CSV: `date,channel,metric,value` with metric `hours_worked`, one "
                "row per channel and week."
            )
        )
    else:
        st.caption(
            _(
                "Planned hours and people cost are the plan's budget lines pro rata by days; hours "
                "worked come from a loaded time log (metric `hours_worked`), costed at the plan's "
                "hourly rate. The ROI tables use the planned people cost."
            )
        )
        ui.dataframe(quarter.hours_table(review.hours, cur), hide_index=True, width="stretch")
        ui.download_csv(review.hours, "hours")

    cost = roi.cost_per_quarter(report)
    figure = px.bar(
        cost,
        x="quarter",
        y="amount",
        color="cost",
        facet_col="label",
        title=_("Cost per quarter: media spend and people cost ({currency})").format(currency=cur),
        labels={
            "label": _("channel"),
            "amount": _("amount ({currency})").format(currency=cur),
            "quarter": _("quarter"),
            "cost": _("cost"),
        },
    )
    figure.for_each_trace(lambda t: t.update(name=t.name.replace("_", " ")))
    figure.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    ui.chart(figure, cost, "roi-cost-per-quarter")

    st.subheader(_("Per channel and quarter"))
    ui.dataframe(
        roi.roi_table(report.by_quarter, ["label", "quarter", "covers"], cur),
        hide_index=True,
        width="stretch",
        column_config=widths,
    )
    ui.download_csv(report.by_quarter, "roi-by-quarter")
    returns = roi.charted_quarters(report.by_quarter).dropna(subset=["roi"])
    if returns.empty:
        st.info(
            _("No channel has both revenue and cost in this period, so there is no ROI to show.")
        )
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

    st.subheader(_("Budget versus actual spend"))
    spent = roi.budget_vs_spend(report)
    if spent.empty:
        st.info(
            _("The plan has no money budget for these channels (`budget:` lines with `money`).")
        )
    else:
        figure = px.bar(
            spent,
            x="label",
            y="value",
            color="amount",
            barmode="group",
            title=_("Planned money (pro rata) and actual spend ({currency})").format(currency=cur),
            labels={
                "label": _("channel"),
                "value": _("amount ({currency})").format(currency=cur),
                "amount": _("amount"),
            },
        )
        figure.for_each_trace(
            lambda t: t.update(name={"planned_money": "planned money"}.get(t.name, t.name))
        )
        ui.chart(figure, spent, "roi-budget-vs-spend")

    st.subheader(_("Cost targets in the plan"))
    targets = report.targets
    if targets.empty:
        st.info(
            _("The plan has no cost or return KPIs (roi, roas, cpa, cpc, cpm, spend, revenue).")
        )
    else:
        ui.dataframe(roi.targets_table(targets, cur), hide_index=True, width="stretch")
        ui.download_csv(targets, "roi-targets")
    st.caption(" · ".join(report.notes))
