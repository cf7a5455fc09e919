"""Channels against the plan: the plan's KPIs per channel with the weekly pace they need, each
channel's views, reach, impressions, engagement, clicks, conversions, spend and followers side
by side with their change, the weekly trend (part-weeks marked) and paid versus organic."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from sostac_control import ui
from sostac_control.catalog import metric_words, short_label
from sostac_control.engine.rollups import Grain
from sostac_control.errors import SostacError
from sostac_control.i18n import N_, _, bound, date_short
from sostac_control.views import channels
from sostac_control.views.period import period_label

st.title(_("Channels"))
plan = ui.page_plan()
currency = plan.currency if plan is not None else "EUR"
if ui.has_data():
    start, end, chosen = ui.page_period()
    left, right = st.columns(2)
    grain: Grain = left.radio(
        _("Trend per"), ["day", "week", "month"], index=1, horizontal=True, format_func=bound(_)
    )
    compare = right.radio(
        _("Compare with"), channels.COMPARISONS, horizontal=True, format_func=bound(_)
    )
    try:
        view = ui.query(
            channels.compare_channels,
            start,
            end,
            chosen or None,
            grain,
            plan,
            ui.as_of_day(),
            compare,
        )
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(
        f"{period_label(start, end)} · "
        + _("status on {day}").format(day=date_short(ui.as_of_day()))
    )
    if view.table.empty:
        st.info(
            _(
                "No channel has data in this period. Pick another period in the sidebar, or load "
                "exports that cover it."
            )
        )
        st.stop()
    table = view.table
    st.subheader(_("Against the plan"))
    if view.targets.empty:
        st.info(_("No KPI of the plan runs on these channels on the status day."))
    else:
        st.caption(
            _(
                "Each KPI of the plan on a channel: its target, the actual so far, and the weekly "
                "pace it needs from the status day to its end against the pace so far."
            )
        )
        ui.dataframe(
            channels.targets_table(view.targets, currency),
            hide_index=True,
            width="stretch",
            column_config={"channel": st.column_config.TextColumn(width="medium")},
        )
        ui.download_csv(view.targets, "channel-targets")

    st.subheader(_("Side by side"))
    ui.dataframe(
        channels.comparison_table(table, currency, {"label": "channel", "type": "type"}),
        hide_index=True,
        width="stretch",
        # Wide enough for "Website (web analytics)".
        column_config={"channel": st.column_config.TextColumn(width="medium")},
    )
    ui.download_csv(table, "channels")
    if view.compared_with is not None:
        before = view.compared_with
        st.markdown(
            _("**Change against the {compared}** ({period})").format(
                compared=_(compare), period=period_label(*before)
            )
        )
        ui.dataframe(channels.changes_table(view.changes), hide_index=True, width="stretch")
    st.caption(" · ".join(view.notes))

    metric = st.selectbox(
        _("Compare"),
        [*channels.COMPARED, "engagement_rate"],
        format_func=bound(metric_words),
        index=channels.COMPARED.index("impressions"),
    )
    bars = table[["label", "type", metric]].dropna()
    bars = bars.assign(type=[channels.TYPE_WORDS.get(t, t) for t in bars["type"]])
    figure = px.bar(
        bars,
        x="label",
        y=metric,
        color="type",
        labels={"label": _("channel"), metric: metric_words(metric), "type": _("type")},
        title=_("{metric} by channel").format(metric=metric_words(metric)),
    )
    ui.chart(figure, bars, f"channels-{metric}")

    trend = view.trend[view.trend["metric"] == metric]
    if metric == "reach" or trend.empty:
        st.info(
            _("No reach trend: reach is not summed over days.")
            if metric == "reach"
            else _("No {metric} trend: no data in the period.").format(metric=metric_words(metric))
        )
    else:
        named = trend.assign(channel=[short_label(c) for c in trend["channel"]])
        whole = named[~named["partial"].astype(bool)]
        figure = px.line(
            whole,
            x="period",
            y="value",
            color="channel",
            labels={"value": metric_words(metric), "period": _(grain), "channel": _("channel")},
            markers=True,
            title=_("{metric} per {grain}").format(metric=metric_words(metric), grain=_(grain)),
        )
        part = named[named["partial"].astype(bool)]
        if len(part):
            # A part-week or part-month is a hollow point apart from the line: never a drop.
            figure.add_trace(
                go.Scatter(
                    x=part["period"],
                    y=part["value"],
                    mode="markers",
                    marker={"symbol": "circle-open", "size": 10, "color": "#6b7280"},
                    name=_("part-{grain} (not complete)").format(grain=_(grain)),
                    hovertext=part["channel"],
                )
            )
        pace = view.targets[view.targets["metric"] == metric] if len(view.targets) else None
        if grain == "week" and pace is not None:
            for row in pace.dropna(subset=["needed_per_week"]).itertuples():
                figure.add_hline(
                    y=row.needed_per_week,
                    line_dash="dash",
                    line_color="#1f2937",  # a target line is dark, never green ("good")
                    annotation_text=_("needed per week: {channel}").format(
                        channel=short_label(str(row.channel))
                    ),
                )
        ui.chart(figure, trend, f"channels-trend-{metric}")

    st.subheader(_("Paid versus organic"))
    paid = view.by_type
    if set(paid["type"]) == {"organic"} or set(paid["type"]) == {"paid"}:
        only = {"paid": N_("Only paid"), "organic": N_("Only organic")}[paid["type"].iloc[0]]
        st.info(
            _(
                "{only} channels have data in this period; load ads exports (Meta Ads, Google "
                "Ads, LinkedIn Ads, TikTok Ads) or page exports to compare paid with organic."
            ).format(only=_(only))
        )
    ui.dataframe(
        channels.comparison_table(paid, currency, {"type": "type"}),
        hide_index=True,
        width="stretch",
    )
    ui.download_csv(paid, "paid-vs-organic")
