"""Report-style exports as tables: rows of cells, a header found among preamble lines, and the
observations built from them row by row.

The platform modules (ads, analytics, linkedin, tiktok, youtube, refusals) say which columns
mean which metric; this module does the work they share: split the text into rows, find the
header, read numbers and dates cell by cell, and turn a bad cell into a rejected row.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from sostac_control.errors import Problem, SostacError
from sostac_control.formats.base import OBSERVATION_COLUMNS, POST_COLUMNS, Source
from sostac_control.formats.bounds import MAX_LINE_BYTES
from sostac_control.formats.values import MissingYearError, parse_date, parse_number
from sostac_control.formats.wide import normalise_header
from sostac_control.i18n import N_, _

csv.field_size_limit(MAX_LINE_BYTES)  # a longer cell is refused (formats/bounds.py)


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


@functools.lru_cache(maxsize=8192)
def read_date(text: Any, day_first: bool = False, year: int | None = None) -> date | None:
    """parse_date, remembered: exports repeat the same date text on many rows."""
    return parse_date(text, day_first=day_first, year=year)


# A header cell as compared: lower case, single spaces, no quotes, BOM or padding.
norm = normalise_header


TOTAL_WORDS = ("total", "totaal", "totals", "gesamt", "insgesamt", "totale", "grand total")


def total_label(row: list[Any], within: int = 3) -> str | None:
    """The cell that marks a total row (`Total`, `Total: Account`, `Totaal`) among the first
    `within` cells, or None."""
    for value in row[:within]:
        text = str(value or "").strip().lower()
        if text in TOTAL_WORDS or re.match(r"^(total|totaal|gesamt|totale)\s*:", text):
            return str(value).strip()
    return None


def delimiter_of(lines: list[str]) -> str:
    """TAB, semicolon or comma: whichever the most lines use most."""
    sample = "\n".join(lines[:20])
    counts = {d: sample.count(d) for d in ("\t", ";", ",")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def text_rows(source: Source, delimiter: str | None = None) -> list[list[str]]:
    """Every row of a delimited text export (quoted newlines kept inside their cell)."""
    text = source.text
    delimiter = delimiter or delimiter_of(text[:20000].split("\n"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:  # a quoted cell longer than MAX_LINE_BYTES, or a NUL byte
        raise SostacError(
            _("{file}: row {row} cannot be read ({error}).").format(
                file=source.name, row=reader.line_num, error=exc
            ),
            hint=_("Export the file again from the platform without editing it."),
        ) from exc


def rows_of(source: Source) -> dict[str, list[list[Any]]]:
    """{sheet name: rows} for a spreadsheet, {"": rows} for delimited text."""
    if source.kind == "text":
        return {"": text_rows(source)}
    if source.kind in ("xlsx", "xls", "spreadsheetml"):
        return source.sheets()
    return {}


def header_row(
    rows: list[list[Any]], wanted: set[str] | frozenset[str], *, at_least: int = 2, within: int = 15
) -> int | None:
    """The index of the first row (among the first `within`) naming `at_least` of `wanted`."""
    for index, row in enumerate(rows[:within]):
        names = {norm(cell) for cell in row}
        if len(names & wanted) >= at_least:
            return index
    return None


def is_blank(row: list[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def cell(row: list[Any], index: int | None) -> Any:
    """The cell at `index`, or None when the row is short or there is no such column."""
    if index is None or index >= len(row):
        return None
    return row[index]


def column_index(headers: list[str], *names: str) -> int | None:
    """The first column whose normalised header is one of `names`."""
    for name in names:
        if name in headers:
            return headers.index(name)
    return None


def metric_columns(headers: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """{column index: metric} for headers in `mapping`; a metric takes its first column only."""
    found: dict[int, str] = {}
    taken: set[str] = set()
    for index, name in enumerate(headers):
        metric = mapping.get(name)
        if metric and metric not in taken:
            found[index] = metric
            taken.add(metric)
    return found


def currency_in(header: str) -> str | None:
    """The ISO currency inside a header such as `Amount spent (PHP)`."""
    match = re.search(r"\(([A-Za-z]{3})\)\s*$", header.strip())
    return match.group(1).upper() if match else None


def day_first_of(texts: list[Any], default: bool = False) -> bool:
    """Whether slashed dates in these cells put the day first (a part above 12 tells)."""
    for text in texts:
        match = re.match(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}", str(text or ""))
        if match:
            if int(match.group(1)) > 12:
                return True
            if int(match.group(2)) > 12:
                return False
    return default


def decimal_of(cells: list[Any], default: str | None = None) -> str | None:
    """ "," or "." when number cells give the file's style away (`45,50`, `1.234,5`), else
    `default` (Dutch exports write decimal commas)."""
    for text in cells:
        if not isinstance(text, str):
            continue
        s = text.strip()
        if re.search(r"\d\.\d{3},\d|\d,\d{1,2}%?$", s):
            return ","
        if re.search(r"\d,\d{3}\.\d|\d\.\d{1,2}%?$", s):
            return "."
    return default


def dates_in(text: str) -> list[date]:
    """The dates in a range such as `1 November 2025 - 30 April 2026` or `20251101`."""
    text = text.strip().strip('"')
    compact = re.findall(r"\b(\d{4})(\d{2})(\d{2})\b", text)
    if compact:
        return [date(int(y), int(m), int(d)) for y, m, d in compact]
    found: list[date | None] = []
    parts = [p.strip().strip(",") for p in re.split(r"\s+[-–—]\s+|\s+to\s+|\s+tot\s+", text)]
    # Drop a trailing time ("Oct 1, 2023, 12:00 AM") before reading the date.
    parts = [re.sub(r",?\s+\d{1,2}:\d{2}(:\d{2})?\s*([AaPp][Mm])?$", "", p) for p in parts]
    year_less: list[int] = []
    for index, part in enumerate(parts):
        try:
            found.append(parse_date(part))
        except MissingYearError:
            found.append(None)
            year_less.append(index)  # "Oct 1 - Oct 31, 2025": the year comes from the end
        except ValueError:
            found.append(None)
    known = [d for d in found if d]
    for index in year_less:
        if known:
            day = parse_date(parts[index], year=known[-1].year)
            if day and day > known[-1]:
                day = day.replace(year=day.year - 1)
            found[index] = day
    return [d for d in found if d]


# The metrics an ads report states in money, in its currency (the others carry none).
MONEY_METRICS = frozenset({"spend", "revenue"})


@dataclass
class Observations:
    """Observations collected row by row; a row with a bad cell is rejected whole."""

    channel: str
    account: str = ""
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    skipped: int = 0
    rows_read: int = 0
    set_aside: dict[str, int] = field(default_factory=dict)  # non-data rows by name
    file_totals: dict[str, float] = field(default_factory=dict)  # the file's own total row
    _pending: list[dict[str, Any]] = field(default_factory=list)
    _bad: bool = False

    def set_aside_row(self, kind: str) -> None:
        """Count a row that is not data ("total rows", "placeholder rows", …) by its name."""
        self.skipped += 1
        self.set_aside[kind] = self.set_aside.get(kind, 0) + 1

    def total_row(self, cells: dict[str, Any], decimal: str | None = None) -> None:
        """The file's own total row: set aside, and its values kept to check the rows against
        (the first total row is the one over the rows listed; later ones split it up)."""
        self.set_aside_row(N_("total rows"))
        for metric, text in cells.items():
            try:
                value = parse_number(text, decimal)
            except ValueError:
                continue
            if value is not None and metric not in self.file_totals:
                self.file_totals[metric] = value

    def start_row(self) -> None:
        self._pending, self._bad = [], False
        self.rows_read += 1

    def number(self, row: int, column: str, text: Any, decimal: str | None = None) -> float | None:
        """A cell's number, or None for no data; a bad cell rejects the row."""
        if isinstance(text, str) and decimal != "," and _PLAIN.match(text):
            return float(text)  # the common case, without the general parser
        try:
            return parse_number(text, decimal)
        except ValueError as exc:
            self.reject(row, column, str(exc))
            return None

    def parsed(
        self,
        row: int,
        column: str,
        parse: Callable[..., Any],
        text: Any,
        missing: str = N_("no date"),
        **options: Any,
    ) -> Any:
        """parse(text, **options), or None after rejecting the row (unreadable or missing)."""
        try:
            value = parse(text, **options)
        except ValueError as exc:
            self.reject(row, column, str(exc))
            return None
        if value is None:
            self.reject(row, column, _(missing))
        return value

    def reject(self, row: int, column: str, message: str) -> None:
        if not self._bad:
            self.errors.append(Problem.at_row(row, column, message))
        self._bad = True

    def add(
        self,
        row: int,
        metric: str,
        value: float | None,
        start: date,
        end: date | None = None,
        *,
        grain: str = "day",
        dimension: str = "",
        item: str = "",
        currency: str | None = None,
        channel: str | None = None,
    ) -> None:
        if value is None or value != value:
            return
        self._pending.append(
            {
                "source_row": row,
                "channel": channel or self.channel,
                "account": self.account,
                "metric": metric,
                "grain": grain,
                "dimension": dimension,
                "item": item,
                "period_start": start,
                "period_end": end or start,
                "value": float(value),
                "currency": currency,
            }
        )

    def end_row(self) -> None:
        if not self._bad:
            self.records.extend(self._pending)
        self._pending, self._bad = [], False

    @property
    def rejected_rows(self) -> int:
        return len(self.errors)

    def frame(self) -> pd.DataFrame:
        """Every value read, row by row; rows sharing an identity are settled by the loader."""
        return pd.DataFrame(self.records, columns=OBSERVATION_COLUMNS)


def posts_frame(records: list[dict[str, Any]]) -> pd.DataFrame | None:
    if not records:
        return None
    frame = pd.DataFrame(records, columns=POST_COLUMNS)
    return frame.drop_duplicates(subset=["channel", "account", "post_id"], keep="last")
