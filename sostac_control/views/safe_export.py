"""Cells made inert before the product writes them into a CSV or XLSX for a spreadsheet.

Post texts and permalinks come from the platforms, that is from anyone who can post: a cell
starting with `=`, `+`, `-`, `@`, TAB or CR is run as a formula by Excel, LibreOffice and
Google Sheets when the file is opened (OWASP "CSV injection"). Every download and every
report file passes its table through `inert_table`, which puts a `'` before such text, as
OWASP advises; numbers (also negative ones) are left as they are. The XLSX workbook asks
`is_formula_like` (the one rule) and keeps such text a text cell with Excel's quote prefix.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sostac_control.i18n import csv_dialect

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet would take this text for a formula (OWASP's list of starts)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert_cell(value: Any) -> Any:
    """The value, with a `'` in front when it is text a spreadsheet would run as a formula."""
    if is_formula_like(value):
        return "'" + value
    return value


def inert_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table whose text cells are inert (the column names too)."""
    safe = table.copy()
    for column in safe.columns:
        if not (
            pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column])
        ):
            continue
        safe[column] = safe[column].map(inert_cell, na_action="ignore")
    safe.columns = [inert_cell(c) for c in safe.columns]
    return safe


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as CSV with every text cell inert: what the download buttons serve. English:
    `,` and decimal points, UTF-8; Dutch: `;` and decimal commas with a BOM, as Dutch Excel
    opens it (one column per field, "€" intact)."""
    separator, decimal, encoding = csv_dialect()
    text = inert_table(table).to_csv(index=False, sep=separator, decimal=decimal)
    return text.encode(encoding)
