"""What every writer shares: the Post record, CSV and XLSX writing, Dutch numbers, and readers of
what landed in the database."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from sostac_control import store


@dataclass
class Post:
    """One post with its lifetime metrics (canonical metric name → value)."""

    post_id: str
    published: datetime
    metrics: dict[str, float] = field(default_factory=dict)
    text: str = "Nieuwe koffie 🍂\nmet een tweede regel"
    post_type: str = "Photos"
    day: str = "Lifetime"  # the Date cell: Lifetime, or a day in a per-day breakdown


BOMS = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE}


def write_lines(
    path: Path,
    lines: Sequence[str],
    *,
    sep: str = "\n",
    end: str = "",
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    """The one row writer: an export's lines as its platform writes them (line separator, a
    last newline or none, encoding, byte-order mark); returns the path."""
    data = (sep.join(lines) + end).encode(encoding)
    path.write_bytes((BOMS[encoding] if bom else b"") + data)
    return path


def _csv_text(rows: list[list[object]], sep: str = ",", quote_all: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=sep,
        lineterminator="\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return out.getvalue()


def _nl_number(value: float) -> str:
    """1234.5 → "1.234,5" (Dutch interface)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def totals(db: Path) -> dict[tuple[str, str, str, str], float]:
    """{(channel, metric, grain, dimension): sum of current values} in the database."""
    with store.reader(db) as con:
        rows = con.execute(
            "SELECT channel, metric, grain, dimension, sum(value) FROM metric_values GROUP BY ALL"
        ).fetchall()
    return {(c, m, g, d): v for c, m, g, d, v in rows}


def values(db: Path, metric: str) -> list[tuple[Any, ...]]:
    """(period_start, period_end, item, value, currency) of one metric, in order."""
    with store.reader(db) as con:
        return con.execute(
            "SELECT day, period_end, item, value, currency FROM metric_values "
            "WHERE metric = ? ORDER BY day, item",
            [metric],
        ).fetchall()


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
