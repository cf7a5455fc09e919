"""Content performance: the posts of a period with their metrics, best and worst posts,
performance by post type and by weekday and hour, and the share of promotional posts.

Engagement rate of a post = its engagements / its views, or / its reach: one basis per table,
chosen on the page and named in it (views are impressions where a platform reports no views, as
X and LinkedIn; both count times a post was shown). A post without the chosen denominator is not
ranked. When a platform reports no engagements for a post, they are the sum of its reactions,
comments, shares and saves. Groups of posts use the ratio of their sums.

Post types are harmonised across platforms (POST_TYPES: photo, video, reel/short, carousel,
link, text, story); a post whose export names no type is a link post when its text holds a URL,
else a text post.

The 3-S model (sizzle, serve, sell) suggests about one promotional post in ten; what counts as
promotional is the plan's `content` rules: hashtags, keywords in the text, or custom labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from sostac_control.catalog import CHANNEL_LABELS
from sostac_control.i18n import N_, Labels, _, percent
from sostac_control.plan.model import ContentRules

PROMOTIONAL_GUIDELINE = 0.10  # one post in ten (the 3-S model)
POST_METRICS = (
    "views",
    "impressions",
    "reach",
    "engagements",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "video_views",
)
BASES = Labels(
    {
        "views": N_(
            "engagements / views per post (impressions where the platform reports no views: "
            "X, LinkedIn)"
        ),
        "reach": N_("engagements / reach per post (posts without reach are not ranked)"),
    }
)
ER_DEFINITION = N_(
    "engagements = the platform's total, else reactions + comments + shares + saves; groups of "
    "posts: ratio of their sums"
)
POST_TYPES = ("photo", "video", "reel/short", "carousel", "link", "text", "story")
_TYPE_WORDS = {
    "photo": ("photo", "photos", "image", "images", "ig image", "picture"),
    "video": ("video", "videos", "ig video", "live", "live video"),
    "reel/short": ("reel", "reels", "ig reel", "short", "shorts"),
    "carousel": ("carousel", "ig carousel", "album", "carousel_album", "document", "multi-image"),
    "link": ("link", "links", "article", "articles", "url"),
    "text": ("text", "status", "text only", "tweet", "post"),
    "story": ("story", "stories", "ig story"),
}
_TYPE_OF = {word: kind for kind, words in _TYPE_WORDS.items() for word in words}
MIN_SLOT_POSTS = 3  # a weekday/hour cell with fewer posts is shown, not coloured


def harmonised_type(raw: object, text: object) -> str:
    """One post type across platforms ("IG reel", "Reels" → "reel/short"); none given: link
    when the text holds a URL, else text; an unknown word stays as the export wrote it."""
    word = str(raw).strip().lower() if isinstance(raw, str) and raw.strip() else ""
    if not word or word == "unknown":
        return "link" if isinstance(text, str) and re.search(r"https?://", text) else "text"
    return _TYPE_OF.get(word, word)


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TABLE_LIMIT = 500  # posts sent to the browser; the rest is summarised


@dataclass
class ContentReport:
    """What the Content page shows for one period."""

    start: date
    end: date
    posts: pd.DataFrame  # newest first, at most TABLE_LIMIT rows
    total_posts: int
    best: pd.DataFrame
    worst: pd.DataFrame
    by_type: pd.DataFrame  # post_type, posts, impressions, engagements, engagement_rate
    by_slot: pd.DataFrame  # weekday, hour, posts, engagement_rate (posts with a time only)
    by_weekday: pd.DataFrame  # weekday, posts, impressions, engagements, engagement_rate
    promotional_posts: int
    promotional_share: float | None
    rules_text: str
    definition: str = ER_DEFINITION
    basis: str = "views"  # the engagement rate's denominator in every table (BASES)
    unrated_posts: int = 0  # posts without the basis' denominator: not ranked
    notes: list[str] = field(default_factory=list)
    date_only_posts: int = 0  # posts whose export gives a day but no time (X, LinkedIn)
    date_only_channels: tuple[str, ...] = ()  # their channel labels

    @property
    def rules_defined(self) -> bool:
        return self.rules_text != no_rules_text()

    @property
    def promotional_verdict(self) -> str:
        if self.promotional_share is None:
            return _("no posts in the period")
        if not self.rules_defined:
            return _("promotional posts are not defined in the plan")
        share = percent(self.promotional_share, 0)
        if self.promotional_share > PROMOTIONAL_GUIDELINE * 1.5:
            text = _("{share} of posts are promotional: well above the 1-in-10 guideline")
        elif self.promotional_share > PROMOTIONAL_GUIDELINE:
            text = _("{share} of posts are promotional: a little above the 1-in-10 guideline")
        else:
            text = _("{share} of posts are promotional: within the 1-in-10 guideline")
        return text.format(share=share)


def _promotional_sql(rules: ContentRules) -> str:
    """A SQL boolean over (text, labels) saying whether a post is promotional by the plan."""
    tests = []
    tags = [t.lower().lstrip("#") for t in rules.promotional_hashtags if t.strip("# ")]
    if tags:
        alt = "|".join(re.escape(t) for t in tags)
        tests.append(f"regexp_matches(lower(coalesce(text, '')), '#({alt})(\\W|$)')")
    words = [w.lower() for w in rules.promotional_keywords if w.strip()]
    if words:
        alt = "|".join(re.escape(w) for w in words)
        tests.append(f"regexp_matches(lower(coalesce(text, '')), '(^|\\W)({alt})')")
    labels = [label.lower().strip() for label in rules.promotional_labels if label.strip()]
    if labels:
        quoted = ", ".join("'" + label.replace("'", "''") + "'" for label in labels)
        tests.append(
            "list_has_any(list_transform(string_split_regex(lower(coalesce(labels, '')), "
            f"'\\s*[,;|]\\s*'), lambda x: trim(x)), [{quoted}])"
        )
    return "(" + " OR ".join(tests) + ")" if tests else "false"


def rules_text(rules: ContentRules) -> str:
    """The plan's definition of a promotional post, as a sentence."""
    parts = []
    if rules.promotional_hashtags:
        tags = ", ".join("#" + t.lstrip("#") for t in rules.promotional_hashtags)
        parts.append(_("hashtags {tags}").format(tags=tags))
    if rules.promotional_keywords:
        words = ", ".join(f"“{k}”" for k in rules.promotional_keywords)
        parts.append(_("keywords {words}").format(words=words))
    if rules.promotional_labels:
        parts.append(_("labels {labels}").format(labels=", ".join(rules.promotional_labels)))
    if not parts:
        return no_rules_text()
    return _("Promotional: a post with {rules}.").format(rules=_("; or ").join(parts))


def no_rules_text() -> str:
    """What the page says when the plan defines no promotional posts."""
    return _(
        "The plan defines no promotional posts yet: add `content: promotional:` with "
        "hashtags, keywords or labels to the plan (`sostac-control plan init` shows how)."
    )


def slot_grid(by_slot: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(engagement rate, posts) by weekday (all seven rows, Monday first) and hour (columns).

    A cell with fewer than MIN_SLOT_POSTS posts has no rate: one post is an anecdote.
    """
    rates = by_slot.pivot_table(
        index="weekday", columns="hour", values="engagement_rate", aggfunc="sum"
    )
    posts = by_slot.pivot_table(index="weekday", columns="hour", values="posts", aggfunc="sum")
    hours = sorted(posts.columns)
    posts = posts.reindex(index=list(WEEKDAYS), columns=hours).fillna(0).astype(int)
    rates = rates.reindex(index=list(WEEKDAYS), columns=hours)
    return rates.where(posts >= MIN_SLOT_POSTS), posts


def post_frame(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    rules: ContentRules,
    channels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every post published in [start, end] with its metrics and the promotional flag."""
    where_channel = ""
    if channels:
        quoted = ", ".join("'" + c.replace("'", "''") + "'" for c in channels)
        where_channel = f"AND channel IN ({quoted})"
    pivots = ", ".join(f"sum(value) FILTER (WHERE metric = '{m}') AS {m}" for m in POST_METRICS)
    metric_list = ", ".join(f"'{m}'" for m in POST_METRICS)
    return con.execute(
        f"""WITH o AS (
            SELECT channel, account, item AS post_id, min(period_start) AS day, {pivots}
            FROM observations
            WHERE is_current AND grain = 'post' AND metric IN ({metric_list})
              AND period_start BETWEEN $start AND $end {where_channel}
            GROUP BY ALL
        ),
        p AS (
            SELECT channel, account, post_id, published_at, post_type, text, permalink, labels
            FROM posts WHERE is_current {where_channel}
        ),
        joined AS (
            SELECT coalesce(o.channel, p.channel) AS channel,
                   coalesce(o.account, p.account) AS account,
                   coalesce(o.post_id, p.post_id) AS post_id,
                   coalesce(p.published_at, o.day::TIMESTAMP) AS published_at,
                   p.published_at IS NOT NULL AS has_time,
                   coalesce(nullif(p.post_type, ''), 'unknown') AS post_type,
                   p.text, p.permalink, p.labels, o.* EXCLUDE (channel, account, post_id, day)
            FROM o LEFT JOIN p USING (channel, account, post_id)
            UNION ALL BY NAME
            SELECT channel, account, post_id, published_at, true AS has_time,
                   coalesce(nullif(post_type, ''), 'unknown') AS post_type, text, permalink, labels
            FROM p
            WHERE published_at::DATE BETWEEN $start AND $end
              AND NOT EXISTS (SELECT 1 FROM o WHERE o.channel = p.channel
                              AND o.account = p.account AND o.post_id = p.post_id)
        )
        SELECT *,
               coalesce(engagements, nullif(coalesce(reactions, 0) + coalesce(comments, 0)
                        + coalesce(shares, 0) + coalesce(saves, 0), 0)) AS eng,
               coalesce(views, impressions) AS exposure_views, reach AS exposure_reach,
               {_promotional_sql(rules)} AS promotional
        FROM joined ORDER BY published_at DESC""",
        {"start": start, "end": end},
    ).df()


def _grouped(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.groupby(keys, dropna=False).agg(
        posts=("post_id", "count"),
        impressions=("exposure", "sum"),
        engagements=("eng", "sum"),
    )
    out["engagement_rate"] = out["engagements"] / out["impressions"].where(out["impressions"] > 0)
    return out.reset_index()


def content_report(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    rules: ContentRules,
    channels: Sequence[str] | None = None,
    top: int = 5,
    basis: str = "views",
) -> ContentReport:
    """The Content page in one call; every engagement rate in it is on one `basis` (BASES)."""
    if basis not in BASES:
        raise ValueError(f"unknown engagement-rate basis {basis!r}")
    frame = post_frame(con, start, end, rules, channels)
    frame["exposure"] = frame[f"exposure_{basis}"]
    for column in (*POST_METRICS, "eng", "exposure"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["engagement_rate"] = frame["eng"] / frame["exposure"].where(frame["exposure"] > 0)
    frame["post_type"] = [
        harmonised_type(t, x) for t, x in zip(frame["post_type"], frame["text"], strict=True)
    ]
    frame["channel_label"] = [CHANNEL_LABELS.get(c, c) for c in frame["channel"]]
    published = pd.to_datetime(frame["published_at"])
    frame["weekday"] = [WEEKDAYS[d] for d in published.dt.weekday] if len(frame) else []
    frame["hour"] = published.dt.hour
    # Some exports (X, LinkedIn) give a post's day only, read as 00:00. An account whose every
    # post is at 00:00 has no times: its posts stay off the hour axis.
    midnight = published == published.dt.normalize()
    date_only = midnight.groupby([frame["channel"], frame["account"]]).transform("all")
    frame["has_time"] = frame["has_time"].astype(bool) & ~date_only.astype(bool)
    shown = [
        "published_at",
        "channel_label",
        "account",
        "post_type",
        "text",
        "views",
        "impressions",
        "reach",
        "eng",
        "engagement_rate",
        "clicks",
        "promotional",
        "permalink",
        "channel",
        "post_id",
        "has_time",
    ]
    table = frame[shown].rename(columns={"eng": "engagements"})
    rated = table.dropna(subset=["engagement_rate"])
    n_promo = int(frame["promotional"].sum()) if len(frame) else 0
    timed = frame[frame["has_time"]] if len(frame) else frame
    undated = frame[~frame["has_time"]] if len(frame) else frame
    by_weekday = (
        _grouped(frame, ["weekday"])
        if len(frame)
        else pd.DataFrame(
            columns=["weekday", "posts", "impressions", "engagements", "engagement_rate"]
        )
    )
    order = {day: i for i, day in enumerate(WEEKDAYS)}
    by_weekday = by_weekday.sort_values("weekday", key=lambda d: d.map(order), ignore_index=True)
    by_slot = (
        _grouped(timed, ["weekday", "hour"])
        if len(timed)
        else pd.DataFrame(
            columns=["weekday", "hour", "posts", "impressions", "engagements", "engagement_rate"]
        )
    )
    by_type = (
        _grouped(frame, ["post_type"])
        if len(frame)
        else pd.DataFrame(
            columns=["post_type", "posts", "impressions", "engagements", "engagement_rate"]
        )
    )
    return ContentReport(
        start=start,
        end=end,
        posts=table.head(TABLE_LIMIT).reset_index(drop=True),
        total_posts=len(frame),
        best=rated.nlargest(top, "engagement_rate").reset_index(drop=True),
        worst=rated.nsmallest(top, "engagement_rate").reset_index(drop=True),
        by_type=by_type.sort_values("posts", ascending=False, ignore_index=True),
        by_slot=by_slot,
        by_weekday=by_weekday,
        promotional_posts=n_promo,
        promotional_share=n_promo / len(frame) if len(frame) else None,
        rules_text=rules_text(rules),
        definition=f"{BASES[basis]}; {_(ER_DEFINITION)}",
        basis=basis,
        unrated_posts=len(table) - len(rated),
        date_only_posts=len(undated),
        date_only_channels=tuple(sorted(set(undated["channel_label"]))),
    )
