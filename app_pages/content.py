"""Content: the posts of the period with their engagement rate, best and worst posts,
performance by post type and by weekday and hour, and the promotional share (1 in 10)."""

from typing import Any

import plotly.express as px
import streamlit as st

from sostac_control import ui
from sostac_control.catalog import metric_words
from sostac_control.errors import SostacError
from sostac_control.i18n import _, number, percent, signed
from sostac_control.views import content
from sostac_control.views.period import period_label

st.title(_("Content"))
plan = ui.page_plan()
if plan is not None and ui.has_data():
    start, end, chosen = ui.page_period()
    basis = st.radio(
        _("Engagement rate per"),
        list(content.BASES),
        horizontal=True,
        help="One denominator for every table and chart on this page, so posts of different "
        "platforms compare like with like.",
    )
    try:
        report = ui.query(
            content.content_report, start, end, plan.content, chosen or None, 5, basis
        )
    except SostacError as exc:
        ui.show_error(exc)
        st.stop()
    st.caption(period_label(start, end))
    if report.total_posts == 0:
        st.info(
            _(
                "No posts in this period. Load a posts export (Instagram or Facebook content, "
                "X or LinkedIn post analytics) or pick another period in the sidebar."
            )
        )
        st.stop()
    if report.basis == "views":
        rate_name = _("engagement rate per view")
    else:
        rate_name = _("engagement rate per reach")
    st.caption(_("Engagement rate: {definition}.").format(definition=report.definition))
    if report.unrated_posts:
        st.caption(
            _("{n} posts have no {basis} in their export: they are listed but not ranked.").format(
                n=number(report.unrated_posts), basis=metric_words(report.basis)
            )
        )
    columns: dict[str, Any] = {
        "published_at": "published",  # column words (views/tables.py) in the current language
        "channel_label": "channel",
        "post_type": "post type",
        "engagement_rate": rate_name,
        "permalink": st.column_config.LinkColumn("link", display_text=_("open")),
    }
    order = [
        "published_at",
        "channel_label",
        "post_type",
        "text",
        "views",
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
    left.metric(_("Posts"), f"{report.total_posts:,}", border=True)
    if report.rules_defined:
        right.metric(
            _("Promotional posts"),
            f"{number(report.promotional_posts)} ({percent(promo, 0)})",
            delta=_("{points} percentage points vs the 1-in-10 guideline").format(
                points=signed(100 * (promo - content.PROMOTIONAL_GUIDELINE))
            ),
            delta_color="inverse",
            border=True,
            help=report.rules_text,
        )
    else:
        right.metric(_("Promotional posts"), _("not defined"), border=True, help=report.rules_text)
    st.caption(f"{report.promotional_verdict}. {report.rules_text}")

    st.subheader(_("Posts"))
    if report.total_posts > len(report.posts):
        st.caption(
            _("The newest {n} of {total} posts.").format(
                n=number(len(report.posts)), total=number(report.total_posts)
            )
        )
    ui.dataframe(
        ui.styled_posts(report.posts),
        column_config=columns,
        column_order=order,
        hide_index=True,
        width="stretch",
    )
    ui.download_csv(report.posts, "posts")

    ranked = ["published_at", "channel_label", "post_type", "text", "engagement_rate", "permalink"]
    for title, frame, name in (
        (_("Best posts"), report.best, "best-posts"),
        (_("Worst posts"), report.worst, "worst-posts"),
    ):
        st.subheader(title)
        st.caption(_("Ranked by {rate}, the same basis for every platform.").format(rate=rate_name))
        ui.dataframe(
            ui.styled_posts(frame),
            column_config={**columns, "text": st.column_config.TextColumn(width="large")},
            column_order=ranked,
            hide_index=True,
            width="stretch",
        )
        ui.download_csv(frame, name)

    st.subheader(_("By post type"))
    figure = px.bar(
        report.by_type,
        x="post_type",
        y="engagement_rate",
        text="posts",
        labels={"engagement_rate": rate_name, "post_type": _("post type"), "posts": _("posts")},
        title=_("{rate} by post type (ratio of sums; bar labels: posts)").format(
            rate=rate_name.capitalize()
        ),
    )
    figure.update_yaxes(tickformat=".1%")
    ui.chart(figure, report.by_type, "content-by-post-type")

    st.subheader(_("By weekday and hour"))
    figure = px.bar(
        report.by_weekday,
        x="weekday",
        y="engagement_rate",
        text="posts",
        labels={"engagement_rate": rate_name, "weekday": _("weekday"), "posts": _("posts")},
        title=_("{rate} by weekday of publishing (bar labels: posts)").format(
            rate=rate_name.capitalize()
        ),
    )
    figure.update_yaxes(tickformat=".1%")
    ui.chart(figure, report.by_weekday, "content-by-weekday")
    if report.date_only_posts:
        st.caption(
            _(
                "{n} posts ({channels}) carry a publishing day but no time in their export: "
                "they count in the weekday chart above and are left out of the hour view below."
            ).format(
                n=number(report.date_only_posts), channels=", ".join(report.date_only_channels)
            )
        )
    if report.by_slot.empty:
        st.info(_("The loaded posts have no publishing time, so there is no weekday/hour view."))
    else:
        rates, posts = content.slot_grid(report.by_slot)
        figure = px.imshow(
            rates,
            aspect="auto",
            color_continuous_scale="Blues",
            labels={"color": rate_name, "x": _("hour"), "y": _("weekday")},
            title=_("{rate} by weekday and hour of publishing (cell: posts)").format(
                rate=rate_name.capitalize()
            ),
        )
        # Every cell names its sample size; cells under the minimum stay uncoloured.
        figure.update_traces(text=posts.to_numpy(), texttemplate="%{text}")
        figure.update_layout(plot_bgcolor="#f3f4f6")
        ui.chart(figure, report.by_slot, "content-by-weekday-hour")
        st.caption(
            _(
                "Each cell shows its number of posts; a cell with fewer than {n} posts is not "
                "coloured: too few to judge a time by."
            ).format(n=content.MIN_SLOT_POSTS)
        )
