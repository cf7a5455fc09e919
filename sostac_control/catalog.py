"""The product's vocabulary: channels and metrics, with aggregation kind and definitions.

Everything else (plan validation, importers, the metric engine, pages) takes its words from
here, so that one metric means one thing everywhere (DESIGN.md, "Canonical vocabulary").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

AggregationKind = Literal["sum", "level", "unique", "ratio"]
Direction = Literal["up", "down"]
Unit = Literal["count", "money", "ratio", "hours"]

CATEGORIES: dict[str, str] = {
    "sell": "Sell: grow sales (conversions, revenue, leads)",
    "serve": "Serve: add value, give customers extra benefits (service, answers, support)",
    "sizzle": "Sizzle: extend the brand online (awareness, reach, engagement)",
    "speak": "Speak: get closer to customers, learn from them (conversations, comments)",
    "save": "Save: save money and time (cheaper service, lower cost per result)",
}

PAID_CHANNELS = ("meta_ads", "google_ads", "linkedin_ads", "tiktok_ads")
ORGANIC_CHANNELS = (
    "facebook",
    "instagram",
    "x",
    "linkedin",
    "tiktok",
    "youtube",
    "pinterest",
    "website",
)
CHANNELS: tuple[str, ...] = ORGANIC_CHANNELS + PAID_CHANNELS
ALL_CHANNELS = "all"

CHANNEL_LABELS: dict[str, str] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "pinterest": "Pinterest",
    "website": "Website (web analytics)",
    "meta_ads": "Meta Ads",
    "google_ads": "Google Ads",
    "linkedin_ads": "LinkedIn Ads",
    "tiktok_ads": "TikTok Ads",
    "all": "All channels",
}


@dataclass(frozen=True)
class Metric:
    """A canonical metric: how it aggregates over days and channels, and what it means."""

    name: str
    label: str
    kind: AggregationKind
    unit: Unit
    definition: str
    direction: Direction = "up"
    numerator: str | None = None  # ratio metrics only
    denominator: str | None = None  # ratio metrics only: the default denominator
    allowed_denominators: tuple[str, ...] = ()
    scale: float = 1.0  # ratio metrics: multiply numerator/denominator by this (cpm: 1000)

    @property
    def is_ratio(self) -> bool:
        return self.kind == "ratio"

    @property
    def is_fraction(self) -> bool:
        """A ratio whose natural range is 0..1 (rates), so a target above 1 is suspicious."""
        return self.kind == "ratio" and self.unit == "ratio"


def _sum(name: str, label: str, definition: str, unit: Unit = "count", **kw: object) -> Metric:
    return Metric(name=name, label=label, kind="sum", unit=unit, definition=definition, **kw)  # type: ignore[arg-type]


METRICS: dict[str, Metric] = {
    m.name: m
    for m in [
        _sum("impressions", "Impressions", "Times content was shown on screen (sum over days)."),
        _sum("views", "Views", "Times content was viewed, as the platform counts views."),
        _sum(
            "engagements",
            "Engagements",
            "Interactions with content: reactions, comments, shares, saves and clicks, "
            "as the platform counts them.",
        ),
        _sum("reactions", "Reactions (likes)", "Likes and other reactions."),
        _sum("comments", "Comments", "Comments and replies."),
        _sum("shares", "Shares", "Shares, reposts and retweets."),
        _sum("saves", "Saves", "Saves and bookmarks."),
        _sum("clicks", "Clicks", "All clicks on content or ads."),
        _sum("link_clicks", "Link clicks", "Clicks on links that lead off the platform."),
        _sum("video_views", "Video views", "Video plays as the platform counts them."),
        _sum("profile_visits", "Profile visits", "Visits to the profile or page."),
        _sum("new_followers", "New followers", "Followers gained (sum over days)."),
        _sum("posts", "Posts", "Posts published."),
        _sum("sessions", "Sessions", "Website sessions (web analytics)."),
        _sum("conversions", "Conversions", "Conversions as the source counts them."),
        _sum("leads", "Leads", "Leads (form fills, sign-ups)."),
        _sum("revenue", "Revenue", "Revenue or conversion value.", unit="money"),
        _sum("spend", "Spend", "Media spend.", unit="money", direction="down"),
        _sum("watch_time_hours", "Watch time (hours)", "Hours of video watched.", unit="hours"),
        _sum(
            "hours_worked",
            "Hours worked",
            "People time spent on a channel (a time log: the 3 M's minutes).",
            unit="hours",
        ),
        Metric(
            "followers",
            "Followers",
            kind="level",
            unit="count",
            definition="Followers at the end of the period (the last value, never a sum).",
        ),
        Metric(
            "reach",
            "Reach",
            kind="unique",
            unit="count",
            definition="Unique accounts reached in the period. Not additive over days: the "
            "sum of daily reach overstates unique reach.",
        ),
        Metric(
            "users",
            "Users",
            kind="unique",
            unit="count",
            definition="Unique website users in the period. Not additive over days: the sum "
            "of daily users overstates unique users.",
        ),
        Metric(
            "engagement_rate",
            "Engagement rate",
            kind="ratio",
            unit="ratio",
            definition="Engagements divided by impressions (or reach, or followers, as the "
            "KPI says), as a ratio of the period's sums, never the mean of daily rates.",
            numerator="engagements",
            denominator="impressions",
            allowed_denominators=("impressions", "reach", "followers"),
        ),
        Metric(
            "ctr",
            "Click-through rate",
            kind="ratio",
            unit="ratio",
            definition="Clicks divided by impressions, ratio of the period's sums.",
            numerator="clicks",
            denominator="impressions",
            allowed_denominators=("impressions",),
        ),
        Metric(
            "conversion_rate",
            "Conversion rate",
            kind="ratio",
            unit="ratio",
            definition="Conversions divided by clicks, ratio of the period's sums.",
            numerator="conversions",
            denominator="clicks",
            allowed_denominators=("clicks", "sessions"),
        ),
        Metric(
            "cpc",
            "Cost per click",
            kind="ratio",
            unit="money",
            direction="down",
            definition="Spend divided by clicks over the period.",
            numerator="spend",
            denominator="clicks",
            allowed_denominators=("clicks", "link_clicks"),
        ),
        Metric(
            "cpm",
            "Cost per 1,000 impressions",
            kind="ratio",
            unit="money",
            direction="down",
            definition="Spend divided by impressions, times 1,000, over the period.",
            numerator="spend",
            denominator="impressions",
            allowed_denominators=("impressions",),
            scale=1000.0,
        ),
        Metric(
            "cpa",
            "Cost per acquisition",
            kind="ratio",
            unit="money",
            direction="down",
            definition="Spend divided by conversions over the period.",
            numerator="spend",
            denominator="conversions",
            allowed_denominators=("conversions", "leads"),
        ),
        Metric(
            "roas",
            "Return on ad spend",
            kind="ratio",
            unit="count",
            definition="Revenue divided by spend over the period (2.0 means 2 back per 1 spent).",
            numerator="revenue",
            denominator="spend",
            allowed_denominators=("spend",),
        ),
        Metric(
            "roi",
            "Return on investment",
            kind="ratio",
            unit="ratio",
            definition="(Revenue − cost) / cost, where cost is media spend plus people cost "
            "(hours × hourly rate) from the plan's budget.",
            numerator="revenue",
            denominator="cost",
            allowed_denominators=("cost",),
        ),
    ]
}

# Metrics for which lower is better by default (DESIGN.md: cpa, cpc, cpm, spend).
LOWER_IS_BETTER = frozenset(name for name, m in METRICS.items() if m.direction == "down")


def short_label(channel: str) -> str:
    """A channel's name for a narrow table column: "Website", not "Website (web analytics)"."""
    return CHANNEL_LABELS.get(channel, channel).split(" (")[0]


def get_metric(name: str) -> Metric:
    """The catalogue entry for a canonical metric name; KeyError for an unknown one."""
    return METRICS[name]


def closest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """The nearest valid names to a misspelt one, for "did you mean" hints."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)


def format_value(value: float | None, metric: str, currency: str = "EUR") -> str:
    """A metric value as a reader expects it: 12,345 · 4.52% · €1,234.50 · 3.2×."""
    if value is None:
        return "—"
    m = METRICS.get(metric)
    if m is None:
        return f"{value:,.2f}"
    if m.unit == "ratio":
        return f"{value * 100:,.2f}%"
    if m.unit == "money":
        symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency, currency + " ")
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{abs(value):,.2f}"
    if m.name == "roas":
        return f"{value:,.2f}×"
    if m.unit == "hours":
        return f"{value:,.1f} h"
    if m.unit == "count":
        # Windows spread over days leave float dust (84.00000000000001): a count reads "84".
        value = round(value, 6)
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"
