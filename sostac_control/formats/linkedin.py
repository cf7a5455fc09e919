"""LinkedIn: Page analytics workbooks (XLS or XLSX) and Campaign Manager ads reports.

Page analytics comes as workbooks whose sheets are read by their columns, not their names:
- visitor metrics (`Date`, `Total page views (total)`, …) → profile_visits per day;
- new followers (`Date`, `Organic followers`, …, `Total followers`) → new_followers per day;
- update metrics, aggregated or the newer `Metrics` sheet (`Impressions (total)`, `Clicks
  (total)`, …) → impressions, reach (unique impressions, organic), clicks, reactions, comments,
  shares and engagements per day;
- update engagement, or the newer `All posts` sheet, with a prose note in row 1 and the header
  in row 2 → one post per row (the publish day is a date or an Excel serial).
Engagements are clicks + reactions + comments + shares (+ follows on posts), the sum LinkedIn
divides by impressions for its engagement rate. Audience sheets (location, job function,
seniority, industry, company size) are not performance data and are left out. Dutch headers
(`Datum`, `Weergaven`, `(totaal)`, `(organisch)`) are read too.

Campaign Manager (ads) reports are read by linkedin_ads.py.
"""

from __future__ import annotations

import re
from typing import Any

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.table import (
    Observations,
    cell,
    column_index,
    day_first_of,
    decimal_of,
    is_blank,
    norm,
    posts_frame,
    read_date,
)
from sostac_control.i18n import N_, _

_QUALIFIERS = {
    "total": "total",
    "totaal": "total",
    "organic": "organic",
    "organisch": "organic",
    "sponsored": "sponsored",
    "gesponsord": "sponsored",
}
# Base names of daily columns (before "(total)"/"(organic)") → metric.
DAILY = {
    "impressions": "impressions",
    "weergaven": "impressions",
    "vertoningen": "impressions",
    "impressies": "impressions",
    "unique impressions": "reach",
    "unieke weergaven": "reach",
    "unieke vertoningen": "reach",
    "unieke impressies": "reach",
    "clicks": "clicks",
    "klikken": "clicks",
    "reactions": "reactions",
    "reacties": "reactions",
    "comments": "comments",
    "opmerkingen": "comments",
    "commentaren": "comments",
    "shares": "shares",
    "reposts": "shares",
    "gedeeld": "shares",
    "keren gedeeld": "shares",
    "total page views": "profile_visits",
    "totaal aantal paginaweergaven": "profile_visits",
    "paginaweergaven totaal": "profile_visits",
    "totaal paginaweergaven": "profile_visits",
}
# New-follower sheets: the total column is daily new followers.
FOLLOWER_TOTALS = ("total followers", "totaal aantal volgers", "totaal volgers")
POSTS = {
    "impressions": "impressions",
    "weergaven": "impressions",
    "vertoningen": "impressions",
    "impressies": "impressions",
    "video views": "video_views",
    "videoweergaven": "video_views",
    "views": "views",
    "clicks": "clicks",
    "klikken": "clicks",
    "likes": "reactions",
    "reactions": "reactions",
    "reacties": "reactions",
    "vind-ik-leuks": "reactions",
    "comments": "comments",
    "opmerkingen": "comments",
    "commentaren": "comments",
    "shares": "shares",
    "reposts": "shares",
    "gedeeld": "shares",
    "follows": "new_followers",
    "volgers": "new_followers",
}
ENGAGEMENT_PARTS = ("clicks", "reactions", "comments", "shares")
DATE = ("date", "datum")
POST_TITLE = ("update title", "post title", "titel update", "titel bericht", "berichttitel")
POST_LINK = ("update link", "post link", "link update", "link bericht", "berichtlink")
POST_TYPE = ("update type", "post type", "type update", "type bericht", "berichttype")
# Newer exports say what a post is (Image, Video, …) in "Content Type"; their "Post type" only
# says how it was distributed (Organic, Sponsored), which is not a post type.
CONTENT_TYPE = ("content type", "inhoudstype", "type inhoud", "contenttype")
DISTRIBUTION = {"organic", "sponsored", "organisch", "gesponsord"}
POST_CREATED = ("created date", "aanmaakdatum", "datum gemaakt", "gemaakt op")


def _split(header: str) -> tuple[str, str]:
    """`Impressions (total)` → ("impressions", "total"); no qualifier → (header, "total")."""
    match = re.fullmatch(r"(.*?)\s*\(([^)]*)\)", header)
    if match and match.group(2) in _QUALIFIERS:
        return match.group(1).strip(), _QUALIFIERS[match.group(2)]
    return header, "total"


def _daily_columns(headers: list[str]) -> dict[int, str]:
    """{column: metric} for a daily sheet: the total column of each, organic when no total."""
    best: dict[str, tuple[int, int]] = {}  # metric → (rank, column)
    rank = {"total": 0, "organic": 1, "sponsored": 2}
    for i, header in enumerate(headers):
        if header in FOLLOWER_TOTALS:
            best["new_followers"] = (0, i)
            continue
        base, qualifier = _split(header)
        metric = DAILY.get(base)
        if metric is None or qualifier == "sponsored":
            continue
        if metric not in best or rank[qualifier] < best[metric][0]:
            best[metric] = (rank[qualifier], i)
    return {i: metric for metric, (_, i) in best.items()}


def _sheet_kind(rows: list[list[Any]]) -> tuple[str, int] | None:
    """("daily" | "posts", header row index) for a performance sheet, None for the rest."""
    for index, row in enumerate(rows[:4]):
        headers = [norm(c) for c in row]
        if headers and headers[0] in DATE and _daily_columns(headers):
            return "daily", index
        names = set(headers)
        if names & set(POST_LINK) and names & set(POST_CREATED) and names & set(POSTS):
            return "posts", index
    return None


class LinkedInPageAnalytics(Format):
    name = "linkedin_page"
    platform = "LinkedIn"
    title = "Page analytics workbook (visitors, followers, updates / Metrics and All posts)"
    skipped_rows_are = N_("posts without a link")
    channel = "linkedin"
    grain = "day"

    def detect(self, source: Source) -> Detection | None:
        if source.kind not in ("xlsx", "xls"):
            return None
        kinds = [k for rows in source.sheets().values() if (k := _sheet_kind(rows))]
        if not kinds:
            return None
        return Detection(0.9, "LinkedIn page sheets (" + ", ".join(k for k, _ in kinds) + ")")

    def read(self, source: Source, options: ReadOptions) -> Extract:
        obs = Observations(self.channel, account=options.account or "")
        posts: list[dict[str, Any]] = []
        notes: list[str] = []
        read_any = False
        for sheet, rows in source.sheets().items():
            found = _sheet_kind(rows)
            if found is None:
                continue
            kind, index = found
            read_any = True
            if kind == "daily":
                _read_daily(sheet, rows, index, obs, notes)
            else:
                _read_posts(sheet, rows, index, obs, posts)
        if not read_any:
            raise SostacError(f"{source.name}: no LinkedIn visitor, follower or update sheet.")
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            errors=obs.errors,
            account=obs.account,
            posts=posts_frame(posts),
            notes=sorted(set(notes)),
        )


def _read_daily(
    sheet: str, rows: list[list[Any]], index: int, obs: Observations, notes: list[str]
) -> None:
    headers = [norm(c) for c in rows[index]]
    columns = _daily_columns(headers)
    if "reach" in columns.values() and _split(headers[_col(columns, "reach")])[1] == "organic":
        notes.append(_("LinkedIn reach is unique impressions of organic updates only."))
    data = rows[index + 1 :]
    dutch = any(h == "datum" or "(totaal)" in h for h in headers)
    day_first = day_first_of([r[0] for r in data[:100] if r], default=dutch)
    has_parts = all(m in columns.values() for m in ENGAGEMENT_PARTS)
    decimal = decimal_of([cell(r, i) for r in data[:200] for i in columns], "," if dutch else None)
    for n, row in enumerate(data, start=1):
        if is_blank(row):
            continue
        obs.start_row()
        row_no = n  # data rows are numbered from the header down, sheet by sheet
        day = obs.parsed(
            row_no, f"{sheet}: {rows[index][0]}", read_date, cell(row, 0), day_first=day_first
        )
        if day is None:
            obs.end_row()
            continue
        values = {
            m: obs.number(row_no, f"{sheet}: {rows[index][i]}", cell(row, i), decimal)
            for i, m in columns.items()
        }
        for metric, value in values.items():
            obs.add(row_no, metric, value, day)
        if has_parts:
            obs.add(row_no, "engagements", sum(values[m] or 0.0 for m in ENGAGEMENT_PARTS), day)
        obs.end_row()


def _col(columns: dict[int, str], metric: str) -> int:
    return next(i for i, m in columns.items() if m == metric)


def _post_type(content_type: Any, post_type: Any) -> str | None:
    """The post's type: "Content Type" first; "Post type" unless it names a distribution."""
    for value in (content_type, post_type):
        text = str(value or "").strip()
        if text and text.lower() not in DISTRIBUTION:
            return text
    return None


def _read_posts(
    sheet: str,
    rows: list[list[Any]],
    index: int,
    obs: Observations,
    posts: list[dict[str, Any]],
) -> None:
    headers = [norm(c) for c in rows[index]]
    link = column_index(headers, *POST_LINK)
    created = column_index(headers, *POST_CREATED)
    title = column_index(headers, *POST_TITLE)
    kind = column_index(headers, *POST_TYPE)
    content_kind = column_index(headers, *CONTENT_TYPE)
    metrics: dict[int, str] = {}
    for i, name in enumerate(headers):
        metric = POSTS.get(name)
        if metric and metric not in metrics.values():
            metrics[i] = metric
    data = rows[index + 1 :]
    dutch = any(h in POST_CREATED[1:] or h in POST_LINK[2:] for h in headers)
    day_first = day_first_of([cell(r, created) for r in data[:100]], default=dutch)
    decimal = decimal_of([cell(r, i) for r in data[:200] for i in metrics], "," if dutch else None)
    for n, row in enumerate(data, start=1):
        if is_blank(row):
            continue
        url = str(cell(row, link) or "").strip()
        if not url:
            obs.skipped += 1
            continue
        obs.start_row()
        column = f"{sheet}: {rows[index][created] if created is not None else 'Created date'}"
        day = obs.parsed(
            n,
            column,
            read_date,
            cell(row, created),
            day_first=day_first,
            missing=N_("the post has no created date"),
        )
        if day is None:
            obs.end_row()
            continue
        post_id = url.rstrip("/").rsplit("/", 1)[-1]
        values = {
            m: obs.number(n, f"{sheet}: {rows[index][i]}", cell(row, i), decimal)
            for i, m in metrics.items()
        }
        for metric, value in values.items():
            obs.add(n, metric, value, day, grain="post", dimension="post", item=post_id)
        if all(m in values for m in ENGAGEMENT_PARTS):
            parts = [values[m] or 0.0 for m in (*ENGAGEMENT_PARTS, "new_followers") if m in values]
            obs.add(n, "engagements", sum(parts), day, grain="post", dimension="post", item=post_id)
        posts.append(
            {
                "channel": "linkedin",
                "account": obs.account,
                "post_id": post_id,
                "published_at": day,
                "post_type": _post_type(cell(row, content_kind), cell(row, kind)),
                "text": str(cell(row, title) or ""),
                "permalink": url,
                "labels": "",
            }
        )
        obs.end_row()


FORMATS: list[Format] = [LinkedInPageAnalytics()]
