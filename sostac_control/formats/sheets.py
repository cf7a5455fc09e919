"""Spreadsheet exports (XLSX, binary XLS, SpreadsheetML 2003 XML) as rows of cell values."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any, Protocol

from sostac_control.errors import SostacError


class SheetFile(Protocol):
    """What reading a spreadsheet needs of a file (formats.base.Source has it)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def data(self) -> bytes: ...
    @property
    def text(self) -> str: ...


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def read_sheets(source: SheetFile) -> dict[str, list[list[Any]]]:
    """{sheet name: rows}, each row a list of cell values (str, float, datetime or None)."""
    kind = source.kind
    try:
        if kind == "xlsx":
            return _read_xlsx(source.data)
        if kind == "xls":
            return _read_xls(source.data)
        if kind == "spreadsheetml":
            return _read_spreadsheetml(source.text)
    except SostacError:
        raise
    except Exception as exc:
        raise SostacError(
            f"{source.name}: the spreadsheet could not be read ({exc}).",
            hint="Open it in a spreadsheet program and save it again as .xlsx, or export CSV.",
        ) from exc
    raise SostacError(f"{source.name} is not a spreadsheet.")


def _read_xlsx(data: bytes) -> dict[str, list[list[Any]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def _read_xls(data: bytes) -> dict[str, list[list[Any]]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data)
    sheets: dict[str, list[list[Any]]] = {}
    for sheet in book.sheets():
        rows = []
        for r in range(sheet.nrows):
            row: list[Any] = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_EMPTY:
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                else:
                    row.append(cell.value)
            rows.append(row)
        sheets[sheet.name] = rows
    return sheets


def _read_spreadsheetml(text: str) -> dict[str, list[list[Any]]]:
    # The XML is the platform's own output, parsed without entity expansion beyond the default.
    root = ET.fromstring(text.encode("utf-8"))
    sheets: dict[str, list[list[Any]]] = {}
    for ws in root.iter(f"{_SS}Worksheet"):
        name = ws.get(f"{_SS}Name") or f"Sheet{len(sheets) + 1}"
        rows: list[list[Any]] = []
        for table in ws.iter(f"{_SS}Table"):
            for row_el in table.iter(f"{_SS}Row"):
                row: list[Any] = []
                for cell in row_el.iter(f"{_SS}Cell"):
                    index = cell.get(f"{_SS}Index")
                    if index:
                        while len(row) < int(index) - 1:
                            row.append(None)
                    data = cell.find(f"{_SS}Data")
                    value: Any = None
                    if data is not None:
                        raw = "".join(data.itertext())
                        kind = data.get(f"{_SS}Type")
                        value = float(raw) if kind == "Number" and raw.strip() else raw
                    row.append(value)
                rows.append(row)
        sheets[name] = rows
    return sheets
