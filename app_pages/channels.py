"""Channels: each channel's reach, impressions, engagement, clicks, conversions and spend side
by side over the period, their weekly trend, and paid versus organic."""

import plotly.express as px
import streamlit as st

from sostac_control import ui
from sostac_control.catalog import short_label
from sostac_control.engine.rollups import Grain
from sostac_control.errors import SostacError
from sostac_control.views import channels

st.title("Channels")
plan = ui.page_plan()
currency = plan.currency if plan is not None else "EUR"
if ui.has_data():
    start, end, chosen = ui.page_period()
    grain: Grain = st.radio("Trend per", ["day", "week", "month"], index=1, horizontal=True)
    try:
        view = ui.query(channels.compare_channels, start, end, chosen or None, grain)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(f"{start:%d %b %Y} – {end:%d %b %Y}")
    if view.table.empty:
        st.info(
            "No channel has data in this period. Pick another period in the sidebar, or load "
            "exports that cover it."
        )
        st.stop()
    table = view.table
    st.dataframe(
        channels.comparison_table(table, currency, {"label": "channel", "type": "type"}),
        hide_index=True,
        width="stretch",
        # Wide enough for "Website (web analytics)".
        column_config={"channel": st.column_config.TextColumn(width="medium")},
    )
    ui.download_csv(table, "channels")
    st.caption(" · ".join(view.notes))

    metric = st.selectbox(
        "Compare",
        [*channels.COMPARED, "engagement_rate"],
        format_func=lambda m: m.replace("_", " "),
        index=1,
    )
    bars = table[["label", "type", metric]].dropna()
    figure = px.bar(
        bars,
        x="label",
        y=metric,
        color="type",
        labels={"label": "channel", metric: metric.replace("_", " ")},
        title=f"{metric.replace('_', ' ')} by channel",
    )
    ui.chart(figure, bars, f"channels-{metric}")

    trend = view.trend[view.trend["metric"] == metric]
    if metric == "reach" or trend.empty:
        st.info(
            f"No {metric.replace('_', ' ')} trend: "
            + ("reach is not summed over days." if metric == "reach" else "no data in the period.")
        )
    else:
        figure = px.line(
            trend.assign(channel=[short_label(c) for c in trend["channel"]]),
            x="period",
            y="value",
            color="channel",
            labels={"value": metric.replace("_", " ")},
            markers=True,
            title=f"{metric.replace('_', ' ')} per {grain}",
        )
        ui.chart(figure, trend, f"channels-trend-{metric}")

    st.subheader("Paid versus organic")
    paid = view.by_type
    if set(paid["type"]) == {"organic"} or set(paid["type"]) == {"paid"}:
        st.info(
            "Only "
            + paid["type"].iloc[0]
            + " channels have data in this period; load ads exports (Meta Ads, Google Ads, "
            "LinkedIn Ads, TikTok Ads) or page exports to compare paid with organic."
        )
    st.dataframe(
        channels.comparison_table(paid, currency, {"type": "type"}),
        hide_index=True,
        width="stretch",
    )
    ui.download_csv(paid, "paid-vs-organic")
