"""Meta Graph API sources: Facebook Page and post insights, Instagram, Meta Ads insights.

Metric names follow the Graph API as it is today (v23). Meta retired several names; those are
still understood when a user lists them under `metrics:` (for an older API version or a
proxy), and mapped to the same canonical metric as their successor:

| Graph API metric (current)      | canonical      | retired name mapped the same way         |
|---------------------------------|----------------|------------------------------------------|
| page_media_view                 | views          | page_impressions → impressions           |
| page_total_media_view_unique    | reach          | page_impressions_unique (June 2025)      |
| page_follows                    | followers      | page_fans (Nov 2025)                     |
| page_daily_follows_unique       | new_followers  | page_fan_adds, page_fan_adds_unique      |
| page_post_engagements           | engagements    |                                          |
| page_views_total                | profile_visits |                                          |
| page_video_views                | video_views    |                                          |
| post_media_view                 | views          | post_impressions → impressions           |
| post_total_media_view_unique    | reach          | post_impressions_unique (June 2025)      |
| post_reactions_by_type_total    | reactions      | post_reactions_like_total, …_love_total… |
| post_clicks                     | clicks         |                                          |
| post_video_views                | video_views    |                                          |
| Instagram views                 | views          | impressions (v22, 2025) → impressions    |
| Instagram follower_count        | new_followers  |                                          |
| Instagram saved                 | saves          | plays → video_views                      |

Page insights are day totals (`end_time` closes the day); post and media insights are lifetime
values without `end_time`, stored at post grain on the publish day.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sostac_control.api.chunks import Chunk, Row, day_of_end_time, dig, local_day, number, windows
from sostac_control.api.http import ApiSession, PageGuard
from sostac_control.api.links import rebase, without_token
from sostac_control.api.sources import SourceConfig

PAGE_METRICS = {
    "page_media_view": "views",
    "page_total_media_view_unique": "reach",
    "page_follows": "followers",
    "page_daily_follows_unique": "new_followers",
    "page_post_engagements": "engagements",
    "page_views_total": "profile_visits",
    "page_video_views": "video_views",
}
POST_METRICS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_reactions_by_type_total": "reactions",
    "post_clicks": "clicks",
    "post_video_views": "video_views",
}
IG_SERIES_METRICS = {"reach": "reach", "follower_count": "new_followers"}
IG_TOTAL_METRICS = {
    "views": "views",
    "total_interactions": "engagements",
    "likes": "reactions",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "profile_views": "profile_visits",
    "website_clicks": "link_clicks",
}
IG_MEDIA_METRICS = {
    "views": "views",
    "reach": "reach",
    "saved": "saves",
    "shares": "shares",
    "total_interactions": "engagements",
}
DEPRECATED = {
    "page_impressions": "impressions",
    "page_impressions_unique": "reach",
    "page_fans": "followers",
    "page_fan_adds": "new_followers",
    "page_fan_adds_unique": "new_followers",
    "post_impressions": "impressions",
    "post_impressions_unique": "reach",
    "impressions": "impressions",
    "plays": "video_views",
    **{
        f"post_reactions_{kind}_total": "reactions"
        for kind in ("like", "love", "wow", "haha", "sorry", "anger")
    },
}
ADS_FIELDS = {
    "impressions": "impressions",
    "reach": "reach",
    "clicks": "clicks",
    "inline_link_clicks": "link_clicks",
    "spend": "spend",
}
ADS_CONVERSIONS = ("purchase", "offsite_conversion.fb_pixel_purchase")  # the first present wins
ADS_LEADS = ("lead", "onsite_conversion.lead_grouped", "offsite_conversion.fb_pixel_lead")
PAGE_WINDOW_DAYS = 90  # Graph answers at most 93 days of insights per call


def _canonical(name: str, current: dict[str, str]) -> str | None:
    return current.get(name) or DEPRECATED.get(name)


def _pages(session: ApiSession, url: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Follow `paging.next` until it ends, guarding against loops."""
    guard = PageGuard(session)
    next_url: str | None = url
    next_params: dict[str, Any] | None = params
    while next_url:
        guard.check(next_url, next_params)
        page = session.get_json(next_url, next_params)
        if not isinstance(page, dict):
            raise session._fail(
                f"expected a JSON object from {session.redact(next_url)}.",
                "Check base_url in sources.yaml.",
            )
        yield page
        candidate = dig(page, "paging.next")
        # Graph copies the token into its paging links; it travels in the header instead.
        next_url = (
            rebase(without_token(candidate), session.base_url)
            if isinstance(candidate, str)
            else None
        )
        next_params = None


def _insight_values(entries: Any, names: dict[str, str]) -> Iterator[tuple[str, Any, Any]]:
    """(canonical metric, value, end_time or None) from a Graph insights `data` list."""
    by_type_seen = any(
        isinstance(e, dict) and e.get("name") == "post_reactions_by_type_total"
        for e in entries or []
    )
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("name", ""))
        metric = _canonical(name, names)
        if metric is None or entry.get("period") not in (None, "day", "lifetime"):
            continue
        if (
            by_type_seen
            and name.startswith("post_reactions_")
            and name != ("post_reactions_by_type_total")
        ):
            continue  # the same reactions twice
        if "total_value" in entry:
            yield metric, dig(entry, "total_value.value"), None
            continue
        for point in entry.get("values") or []:
            if isinstance(point, dict):
                yield metric, point.get("value"), point.get("end_time")


def page_insights(
    session: ApiSession, source: SourceConfig, since: date, until: date
) -> Iterator[Chunk]:
    """Daily Page insights, a chunk per answered page."""
    metrics = list(source.metrics or PAGE_METRICS)
    for start, end in windows(since, until, PAGE_WINDOW_DAYS):
        params = {
            "metric": ",".join(metrics),
            "period": "day",
            "since": start.isoformat(),
            "until": (end + timedelta(days=1)).isoformat(),
        }
        for page in _pages(session, f"{source.base_url}/{source.id}/insights", params):
            chunk = Chunk(label=f"page insights from {start}")
            for metric, raw, end_time in _insight_values(page.get("data"), PAGE_METRICS):
                value = number(raw)
                if value is None or not end_time:
                    continue
                day = day_of_end_time(str(end_time))
                chunk.records += 1
                if start <= day <= end:
                    chunk.rows.append(Row(metric, day, value))
            days = sorted({r.day for r in chunk.rows})
            if days:
                chunk.label = f"page insights {days[0]}…{days[-1]}"
            if not chunk.rows:
                break  # Graph's next link runs on past the period asked for
            yield chunk


def post_insights(
    session: ApiSession, source: SourceConfig, since: date, until: date
) -> Iterator[Chunk]:
    """Posts published in [since, until] with their lifetime insights; a chunk per list page."""
    metrics = ",".join(source.metrics or POST_METRICS)
    params = {
        "fields": "id,created_time,message,permalink_url,status_type,shares,"
        "comments.summary(true).limit(0)",
        "since": since.isoformat(),
        "until": (until + timedelta(days=1)).isoformat(),
        "limit": 25,
    }
    for page in _pages(session, f"{source.base_url}/{source.id}/posts", params):
        chunk = Chunk(label="posts")
        for post in page.get("data") or []:
            if not isinstance(post, dict) or not post.get("id") or not post.get("created_time"):
                continue
            day, published = local_day(str(post["created_time"]), source.timezone)
            if not since <= day <= until:
                continue
            post_id = str(post["id"])
            chunk.records += 1
            chunk.posts.append(
                {
                    "post_id": post_id,
                    "published_at": published,
                    "post_type": post.get("status_type"),
                    "text": post.get("message"),
                    "permalink": post.get("permalink_url"),
                    "labels": None,
                }
            )
            chunk.rows.append(Row("posts", day, 1.0, item=post_id))
            for metric, path in (
                ("comments", "comments.summary.total_count"),
                ("shares", "shares.count"),
            ):
                value = number(dig(post, path))
                if value is not None or metric == "shares":  # no `shares` means none
                    chunk.rows.append(Row(metric, day, value or 0.0, item=post_id))
            insights = session.get_json(
                f"{source.base_url}/{post_id}/insights", {"metric": metrics}
            )
            lifetime: dict[str, float] = {}
            for metric, raw, _ in _insight_values(dig(insights, "data"), POST_METRICS):
                value = number(raw)
                if value is not None:  # retired per-type reactions (like, love, …) add up
                    lifetime[metric] = lifetime.get(metric, 0.0) + value
            chunk.rows.extend(Row(m, day, v, item=post_id) for m, v in lifetime.items())
        if chunk.posts:
            days = sorted(p["published_at"].date() for p in chunk.posts)
            chunk.label = f"{len(chunk.posts)} post(s) {days[0]}…{days[-1]}"
        yield chunk


def instagram(
    session: ApiSession, source: SourceConfig, since: date, until: date
) -> Iterator[Chunk]:
    """Instagram account insights per day, then media published in the period."""
    url = f"{source.base_url}/{source.id}/insights"
    wanted = source.metrics or (*IG_SERIES_METRICS, *IG_TOTAL_METRICS)
    series = [m for m in wanted if m in IG_SERIES_METRICS or m == "impressions"]
    totals = [m for m in wanted if m not in series]
    names = {**IG_SERIES_METRICS, **IG_TOTAL_METRICS}
    if series:
        for start, end in windows(since, until, 30):
            params = {
                "metric": ",".join(series),
                "period": "day",
                "since": start.isoformat(),
                "until": (end + timedelta(days=1)).isoformat(),
            }
            page = session.get_json(url, {**params})
            chunk = Chunk(label=f"Instagram account {start}…{end}")
            for metric, raw, end_time in _insight_values(dig(page, "data"), names):
                value = number(raw)
                if value is not None and end_time:
                    day = day_of_end_time(str(end_time))
                    chunk.records += 1
                    if start <= day <= end:
                        chunk.rows.append(Row(metric, day, value))
            yield chunk
    if totals:
        day = since
        while day <= until:
            params = {
                "metric": ",".join(totals),
                "period": "day",
                "metric_type": "total_value",
                "since": day.isoformat(),
                "until": (day + timedelta(days=1)).isoformat(),
            }
            page = session.get_json(url, {**params})
            chunk = Chunk(label=f"Instagram account totals {day}")
            for metric, raw, _ in _insight_values(dig(page, "data"), names):
                value = number(raw)
                if value is not None:
                    chunk.records += 1
                    chunk.rows.append(Row(metric, day, value))
            yield chunk
            day += timedelta(days=1)
    yield from _instagram_media(session, source, since, until)


def _instagram_media(
    session: ApiSession, source: SourceConfig, since: date, until: date
) -> Iterator[Chunk]:
    params = {
        "fields": "id,timestamp,media_type,caption,permalink,like_count,comments_count",
        "limit": 50,
    }
    for page in _pages(session, f"{source.base_url}/{source.id}/media", params):
        chunk = Chunk(label="Instagram media")
        older = False
        for media in page.get("data") or []:
            if not isinstance(media, dict) or not media.get("id") or not media.get("timestamp"):
                continue
            day, published = local_day(str(media["timestamp"]), source.timezone)
            older = older or day < since
            if not since <= day <= until:
                continue
            media_id = str(media["id"])
            chunk.records += 1
            chunk.posts.append(
                {
                    "post_id": media_id,
                    "published_at": published,
                    "post_type": media.get("media_type"),
                    "text": media.get("caption"),
                    "permalink": media.get("permalink"),
                    "labels": None,
                }
            )
            chunk.rows.append(Row("posts", day, 1.0, item=media_id))
            for metric, key in (("reactions", "like_count"), ("comments", "comments_count")):
                value = number(media.get(key))
                if value is not None:
                    chunk.rows.append(Row(metric, day, value, item=media_id))
            insights = session.get_json(
                f"{source.base_url}/{media_id}/insights", {"metric": ",".join(IG_MEDIA_METRICS)}
            )
            for metric, raw, _ in _insight_values(dig(insights, "data"), IG_MEDIA_METRICS):
                value = number(raw)
                if value is not None:
                    chunk.rows.append(Row(metric, day, value, item=media_id))
        yield chunk
        if older:
            break  # media come newest first: the rest is before the period


def ads_insights(
    session: ApiSession, source: SourceConfig, since: date, until: date
) -> Iterator[Chunk]:
    """Meta Ads account insights, one row per day (time_increment=1)."""
    account = source.id if source.id.startswith("act_") else f"act_{source.id}"
    fields = [*ADS_FIELDS, "actions", "action_values", "account_currency"]
    params = {
        "level": "account",
        "time_increment": 1,
        "fields": ",".join(fields),
        "time_range": json.dumps({"since": since.isoformat(), "until": until.isoformat()}),
        "limit": 100,
    }
    for page in _pages(session, f"{source.base_url}/{account}/insights", params):
        chunk = Chunk(label="ads insights")
        for record in page.get("data") or []:
            if not isinstance(record, dict) or not record.get("date_start"):
                continue
            day = date.fromisoformat(str(record["date_start"])[:10])
            currency = record.get("account_currency")
            chunk.records += 1
            for name, metric in ADS_FIELDS.items():
                value = number(record.get(name))
                if value is not None:
                    chunk.rows.append(
                        Row(metric, day, value, currency=currency if metric == "spend" else None)
                    )
            actions = _actions(record.get("actions"))
            values = _actions(record.get("action_values"))
            for metric, types, found, money in (
                ("conversions", ADS_CONVERSIONS, actions, False),
                ("leads", ADS_LEADS, actions, False),
                ("revenue", ADS_CONVERSIONS, values, True),
            ):
                hit = next((found[t] for t in types if t in found), None)
                if hit is not None:
                    chunk.rows.append(Row(metric, day, hit, currency=currency if money else None))
        if chunk.rows:
            days = sorted({r.day for r in chunk.rows})
            chunk.label = f"ads insights {days[0]}…{days[-1]}"
        yield chunk


def _actions(entries: Any) -> dict[str, float]:
    found: dict[str, float] = {}
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("action_type"):
            value = number(entry.get("value"))
            if value is not None:
                found[str(entry["action_type"])] = value
    return found
