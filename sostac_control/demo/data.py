"""The demo's numbers: 26 weeks of a fictional Dutch coffee bar's social media, seeded.

Everything comes from one numpy Generator, so the same seed and as-of date give the same
numbers. `tidy_rows` gives the same numbers day by day (the tidy CSV fallback, and the basis
for the demo plan's targets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

WEEKS = 26
BRAND = "Koffiebar Noord"
HANDLE = "koffiebarnoord"
ACCOUNTS = {
    "facebook": BRAND,
    "instagram": HANDLE,
    "x": HANDLE,
    "linkedin": BRAND,
    "website": "Koffiebar Noord GA4",
    "meta_ads": "Koffiebar Noord Ads",
}
DROP = 0.70  # Facebook falls to 70% of its level DROP_DAYS before as-of: the drifting objective
DROP_DAYS = 42
# Share of its lifetime figures a post has gathered by its age in days (0 = publish day): the
# engine's default maturity curve (engine/maturity.py DEFAULT_CURVE; the demo may not import the
# engine, so a test keeps the two equal). The newest posts of a post export are this young.
YOUNG_POST_SHARE = np.array([0.45, 0.70, 0.82, 0.89, 0.93, 0.95, 0.97, 0.98, 0.99])

CAPTIONS = [
    "Nieuwe herfstblend: hazelnoot & karamel 🌰☕",
    "Maandagochtend? Eerst koffie. Tot zo aan de Noordstraat!",
    "Onze barista Sanne laat zien hoe je thuis de perfecte flat white maakt",
    "Vers gebrande bonen uit Huehuetenango, Guatemala 🇬🇹",
    "Zaterdagmarkt: proef gratis onze cold brew tussen 10 en 12 uur",
    "Werken bij Koffiebar Noord? We zoeken een barista (32 uur) 👋",
    "Van boon tot kop: zo branden we elke dinsdag ☕🔥\nLees het hele verhaal op onze site",
    "Havermelk zonder meerprijs, de hele maand!",
    "Kantoor vol koffieliefhebbers? Vraag ons zakelijke abonnement aan",
    "Bedankt voor 5 jaar Koffiebar Noord 💛 #koffie #amsterdamnoord",
]


@dataclass
class DemoData:
    """The generated numbers: post tables, daily tables and window tables per channel."""

    days: pd.DatetimeIndex
    facebook_daily: pd.DataFrame
    facebook_posts: pd.DataFrame
    instagram_posts: pd.DataFrame
    x_posts: pd.DataFrame
    linkedin_daily: pd.DataFrame
    linkedin_posts: pd.DataFrame
    ga4_daily: pd.DataFrame
    ads: pd.DataFrame


# --- generating ------------------------------------------------------------------

# Monday … Sunday: a coffee bar's week (busy weekends); LinkedIn is the reverse.
WEEKDAY_CAFE = np.array([0.85, 0.9, 0.95, 1.0, 1.05, 1.2, 1.1])
WEEKDAY_OFFICE = np.array([1.1, 1.25, 1.25, 1.15, 0.95, 0.6, 0.55])


def _trend(days: pd.DatetimeIndex, growth: float) -> np.ndarray:
    """1 at the first day, 1 + growth at the last."""
    return 1 + growth * np.linspace(0, 1, len(days))


def _drop(days: pd.DatetimeIndex, as_of: date) -> np.ndarray:
    cut = pd.Timestamp(as_of - timedelta(days=DROP_DAYS))
    return np.where(days >= cut, DROP, 1.0)


def _posts(
    rng: np.random.Generator, days: pd.DatetimeIndex, weekdays: tuple[int, ...], level: np.ndarray
) -> pd.DataFrame:
    """A posting schedule (these weekdays, in opening hours; now and then a post is skipped or
    one extra goes out) and each post's size factor."""
    rows = []
    for i, day in enumerate(days):
        n = int(day.dayofweek in weekdays) - int(rng.random() < 0.08) + int(rng.random() < 0.08)
        for _ in range(max(n, 0)):
            minute = int(rng.integers(7 * 60, 21 * 60))
            published = day.to_pydatetime() + timedelta(minutes=minute)
            rows.append({"published": published, "size": level[i] * rng.lognormal(0, 0.35)})
    frame = pd.DataFrame(rows)
    frame["text"] = [CAPTIONS[int(k)] for k in rng.integers(0, len(CAPTIONS), len(frame))]
    return frame


def _ids(rng: np.random.Generator, prefix: str, digits: int, n: int) -> list[str]:
    tails = rng.choice(10 ** min(digits - len(prefix), 15), size=n, replace=False)
    width = digits - len(prefix)
    return [f"{prefix}{int(t):0{width}d}" for t in tails]


def _rate(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    """A per-post rate around `mean` (beta-distributed, so it stays in 0..1)."""
    k = 200.0
    return rng.beta(mean * k, (1 - mean) * k, n)


def _young_share(posts: pd.DataFrame, as_of: date) -> np.ndarray:
    """Share of its lifetime figures each post has gathered by as_of."""
    age = np.array([(as_of - p.date()).days for p in posts["published"]])
    young = np.clip(age, 0, len(YOUNG_POST_SHARE) - 1)
    return np.where(age < len(YOUNG_POST_SHARE), YOUNG_POST_SHARE[young], 1.0)


def generate(as_of: date, seed: int) -> DemoData:
    """The demo's numbers for the WEEKS weeks that end on `as_of`."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(as_of - timedelta(days=7 * WEEKS - 1), as_of, freq="D")
    dow = days.dayofweek.to_numpy()
    n = len(days)

    # Facebook: page series (daily) and a post export; both fall by 30% DROP_DAYS before as-of.
    fb_level = _trend(days, 0.15) * _drop(days, as_of)
    fb_views = 1800 * fb_level * WEEKDAY_CAFE[dow] * rng.lognormal(0, 0.18, n)
    facebook_daily = pd.DataFrame(
        {
            "day": days,
            "views": fb_views,
            "reach": fb_views * rng.uniform(0.52, 0.6, n),
            "follows": rng.poisson(3 * fb_level),
            "interactions": fb_views * _rate(rng, 0.045, n),
        }
    )
    fb = _posts(rng, days, (0, 2, 4, 5), fb_level)
    fb["post_id"] = _ids(rng, "1221", 18, len(fb))
    fb["post_type"] = rng.choice(["Photos", "Photos", "Reels", "Links"], len(fb))
    fb["views"] = 1100 * fb["size"]
    fb["reach"] = fb["views"] * 0.7
    fb["reactions"] = fb["views"] * _rate(rng, 0.03, len(fb))
    fb["comments"] = fb["views"] * _rate(rng, 0.006, len(fb))
    fb["shares"] = fb["views"] * _rate(rng, 0.004, len(fb))
    fb["clicks"] = fb["views"] * _rate(rng, 0.02, len(fb))
    fb["link_clicks"] = fb["clicks"] * rng.uniform(0.4, 0.7, len(fb))
    fb["follows"] = fb["views"] * _rate(rng, 0.001, len(fb))

    # Instagram: posts only; steady growth (the on-track objective).
    ig = _posts(rng, days, (0, 2, 4, 5, 6), _trend(days, 0.6) * WEEKDAY_CAFE[dow])
    ig["post_id"] = _ids(rng, "179", 17, len(ig))
    ig["shortcode"] = [f"C{int(k):09d}" for k in rng.integers(0, 10**9, len(ig))]
    ig["post_type"] = rng.choice(["IG image", "IG carousel", "IG reel"], len(ig))
    ig["views"] = 2400 * ig["size"] * np.where(ig["post_type"] == "IG reel", 1.8, 1.0)
    ig["reach"] = ig["views"] * 0.62
    for column, mean in (
        ("likes", 0.045),
        ("comments", 0.004),
        ("shares", 0.006),
        ("saves", 0.008),
        ("follows", 0.002),
    ):
        ig[column] = ig["views"] * _rate(rng, mean, len(ig))
    # The export is pulled on as_of: the newest posts have gathered only part of their figures
    # yet (the status engine corrects for it: maturity.py).
    share = _young_share(ig, as_of)
    for column in ("views", "reach", "likes", "comments", "shares", "saves", "follows"):
        ig[column] = ig[column] * share

    # X: posts; engagement rate around 5% (the ratio KPI).
    xp = _posts(rng, days, (0, 1, 2, 3, 4, 5), _trend(days, 0.1))
    xp["post_id"] = _ids(rng, "18", 19, len(xp))
    xp["impressions"] = 900 * xp["size"]
    parts = {
        "likes": 0.022,
        "replies": 0.004,
        "reposts": 0.003,
        "bookmarks": 0.002,
        "url_clicks": 0.006,
        "profile_visits": 0.006,
        "detail_expands": 0.007,
        "permalink_clicks": 0.002,
        "new_follows": 0.001,
        "shares": 0.001,
    }
    for column, mean in parts.items():
        xp[column] = np.round(xp["impressions"] * _rate(rng, mean, len(xp)))
    xp["engagements"] = xp[[c for c in parts if c not in ("new_follows", "shares")]].sum(axis=1)
    x_share = _young_share(xp, as_of)
    for column in ("impressions", "engagements", *parts):
        xp[column] = np.round(xp[column] * x_share)

    # LinkedIn: a page with office customers; weekday-heavy daily metrics and a few posts.
    li_level = 320 * _trend(days, 0.25) * WEEKDAY_OFFICE[dow] * rng.lognormal(0, 0.2, n)
    linkedin_daily = pd.DataFrame({"day": days, "impressions": li_level})
    for column, mean in (
        ("clicks", 0.02),
        ("reactions", 0.025),
        ("comments", 0.003),
        ("reposts", 0.002),
    ):
        linkedin_daily[column] = rng.poisson(li_level * mean)
    linkedin_daily["unique_impressions"] = li_level * 0.6
    li = _posts(rng, days, (1, 3), _trend(days, 0.25))
    li["post_id"] = _ids(rng, "7", 19, len(li))
    li["impressions"] = 700 * li["size"]
    li["views"] = li["impressions"] * 0.1
    li["content_type"] = rng.choice(["Image", "Article", "Video"], len(li))
    for column, mean in (
        ("clicks", 0.02),
        ("likes", 0.025),
        ("comments", 0.003),
        ("reposts", 0.002),
        ("follows", 0.004),
    ):
        li[column] = li["impressions"] * _rate(rng, mean, len(li))

    return DemoData(
        days=days,
        facebook_daily=facebook_daily,
        facebook_posts=fb,
        instagram_posts=ig,
        x_posts=xp,
        linkedin_daily=linkedin_daily,
        linkedin_posts=li,
        ga4_daily=_ga4_daily(rng, days),
        ads=_ads(rng, days),
    )


GA4_GROUPS = {  # share of sessions, key event rate
    "Organic Social": (0.34, 0.016),
    "Direct": (0.22, 0.03),
    "Organic Search": (0.2, 0.025),
    "Paid Social": (0.14, 0.022),
    "Referral": (0.06, 0.02),
    "Email": (0.04, 0.05),
}


def _weeks(days: pd.DatetimeIndex) -> list[tuple[date, date]]:
    """Monday-to-Sunday windows covering the days (the last one may be cut at as-of)."""
    first, last = days[0].date(), days[-1].date()
    start = first - timedelta(days=first.weekday())
    windows = []
    while start <= last:
        windows.append((max(start, first), min(start + timedelta(days=6), last)))
        start += timedelta(days=7)
    return windows


def _ga4_daily(rng: np.random.Generator, days: pd.DatetimeIndex) -> pd.DataFrame:
    """Website sessions, users, key events and revenue per day and session channel group."""
    level = 310 * _trend(days, 0.2) * WEEKDAY_CAFE[days.dayofweek.to_numpy()]
    rows = []
    for i, day in enumerate(days):
        day_sessions = float(level[i]) * rng.lognormal(0, 0.12)
        for group, (share, key_rate) in GA4_GROUPS.items():
            sessions = round(max(day_sessions * share * rng.lognormal(0, 0.1), 1.0))
            key_events = int(rng.poisson(sessions * key_rate))
            rows.append(
                {
                    "day": day,
                    "group": group,
                    "sessions": sessions,
                    "engaged_sessions": round(sessions * 0.61),
                    "new_users": round(sessions * 0.58),
                    "users": round(sessions * 0.8),
                    "key_events": key_events,
                    "revenue": round(key_events * float(rng.uniform(18, 26)), 2),
                }
            )
    return pd.DataFrame(rows)


def months(days: pd.DatetimeIndex) -> list[tuple[date, date]]:
    """Calendar months covering the days, the first and last cut to the days."""
    first, last = days[0].date(), days[-1].date()
    windows = []
    start = first
    while start <= last:
        next_month = (pd.Timestamp(start) + pd.offsets.MonthBegin(1)).date()
        windows.append((start, min(next_month - timedelta(days=1), last)))
        start = next_month
    return windows


ADS = [  # ad name, ad set, share of spend
    ("Herfstblend 2026 - reel", "Amsterdam Noord 25-44", 0.5),
    ("Zakelijk abonnement - carrousel", "Kantoren Amsterdam", 0.3),
    ("Cold brew - retargeting", "Websitebezoekers 30 dagen", 0.2),
]


def _ads(rng: np.random.Generator, days: pd.DatetimeIndex) -> pd.DataFrame:
    rows = []
    for start, end in _weeks(days):
        n_days = (end - start).days + 1
        for name, ad_set, share in ADS:
            spend = 62 * share * n_days * rng.lognormal(0, 0.1)
            impressions = spend / rng.uniform(7.5, 9.5) * 1000
            rows.append(
                {
                    "start": start,
                    "end": end,
                    "ad_name": name,
                    "ad_set": ad_set,
                    "spend": spend,
                    "impressions": impressions,
                    "reach": impressions * 0.45,
                    "link_clicks": impressions * rng.uniform(0.009, 0.013),
                    "purchases": rng.poisson(spend / 19.0),
                    "revenue": 0.0,
                }
            )
    frame = pd.DataFrame(rows)
    frame["revenue"] = frame["purchases"] * rng.uniform(28, 36, len(frame))
    return frame


# --- the same numbers, day by day, as tidy rows -----------------------------------------------


def _per_day(
    channel: str, frame: pd.DataFrame, day_column: str, metrics: dict[str, str]
) -> pd.DataFrame:
    days = pd.to_datetime(frame[day_column]).dt.normalize()
    out = frame[list(metrics)].round().groupby(days).sum().rename(columns=metrics)
    long = out.reset_index(names="date").melt(id_vars="date", var_name="metric")
    long["channel"], long["account"] = channel, ACCOUNTS[channel]
    return long


def _spread(windows: pd.DataFrame, channel: str, metrics: dict[str, str]) -> pd.DataFrame:
    """Window rows spread evenly over their days (the metric engine's own rule)."""
    rows: list[dict[str, Any]] = []
    for w in windows.to_dict("records"):
        window_days = pd.date_range(w["start"], w["end"], freq="D")
        for column, metric in metrics.items():
            value = float(w[column]) / len(window_days)
            rows.extend({"date": d, "metric": metric, "value": value} for d in window_days)
    frame = (
        pd.DataFrame(rows).groupby(["date", "metric"], as_index=False).agg(value=("value", "sum"))
    )
    frame["channel"], frame["account"] = channel, ACCOUNTS[channel]
    return frame


# Generated column → canonical metric, per table: what each export's importer reads it as.
# fmt: off
TIDY_METRICS: dict[str, dict[str, str]] = {
    "facebook_daily": {"views": "views", "reach": "reach", "follows": "new_followers",
                       "interactions": "engagements"},
    "facebook_posts": {"reactions": "reactions", "comments": "comments", "shares": "shares",
                       "clicks": "clicks"},
    "instagram_posts": {"views": "views", "reach": "reach", "likes": "reactions",
                        "comments": "comments", "shares": "shares", "saves": "saves",
                        "follows": "new_followers"},
    "x_posts": {"impressions": "impressions", "engagements": "engagements", "likes": "reactions",
                "replies": "comments", "reposts": "shares", "bookmarks": "saves",
                "url_clicks": "link_clicks", "profile_visits": "profile_visits",
                "new_follows": "new_followers"},
    "linkedin_daily": {"impressions": "impressions", "clicks": "clicks",
                       "reactions": "reactions", "comments": "comments", "reposts": "shares"},
    "ga4_daily": {"sessions": "sessions", "users": "users", "key_events": "conversions",
                  "revenue": "revenue"},
    "ads": {"spend": "spend", "impressions": "impressions", "reach": "reach",
            "link_clicks": "link_clicks", "purchases": "conversions", "revenue": "revenue"},
}
# fmt: on


def tidy_rows(data: DemoData) -> dict[str, pd.DataFrame]:
    """Per channel, the demo's numbers as tidy rows (date, channel, metric, value, account)."""
    m = TIDY_METRICS
    return {
        "facebook": pd.concat(
            [
                _per_day("facebook", data.facebook_daily, "day", m["facebook_daily"]),
                _per_day("facebook", data.facebook_posts, "published", m["facebook_posts"]),
            ]
        ),
        "instagram": _per_day("instagram", data.instagram_posts, "published", m["instagram_posts"]),
        "x": _per_day("x", data.x_posts, "published", m["x_posts"]),
        "linkedin": _per_day("linkedin", data.linkedin_daily, "day", m["linkedin_daily"]),
        "website": _per_day("website", data.ga4_daily, "day", m["ga4_daily"]),
        "meta_ads": _spread(data.ads, "meta_ads", m["ads"]),
    }
