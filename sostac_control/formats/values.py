"""Cell values as exports write them: numbers, percentages, durations and dates.

Each parser takes one cell's text and returns a value or None for "no data" ("-", "--", "",
"undefined"); it raises ValueError with a readable message for text it cannot read.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from sostac_control.formats.languages import month_numbers, weekday_words
from sostac_control.i18n import N_, _

NO_DATA = frozenset({"", "-", "--", "—", "–", "n/a", "na", "null", "none", "undefined", "nan"})

NO_YEAR = N_("{value} has no year; pass --year YYYY (or choose the year on the Data page)")
_PERCENT_BOUND = re.compile(r"^[<>]\s*")
_NUMBER_CHARS = re.compile(r"^[+-]?[\d.,\s\u00a0\u202f']*\d[\d.,\s\u00a0\u202f']*$")


def is_no_data(text: object) -> bool:
    """True for the cells exports use for "no value here"."""
    if text is None:
        return True
    if isinstance(text, float) and text != text:  # NaN
        return True
    return isinstance(text, str) and text.strip().lower() in NO_DATA


def parse_number(text: object, decimal: str | None = None) -> float | None:
    """A number from an export cell: 1,652,002.91 · 1.234,56 · 12.5% (→ 0.125) · < 10% · 89.0.

    `decimal` is "." or "," when the file's style is known; otherwise it is inferred from the
    cell: the last of "." and "," is the decimal mark when both appear; a lone separator
    followed by exactly three digits is a thousands separator (unless the part before it is 0).
    """
    if isinstance(text, bool):
        raise ValueError(_("{value} is not a number").format(value=repr(text)))
    if isinstance(text, int | float):
        return None if text != text else float(text)
    if is_no_data(text):
        return None
    s = str(text).strip()
    if len(s) >= 2 and s[0] == s[-1] == '"':
        s = s[1:-1].strip()
        if is_no_data(s):
            return None
    if _SCIENTIFIC.match(s):
        return float(s)
    s = _PERCENT_BOUND.sub("", s)
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    for symbol in ("€", "$", "£", "₱", "EUR", "USD"):
        s = s.replace(symbol, "")
    s = s.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if not s or not _NUMBER_CHARS.match(s):
        raise ValueError(_("{value} is not a number").format(value=repr(text)))
    s = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:]
    if not s or s[0] not in "0123456789":
        raise ValueError(_("{value} is not a number").format(value=repr(text)))
    mark = decimal or _infer_decimal(s)
    s = s.replace(".", "").replace(",", ".") if mark == "," else s.replace(",", "")
    if s.count(".") > 1 or s.endswith("."):
        raise ValueError(_("{value} is not a number").format(value=repr(text)))
    value = float(sign + s)
    if negative:
        value = -value
    return value / 100.0 if percent else value


_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")


def _infer_decimal(s: str) -> str:
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        return "," if s.rfind(",") > s.rfind(".") else "."
    if has_comma:
        head, _sep, tail = s.rpartition(",")
        # 1,234 is a thousand; 1,5 · 12,50 · 0,123 are decimals; 1,234,567 is thousands.
        if s.count(",") > 1:
            return "."
        if len(tail) == 3 and head.isdigit() and head != "0" and len(head) <= 3:
            return "."
        return ","
    if has_dot and s.count(".") > 1:
        return ","  # 1.234.567 is thousands dots
    return "."


def parse_duration_seconds(text: object) -> float | None:
    """A duration as seconds: H:MM:SS, MM:SS, or a plain number of seconds."""
    if is_no_data(text):
        return None
    if isinstance(text, int | float):
        return float(text)
    s = str(text).strip()
    if ":" in s:
        parts = s.split(":")
        if not all(p.strip().replace(".", "", 1).isdigit() for p in parts) or len(parts) > 3:
            raise ValueError(_("{value} is not a duration (H:MM:SS)").format(value=repr(text)))
        seconds = 0.0
        for part in parts:
            seconds = seconds * 60 + float(part)
        return seconds
    value = parse_number(s)
    return value


# Month and weekday names of every language read (languages.py): "Mar 3", "3 maart",
# "1 de marzo de 2025", "1. März 2025", "mar. 4 mars 2025".
_MONTHS = month_numbers()
_WEEKDAY = re.compile(
    r"^(?:" + "|".join(map(re.escape, weekday_words())) + r")[^\W\d_]*\.?,?\s+",
    re.IGNORECASE,
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SLASHED = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)
_MONTH_FIRST = re.compile(r"^([^\W\d_]+\.?)\s+(\d{1,2})(?:,?\s+(\d{4}))?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+\.?)(?:,?\s+(?:de\s+)?(\d{4}))?$")
# Japanese: 2025年3月1日 or 3月1日; and 2025/03/01 13:05 (year first).
_JAPANESE = re.compile(r"^(?:(\d{4})年)?\s*(\d{1,2})月\s*(\d{1,2})日")
_YEAR_FIRST = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


class MissingYearError(ValueError):
    """A date written without a year, and no year known from --year or the file."""


def parse_datetime(
    text: object, *, day_first: bool = False, year: int | None = None
) -> datetime | None:
    """A timestamp from an export cell, in any of the styles FORMATS.md lists.

    `day_first` settles 03/04/2025 (Dutch exports write the day first); `year` completes dates
    written without one ("August 18"). Time zones are dropped after conversion to UTC offset
    naive local time as written. Excel serial numbers (44008) are accepted.
    """
    if is_no_data(text):
        return None
    if isinstance(text, datetime):
        return text.replace(tzinfo=None)
    if isinstance(text, date):
        return datetime(text.year, text.month, text.day)
    if isinstance(text, int | float):
        return _from_serial(float(text), text)
    s = str(text).strip().strip('"')
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return _from_serial(float(s), text)
    m = _ISO.match(s)
    if m:
        y, mo, d, hh, mm, ss = m.groups()
        return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    m = _COMPACT.match(s)
    if m:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _YEAR_FIRST.match(s)
    if m:
        y, mo, d, hh, mm, ss = m.groups()
        return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    m = _JAPANESE.match(s)
    if m:
        if m.group(1) is None and year is None:
            raise MissingYearError(_(NO_YEAR).format(value=repr(text)))
        return datetime(int(m.group(1) or year or 0), int(m.group(2)), int(m.group(3)))
    m = _SLASHED.match(s)
    if m:
        a, b, y, hh, mm, ss, ampm = m.groups()
        first, second = int(a), int(b)
        if day_first or first > 12:
            d, mo = first, second
        else:
            mo, d = first, second
        yy = int(y) + (2000 if len(y) == 2 else 0)
        hour = int(hh or 0)
        if ampm:
            hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
        return datetime(yy, mo, d, hour, int(mm or 0), int(ss or 0))
    # "Mar 3" and "Mei 5" start like a weekday ("ma"): try the text as written first.
    for candidate in dict.fromkeys((s, _WEEKDAY.sub("", s))):
        for pattern, month_group, day_group in ((_MONTH_FIRST, 1, 2), (_DAY_FIRST, 2, 1)):
            m = pattern.match(candidate)
            if not m:
                continue
            month = _MONTHS.get(m.group(month_group).lower().rstrip("."))
            if month is None:
                continue
            day = int(m.group(day_group))
            if m.group(3):
                return datetime(int(m.group(3)), month, day)
            if year is None:
                raise MissingYearError(_(NO_YEAR).format(value=repr(text)))
            return datetime(year, month, day)
    raise ValueError(_("{value} is not a date this importer knows").format(value=repr(text)))


def parse_date(text: object, *, day_first: bool = False, year: int | None = None) -> date | None:
    """The calendar day of parse_datetime."""
    value = parse_datetime(text, day_first=day_first, year=year)
    return value.date() if value else None


def _from_serial(serial: float, original: object) -> datetime:
    if not 20000 <= serial <= 80000:
        raise ValueError(_("{value} is not a date").format(value=repr(original)))
    return datetime.combine(_EXCEL_EPOCH, datetime.min.time()) + timedelta(days=serial)


# Vectorised forms of the parsers above, for whole columns: the fast, common cells are parsed
# by pandas in one pass; only the unusual ones (percentages, thousands separators, month
# names) go through the one-cell parsers, once per distinct text.
_PLAIN_NUMBER = r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$"
_PLAIN_INTEGER = r"^[+-]?\d+$"
_ARROW_TEXT = pd.StringDtype("pyarrow")


def number_column(cells: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    """parse_number over a column: (floats, NaN where there is no data; True where not a number)."""
    text = cells.astype(_ARROW_TEXT).str.strip()
    pattern = _PLAIN_INTEGER if decimal == "," else _PLAIN_NUMBER
    plain = text.str.match(pattern).fillna(False).astype(bool)
    if plain.all():
        return text.astype("float64"), pd.Series(False, index=cells.index)
    no_data = (text.isna() | text.str.lower().isin(NO_DATA)).astype(bool)
    values = pd.Series(np.nan, index=cells.index, dtype="float64")
    values[plain] = text[plain].astype("float64")
    bad = pd.Series(False, index=cells.index)
    rest = (~plain & ~no_data).astype(bool)
    if rest.any():
        parsed: dict[str, float] = {}
        failed: set[str] = set()
        for cell in text[rest].unique():
            try:
                number = parse_number(cell, decimal)
            except ValueError:
                failed.add(cell)
                continue
            parsed[cell] = np.nan if number is None else number
        values[rest] = text[rest].map(parsed).astype("float64")
        bad = (rest & text.isin(failed).fillna(False)).astype(bool)
    return values, bad


def _strptime(text: pd.Series, pattern: str) -> pd.Series:
    """Cells in one strptime pattern as naive datetimes (UTC for a %z zone); NaT otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # Arrow's parser is about ten times faster than pandas'
        cells = pa.array(text.astype(object).where(text.notna(), None), type=pa.string())
        stamps = pc.strptime(cells, format=pattern, unit="s", error_is_null=True)
        if getattr(stamps.type, "tz", None):
            stamps = stamps.cast(pa.timestamp("s", tz="UTC")).cast(pa.timestamp("s"))
        naive = stamps.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
        return pd.Series(naive, index=text.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        parsed = pd.to_datetime(text, format=pattern, errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        return parsed


def datetime_column(
    cells: pd.Series,
    *,
    day_first: bool = False,
    year: int | None = None,
    formats: tuple[str, ...] = (),
) -> tuple[pd.Series, pd.Series]:
    """parse_datetime over a column: (naive datetimes, NaT where empty; True where not a date).

    `formats` are strptime patterns tried first, vectorised (the export's usual style); the
    cells they do not fit go through parse_datetime. MissingYearError propagates.
    """
    text = cells.astype(_ARROW_TEXT).str.strip().str.strip('"')
    no_data = (text.isna() | text.str.lower().isin(NO_DATA)).astype(bool)
    values = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    todo = (~no_data).astype(bool)
    for pattern in formats:
        if not todo.any():
            break
        parsed = _strptime(text[todo], pattern)
        ok = parsed.notna()
        values[ok[ok].index] = parsed[ok]
        todo[ok[ok].index] = False
    bad = pd.Series(False, index=cells.index)
    if todo.any():
        found: dict[str, datetime] = {}
        failed: set[str] = set()
        for cell in text[todo].unique():
            try:
                stamp = parse_datetime(cell, day_first=day_first, year=year)
            except MissingYearError:
                raise
            except ValueError:
                failed.add(cell)
                continue
            if stamp is not None:
                found[cell] = stamp
        values[todo] = pd.to_datetime(text[todo].map(found), errors="coerce")
        bad = (todo & text.isin(failed).fillna(False)).astype(bool)
    return values, bad


_RANGE_SPLIT = re.compile(r"\s+[-–—]\s+|\s+(?:to|tot|t/m)\s+")


def parse_date_range(
    text: object, *, day_first: bool = False, year: int | None = None
) -> tuple[date, date]:
    """A window written as two dates: "1 November 2025 - 30 April 2026", "Jan 1 – Jan 31, 2025"."""
    parts = _RANGE_SPLIT.split(str(text).strip().strip('"'))
    if len(parts) != 2:
        raise ValueError(
            _("{value} is not a date range (two dates with ' - ' between)").format(value=repr(text))
        )
    end = parse_date(parts[1], day_first=day_first, year=year)
    start = parse_date(parts[0], day_first=day_first, year=year or (end.year if end else None))
    if start is None or end is None:
        raise ValueError(_("{value} is not a date range").format(value=repr(text)))
    return start, end
