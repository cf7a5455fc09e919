"""The bounds of an input file, checked before a reader unpacks or parses it.

An 875 KB XLSX can hold five million rows and a 1 MB one can unpack to a gigabyte; a ZIP can
hold thousands of members or another ZIP; one quoted CSV cell can be 20 MB. Each bound below
is far above any real platform export (the largest of 39 real ones is 1.2 MB) and keeps one
`ingest` or Data-page upload under MEMORY_CEILING_MB of memory. A file beyond a bound is
refused with a sentence naming the bound and what to do; nothing of it is read further.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sostac_control.errors import SostacError

MEMORY_CEILING_MB = 1500  # peak memory of one ingest process for the largest allowed file
MAX_FILE_BYTES = 50 * 2**20  # one export file (or one member of a ZIP), unpacked
MAX_LINE_BYTES = 2**20  # one line of a text export (a cell can be at most this long)
MAX_COLUMNS = 16_384  # columns of a table (CSV or sheet): Excel's limit; real ones reach 5,000
MAX_SHEET_ROWS = 200_000  # rows of one sheet of a workbook
MAX_SHEET_CELLS = 2_000_000  # cells of one workbook, all sheets (~750 MB in memory)
MAX_WORKBOOK_UNPACKED = 100 * 2**20  # an XLSX's parts, unpacked (2M cells take ~75 MB)
MAX_ZIP_MEMBERS = 200  # files in one ZIP archive of exports
MAX_ZIP_UNPACKED = 500 * 2**20  # all members of one ZIP archive, unpacked
# A file on disk that DuckDB reads itself (Format.stage: a tidy CSV, a Business Suite post
# export), streaming within its memory limit, not into this process: it may be far larger (a
# billion values would take 40 GB). The line and column bounds still hold for it (scan_file).
MAX_STAGED_FILE_BYTES = 8 * 2**30

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


def refuse(name: str, what: str, hint: str) -> SostacError:
    return SostacError(f"{name}: {what}", hint=hint)


def mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size:,} bytes"


def check_file_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise refuse(
            name,
            f"the file is {mb(size)}; one export may be at most {mb(MAX_FILE_BYTES)}.",
            "Export a shorter period (a quarter or a month at a time) and load each file.",
        )


def check_text(name: str, data: bytes) -> None:
    """The longest line and the header's width, without decoding the whole file."""
    check_file_size(name, len(data))
    start, number = 0, 1
    while start < len(data):
        end = data.find(b"\n", start, start + MAX_LINE_BYTES + 1)
        if end < 0:
            if len(data) - start > MAX_LINE_BYTES:
                raise _long_line(name, number)
            break
        start, number = end + 1, number + 1
    _check_header_width(name, data)


@dataclass(frozen=True)
class FileScan:
    """One streamed pass over a file on disk: its checksum and whether it is UTF-8 all through."""

    sha256: str
    size: int
    utf8: bool


def scan_file(name: str, path: Path, chunk_bytes: int = 16 * 2**20) -> FileScan:
    """Checksum, UTF-8 check and the text bounds (longest line, header width) of a large text
    file, read in chunks: the file is never held in memory whole."""
    size = path.stat().st_size
    if size > MAX_STAGED_FILE_BYTES:
        raise refuse(
            name,
            f"the file is {mb(size)}; a file read from disk may be at most "
            f"{mb(MAX_STAGED_FILE_BYTES)}.",
            "Split it by year or by channel and load each part.",
        )
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, line, since_newline = True, 1, 0
    with path.open("rb") as stream:
        while chunk := stream.read(chunk_bytes):
            if line == 1 and since_newline == 0:
                _check_header_width(name, chunk)
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
            gaps = np.diff(ends, prepend=-since_newline - 1) - 1 if ends.size else ends
            if gaps.size and gaps.max() > MAX_LINE_BYTES:
                raise _long_line(name, line + int(np.argmax(gaps > MAX_LINE_BYTES)))
            since_newline = (
                len(chunk) - 1 - int(ends[-1]) if ends.size else since_newline + len(chunk)
            )
            if since_newline > MAX_LINE_BYTES:
                raise _long_line(name, line + int(ends.size))
            line += int(ends.size)
    return FileScan(digest.hexdigest(), size, utf8)


def _check_header_width(name: str, head: bytes) -> None:
    header = head[: head.find(b"\n")] if b"\n" in head[:MAX_LINE_BYTES] else head[:MAX_LINE_BYTES]
    header = header.replace(b"\x00", b"")  # UTF-16: count the ASCII separators
    width = 1 + max(header.count(sep) for sep in (b",", b";", b"\t"))
    if width > MAX_COLUMNS:
        raise too_many_columns(name, width)


def _long_line(name: str, line: int) -> SostacError:
    return refuse(
        name,
        f"line {line} is longer than {mb(MAX_LINE_BYTES)} (a cell or a row that large is not "
        "an export's).",
        "Export the file again from the platform without editing it; a cell of text that "
        "long does not belong in a metrics export.",
    )


def too_many_columns(name: str, width: int, where: str = "") -> SostacError:
    return refuse(
        name,
        f"{where or 'the table'} has {width:,} columns; a table may have at most {MAX_COLUMNS:,}.",
        "Export fewer metrics or breakdowns at a time.",
    )


def check_workbook(name: str, data: bytes) -> None:
    """An XLSX's parts: how many, how large unpacked, and what each sheet says its size is."""
    check_file_size(name, len(data))
    try:
        _check_workbook_parts(name, data)
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) as exc:
        # zipfile's own errors on a damaged archive (even a negative seek): the file is damaged
        raise refuse(
            name,
            f"the workbook is damaged ({type(exc).__name__}: {str(exc)[:200]}).",
            "Download the export again, or open it in a spreadsheet program and save it anew.",
        ) from exc


def _check_workbook_parts(name: str, data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        unpacked = sum(p.file_size for p in parts)
        if unpacked > MAX_WORKBOOK_UNPACKED or len(parts) > 10_000:
            raise refuse(
                name,
                f"the workbook unpacks to {mb(unpacked)} in {len(parts):,} parts; a workbook "
                f"may unpack to at most {mb(MAX_WORKBOOK_UNPACKED)}.",
                "Export a shorter period, or save the sheet as CSV.",
            )
        for part in parts:
            if not part.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(part) as stream:
                head = stream.read(4096)
            found = _DIMENSION.search(head)
            if found:
                first_col, first_row, last_col, last_row = found.groups()
                rows = int(last_row or first_row or 1)
                cols = _column_number(last_col or first_col or b"A")
                where = f"sheet {part.filename.rsplit('/', 1)[-1]}"
                if rows > MAX_SHEET_ROWS:
                    raise too_many_rows(name, rows, where)
                if cols > MAX_COLUMNS:
                    raise too_many_columns(name, cols, where)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def too_many_rows(name: str, rows: int, where: str) -> SostacError:
    return refuse(
        name,
        f"{where} has {rows:,} rows or more; a sheet may have at most {MAX_SHEET_ROWS:,}.",
        "Export a shorter period, or save the sheet as CSV (text exports may be larger).",
    )


def bounded_rows(name: str, where: str, rows: Iterable[Any], budget: list[int]) -> Iterator[Any]:
    """The rows of one sheet, refused as soon as they pass a bound (rows, columns, cells).

    `budget` is a one-item list with the cells left for the whole workbook.
    """
    for count, row in enumerate(rows, start=1):
        check_row(name, where, count, len(row), budget)
        yield row


def check_row(
    name: str, where: str, count: int, width: int, budget: list[int], cells: int | None = None
) -> None:
    """Refuse the `count`th row of a sheet, `width` cells wide, when it passes a bound;
    `cells` (default: width) are taken from the workbook's budget."""
    if count > MAX_SHEET_ROWS:
        raise too_many_rows(name, count, where)
    if width > MAX_COLUMNS:
        raise too_many_columns(name, width, where)
    budget[0] -= width if cells is None else cells
    if budget[0] < 0:
        raise refuse(
            name,
            f"the workbook has more than {MAX_SHEET_CELLS:,} cells.",
            "Export a shorter period, or save each sheet as CSV.",
        )


def zip_members(name: str, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The files of a ZIP of exports (not folders); refused whole when beyond a bound."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        raise refuse(
            name,
            f"the ZIP holds {len(members):,} files; a ZIP may hold at most {MAX_ZIP_MEMBERS}.",
            "Load the exports in several smaller ZIPs, or unpack it and load the files.",
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_ZIP_UNPACKED:
        raise refuse(
            name,
            f"the ZIP unpacks to {mb(unpacked)}; a ZIP may unpack to at most "
            f"{mb(MAX_ZIP_UNPACKED)}.",
            "Load the exports in several smaller ZIPs.",
        )
    return members


def member_problem(member: zipfile.ZipInfo, data_head: bytes) -> tuple[str, str, str] | None:
    """(status, message, hint) for a ZIP member that is not read, or None to read it."""
    base = member.filename.rsplit("/", 1)[-1]
    if base.startswith((".", "__")) or "__MACOSX/" in member.filename:
        return (
            "skipped",
            "not read: a hidden or system file (its name starts with '.' or '__', as macOS "
            "and editors add to archives).",
            "Rename the file if it is an export you want loaded.",
        )
    if member.file_size > MAX_FILE_BYTES:
        return (
            "refused",
            f"the file unpacks to {mb(member.file_size)}; one export may be at most "
            f"{mb(MAX_FILE_BYTES)}.",
            "Export a shorter period and load each file.",
        )
    if data_head.startswith(b"PK\x03\x04") and not base.lower().endswith(".xlsx"):
        return (
            "refused",
            "a ZIP inside the ZIP is not opened (archives are read one level deep).",
            "Unpack the inner archive and load its files, or add them to the outer ZIP.",
        )
    return None
