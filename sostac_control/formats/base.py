"""What every export format declares, and the shapes it hands to the loader.

A format module defines one or more `Format` objects: how to recognise a file (`detect`), and
how to read it into canonical rows (`read`). The loader (`ingest.py`) never knows a platform;
the formats never touch the store.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Literal

import pandas as pd

from sostac_control.errors import Problem
from sostac_control.formats.sheets import read_sheets
from sostac_control.i18n import N_

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
    # The non-data rows by name ({"total rows": 5, "placeholder rows": 2}); they add up to
    # `skipped` where the format names them.
    set_aside: dict[str, int] = field(default_factory=dict)
    # The file's own total row per metric, where it has one (the reconciliation checks the
    # data rows against it).
    file_totals: dict[str, float] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)  # rejected rows (Problem.at_row)
    account: str = ""
    notes: list[str] = field(default_factory=list)  # facts worth telling the user
    # A staged read (Format.stage) of a post export: the temp view holding its POST_COLUMNS
    # rows (the loader merges them as it merges `posts`), and the data rows that gave values
    # (None: one value a row, as in a tidy CSV).
    staged_posts: str | None = None
    rows_loaded: int | None = None


@dataclass(frozen=True)
class Detection:
    """A format's claim on a file: how sure (0..1) and why."""

    score: float
    reason: str = ""


SourceKind = Literal["text", "xlsx", "xls", "spreadsheetml", "zip", "json", "unknown"]


class Source:
    """An input file as bytes, with its text decoded and its sheets read on demand."""

    def __init__(self, name: str, data: bytes, path: Path | None = None) -> None:
        self.name = name
        self.data = data
        # The file on disk, when there is one: a format that reads inside DuckDB (`stage`)
        # reads it from there, and `data` may then hold only the file's head.
        self.path = path

    @cached_property
    def kind(self) -> SourceKind:
        head = self.data[:512]
        if head.startswith(b"PK\x03\x04"):
            try:
                names = zipfile.ZipFile(io.BytesIO(self.data)).namelist()
            except (zipfile.BadZipFile, ValueError, OSError, EOFError):  # a damaged archive
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
    # Rows finer than the key the format chose (ads without an id under an ad set, ad group
    # or campaign) are added up into the key; otherwise two rows of one identity with
    # different values refuse the file. Never "newer wins" inside one file.
    sum_rows_into_key: ClassVar[bool] = False
    # What the rows this format skips are, when it does not name them one by one.
    skipped_rows_are: ClassVar[str] = N_("rows that are not data")

    def detect(self, source: Source) -> Detection | None:
        """How sure this format is that `source` is one of its files; None when not at all."""
        raise NotImplementedError

    def read(self, source: Source, options: ReadOptions) -> Extract:
        """Read the file into canonical rows; raise SostacError for a structural problem."""
        raise NotImplementedError

    def stage(self, source: Source, options: ReadOptions, con: Any, view: str) -> Extract | None:
        """Read the file on disk (`source.path`) inside DuckDB into the temp view `view` of
        `con` (OBSERVATION_COLUMNS, the rows `read` would give, one value per data row); the
        Extract carries no rows then, only counts and errors. For large files: nothing passes
        through Python.

        None when the format reads only through `read` (the default) or the file does not fit
        the staged reader; the caller then reads the file with `read`.
        """
        return None

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
