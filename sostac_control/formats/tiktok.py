"""TikTok Studio downloads: Overview, Content and FollowerHistory CSVs (usually in one ZIP).

TikTok writes dates without a year (`August 18`). The year comes from `--year` (the year of
the file's first date), else from a year in the file's or ZIP's name; otherwise the file is
refused with a request for `--year`. A series that crosses New Year moves on a year.
`undefined` marks an incomplete day and is skipped. Followers is a level: FollowerHistory's
`Followers` column is loaded as is, and new_followers is derived from it (the change from the
day before), never from its "difference" column, which is shifted by a day. Viewers (unique
viewers, new and returning) are not additive over days and have no catalogue metric; that
file is recognised and refused.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.headers import TIKTOK, language_of, mapping, names
from sostac_control.formats.languages import DECIMAL_COMMA
from sostac_control.formats.table import (
    Observations,
    cell,
    column_index,
    is_blank,
    norm,
    posts_frame,
    text_rows,
)
from sostac_control.formats.values import MissingYearError, is_no_data, parse_date
from sostac_control.i18n import N_, _

# Overview.csv's headers in every language read: headers.TIKTOK (one table).
OVERVIEW = mapping(
    TIKTOK,
    {
        "video views": "video_views",
        "profile views": "profile_visits",
        "likes": "reactions",
        "comments": "comments",
        "shares": "shares",
        "reached audience": "reach",
    },
)
CONTENT = {
    "total views": "video_views",
    "video views": "video_views",
    "views": "video_views",
    "total likes": "reactions",
    "likes": "reactions",
    "total comments": "comments",
    "comments": "comments",
    "total shares": "shares",
    "shares": "shares",
    "total saves": "saves",
    "saves": "saves",
    "favorites": "saves",
    "new followers": "new_followers",
    "reached audience": "reach",
} | mapping(
    TIKTOK,
    {
        "total views": "video_views",
        "total likes": "reactions",
        "total comments": "comments",
        "total shares": "shares",
    },
)
VIDEO_LINK = names(TIKTOK, "video link")
POST_TIME = names(TIKTOK, "post time")
DATE = names(TIKTOK, "date")
FOLLOWERS = names(TIKTOK, "followers")


def _headers(source: Source) -> list[str]:
    if source.kind != "text":
        return []
    lines = source.head_lines(1)
    return [norm(h) for h in lines[0].split(",")] if lines else []


def _year_hint(source: Source, options: ReadOptions) -> int | None:
    if options.year:
        return options.year
    found = re.findall(r"(?<!\d)(20\d{2})(?!\d)", source.name)
    return int(found[0]) if found else None


class _Dates:
    """Reads a column of year-less dates in file order, moving on a year at New Year."""

    def __init__(self, source: Source, options: ReadOptions) -> None:
        self.source = source
        self.year = _year_hint(source, options)
        self.previous: date | None = None

    def read(self, text: Any) -> date | None:
        try:
            day = parse_date(text, year=self.year)
        except MissingYearError as exc:
            raise SostacError(
                f"{self.source.name}: dates such as {str(text).strip()!r} have no year, and "
                "neither the file nor its name says which year they are in.",
                hint="Pass --year YYYY (the year of the file's first date), or choose the year "
                "on the Data page.",
            ) from exc
        if day is None or self.previous is None or re.search(r"\d{4}", str(text)):
            self.previous = day or self.previous
            return day
        # A year-less series crossing New Year: December then January (or back, newest first).
        if (day - self.previous).days < -180:
            day = day.replace(year=day.year + 1)
        elif (day - self.previous).days > 180:
            day = day.replace(year=day.year - 1)
        self.year = day.year
        self.previous = day
        return day


class _TikTokCsv(Format):
    platform = "TikTok Studio"
    channel = "tiktok"
    skipped_rows_are = N_("incomplete days or placeholder rows (undefined)")

    def _read_days(
        self, source: Source, options: ReadOptions, mapping: dict[str, str]
    ) -> tuple[Observations, list[str]]:
        rows = text_rows(source, ",")
        headers = [norm(h) for h in rows[0]]
        date_col = column_index(headers, *DATE)
        decimal = "," if language_of(TIKTOK, headers) in DECIMAL_COMMA else None
        columns: dict[int, str] = {}
        for i, name in enumerate(headers):
            metric = mapping.get(name)
            if metric and metric not in columns.values():
                columns[i] = metric
        dates = _Dates(source, options)
        obs = Observations(self.channel, account=options.account or "")
        for n, row in enumerate(rows[1:], start=1):
            if is_blank(row):
                continue
            cells = [cell(row, i) for i in columns]
            if cells and all(is_no_data(c) for c in cells):
                obs.skipped += 1  # "undefined": TikTok has not finished counting that day
                continue
            obs.start_row()
            day = obs.parsed(n, rows[0][date_col or 0], dates.read, cell(row, date_col))
            if day is None:
                obs.end_row()
                continue
            for i, metric in columns.items():
                obs.add(n, metric, obs.number(n, rows[0][i], cell(row, i), decimal), day)
            obs.end_row()
        return obs, headers


class TikTokOverview(_TikTokCsv):
    name = "tiktok_overview"
    title = "Overview.csv (daily video views, profile views, likes, comments, shares)"
    grain = "day"

    def detect(self, source: Source) -> Detection | None:
        headers = _headers(source)
        seen = set(headers)
        if (
            headers
            and headers[0] in DATE
            and seen & set(names(TIKTOK, "video views"))
            and seen & set(names(TIKTOK, "profile views"))
        ):
            return Detection(0.9, "columns Date, Video Views, Profile Views")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        obs, _days = self._read_days(source, options, OVERVIEW)
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            errors=obs.errors,
            account=obs.account,
        )


class TikTokFollowerHistory(_TikTokCsv):
    name = "tiktok_follower_history"
    title = "FollowerHistory.csv (followers per day)"
    grain = "day"

    def detect(self, source: Source) -> Detection | None:
        headers = _headers(source)
        if (
            len(headers) >= 2
            and headers[0] in DATE
            and headers[1] in FOLLOWERS
            and any("difference" in h or "verschil" in h for h in headers)
        ):
            return Detection(0.9, "columns Date, Followers, Difference in followers")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        obs, _days = self._read_days(
            source, options, {"followers": "followers", "volgers": "followers"}
        )
        frame = obs.frame()
        levels = frame[frame["metric"] == "followers"].sort_values("period_start")
        levels = levels.reset_index(drop=True)
        days = pd.to_datetime(levels["period_start"])
        consecutive = days.diff() == pd.Timedelta(days=1)
        extra = levels[consecutive].copy()
        extra["metric"] = "new_followers"
        extra["value"] = levels["value"].diff()[consecutive]
        frame = pd.concat([frame, extra], ignore_index=True)
        return Extract(
            observations=frame,
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            errors=obs.errors,
            account=obs.account,
            notes=["new_followers is the net change of Followers from the day before."],
        )


def created_day(video_id: str) -> date | None:
    """The day a TikTok video was created: the top 32 bits of its id are its Unix time."""
    if not video_id.isdigit() or len(video_id) < 18:
        return None
    seconds = int(video_id) >> 32
    if not 1_400_000_000 < seconds < 4_000_000_000:  # 2014 .. 2096: else not such an id
        return None
    return datetime.fromtimestamp(seconds, tz=UTC).date()


def _day_near(created: date, text: Any) -> date | None:
    """A post time without a year (`Dec 30`) in the year that puts it nearest its video's
    creation day, so a file that crosses New Year keeps each video in its own year."""
    if re.search(r"\d{4}", str(text or "")):
        return parse_date(text)
    candidates = [parse_date(text, year=created.year + k) for k in (-1, 0, 1)]
    found = [d for d in candidates if d is not None]
    return min(found, key=lambda d: abs((d - created).days)) if found else None


class TikTokContent(_TikTokCsv):
    name = "tiktok_content"
    title = "Content.csv (one row per video)"
    grain = "post"

    def detect(self, source: Source) -> Detection | None:
        headers = set(_headers(source))
        if headers & set(VIDEO_LINK) and headers & set(POST_TIME) and (headers & set(CONTENT)):
            return Detection(0.85, "columns Video link, Post time and video totals")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        rows = text_rows(source, ",")
        headers = [norm(h) for h in rows[0]]
        link = column_index(headers, *VIDEO_LINK)
        decimal = "," if language_of(TIKTOK, headers) in DECIMAL_COMMA else None
        posted = column_index(headers, *POST_TIME)
        title = column_index(headers, "video title", "title")
        columns: dict[int, str] = {}
        for i, name in enumerate(headers):
            metric = CONTENT.get(name)
            if metric and metric not in columns.values():
                columns[i] = metric
        dates = _Dates(source, options)
        obs = Observations(self.channel, account=options.account or "")
        posts: list[dict[str, Any]] = []
        for n, row in enumerate(rows[1:], start=1):
            if is_blank(row):
                continue
            url = str(cell(row, link) or "").strip()
            video = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
            if not video or video == "undefined":
                obs.skipped += 1
                continue
            obs.start_row()
            created = created_day(video)
            day = obs.parsed(
                n,
                rows[0][posted or 0],
                dates.read if created is None else functools.partial(_day_near, created),
                cell(row, posted),
                missing=N_("the video has no post time"),
            )
            if day is None:
                obs.end_row()
                continue
            for i, metric in columns.items():
                obs.add(
                    n,
                    metric,
                    obs.number(n, rows[0][i], cell(row, i), decimal),
                    day,
                    grain="post",
                    dimension="post",
                    item=video,
                )
            posts.append(
                {
                    "channel": "tiktok",
                    "account": obs.account,
                    "post_id": video,
                    "published_at": day,
                    "post_type": "video",
                    "text": str(cell(row, title) or ""),
                    "permalink": url,
                    "labels": "",
                }
            )
            obs.end_row()
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            errors=obs.errors,
            account=obs.account,
            posts=posts_frame(posts),
        )


class TikTokViewers(_TikTokCsv):
    name = "tiktok_viewers"
    title = "Viewers.csv (unique viewers, new and returning)"
    grain = "day"
    refusal = N_(
        "unique viewers cannot be added up over days and are no metric a plan tracks; load "
        "Overview.csv for video views and FollowerHistory.csv for followers."
    )

    def detect(self, source: Source) -> Detection | None:
        headers = _headers(source)
        viewers = [h for h in headers if "viewers" in h or "kijkers" in h]
        if (
            headers
            and headers[0] in DATE
            and len(viewers) >= 2
            and not any(h in ("views", "video views", "watch time (hours)") for h in headers)
        ):
            return Detection(0.85, "columns Date and viewer counts")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        raise SostacError(f"{source.name}: {_(self.refusal)}")


FORMATS: list[Format] = [
    TikTokOverview(),
    TikTokFollowerHistory(),
    TikTokContent(),
    TikTokViewers(),
]
