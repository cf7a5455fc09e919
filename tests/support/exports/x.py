"""X (Twitter) analytics exports: tweet activity, daily activity, the new content export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.support.exports.common import Post, _csv_text

# --- X -----------------------------------------------------------------------------------------

TWEET_HEADER = [
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements",
    "engagement rate", "retweets", "replies", "likes", "user profile clicks", "url clicks",
    "hashtag clicks", "detail expands", "follows", "media views", "promoted impressions",
    "promoted engagements",
]  # fmt: skip
_TWEET_METRIC = {
    "impressions": "impressions", "engagements": "engagements", "retweets": "shares",
    "replies": "comments", "likes": "reactions", "user profile clicks": "profile_visits",
    "url clicks": "link_clicks", "follows": "new_followers",
}  # fmt: skip


def write_tweet_activity(path: Path, posts: list[Post], account: str = "koffiebarnoord") -> Path:
    """Legacy tweet activity by tweet: all quoted, floats for counts, "-" in promoted columns."""
    rows: list[list[object]] = [TWEET_HEADER]
    for p in posts:
        row: list[object] = [
            p.post_id,
            f"https://twitter.com/{account}/status/{p.post_id}",
            p.text,
            p.published.strftime("%Y-%m-%d %H:%M +0000"),
        ]
        for h in TWEET_HEADER[4:]:
            if h.startswith("promoted"):
                row.append("-")
            elif h == "engagement rate":
                imp = p.metrics.get("impressions", 0)
                row.append(str(p.metrics.get("engagements", 0) / imp if imp else 0.0))
            else:
                row.append(f"{float(p.metrics.get(_TWEET_METRIC.get(h, ''), 0)):.1f}")
        rows.append(row)
    path.write_text(_csv_text(rows, quote_all=True), encoding="utf-8")
    return path


def write_daily_tweet_activity(path: Path, days: list[tuple[date, dict[str, float]]]) -> Path:
    """Legacy daily tweet activity: Date, Tweets published, then the same metric columns."""
    header = ["Date", "Tweets published"] + [h for h in TWEET_HEADER[4:]]
    rows: list[list[object]] = [header]
    for d, metrics in days:
        row: list[object] = [d.isoformat(), f"{metrics.get('posts', 0):g}"]
        for h in header[2:]:
            if h.startswith("promoted"):
                row.append("-")
            elif h == "engagement rate":
                row.append("0.01")
            else:
                row.append(f"{metrics.get(_TWEET_METRIC.get(h, ''), 0):g}")
        rows.append(row)
    path.write_text(_csv_text(rows, quote_all=True), encoding="utf-8")
    return path


X_CONTENT_HEADER = [
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
    "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
    "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks",
]  # fmt: skip
_X_CONTENT_METRIC = {
    "Impressions": "impressions", "Likes": "reactions", "Engagements": "engagements",
    "Bookmarks": "saves", "Shares": "x_shares", "New follows": "new_followers",
    "Replies": "comments", "Reposts": "x_reposts", "Profile visits": "profile_visits",
    "URL Clicks": "link_clicks",
}  # fmt: skip


def write_x_content(
    path: Path, posts: list[Post], account: str = "koffiebarnoord", placeholders: int = 0
) -> Path:
    """The 2024+ content export; `placeholders` rows with no id and a /status/undefined link.

    Post metrics may hold x_shares and x_reposts (both become "shares" when read).
    """
    rows: list[list[object]] = [X_CONTENT_HEADER]
    for p in posts:
        row: list[object] = [
            p.post_id,
            p.published.strftime("%a, %b %-d, %Y"),
            p.text,
            f"https://x.com/{account}/status/{p.post_id}",
        ]
        row += [f"{p.metrics.get(_X_CONTENT_METRIC.get(h, ''), 0):g}" for h in X_CONTENT_HEADER[4:]]
        rows.append(row)
    for _ in range(placeholders):
        rows.append(
            ["", "Sun, Nov 9, 2025", "", f"https://x.com/{account}/status/undefined"]
            + ["0"] * (len(X_CONTENT_HEADER) - 4)
        )
    path.write_bytes(b"\xef\xbb\xbf" + _csv_text(rows).encode("utf-8"))
    return path
