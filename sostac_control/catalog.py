"""The product's vocabulary: channels and metrics, with aggregation kind and definitions.

Everything else (plan validation, importers, the metric engine, pages) takes its words from
here, so that one metric means one thing everywhere (DESIGN.md, "Canonical vocabulary").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from sostac_control.i18n import N_, Labels, _
from sostac_control.i18n import formats as fmt

AggregationKind = Literal["sum", "level", "unique", "ratio"]
Direction = Literal["up", "down"]
Unit = Literal["count", "money", "ratio", "hours"]

CATEGORIES: Labels = Labels(
    {
        "sell": N_("Sell: grow sales (conversions, revenue, leads)"),
        "serve": N_("Serve: add value, give customers extra benefits (service, answers, support)"),
        "sizzle": N_("Sizzle: extend the brand online (awareness, reach, engagement)"),
        "speak": N_("Speak: get closer to customers, learn from them (conversations, comments)"),
        "save": N_("Save: save money and time (cheaper service, lower cost per result)"),
    }
)

# The 5 S's in running text: the codes in English, the words Dutch teams plan with in Dutch.
CATEGORY_WORDS: Labels = Labels(
    {
        "sell": N_("sell"),
        "serve": N_("serve"),
        "sizzle": N_("sizzle"),
        "speak": N_("speak"),
        "save": N_("save"),
    }
)

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

CHANNEL_LABELS: Labels = Labels(
    {
        "facebook": N_("Facebook"),
        "instagram": N_("Instagram"),
        "x": N_("X"),
        "linkedin": N_("LinkedIn"),
        "tiktok": N_("TikTok"),
        "youtube": N_("YouTube"),
        "pinterest": N_("Pinterest"),
        "website": N_("Website (web analytics)"),
        "meta_ads": N_("Meta Ads"),
        "google_ads": N_("Google Ads"),
        "linkedin_ads": N_("LinkedIn Ads"),
        "tiktok_ads": N_("TikTok Ads"),
        "all": N_("All channels"),
    }
)


@dataclass(frozen=True)
class Metric:
    """A canonical metric: how it aggregates over days and channels, and what it means."""

    name: str
    label_en: str  # English, marked for translation; `label` is in the current language
    kind: AggregationKind
    unit: Unit
    definition_en: str
    direction: Direction = "up"
    numerator: str | None = None  # ratio metrics only
    denominator: str | None = None  # ratio metrics only: the default denominator
    allowed_denominators: tuple[str, ...] = ()
    scale: float = 1.0  # ratio metrics: multiply numerator/denominator by this (cpm: 1000)

    @property
    def label(self) -> str:
        """The metric's name in words, in the current language: "Bereik"."""
        return _(self.label_en)

    @property
    def definition(self) -> str:
        """What the metric means, in the current language."""
        return _(self.definition_en)

    @property
    def is_ratio(self) -> bool:
        return self.kind == "ratio"

    @property
    def is_fraction(self) -> bool:
        """A ratio whose natural range is 0..1 (rates), so a target above 1 is suspicious."""
        return self.kind == "ratio" and self.unit == "ratio"


def _sum(name: str, label: str, definition: str, unit: Unit = "count", **kw: object) -> Metric:
    return Metric(name=name, label_en=label, kind="sum", unit=unit, definition_en=definition, **kw)  # type: ignore[arg-type]


METRICS: dict[str, Metric] = {
    m.name: m
    for m in [
        _sum(
            "impressions",
            N_("Impressions"),
            N_("Times content was shown on screen (sum over days)."),
        ),
        _sum("views", N_("Views"), N_("Times content was viewed, as the platform counts views.")),
        _sum(
            "engagements",
            N_("Engagements"),
            N_(
                "Interactions with content: reactions, comments, shares, saves and clicks, "
                "as the platform counts them."
            ),
        ),
        _sum("reactions", N_("Reactions (likes)"), N_("Likes and other reactions.")),
        _sum("comments", N_("Comments"), N_("Comments and replies.")),
        _sum("shares", N_("Shares"), N_("Shares, reposts and retweets.")),
        _sum("saves", N_("Saves"), N_("Saves and bookmarks.")),
        _sum("clicks", N_("Clicks"), N_("All clicks on content or ads.")),
        _sum("link_clicks", N_("Link clicks"), N_("Clicks on links that lead off the platform.")),
        _sum("video_views", N_("Video views"), N_("Video plays as the platform counts them.")),
        _sum("profile_visits", N_("Profile visits"), N_("Visits to the profile or page.")),
        _sum("new_followers", N_("New followers"), N_("Followers gained (sum over days).")),
        _sum("posts", N_("Posts"), N_("Posts published.")),
        _sum("sessions", N_("Sessions"), N_("Website sessions (web analytics).")),
        _sum("conversions", N_("Conversions"), N_("Conversions as the source counts them.")),
        _sum("leads", N_("Leads"), N_("Leads (form fills, sign-ups).")),
        _sum("revenue", N_("Revenue"), N_("Revenue or conversion value."), unit="money"),
        _sum("spend", N_("Spend"), N_("Media spend."), unit="money", direction="down"),
        _sum(
            "watch_time_hours",
            N_("Watch time (hours)"),
            N_("Hours of video watched."),
            unit="hours",
        ),
        _sum(
            "hours_worked",
            N_("Hours worked"),
            N_("People time spent on a channel (a time log: the 3 M's minutes)."),
            unit="hours",
        ),
        Metric(
            "followers",
            N_("Followers"),
            kind="level",
            unit="count",
            definition_en=N_("Followers at the end of the period (the last value, never a sum)."),
        ),
        Metric(
            "reach",
            N_("Reach"),
            kind="unique",
            unit="count",
            definition_en=N_(
                "Unique accounts reached in the period. Not additive over days: the "
                "sum of daily reach overstates unique reach."
            ),
        ),
        Metric(
            "users",
            N_("Users"),
            kind="unique",
            unit="count",
            definition_en=N_(
                "Unique website users in the period. Not additive over days: the sum "
                "of daily users overstates unique users."
            ),
        ),
        Metric(
            "engagement_rate",
            N_("Engagement rate"),
            kind="ratio",
            unit="ratio",
            definition_en=N_(
                "Engagements divided by impressions (or reach, or followers, as the "
                "KPI says), as a ratio of the period's sums, never the mean of daily rates."
            ),
            numerator="engagements",
            denominator="impressions",
            allowed_denominators=("impressions", "reach", "followers"),
        ),
        Metric(
            "ctr",
            N_("Click-through rate"),
            kind="ratio",
            unit="ratio",
            definition_en=N_("Clicks divided by impressions, ratio of the period's sums."),
            numerator="clicks",
            denominator="impressions",
            allowed_denominators=("impressions",),
        ),
        Metric(
            "conversion_rate",
            N_("Conversion rate"),
            kind="ratio",
            unit="ratio",
            definition_en=N_("Conversions divided by clicks, ratio of the period's sums."),
            numerator="conversions",
            denominator="clicks",
            allowed_denominators=("clicks", "sessions"),
        ),
        Metric(
            "cpc",
            N_("Cost per click"),
            kind="ratio",
            unit="money",
            direction="down",
            definition_en=N_("Spend divided by clicks over the period."),
            numerator="spend",
            denominator="clicks",
            allowed_denominators=("clicks", "link_clicks"),
        ),
        Metric(
            "cpm",
            N_("Cost per 1,000 impressions"),
            kind="ratio",
            unit="money",
            direction="down",
            definition_en=N_("Spend divided by impressions, times 1,000, over the period."),
            numerator="spend",
            denominator="impressions",
            allowed_denominators=("impressions",),
            scale=1000.0,
        ),
        Metric(
            "cpa",
            N_("Cost per acquisition"),
            kind="ratio",
            unit="money",
            direction="down",
            definition_en=N_("Spend divided by conversions over the period."),
            numerator="spend",
            denominator="conversions",
            allowed_denominators=("conversions", "leads"),
        ),
        Metric(
            "roas",
            N_("Return on ad spend"),
            kind="ratio",
            unit="count",
            definition_en=N_(
                "Revenue divided by spend over the period (2.0 means 2 back per 1 spent)."
            ),
            numerator="revenue",
            denominator="spend",
            allowed_denominators=("spend",),
        ),
        Metric(
            "roi",
            N_("Return on investment"),
            kind="ratio",
            unit="ratio",
            definition_en=N_(
                "(Revenue − cost) / cost, where cost is media spend plus people cost "
                "(hours × hourly rate) from the plan's budget."
            ),
            numerator="revenue",
            denominator="cost",
            allowed_denominators=("cost",),
        ),
    ]
}

# A metric in running text, lower case: "link clicks" / "linkklikken".
METRIC_WORDS: Labels = Labels(
    {
        "impressions": N_("impressions"),
        "views": N_("views"),
        "engagements": N_("engagements"),
        "reactions": N_("reactions"),
        "comments": N_("comments"),
        "shares": N_("shares"),
        "saves": N_("saves"),
        "clicks": N_("clicks"),
        "link_clicks": N_("link clicks"),
        "video_views": N_("video views"),
        "profile_visits": N_("profile visits"),
        "new_followers": N_("new followers"),
        "posts": N_("posts"),
        "sessions": N_("sessions"),
        "conversions": N_("conversions"),
        "leads": N_("leads"),
        "revenue": N_("revenue"),
        "spend": N_("spend"),
        "watch_time_hours": N_("watch time hours"),
        "hours_worked": N_("hours worked"),
        "followers": N_("followers"),
        "reach": N_("reach"),
        "users": N_("users"),
        "engagement_rate": N_("engagement rate"),
        "ctr": N_("ctr"),
        "conversion_rate": N_("conversion rate"),
        "cpc": N_("cpc"),
        "cpm": N_("cpm"),
        "cpa": N_("cpa"),
        "roas": N_("roas"),
        "roi": N_("roi"),
    }
)

# Metrics for which lower is better by default (DESIGN.md: cpa, cpc, cpm, spend).
LOWER_IS_BETTER = frozenset(name for name, m in METRICS.items() if m.direction == "down")


def short_label(channel: str) -> str:
    """A channel's name for a narrow table column: "Website", not "Website (web analytics)"."""
    return CHANNEL_LABELS.get(channel, channel).split(" (")[0]


def metric_words(name: str) -> str:
    """A metric (or any column name) in running text: "link clicks"; Dutch "linkklikken"."""
    return METRIC_WORDS[name] if name in METRIC_WORDS else _(name.replace("_", " "))


def get_metric(name: str) -> Metric:
    """The catalogue entry for a canonical metric name; KeyError for an unknown one."""
    return METRICS[name]


def closest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """The nearest valid names to a misspelt one, for "did you mean" hints."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)


def format_value(value: float | None, metric: str, currency: str = "EUR") -> str:
    """A metric value as a reader expects it: 12,345 · 4.52% · €1,234.50 · 3.2× (English),
    12.345 · 4,52% · € 1.234,50 · 3,2× (Dutch)."""
    if value is None:
        return "—"
    m = METRICS.get(metric)
    if m is None:
        return fmt.number(value, 2)
    if m.unit == "ratio":
        return fmt.percent(value, 2)
    if m.unit == "money":
        return fmt.money(value, currency)
    if m.name == "roas":
        return f"{fmt.number(value, 2)}×"
    if m.unit == "hours":
        return _("{hours} h").format(hours=fmt.number(value, 1))
    if m.unit == "count":
        # Windows spread over days leave float dust (84.00000000000001): a count reads "84".
        value = round(value, 6)
    if abs(value) >= 100 or float(value).is_integer():
        return fmt.number(value)
    return fmt.number(value, 1)
