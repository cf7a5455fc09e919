"""Spreadsheet exports (XLSX, binary XLS, SpreadsheetML 2003 XML) as rows of cell values."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any, Protocol

from sostac_control.errors import SostacError
from sostac_control.formats.bounds import MAX_SHEET_CELLS, bounded_rows, check_row, check_workbook


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
            check_workbook(source.name, source.data)  # before openpyxl unpacks anything
            return _read_xlsx(source.name, source.data)
        if kind == "xls":
            return _read_xls(source.name, source.data)
        if kind == "spreadsheetml":
            return _read_spreadsheetml(source.name, source.text)
    except SostacError:
        raise
    except Exception as exc:
        raise SostacError(
            f"{source.name}: the spreadsheet could not be read ({exc}).",
            hint="Open it in a spreadsheet program and save it again as .xlsx, or export CSV.",
        ) from exc
    raise SostacError(f"{source.name} is not a spreadsheet.")


def _read_xlsx(name: str, data: bytes) -> dict[str, list[list[Any]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    budget = [MAX_SHEET_CELLS]
    try:
        # read_only streams the sheet XML: rows are counted as they come, never all at once.
        return {
            sheet.title: [
                list(row)
                for row in bounded_rows(
                    name, f"sheet {sheet.title}", sheet.iter_rows(values_only=True), budget
                )
            ]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def _read_xls(name: str, data: bytes) -> dict[str, list[list[Any]]]:
    import xlrd

    # xlrd prints its warnings on stdout, which `--json` keeps for the one JSON document.
    book = xlrd.open_workbook(file_contents=data, logfile=io.StringIO())
    sheets: dict[str, list[list[Any]]] = {}
    budget = [MAX_SHEET_CELLS]
    for sheet in book.sheets():
        rows = []
        # The size is known before any cell is copied: a bound refuses before the copying.
        where = f"sheet {sheet.name}"
        check_row(name, where, sheet.nrows, sheet.ncols, budget, sheet.ncols * sheet.nrows)
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


def _read_spreadsheetml(source_name: str, text: str) -> dict[str, list[list[Any]]]:
    # The XML is the platform's own output, parsed without entity expansion beyond the default.
    root = ET.fromstring(text.encode("utf-8"))
    sheets: dict[str, list[list[Any]]] = {}
    budget = [MAX_SHEET_CELLS]
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
                check_row(source_name, f"sheet {name}", len(rows), len(row), budget)
        sheets[name] = rows
    return sheets
