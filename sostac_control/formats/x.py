"""X (Twitter) exports: legacy tweet activity (per tweet and daily) and the 2024+ content export.

- Tweet activity, by tweet: every field quoted, counts as floats ("89.0"), "-" in the promoted
  columns, `time` like `2021-08-31 19:53 +0000` (kept as the UTC day), 19-digit ids (text).
- Tweet activity, daily roll-up of the same account: `Date` per row. Loading both never doubles
  a KPI: the metric engine reads one grain per (channel, account, metric) — day totals first.
- Content export (2024+): `Post id,Date,Post text,Post Link,…` with dates like
  "Sun, Nov 9, 2025"; placeholder rows with an empty id and a link ending in /status/undefined
  are skipped and counted.
"""

from __future__ import annotations

import re

import pandas as pd

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.headers import X, language_of, names
from sostac_control.formats.languages import DAY_FIRST, DECIMAL_COMMA
from sostac_control.formats.wide import (
    Table,
    extract_wide,
    header_names,
    posts_frame,
    read_text_table,
)
from sostac_control.i18n import N_, _

LEGACY_METRICS: dict[str, tuple[str, ...]] = {
    "impressions": ("impressions",),
    "engagements": ("engagements",),
    "shares": ("retweets",),
    "comments": ("replies",),
    "reactions": ("likes",),
    "profile_visits": ("user profile clicks",),
    "link_clicks": ("url clicks",),
    "new_followers": ("follows",),
}
# The 2024+ export's headers in every language read: headers.X (one table).
CONTENT_METRICS: dict[str, tuple[str, ...]] = {
    metric: names(X, concept)
    for metric, concept in (
        ("impressions", "impressions"),
        ("engagements", "engagements"),
        ("reactions", "likes"),
        ("comments", "replies"),
        ("saves", "bookmarks"),
        ("new_followers", "new follows"),
        ("profile_visits", "profile visits"),
        ("link_clicks", "url clicks"),
    )
}
# Reposts and shares (copy link, send by DM) are both "shares" in the catalogue.
CONTENT_SUMS = {"shares": names(X, "reposts") + names(X, "shares")}
POST_ID, POST_DATE = names(X, "post id"), names(X, "date")
POST_TEXT, POST_LINK = names(X, "post text"), names(X, "post link")

_ACCOUNT_IN_LINK = re.compile(r"(?:twitter|x)\.com/([^/?#]+)/status/", re.IGNORECASE)
# The legacy download's own name: daily_tweet_activity_metrics_<account>_<from>_<to>_<lang>.csv
_ACCOUNT_IN_NAME = re.compile(r"tweet_activity_metrics_(.+?)_\d{8}_\d{8}", re.IGNORECASE)


def _names(source: Source) -> set[str]:
    return header_names(source) if source.kind == "text" else set()


def _account_from_links(links: pd.Series | None, options: ReadOptions) -> str | pd.Series:
    if options.account:
        return options.account
    if links is None:
        return ""
    return links.str.extract(_ACCOUNT_IN_LINK, expand=False).fillna("")


class TweetActivity(Format):
    name = "x_tweet_activity"
    platform = "X (Twitter)"
    title = "Tweet activity by tweet (legacy analytics export)"
    channel = "x"
    grain = "post"

    def detect(self, source: Source) -> Detection | None:
        names = _names(source)
        if {"tweet id", "time", "impressions", "engagements"} <= names:
            return Detection(0.95, "Tweet id, time, impressions and engagements columns")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        table = read_text_table(source, 0)
        if not table.has("tweet id"):
            raise SostacError(f"{source.name} is not an X tweet activity export.")
        account = _account_from_links(table.column("tweet permalink"), options)
        ids = table.column("tweet id")
        assert ids is not None
        read = extract_wide(
            table,
            channel="x",
            account=account,
            metrics=LEGACY_METRICS,
            grain="post",
            date_column=("time",),
            item_column=("tweet id",),
            year=options.year,
            date_formats=("%Y-%m-%d %H:%M %z",),
            skip=ids.str.strip() == "",
        )
        posts = posts_frame(
            table,
            read,
            channel="x",
            account=account,
            post_id=("tweet id",),
            text=("tweet text",),
            permalink=("tweet permalink",),
        )
        return _extract(
            table,
            read.observations,
            posts,
            read.skipped,
            read.errors,
            ["Tweet times are UTC; each tweet counts on its UTC day."],
        )


class DailyTweetActivity(Format):
    name = "x_daily_activity"
    platform = "X (Twitter)"
    title = "Daily tweet activity (legacy analytics export)"
    channel = "x"
    grain = "day"

    def detect(self, source: Source) -> Detection | None:
        names = _names(source)
        if {"date", "impressions", "engagements"} <= names and (
            "tweets published" in names or "retweets" in names
        ):
            return Detection(0.9, "Date, Tweets published, impressions and engagements columns")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        table = read_text_table(source, 0)
        notes = []
        account = options.account or ""
        if not account:
            found = _ACCOUNT_IN_NAME.search(source.name)
            if found:
                account = found.group(1)
                notes.append(
                    _(
                        "The account {account} is taken from the file name; "
                        "pass --account to set it."
                    ).format(account=repr(account))
                )
            else:
                notes.append(
                    "The daily export names no account: stored without one; "
                    "pass --account to name it."
                )
        metrics = {**LEGACY_METRICS, "posts": ("tweets published",)}
        read = extract_wide(
            table,
            channel="x",
            account=account,
            metrics=metrics,
            grain="day",
            date_column=("date",),
            year=options.year,
            date_formats=("%Y-%m-%d",),
        )
        return _extract(
            table, read.observations, None, read.skipped, read.errors, notes, account=account
        )


class ContentExport(Format):
    name = "x_content"
    platform = "X (Twitter)"
    title = "Content export (2024+ analytics, one row per post)"
    channel = "x"
    grain = "post"
    skipped_rows_are = N_("placeholder rows (no post id, /status/undefined)")

    def detect(self, source: Source) -> Detection | None:
        seen = _names(source)
        if (
            seen & set(POST_ID)
            and seen & set(POST_DATE)
            and seen & set(CONTENT_METRICS["impressions"])
            and seen & set(POST_LINK + POST_TEXT)
        ):
            return Detection(0.95, "Post id, Date, Post text/Post Link and Impressions columns")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        table = read_text_table(source, 0)
        ids = table.column(*POST_ID)
        links = table.column(*POST_LINK)
        language = language_of(X, table.names)
        if ids is None:
            raise SostacError(f"{source.name} is not an X content export.")
        placeholder = ids.str.strip() == ""
        if links is not None:
            placeholder |= links.str.strip().str.endswith("/status/undefined")
        account = _account_from_links(links, options)
        read = extract_wide(
            table,
            channel="x",
            account=account,
            metrics=CONTENT_METRICS,
            sums=CONTENT_SUMS,
            grain="post",
            date_column=POST_DATE,
            item_column=POST_ID,
            year=options.year,
            day_first=language in DAY_FIRST,
            decimal="," if language in DECIMAL_COMMA else None,
            date_formats=("%a, %b %d, %Y",),
            skip=placeholder,
        )
        posts = posts_frame(
            table,
            read,
            channel="x",
            account=account,
            post_id=POST_ID,
            text=POST_TEXT,
            permalink=POST_LINK,
        )
        notes = []
        if read.skipped:
            notes.append(
                _("{count} placeholder rows (no post id) were skipped.").format(count=read.skipped)
            )
        return _extract(table, read.observations, posts, read.skipped, read.errors, notes)


def _extract(
    table: Table,
    observations: pd.DataFrame,
    posts: pd.DataFrame | None,
    skipped: int,
    errors: list,
    notes: list[str],
    account: str | None = None,
) -> Extract:
    if account is None:
        names = sorted(observations["account"].dropna().unique())
        account = ", ".join(a for a in names if a)
    return Extract(
        observations=observations,
        rows_read=len(table.frame),
        posts=posts,
        skipped=skipped,
        errors=errors,
        account=account,
        notes=notes,
    )


FORMATS: list[Format] = [TweetActivity(), DailyTweetActivity(), ContentExport()]
