"""Wide exports: one row per post or day, one column per metric, columns found by name.

The shared reader for such exports (Meta, X, and any format laid out the same way): read the
table as text (Arrow does the CSV work), find columns by any of their names (English, Dutch,
renamed between versions), parse whole columns at once, reject a row whose cell is not a
number or a date, skip the rows that are not data, and melt to observation rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from sostac_control.errors import Problem, SostacError
from sostac_control.formats.base import (
    OBSERVATION_COLUMNS,
    POST_COLUMNS,
    Grain,
    Source,
    empty_observations,
)
from sostac_control.formats.values import datetime_column, number_column
from sostac_control.i18n import _


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
    bad_rows: list[Problem] = field(default_factory=list)
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


def header_names(source: Source, line: int = 0) -> set[str]:
    """Normalised header names of a CSV line or a workbook's first row, cheaply."""
    if source.kind == "text":
        lines = source.head_lines(line + 1)
        if len(lines) <= line:
            return set()
        text = lines[line]
        return {
            normalise_header(h) for h in next(csv.reader([text], delimiter=sniff_separator(text)))
        }
    if source.kind in ("xlsx", "xls", "spreadsheetml"):
        for rows in source.sheets().values():
            if rows:
                return {normalise_header(c) for c in rows[0] if c is not None}
    return set()


def read_text_table(source: Source, header_line: int = 0, sep: str | None = None) -> Table:
    """A delimited text export as a Table; `header_line` is the 0-based line of the header.

    Quoted cells may hold separators and newlines. A row with more fields than the header is
    reported as a Problem and left out; everything is read as text (ids stay text).
    """
    lines = source.text.split("\n", header_line + 1)
    if len(lines) <= header_line:
        raise SostacError(_("{file} has no header line.").format(file=source.name))
    first = lines[header_line]
    sep = sep or sniff_separator(first)
    header = next(csv.reader([first], delimiter=sep))
    body = lines[header_line + 1] if len(lines) > header_line + 1 else ""
    names = [str(i) for i in range(len(header))]
    bad: list[Problem] = []

    short: list[int] = []

    def skip_invalid(row: Any) -> str:
        if row.actual_columns < row.expected_columns and (row.text or "").strip():
            short.append(row.number or 0)  # read again below, padded
            return "skip"
        number = (row.number or 0) - 1
        text = (row.text or "")[:60]
        if text.strip():
            bad.append(
                Problem.at_row(
                    number,
                    "",
                    _("{fields} fields where the header has {expected}: {text}").format(
                        fields=row.actual_columns, expected=row.expected_columns, text=repr(text)
                    ),
                )
            )
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            # One thread: a failed threaded read can abort the process at exit (pyarrow).
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=1 << 24, use_threads=False
            ),
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
            _("{file}: the table below the header could not be read ({error}).").format(
                file=source.name, error=exc
            ),
            hint=_("Export the file again from the platform without editing it."),
        ) from exc
    if short:
        return _padded_table(header, body, sep)
    # Arrow-backed strings: the column operations below (strip, match, cast) run in Arrow.
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame.columns = list(range(len(header)))
    return Table(header=header, frame=frame, bad_rows=bad, sep=sep)


def _padded_table(header: list[str], body: str, sep: str) -> Table:
    """The slow way, for files whose rows may stop early: real exports drop the empty fields
    at the end of older rows, and those rows are data like any other (missing = empty). A row
    with more fields than the header is still reported and left out."""
    import csv

    width = len(header)
    kept: list[list[str]] = []
    bad: list[Problem] = []
    for row in csv.reader(io.StringIO(body, newline=""), delimiter=sep):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) > width:
            bad.append(
                Problem.at_row(
                    len(kept) + len(bad) + 1,
                    "",
                    _("{fields} fields where the header has {expected}: {text}").format(
                        fields=len(row), expected=width, text=repr(sep.join(row)[:60])
                    ),
                )
            )
            continue
        kept.append(row + [""] * (width - len(row)))
    frame = pd.DataFrame(kept, columns=list(range(width)), dtype="string[pyarrow]")
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
    errors: list[Problem]
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
    or not a date rejects its row with a Problem; the other rows load.
    """
    frame = table.frame
    rows = pd.Series(frame.index + 1, index=frame.index)
    skipped_mask = (
        pd.Series(False, index=frame.index) if skip is None else skip.fillna(False).astype(bool)
    )
    errors: list[Problem] = list(table.bad_rows)
    rejected = pd.Series(False, index=frame.index)

    position = table.find(*date_column)
    if position is None:
        raise SostacError(
            _("No date column ({names}) in the header.").format(names=_(" or ").join(date_column)),
            hint=_("Export the report again with its date column."),
        )
    stamps, bad_dates = datetime_column(
        frame[position], day_first=day_first, year=year, formats=date_formats
    )
    bad_dates = bad_dates & ~skipped_mask
    missing_dates = stamps.isna() & ~bad_dates & ~skipped_mask
    date_name = table.header[position]
    for index in frame.index[bad_dates | missing_dates]:
        cell = str(frame.at[index, position])
        message = (
            _("{value} is not a date").format(value=repr(cell)) if cell.strip() else _("no date")
        )
        errors.append(Problem.at_row(int(rows[index]), date_name, message))
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
                Problem.at_row(
                    int(rows[index]),
                    table.header[position],
                    _("{value} is not a number").format(value=repr(frame.at[index, position])),
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
