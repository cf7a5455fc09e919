"""Writers for the demo's export files, in the platforms' own formats (byte quirks included).

Each writer takes small frames of already generated numbers and writes one file exactly as the
platform would: Meta Business Suite's UTF-8 BOM post export and UTF-16LE page series, the
Instagram post export, the new X content export, LinkedIn's page content workbook, GA4's
commented CSV and Ads Manager's window rows. A tidy CSV writer holds the same numbers for
channels whose importer is not there (yet).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

# The late-2025 layout: "Duration (sec)", capitalised "Reactions, Comments and Shares", link
# clicks and follows per post, and no more crosspost, caption and video columns.
FACEBOOK_POST_HEADER = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
    "Permalink", "Post type", "Custom labels", "Data comment", "Date", "Views", "Reach",
    "Reactions, Comments and Shares", "Reactions", "Comments", "Shares", "Total clicks",
    "Link clicks", "Other clicks", "Follows",
]  # fmt: skip

INSTAGRAM_POST_HEADER = [
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views",
    "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
]  # fmt: skip

X_CONTENT_HEADER = [
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
    "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
    "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks",
]  # fmt: skip

LINKEDIN_METRICS_NOTE = (
    "Aggregated engagement metrics for your organic and sponsored posts over time. Date "
    "indicates when your posts were viewed by LinkedIn members. Data is delayed by up to 2 "
    "days. All dates and times are in UTC."
)
LINKEDIN_METRICS_HEADER = [
    "Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)",
    "Unique impressions (organic)", "Clicks (organic)", "Clicks (sponsored)", "Clicks (total)",
    "Reactions (organic)", "Reactions (sponsored)", "Reactions (total)", "Comments (organic)",
    "Comments (sponsored)", "Comments (total)", "Reposts (organic)", "Reposts (sponsored)",
    "Reposts (total)", "Engagement rate (organic)", "Engagement rate (sponsored)",
    "Engagement rate (total)",
]  # fmt: skip
LINKEDIN_POSTS_NOTE = (
    "Engagement metrics for individual posts. Created date indicates when your post was "
    "created. All dates and times are in UTC."
)
LINKEDIN_POSTS_HEADER = [
    "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
    "Campaign start date", "Campaign end date", "Audience", "Impressions", "Views",
    "Offsite Views", "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts",
    "Follows", "Engagement rate", "Content Type",
]  # fmt: skip

GA4_HEADER = [
    "Session primary channel group (Default channel group)", "Sessions", "Engaged sessions",
    "New users", "Total users", "Engagement rate", "Average engagement time per session",
    "Event count", "Key events", "User key event rate", "Total revenue", "Bounce rate",
    "Average session duration",
]  # fmt: skip

ADS_HEADER = [
    "Reporting starts", "Reporting ends", "Ad name", "Ad delivery", "Ad set name", "Bid",
    "Bid type", "Ad set budget", "Ad set budget type", "Last significant edit",
    "Attribution setting", "Results", "Result indicator", "Reach", "Impressions",
    "Cost per results", "Quality ranking", "Engagement rate ranking", "Conversion rate ranking",
    "Amount spent (EUR)", "Ends", "Purchases", "Cost per purchase (EUR)",
    "Purchases conversion value", "Purchase ROAS (return on ad spend)", "Link clicks",
]  # fmt: skip


def _field(value: object) -> str:
    """Meta's quoting: text with spaces, commas, quotes or newlines is quoted, numbers are not."""
    text = "" if value is None else str(value)
    if any(ch in text for ch in ' ,"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _meta_csv(rows: list[list[object]]) -> str:
    return "".join(",".join(_field(v) for v in row) + "\n" for row in rows)


def _rows(frame: pd.DataFrame) -> list[Any]:
    """The frame's rows as named tuples (typed loosely: the columns are the writer's contract)."""
    return list(frame.itertuples(index=False))


def _count(value: float) -> int:
    return round(float(value))


def write_facebook_posts(path: Path, page_id: str, page_name: str, posts: pd.DataFrame) -> Path:
    """Meta Business Suite Facebook post export (late-2025 layout): UTF-8 BOM, lifetime values,
    publish times as MM/DD/YYYY HH:MM without a zone."""
    rows: list[list[object]] = [list(FACEBOOK_POST_HEADER)]
    for p in _rows(posts):
        engagements = _count(p.reactions) + _count(p.comments) + _count(p.shares)
        clicks, link_clicks = _count(p.clicks), _count(p.link_clicks)
        rows.append([
            p.post_id, page_id, page_name, p.text, p.text,
            30 if p.post_type == "Reels" else 0, p.published.strftime("%m/%d/%Y %H:%M"),
            f"https://www.facebook.com/{page_id}/posts/{p.post_id}", p.post_type, "", "",
            "Lifetime", _count(p.views), _count(p.reach), engagements, _count(p.reactions),
            _count(p.comments), _count(p.shares), clicks, link_clicks, clicks - link_clicks,
            _count(p.follows),
        ])  # fmt: skip
    path.write_text(_meta_csv(rows), encoding="utf-8-sig")
    return path


def write_facebook_page_series(path: Path, title: str, series: pd.Series) -> Path:
    """One Meta Business Suite page series: UTF-16LE BOM, `sep=,`, a title line, Date/Primary."""
    lines = ["sep=,", f'"{title}"', '"Date","Primary"']
    lines += [f'"{day:%Y-%m-%d}T00:00:00","{_count(v)}"' for day, v in series.items()]
    path.write_bytes(b"\xff\xfe" + "\n".join(lines).encode("utf-16-le"))
    return path


def write_instagram_posts(
    path: Path, account_id: str, username: str, name: str, posts: pd.DataFrame
) -> Path:
    """Meta Business Suite Instagram post export: UTF-8 BOM, lifetime values per post."""
    rows: list[list[object]] = [list(INSTAGRAM_POST_HEADER)]
    for p in _rows(posts):
        rows.append([
            p.post_id, account_id, username, name, p.text,
            30 if p.post_type == "IG reel" else 0, p.published.strftime("%m/%d/%Y %H:%M"),
            f"https://www.instagram.com/p/{p.shortcode}/", p.post_type, "", "Lifetime",
            _count(p.views), _count(p.reach), _count(p.likes), _count(p.shares),
            _count(p.follows), _count(p.comments), _count(p.saves),
        ])  # fmt: skip
    path.write_text(_meta_csv(rows), encoding="utf-8-sig")
    return path


def write_x_content(path: Path, handle: str, posts: pd.DataFrame) -> Path:
    """The new X content export (2024+): one row per post, dates like "Sun, Nov 9, 2025"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(X_CONTENT_HEADER)
    for p in _rows(posts):
        day = p.published
        writer.writerow([
            p.post_id, f"{day:%a}, {day:%b} {day.day}, {day:%Y}", p.text,
            f"https://x.com/{handle}/status/{p.post_id}", _count(p.impressions), _count(p.likes),
            _count(p.engagements), _count(p.bookmarks), _count(p.shares), _count(p.new_follows),
            _count(p.replies), _count(p.reposts), _count(p.profile_visits),
            _count(p.detail_expands), _count(p.url_clicks), 0, _count(p.permalink_clicks),
        ])  # fmt: skip
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_linkedin_content(
    path: Path, page_name: str, daily: pd.DataFrame, posts: pd.DataFrame
) -> Path:
    """LinkedIn page content export: a workbook with sheets Metrics (daily) and All posts."""
    from openpyxl import Workbook

    book = Workbook()
    made = datetime.combine(pd.Timestamp(daily["day"].max()).date(), datetime.min.time())
    book.properties.created = book.properties.modified = made
    metrics = book.active
    assert metrics is not None
    metrics.title = "Metrics"
    metrics.append([LINKEDIN_METRICS_NOTE])
    metrics.append(LINKEDIN_METRICS_HEADER)
    for d in _rows(daily):
        impressions = _count(d.impressions)
        engaged = _count(d.clicks) + _count(d.reactions) + _count(d.comments) + _count(d.reposts)
        rate = engaged / impressions if impressions else 0.0
        metrics.append([
            f"{d.day:%m/%d/%Y}", impressions, 0, impressions, _count(d.unique_impressions),
            _count(d.clicks), 0, _count(d.clicks), _count(d.reactions), 0, _count(d.reactions),
            _count(d.comments), 0, _count(d.comments), _count(d.reposts), 0, _count(d.reposts),
            rate, 0, rate,
        ])  # fmt: skip
    sheet = book.create_sheet("All posts")
    sheet.append([LINKEDIN_POSTS_NOTE])
    sheet.append(LINKEDIN_POSTS_HEADER)
    for p in _rows(posts):
        impressions = _count(p.impressions)
        engaged = _count(p.clicks) + _count(p.likes) + _count(p.comments) + _count(p.reposts)
        sheet.append([
            p.text, f"https://www.linkedin.com/feed/update/urn:li:activity:{p.post_id}",
            "Organic", "", page_name, f"{p.published:%m/%d/%Y}", "", "", "All followers",
            impressions, _count(p.views), 0, _count(p.clicks),
            _count(p.clicks) / impressions if impressions else 0.0, _count(p.likes),
            _count(p.comments), _count(p.reposts), _count(p.follows),
            engaged / impressions if impressions else 0.0, p.content_type,
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue(), made))
    return path


def _stable_zip(data: bytes, made: datetime) -> bytes:
    """The workbook with fixed member timestamps, so the same numbers give the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=made.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info))
    return out.getvalue()


def _ga4_preamble(report: str, account: str, prop: str, start: date, end: date) -> list[str]:
    return [
        "# ----------------------------------------",
        f"# {report}",
        f"# Account: {account}",
        f"# Property: {prop}",
        "# ----------------------------------------",
        "# ",
        "# All Users",
        f"# Start date: {start:%Y%m%d}",
        f"# End date: {end:%Y%m%d}",
    ]


def _ga4_bytes(lines: list[str]) -> bytes:
    """GA4's line ends: CRLF, and no newline after the last row."""
    return "\r\n".join(lines).encode("utf-8")


def write_ga4_traffic(
    path: Path, account: str, prop: str, start: date, end: date, groups: pd.DataFrame
) -> Path:
    """GA4 Traffic acquisition download: one row per session channel group over the window."""
    report = "Traffic acquisition: Session primary channel group (Default Channel Group)"
    lines = [*_ga4_preamble(report, account, prop, start, end), ",".join(GA4_HEADER)]
    for g in _rows(groups.sort_values("sessions", ascending=False)):
        sessions = max(_count(g.sessions), 1)
        engaged = _count(g.engaged_sessions)
        users = _count(g.users)
        key_events = _count(g.key_events)
        seconds = 30 + 40 * engaged / sessions
        lines.append(
            ",".join(
                str(v)
                for v in (
                    g.group, sessions, engaged, _count(g.new_users), users, engaged / sessions,
                    seconds, _count(sessions * 6.8), key_events, key_events / max(users, 1),
                    round(float(g.revenue), 2), 1 - engaged / sessions, seconds * 2.1,
                )
            )
        )  # fmt: skip
    path.write_bytes(_ga4_bytes(lines))
    return path


def write_ga4_by_date(
    path: Path, account: str, prop: str, start: date, end: date, daily: pd.DataFrame
) -> Path:
    """A GA4 report with Date (YYYYMMDD) as its dimension: one row per day."""
    header = "Date,Sessions,Engaged sessions,New users,Total users,Key events,Total revenue"
    lines = [*_ga4_preamble("Reports snapshot: Date", account, prop, start, end), header]
    for d in _rows(daily):
        lines.append(
            f"{d.day:%Y%m%d},{_count(d.sessions)},{_count(d.engaged_sessions)},"
            f"{_count(d.new_users)},{_count(d.users)},{_count(d.key_events)},"
            f"{round(float(d.revenue), 2)}"
        )
    path.write_bytes(_ga4_bytes(lines))
    return path


def write_meta_ads(path: Path, rows: pd.DataFrame) -> Path:
    """Meta Ads Manager CSV: one row per ad and reporting window, currency in the headers."""
    out: list[list[object]] = [list(ADS_HEADER)]
    for r in _rows(rows):
        purchases = _count(r.purchases)
        spend = round(float(r.spend), 2)
        out.append([
            f"{r.start:%Y-%m-%d}", f"{r.end:%Y-%m-%d}", r.ad_name, "active", r.ad_set,
            0, "ABSOLUTE_OCPM", "Using campaign budget", 0, "2026-05-04T10:12:31+0200",
            "7-day click or 1-day view", purchases or "",
            "actions:offsite_conversion.fb_pixel_purchase" if purchases else "",
            _count(r.reach), _count(r.impressions),
            round(spend / purchases, 6) if purchases else "", "Average", "Above average",
            "Average", spend, "Ongoing", purchases or "",
            round(spend / purchases, 6) if purchases else "",
            round(float(r.revenue), 2) if purchases else "",
            round(float(r.revenue) / spend, 6) if purchases and spend else "",
            _count(r.link_clicks),
        ])  # fmt: skip
    path.write_text(_meta_csv(out), encoding="utf-8")
    return path


def write_tidy(path: Path, rows: pd.DataFrame) -> Path:
    """The generic tidy CSV (date,channel,metric,value,account) holding the same numbers."""
    frame = rows[["date", "channel", "metric", "value", "account"]].copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d")
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6g")
    return path
