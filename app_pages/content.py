"""Content: the posts of the period with their engagement rate, best and worst posts,
performance by post type and by weekday and hour, and the promotional share (1 in 10)."""

from typing import Any

import plotly.express as px
import streamlit as st

from sostac_control import ui
from sostac_control.errors import SostacError
from sostac_control.views import content

st.title("Content")
plan = ui.page_plan()
if plan is not None and ui.has_data():
    start, end, chosen = ui.page_period()
    try:
        report = ui.query(content.content_report, start, end, plan.content, chosen or None)
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(f"{start:%d %b %Y} – {end:%d %b %Y}")
    if report.total_posts == 0:
        st.info(
            "No posts in this period. Load a posts export (Instagram or Facebook content, "
            "X or LinkedIn post analytics) or pick another period in the sidebar."
        )
        st.stop()
    st.caption(report.definition)
    columns: dict[str, Any] = {
        "published_at": "published",
        "channel_label": "channel",
        "post_type": "post type",
        "engagement_rate": "engagement rate",
        "permalink": st.column_config.LinkColumn("link", display_text="open"),
    }
    order = [
        "published_at",
        "channel_label",
        "post_type",
        "text",
        "impressions",
        "reach",
        "engagements",
        "engagement_rate",
        "clicks",
        "promotional",
        "permalink",
    ]

    promo = report.promotional_share or 0.0
    left, right = st.columns(2)
    left.metric("Posts", f"{report.total_posts:,}", border=True)
    if report.rules_defined:
        right.metric(
            "Promotional posts",
            f"{report.promotional_posts:,} ({promo:.0%})",
            delta=f"{promo - content.PROMOTIONAL_GUIDELINE:+.0%} vs the 1-in-10 guideline",
            delta_color="inverse",
            border=True,
            help=report.rules_text,
        )
    else:
        right.metric("Promotional posts", "not defined", border=True, help=report.rules_text)
    st.caption(f"{report.promotional_verdict}. {report.rules_text}")

    st.subheader("Posts")
    if report.total_posts > len(report.posts):
        st.caption(f"The newest {len(report.posts):,} of {report.total_posts:,} posts.")
    st.dataframe(
        ui.styled_posts(report.posts),
        column_config=columns,
        column_order=order,
        hide_index=True,
        width="stretch",
    )
    ui.download_csv(report.posts, "posts")

    best, worst = st.columns(2)
    with best:
        st.subheader("Best posts")
        st.dataframe(
            ui.styled_posts(report.best),
            column_config=columns,
            column_order=["published_at", "channel_label", "text", "engagement_rate", "permalink"],
            hide_index=True,
        )
        ui.download_csv(report.best, "best-posts")
    with worst:
        st.subheader("Worst posts")
        st.dataframe(
            ui.styled_posts(report.worst),
            column_config=columns,
            column_order=["published_at", "channel_label", "text", "engagement_rate", "permalink"],
            hide_index=True,
        )
        ui.download_csv(report.worst, "worst-posts")

    st.subheader("By post type")
    figure = px.bar(
        report.by_type,
        x="post_type",
        y="engagement_rate",
        text="posts",
        labels={"engagement_rate": "engagement rate", "post_type": "post type"},
        title="Engagement rate by post type (ratio of sums; bar labels: posts)",
    )
    figure.update_yaxes(tickformat=".1%")
    ui.chart(figure, report.by_type, "content-by-post-type")

    st.subheader("By weekday and hour")
    figure = px.bar(
        report.by_weekday,
        x="weekday",
        y="engagement_rate",
        text="posts",
        labels={"engagement_rate": "engagement rate"},
        title="Engagement rate by weekday of publishing (all posts; bar labels: posts)",
    )
    figure.update_yaxes(tickformat=".1%")
    ui.chart(figure, report.by_weekday, "content-by-weekday")
    if report.date_only_posts:
        st.caption(
            f"{report.date_only_posts:,} posts ({', '.join(report.date_only_channels)}) carry a "
            "publishing day but no time in their export: they count in the weekday chart "
            "above and are left out of the hour view below."
        )
    if report.by_slot.empty:
        st.info("The loaded posts have no publishing time, so there is no weekday/hour view.")
    else:
        slots = content.slot_grid(report.by_slot)
        figure = px.imshow(
            slots,
            aspect="auto",
            color_continuous_scale="Greens",
            labels={"color": "engagement rate", "x": "hour", "y": "weekday"},
            title="Engagement rate by weekday and hour of publishing",
        )
        ui.chart(figure, report.by_slot, "content-by-weekday-hour")
