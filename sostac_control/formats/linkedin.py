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

Campaign Manager reports are UTF-16 TAB text with preamble lines (report name, `Report Start:
…`, `Report End: …`) before the header; rows are campaigns over the report window (or over
each row's own start date when the report is broken down by day or month) → linkedin_ads.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.table import (
    Observations,
    cell,
    column_index,
    dates_in,
    day_first_of,
    decimal_of,
    is_blank,
    norm,
    posts_frame,
    read_date,
    rows_of,
)

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
        notes.append("LinkedIn reach is unique impressions of organic updates only.")
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
        try:
            day = read_date(cell(row, 0), day_first=day_first)
        except ValueError as exc:
            obs.reject(row_no, f"{sheet}: {rows[index][0]}", str(exc))
            obs.end_row()
            continue
        if day is None:
            obs.reject(row_no, f"{sheet}: {rows[index][0]}", "no date")
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
        try:
            day = read_date(cell(row, created), day_first=day_first)
        except ValueError as exc:
            obs.reject(n, column, str(exc))
            obs.end_row()
            continue
        if day is None:
            obs.reject(n, column, "the post has no created date")
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
                "post_type": str(cell(row, kind) or "") or None,
                "text": str(cell(row, title) or ""),
                "permalink": url,
                "labels": "",
            }
        )
        obs.end_row()


# ---- Campaign Manager ------------------------------------------------------------------------

CAMPAIGN_METRICS = {
    "impressions": "impressions",
    "vertoningen": "impressions",
    "weergaven": "impressions",
    "clicks": "clicks",
    "klikken": "clicks",
    "total spent": "spend",
    "amount spent": "spend",
    "totaal besteed": "spend",
    "totaal uitgegeven": "spend",
    "conversions": "conversions",
    "conversies": "conversions",
    "leads": "leads",
    "reactions": "reactions",
    "reacties": "reactions",
    "comments": "comments",
    "opmerkingen": "comments",
    "shares": "shares",
    "follows": "new_followers",
    "total engagements": "engagements",
    "totale betrokkenheid": "engagements",
    "video views": "video_views",
    "videoweergaven": "video_views",
    "landing page clicks": "link_clicks",
    "klikken op landingspagina": "link_clicks",
    "reach": "reach",
    "bereik": "reach",
    "conversion value": "revenue",
    "total conversion value": "revenue",
}
CAMPAIGN_NAME = ("campaign name", "campaign", "campagnenaam", "campagne")
CAMPAIGN_ID = ("campaign id", "campagne-id")
START_DATE = (
    "start date (in utc)",
    "start date",
    "begindatum (in utc)",
    "begindatum",
    "startdatum (in utc)",
    "startdatum",
)


def _campaign_preamble(rows: list[list[Any]]) -> tuple[int, date | None, date | None] | None:
    start = end = None
    for index, row in enumerate(rows[:12]):
        text = "\t".join(str(c) for c in row if c)
        lowered = text.lower()
        for label, value in re.findall(
            r"(report start|report end|begin rapport|einde rapport|startdatum rapport|"
            r"einddatum rapport)\s*:\s*([^\t]+?)(?=,?\s*(?:report end|einde rapport|"
            r"einddatum rapport)\s*:|\t|$)",
            text,
            flags=re.IGNORECASE,
        ):
            days = dates_in(value)
            if not days:
                continue
            if label.lower() in ("report start", "begin rapport", "startdatum rapport"):
                start = days[0]
            else:
                end = days[0]
        names = {norm(c) for c in row}
        if (
            names & set(CAMPAIGN_NAME)
            and names & set(CAMPAIGN_METRICS)
            and ("report" not in lowered.split("\t")[0] or len(names) > 3)
        ):
            return index, start, end
    return None


class LinkedInCampaignManager(Format):
    name = "linkedin_campaign_manager"
    platform = "LinkedIn Campaign Manager"
    title = "campaign performance report (UTF-16 TAB, preamble lines)"
    channel = "linkedin_ads"
    grain = "window"

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "text":
            return None
        head = "\n".join(source.head_lines(8)).lower()
        if (
            "report start" not in head
            and "campaign performance report" not in head
            and "begin rapport" not in head
        ):
            return None
        found = _campaign_preamble(rows_of(source)[""])
        if found is None or found[0] == 0:  # the report's lines come before its header
            return None
        return Detection(0.95, "Campaign Manager preamble (Report Start/End) and columns")

    def read(self, source: Source, options: ReadOptions) -> Extract:
        rows = rows_of(source)[""]
        found = _campaign_preamble(rows)
        if found is None:
            raise SostacError(f"{source.name}: no Campaign Manager header found.")
        index, report_start, report_end = found
        headers = [norm(c) for c in rows[index]]
        metrics: dict[int, str] = {}
        for i, name in enumerate(headers):
            metric = CAMPAIGN_METRICS.get(re.sub(r"\s*\([a-z]{3}\)$", "", name))
            if metric and metric not in metrics.values():
                metrics[i] = metric
        start_col = column_index(headers, *START_DATE)
        name_col = column_index(headers, *CAMPAIGN_NAME)
        id_col = column_index(headers, *CAMPAIGN_ID)
        currency_col = column_index(headers, "currency", "valuta")
        account_col = column_index(headers, "account name", "accountnaam")
        data = [r for r in rows[index + 1 :] if not is_blank(r)]
        dutch = bool(set(headers) & {"campagnenaam", "vertoningen", "klikken", "totaal besteed"})
        day_first = day_first_of([cell(r, start_col) for r in data[:50]], default=dutch)
        decimal = decimal_of(
            [cell(r, i) for r in data[:200] for i in metrics], "," if dutch else None
        )
        # Each row runs from its start date to the day before the next start date in the
        # report (daily or monthly breakdowns), the last one to the report's end.
        starts: list[date] = []
        if start_col is not None:
            for row in data:
                try:
                    day = read_date(cell(row, start_col), day_first=day_first)
                except ValueError:
                    continue
                if day:
                    starts.append(day)
        distinct = sorted(set(starts))
        if report_end is None and len(distinct) <= 1:
            raise SostacError(
                f"{source.name}: the report names no Report End, so its rows cannot be placed "
                "in time.",
                hint="Export the report again from Campaign Manager without editing its first "
                "lines.",
            )
        obs = Observations(self.channel, account=options.account or "")
        for n, row in enumerate(data, start=1):
            name = str(cell(row, name_col) or "").strip()
            if name.lower().startswith(("total", "totaal")) or not name:
                obs.skipped += 1
                continue
            obs.start_row()
            start = report_start
            if start_col is not None:
                try:
                    start = read_date(cell(row, start_col), day_first=day_first) or start
                except ValueError as exc:
                    obs.reject(n, str(rows[index][start_col]), str(exc))
                    obs.end_row()
                    continue
            if start is None:
                obs.reject(n, "Start Date", "the row has no start date")
                obs.end_row()
                continue
            later = [d for d in distinct if d > start]
            end = later[0] - timedelta(days=1) if later else (report_end or start)
            if not options.account and account_col is not None and cell(row, account_col):
                obs.account = str(cell(row, account_col)).strip()
            currency = str(cell(row, currency_col) or "").strip().upper() or None
            item = str(cell(row, id_col) or "").strip() or name
            for i, metric in metrics.items():
                obs.add(
                    n,
                    metric,
                    obs.number(n, str(rows[index][i]), cell(row, i), decimal),
                    start,
                    end,
                    grain="window",
                    dimension="campaign",
                    item=item,
                    currency=currency if metric in ("spend", "revenue") else None,
                )
            obs.end_row()
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            errors=obs.errors,
            account=obs.account,
            notes=["Rows are per campaign."],
        )


FORMATS: list[Format] = [LinkedInPageAnalytics(), LinkedInCampaignManager()]
