"""What every export format declares, and the shapes it hands to the loader.

A format module defines one or more `Format` objects: how to recognise a file (`detect`), and
how to read it into canonical rows (`read`). The loader (`ingest.py`) never knows a platform;
the formats never touch the store.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, ClassVar, Literal, cast

import numpy as np
import pandas as pd
import pyarrow as pa

Grain = Literal["day", "post", "window"]

# The columns a format's observations frame must have (DESIGN.md vocabulary for metric and
# channel). period_start/period_end are datetime.date; value is float; currency may be None.
OBSERVATION_COLUMNS = [
    "source_row",  # 1-based data row in the file (first data row = 1), for tracing
    "channel",
    "account",
    "metric",
    "grain",
    "dimension",
    "item",
    "period_start",
    "period_end",
    "value",
    "currency",
]
POST_COLUMNS = [
    "channel",
    "account",
    "post_id",
    "published_at",
    "post_type",
    "text",
    "permalink",
    "labels",
]


@dataclass(frozen=True)
class RowError:
    """A row the loader rejected, with where and why; the rest of the file still loads."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class ReadOptions:
    """What the user told `ingest` beyond the file itself."""

    account: str | None = None  # --account: names the account when the export does not
    year: int | None = None  # --year: for dates written without a year
    today: date | None = None  # for relative dates; None means the real today


@dataclass
class Extract:
    """A file read into canonical rows, before loading."""

    observations: pd.DataFrame  # OBSERVATION_COLUMNS
    rows_read: int
    posts: pd.DataFrame | None = None  # POST_COLUMNS
    skipped: int = 0  # non-data rows: totals, placeholders, description rows
    errors: list[RowError] = field(default_factory=list)  # rejected rows
    account: str = ""
    notes: list[str] = field(default_factory=list)  # facts worth telling the user


@dataclass(frozen=True)
class Detection:
    """A format's claim on a file: how sure (0..1) and why."""

    score: float
    reason: str = ""


SourceKind = Literal["text", "xlsx", "xls", "spreadsheetml", "zip", "json", "unknown"]


class Source:
    """An input file as bytes, with its text decoded and its sheets read on demand."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data

    @cached_property
    def kind(self) -> SourceKind:
        head = self.data[:512]
        if head.startswith(b"PK\x03\x04"):
            try:
                names = zipfile.ZipFile(io.BytesIO(self.data)).namelist()
            except zipfile.BadZipFile:
                return "unknown"
            return "xlsx" if "[Content_Types].xml" in names else "zip"
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            return "xls"
        text_head = self.text[:2000] if self.is_text else ""
        if "urn:schemas-microsoft-com:office:spreadsheet" in text_head or (
            "<Workbook" in text_head and "<?xml" in text_head
        ):
            return "spreadsheetml"
        if text_head.lstrip().startswith(("{", "[")):
            return "json"
        return "text" if self.is_text else "unknown"

    @cached_property
    def encoding(self) -> str:
        data = self.data
        if data.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
            return "utf-16"
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        sample = data[:400]
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
            return "utf-16-le"
        try:
            data.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            return "cp1252"

    @cached_property
    def is_text(self) -> bool:
        if self.data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return False
        try:
            self.data[:4096].decode(
                self.encoding if self.encoding != "utf-8" else "utf-8", errors="strict"
            )
        except UnicodeDecodeError:
            # A multi-byte character cut at 4096 bytes is still text.
            return self.encoding != "cp1252"
        return True

    @cached_property
    def text(self) -> str:
        """The whole file decoded (BOM removed, newlines normalised to \\n)."""
        text = self.data.decode(self.encoding, errors="replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        return text.replace("\r\n", "\n").replace("\r", "\n")

    PROBE_BYTES = 1 << 18

    def probe(self) -> Source:
        """The file cut to its first 256 KB when it is large text: enough to recognise it.

        The cut falls on a line end, so the last row a detector sees is whole (unless one
        quoted cell spans the cut). Workbooks and archives are returned whole.
        """
        if len(self.data) <= self.PROBE_BYTES or self.kind != "text":
            return self
        cut = self.data[: self.PROBE_BYTES]
        utf16 = self.encoding.startswith("utf-16")
        newline = b"\n\x00" if utf16 else b"\n"
        end = cut.rfind(newline)
        while utf16 and end > 0 and end % 2:  # a "\n" of UTF-16LE starts on an even byte
            end = cut.rfind(newline, 0, end)
        probe = Source(self.name, cut[: end + len(newline)] if end > 0 else cut)
        probe.__dict__["encoding"] = self.encoding
        probe.__dict__["kind"] = "text"
        return probe

    def head_lines(self, n: int = 15) -> list[str]:
        """The first n lines of the decoded text (for recognising a format)."""
        if not self.is_text:
            return []
        return self.text[:20000].split("\n")[:n]

    # Sheets (xlsx, xls, SpreadsheetML) are read by sostac_control.formats.sheets; formats
    # call source.sheets() to get {sheet name: rows as lists of cell values}.
    def sheets(self) -> dict[str, list[list[Any]]]:
        from sostac_control.formats.sheets import read_sheets

        cached = self.__dict__.get("_sheets")
        if cached is None:
            cached = read_sheets(self)
            self.__dict__["_sheets"] = cached
        return cached


class Format:
    """An export format. Subclass, set the class attributes, implement detect and read."""

    name: ClassVar[str]  # short id used by --format, e.g. "meta_fb_posts"
    platform: ClassVar[str]  # e.g. "Meta Business Suite"
    title: ClassVar[str]  # e.g. "Facebook post export"
    channel: ClassVar[str]  # canonical channel, or "" when rows carry their own channel
    grain: ClassVar[Grain]
    # Not performance data (settings exports, audience splits): recognised only to be refused
    # with `refusal` as the reason.
    refusal: ClassVar[str] = ""

    def detect(self, source: Source) -> Detection | None:
        """How sure this format is that `source` is one of its files; None when not at all."""
        raise NotImplementedError

    def read(self, source: Source, options: ReadOptions) -> Extract:
        """Read the file into canonical rows; raise SostacError for a structural problem."""
        raise NotImplementedError

    def describe(self) -> dict[str, str]:
        return {
            "name": self.name,
            "platform": self.platform,
            "title": self.title,
            "channel": self.channel or "(per row)",
            "grain": self.grain,
            "loads": "no: " + self.refusal if self.refusal else "yes",
        }


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in OBSERVATION_COLUMNS})


# --- Reading a wide export table: header, data rows as text, columns found by name --------


def normalise_header(name: object) -> str:
    """A header cell as formats compare it: lower case, single spaces, no quotes or BOM."""
    text = "" if name is None else str(name)
    return " ".join(text.replace("\ufeff", "").strip().strip('"').lower().split())


@dataclass
class Table:
    """An export's data rows as text cells, with the header as written.

    `frame` has one column per header cell, named by position (0, 1, …) so that duplicated
    headers stay apart; `frame.index + 1` is the data row number (first row after the header
    = 1) that row errors cite.
    """

    header: list[str]
    frame: pd.DataFrame
    bad_rows: list[RowError] = field(default_factory=list)
    sep: str = ""  # the field separator of a text export ("" for a workbook)

    @cached_property
    def names(self) -> list[str]:
        return [normalise_header(h) for h in self.header]

    def find(self, *candidates: str) -> int | None:
        """The position of the first column whose name is one of `candidates` (normalised)."""
        wanted = [normalise_header(c) for c in candidates]
        for candidate in wanted:
            if candidate in self.names:
                return self.names.index(candidate)
        return None

    def column(self, *candidates: str) -> pd.Series | None:
        position = self.find(*candidates)
        return None if position is None else self.frame[position]

    def has(self, *candidates: str) -> bool:
        return self.find(*candidates) is not None


def sniff_separator(line: str) -> str:
    """The field separator of a header line: the most frequent of , ; TAB outside quotes."""
    outside = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
    counts = {sep: outside.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def read_text_table(source: Source, header_line: int = 0, sep: str | None = None) -> Table:
    """A delimited text export as a Table; `header_line` is the 0-based line of the header.

    Quoted cells may hold separators and newlines. A row with more fields than the header is
    reported as a RowError and left out; everything is read as text (ids stay text).
    """
    import csv

    import pyarrow as pa
    import pyarrow.csv as pacsv

    from sostac_control.errors import SostacError

    lines = source.text.split("\n", header_line + 1)
    if len(lines) <= header_line:
        raise SostacError(f"{source.name} has no header line.")
    first = lines[header_line]
    sep = sep or sniff_separator(first)
    header = next(csv.reader([first], delimiter=sep))
    body = lines[header_line + 1] if len(lines) > header_line + 1 else ""
    names = [str(i) for i in range(len(header))]
    bad: list[RowError] = []

    def skip_invalid(row: Any) -> str:
        number = (row.number or 0) - 1
        text = (row.text or "")[:60]
        if text.strip():
            bad.append(
                RowError(
                    number,
                    "",
                    f"{row.actual_columns} fields where the header has "
                    f"{row.expected_columns}: {text!r}",
                )
            )
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, invalid_row_handler=skip_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise SostacError(
            f"{source.name}: the table below the header could not be read ({exc}).",
            hint="Export the file again from the platform without editing it.",
        ) from exc
    # Arrow-backed strings: the column operations below (strip, match, cast) run in Arrow.
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame.columns = list(range(len(header)))
    return Table(header=header, frame=frame, bad_rows=bad, sep=sep)


def sheet_table(rows: list[list[Any]], header_row: int = 0) -> Table:
    """Spreadsheet rows (from Source.sheets()) as a Table; cells become text."""
    header = ["" if c is None else str(c) for c in rows[header_row]]
    width = len(header)
    body = [
        [_cell_text(c) for c in (row + [None] * width)[:width]] for row in rows[header_row + 1 :]
    ]
    frame = pd.DataFrame(body, columns=list(range(width)), dtype="object")
    return Table(header=header, frame=frame)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _repeated(codes: np.ndarray, words: list[str]) -> pd.Categorical:
    """A column of a few repeated words, as codes into `words`."""
    return pd.Categorical.from_codes(cast(Any, codes), categories=pd.Index(words))


def long_observations(
    keys: pd.DataFrame, values: dict[str, pd.Series], *, grain: Grain, dimension: str
) -> pd.DataFrame:
    """Wide metric columns to OBSERVATION_COLUMNS rows; cells without data (NaN) are dropped.

    `keys` has source_row, channel, account, item, period_start, period_end and optionally
    currency, aligned with each series in `values` (metric name → floats).
    """
    parts, names, sizes = [], [], []
    for metric, series in values.items():
        present = series.notna().to_numpy()
        if not present.any():
            continue
        part = keys.loc[present]
        part = part.assign(value=series.to_numpy()[present])
        parts.append(part)
        names.append(metric)
        sizes.append(len(part))
    if not parts:
        return empty_observations()
    out = pd.concat(parts, ignore_index=True)
    # Repeated words as categoricals: cheap to build, and handed to DuckDB as dictionaries.
    codes = np.repeat(np.arange(len(names), dtype="int16"), sizes)
    out["metric"] = _repeated(codes, names)
    zeros = np.zeros(len(out), dtype="int8")
    out["grain"] = _repeated(zeros, [grain])
    out["dimension"] = _repeated(zeros, [dimension])
    if "currency" not in out.columns:
        out["currency"] = None
    return out[OBSERVATION_COLUMNS]


@dataclass
class WideRead:
    """A wide table read into observations: what loaded, what was rejected or skipped."""

    observations: pd.DataFrame
    errors: list[RowError]
    skipped: int
    loaded: pd.Series  # bool per table row: the row's values were loaded
    stamps: pd.Series  # the parsed date column (naive datetimes)


def extract_wide(
    table: Table,
    *,
    channel: str,
    account: str | pd.Series,
    metrics: Mapping[str, tuple[str, ...]],
    grain: Grain,
    date_column: tuple[str, ...],
    item_column: tuple[str, ...] | None = None,
    sums: Mapping[str, tuple[str, ...]] | None = None,
    decimal: str | None = None,
    day_first: bool = False,
    year: int | None = None,
    date_formats: tuple[str, ...] = (),
    skip: pd.Series | None = None,
    currency: str | None = None,
) -> WideRead:
    """Read a wide export (one row per post or day, one column per metric) into observations.

    `metrics` maps a canonical metric to header names, the first present wins (a duplicated
    header: its first column); `sums` maps a metric to columns added together. Rows in `skip`
    (totals, description rows, placeholders) are counted, not read. A cell that is not a number
    or not a date rejects its row with a RowError; the other rows load.
    """
    from sostac_control.formats.values import datetime_column, number_column

    frame = table.frame
    rows = pd.Series(frame.index + 1, index=frame.index)
    skipped_mask = (
        pd.Series(False, index=frame.index) if skip is None else skip.fillna(False).astype(bool)
    )
    errors: list[RowError] = list(table.bad_rows)
    rejected = pd.Series(False, index=frame.index)

    position = table.find(*date_column)
    if position is None:
        from sostac_control.errors import SostacError

        raise SostacError(
            f"No date column ({' or '.join(date_column)}) in the header.",
            hint="Export the report again with its date column.",
        )
    stamps, bad_dates = datetime_column(
        frame[position], day_first=day_first, year=year, formats=date_formats
    )
    bad_dates = bad_dates & ~skipped_mask
    missing_dates = stamps.isna() & ~bad_dates & ~skipped_mask
    date_name = table.header[position]
    for index in frame.index[bad_dates | missing_dates]:
        cell = str(frame.at[index, position])
        message = f"{cell!r} is not a date" if cell.strip() else "no date"
        errors.append(RowError(int(rows[index]), date_name, message))
    rejected |= bad_dates | missing_dates

    values: dict[str, pd.Series] = {}
    for metric, names in metrics.items():
        position = table.find(*names)
        if position is None:
            continue
        parsed, bad = number_column(frame[position], decimal)
        values[metric] = parsed
        bad = bad & ~skipped_mask
        for index in frame.index[bad]:
            errors.append(
                RowError(
                    int(rows[index]),
                    table.header[position],
                    f"{frame.at[index, position]!r} is not a number",
                )
            )
        rejected |= bad
    for metric, names in (sums or {}).items():
        present = [p for p in (table.find(n) for n in names) if p is not None]
        if not present:
            continue
        parts = []
        for position in present:
            parsed, bad = number_column(frame[position], decimal)
            parts.append(parsed)
            rejected |= bad & ~skipped_mask
        values[metric] = pd.concat(parts, axis=1).sum(axis=1, min_count=1)

    loaded = ~skipped_mask & ~rejected
    # Days as Arrow date32: each cell reads as a datetime.date, with no Python object stored.
    days = stamps.astype(pd.ArrowDtype(pa.timestamp("ns"))).astype(pd.ArrowDtype(pa.date32()))
    keys = pd.DataFrame(
        {
            "source_row": rows,
            "channel": _repeated(np.zeros(len(frame), dtype="int8"), [channel]),
            "account": account,
            "item": "",
            "period_start": days,
            "period_end": days,
        }
    )
    if currency is not None:  # an all-None column would make pandas test every cell on concat
        keys["currency"] = currency
    if item_column is not None:
        item_position = table.find(*item_column)
        if item_position is not None:
            keys["item"] = frame[item_position].str.strip()
    keep = loaded.to_numpy()
    observations = long_observations(
        keys.loc[keep],
        {m: v.loc[keep] for m, v in values.items()},
        grain=grain,
        dimension="post" if grain == "post" else "",
    )
    errors.sort(key=lambda e: e.row)
    return WideRead(observations, errors, int(skipped_mask.sum()), loaded, stamps)


def posts_frame(
    table: Table,
    read: WideRead,
    *,
    channel: str,
    account: str | pd.Series,
    post_id: tuple[str, ...],
    post_type: tuple[str, ...] = (),
    text: tuple[str, ...] = (),
    permalink: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
) -> pd.DataFrame:
    """POST_COLUMNS metadata for the loaded rows of a post export."""
    frame = table.frame

    def pick(names: tuple[str, ...]) -> pd.Series | None:
        column = table.column(*names) if names else None
        return None if column is None else column.where(column.str.strip() != "", None)

    out = pd.DataFrame(
        {
            "channel": channel,
            "account": account,
            "post_id": pick(post_id),
            "published_at": read.stamps,
            "post_type": pick(post_type),
            "text": pick(text),
            "permalink": pick(permalink),
            "labels": pick(labels),
        },
        index=frame.index,
    )
    return out.loc[read.loaded.to_numpy(dtype=bool)].reset_index(drop=True)[POST_COLUMNS]
