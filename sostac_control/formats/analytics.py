"""Web analytics downloads: Google Analytics 4 CSV and Universal Analytics xlsx.

Both state a report's totals per row of one dimension (channel group, event name, page, …)
over a date range written in the preamble, so rows are windows on the channel `website` with
that dimension. Ratios (engagement rate, bounce rate, conversion rate) are not loaded: they
are computed from their parts. A row with an empty dimension is the report's total and is
kept as the account total (its users are unique, unlike the sum over rows).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pandas as pd

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.table import (
    Observations,
    cell,
    dates_in,
    is_blank,
    norm,
    read_date,
    rows_of,
)
from sostac_control.formats.values import parse_number
from sostac_control.i18n import N_

METRICS = {
    "sessions": "sessions",
    "sessies": "sessions",
    "total users": "users",
    "users": "users",
    "active users": "users",
    "totaal aantal gebruikers": "users",
    "gebruikers": "users",
    "actieve gebruikers": "users",
    "key events": "conversions",
    "conversions": "conversions",
    "goal completions": "conversions",
    "transactions": "conversions",
    "belangrijke gebeurtenissen": "conversions",
    "conversies": "conversions",
    "total revenue": "revenue",
    "revenue": "revenue",
    "purchase revenue": "revenue",
    "totale opbrengst": "revenue",
    "opbrengst": "revenue",
    "views": "views",
    "pageviews": "views",
    "weergaven": "views",
    "paginaweergaven": "views",
    "item revenue": "revenue",  # e-commerce item reports: revenue per item
    "itemopbrengst": "revenue",
    "new leads": "leads",  # lead acquisition: qualified and converted leads are subsets
    "nieuwe leads": "leads",
}
START_WORDS = ("start date", "startdatum", "begindatum")
END_WORDS = ("end date", "einddatum")
TOTAL_WORDS = frozenset({"", "total", "totals", "grand total", "totaal", "eindtotaal"})
_NUMERIC = re.compile(r"^[-+]?[\d.,\s]*\d[\d.,\s]*%?$")
DAY_DIMENSIONS = frozenset({"date", "datum", "day", "dag", "day index", "dagindex"})
# "Nth day": 0000, 0001, … counted from the report's start date.
NTH_DAY = frozenset({"nth day", "n-de dag", "ne dag", "n-ésimo dia", "n.º día", "n-ter tag"})


def dimension_name(header: str) -> str:
    """`Session primary channel group (Default channel group)` → `session_channel_group`."""
    text = re.sub(r"\(.*?\)", "", norm(header))
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in ("primary", "default")]
    return "_".join(words) or "dimension"


def _comment_window(lines: list[str]) -> tuple[date | None, date | None, str]:
    start = end = None
    account = ""
    for line in lines:
        body = line.lstrip("#").strip()
        lowered = body.lower()
        if lowered.startswith(START_WORDS):
            days = dates_in(body.split(":", 1)[-1])
            start = days[0] if days else start
        elif lowered.startswith(END_WORDS):
            days = dates_in(body.split(":", 1)[-1])
            end = days[0] if days else end
        elif lowered.startswith(("property:", "property :", "eigendom:", "property name:")):
            account = body.split(":", 1)[1].strip()
        elif start is None and re.fullmatch(r"\d{8}\s*-\s*\d{8}", body):
            days = dates_in(body)
            start, end = days[0], days[-1]
    return start, end, account


class Ga4Csv(Format):
    name = "ga4_csv"
    platform = "Google Analytics 4"
    title = "report download (CSV with # comment lines)"
    channel = "website"
    grain = "window"

    def detect(self, source: Source) -> Detection | None:
        lines = source.head_lines(30)
        comments = [line for line in lines if line.startswith("#")]
        if len(comments) < 2:
            return None
        start, end, _ = _comment_window(comments)
        if start is None or end is None:
            return None
        return Detection(0.95, "# comment lines with Start date / End date")

    def read(self, source: Source, options: ReadOptions) -> Extract:
        lines = source.text.split("\n")
        preamble = []
        for line in lines:
            if line.startswith("#") or not line.strip():
                preamble.append(line)
                continue
            break
        start, end, account = _comment_window(preamble)
        if start is None or end is None:
            raise SostacError(
                f"{source.name}: the # comment lines name no Start date and End date.",
                hint="Download the report again from GA4 (Share this report → Download file → "
                "CSV) without editing its first lines.",
            )
        # A download may hold several tables (blocks), each after `#` lines or a blank line:
        # a series by Nth day and a table by a dimension, say. Each is read on its own.
        extracts = [
            read_dimension_table(
                source, table, start, end, account=options.account or account, options=options
            )
            for table in _blocks(rows_of(source)[""])
        ]
        if len(extracts) == 1:
            return extracts[0]
        return _combined(extracts)


def read_dimension_table(
    source: Source,
    table: list[list[Any]],
    start: date,
    end: date,
    *,
    account: str,
    options: ReadOptions,
) -> Extract:
    """Rows of a report's dimensions (leading text columns) with metric columns, over the
    window start–end; with Date as the first dimension, rows are days instead."""
    headers = [norm(c) for c in table[0]]
    metrics: dict[int, str] = {}
    for i, name in enumerate(headers[1:], start=1):
        metric = METRICS.get(name)
        if metric and metric not in metrics.values():
            metrics[i] = metric
    if not metrics:
        raise SostacError(
            f"{source.name}: an analytics report without sessions, users, key events, "
            "revenue or views; nothing to load.",
            hint="Choose a report with those metrics (for example Traffic acquisition).",
        )
    # Leading text columns are the report's dimensions (GA4 allows a second one).
    dims = [0]
    for i in range(1, min(metrics)):
        sample = [cell(r, i) for r in table[1:21]]
        if not all(v is None or (isinstance(v, str) and not _NUMERIC.match(v)) for v in sample):
            break
        dims.append(i)
    nth_day = headers[0] in NTH_DAY
    by_day = headers[0] in DAY_DIMENSIONS or nth_day
    named = dims[1:] if by_day else dims
    dimension = "/".join(dimension_name(str(table[0][i])) for i in named)
    obs = Observations("website", account=account)
    file_totals: dict[str, float] = {}
    totals_found = 0
    for n, row in enumerate(table[1:], start=1):
        if is_blank(row):
            continue
        obs.start_row()
        labels = [str(cell(row, i) if cell(row, i) is not None else "").strip() for i in dims]
        row_start, row_end = start, end
        if by_day:
            try:
                day = (
                    start + timedelta(days=int(labels[0]))
                    if nth_day and labels[0].isdigit()
                    else None
                    if nth_day
                    else read_date(labels[0])
                )
            except ValueError as exc:
                obs.reject(n, str(table[0][0]), str(exc))
                obs.end_row()
                continue
            if day is None:
                # A row without a day is the report's total row (Universal Analytics xlsx).
                obs.rows_read -= 1
                obs.skipped += 1
                if all(label.lower() in TOTAL_WORDS for label in labels):
                    totals_found += 1
                    for i, metric in metrics.items():
                        total = _number_or_none(cell(row, i))
                        if total is not None:
                            file_totals[metric] = total
                continue
            row_start = row_end = day
            labels = labels[1:]
        item = " / ".join(labels)
        dim = dimension
        if all(label.lower() in TOTAL_WORDS for label in labels):
            dim, item = "", ""  # the report's own total: unique users stay unique
            for i, metric in metrics.items():
                total = _number_or_none(cell(row, i))
                if total is not None:
                    file_totals[metric] = total
        for i, metric in metrics.items():
            value = obs.number(n, str(table[0][i]), cell(row, i))
            obs.add(
                n,
                metric,
                value,
                row_start,
                row_end,
                grain="day" if by_day else "window",
                dimension=dim,
                item=item,
            )
        obs.end_row()
    notes = [f"Rows are per {dimension} over {start} – {end}."] if dimension and not by_day else []
    return Extract(
        observations=obs.frame(),
        rows_read=obs.rows_read + obs.skipped,
        skipped=obs.skipped,
        set_aside={N_("total rows"): totals_found} if totals_found else {},
        file_totals=file_totals,
        errors=obs.errors,
        account=account,
        notes=notes,
    )


def _blocks(rows: list[list[Any]]) -> list[list[list[Any]]]:
    """The tables of a GA4 download: runs of rows between `#` lines and blank lines."""
    blocks: list[list[list[Any]]] = []
    current: list[list[Any]] = []
    for row in rows:
        if not row or is_blank(row) or str(row[0]).startswith("#"):
            if len(current) > 1:
                blocks.append(current)
            current = []
            continue
        current.append(row)
    if len(current) > 1:
        blocks.append(current)
    if not blocks:
        raise SostacError("A GA4 download without a table below its # lines.")
    return blocks


def _combined(extracts: list[Extract]) -> Extract:
    """Several blocks of one download as one extract; rows numbered on through the blocks."""
    frames, offset = [], 0
    for part in extracts:
        frame = part.observations.copy()
        frame["source_row"] = frame["source_row"].astype("int64") + offset
        frames.append(frame)
        offset += part.rows_read
    totals: dict[str, float] = {}
    for part in extracts:
        for metric, value in part.file_totals.items():
            totals.setdefault(metric, value)
    return Extract(
        observations=pd.concat(frames, ignore_index=True),
        rows_read=sum(p.rows_read for p in extracts),
        skipped=sum(p.skipped for p in extracts),
        errors=[e for p in extracts for e in p.errors],
        account=extracts[0].account,
        notes=[f"{len(extracts)} tables in one download, each read on its own."]
        + [n for p in extracts for n in p.notes],
    )


def _number_or_none(text: Any) -> float | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


class UniversalAnalyticsXlsx(Format):
    name = "ua_xlsx"
    platform = "Universal Analytics"
    title = "report export (xlsx: Summary sheet with the date range, Dataset sheet)"
    channel = "website"
    grain = "window"

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "xlsx":
            return None
        found = self._locate(source)
        if found is None:
            return None
        return Detection(0.9, "sheets with # comment lines and a dataset of sessions/users")

    def _locate(self, source: Source) -> tuple[date, date, list[list[Any]], str] | None:
        sheets = source.sheets()
        start = end = None
        account = ""
        for rows in sheets.values():
            lines = [
                str(r[0])
                for r in rows[:20]
                if r
                and isinstance(r[0], str)
                and (r[0].startswith("#") or re.fullmatch(r"\s*\d{8}\s*-\s*\d{8}\s*", r[0]))
            ]
            if lines:
                for line in lines:
                    match = re.search(r"(\d{8})\s*-\s*(\d{8})", line)
                    if match and start is None:
                        days = dates_in(match.group(0))
                        start, end = days[0], days[-1]
                if not account and len(lines) > 1:
                    account = lines[1].lstrip("#").strip()
        if start is None or end is None:
            return None
        # Several datasets may state the same totals by different dimensions; a dataset by
        # day is the one to load (the others would count the same revenue again).
        found: list[tuple[date, date, list[list[Any]], str]] = []
        for rows in sheets.values():
            for index, row in enumerate(rows[:5]):
                names = {norm(c) for c in row}
                if len(names & set(METRICS)) >= 1 and not str(row[0] or "").startswith("#"):
                    found.append((start, end, rows[index:], account))
                    break
        by_day = [f for f in found if norm(f[2][0][0]) in DAY_DIMENSIONS]
        chosen = by_day or found
        return chosen[0] if chosen else None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        found = self._locate(source)
        if found is None:
            raise SostacError(f"{source.name}: no dataset with a date range found.")
        start, end, table, account = found
        table = [r for r in table if not is_blank(r)]
        return read_dimension_table(
            source, table, start, end, account=options.account or account, options=options
        )


FORMATS: list[Format] = [Ga4Csv(), UniversalAnalyticsXlsx()]
