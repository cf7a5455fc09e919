"""Recognise and read an export file without loading it: bounds, format, reader, vocabulary.

`read_source` is the first half of every file load (`ingest.ingest_file`) and what the format
tests call directly; `UNREADABLE` names the parser errors that refuse a file instead of
surfacing as bugs. Imports formats and the base layer only.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

import pandas as pd

from sostac_control.catalog import CHANNELS, METRICS
from sostac_control.errors import SostacError
from sostac_control.formats import (
    OBSERVATION_COLUMNS,
    Extract,
    Format,
    ReadOptions,
    Source,
    bounds,
    detect_format,
    get_format,
)
from sostac_control.formats.resave import without_sep_line
from sostac_control.i18n import _

# What parsers raise on damaged or odd bytes (besides our own SostacError): the file is refused
# with the parser's words. Anything else is a bug and surfaces.
UNREADABLE: tuple[type[BaseException], ...] = (
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    csv.Error,
    ParseError,
    zipfile.BadZipFile,
    zlib.error,  # a damaged compressed member of an XLSX or ZIP
    UnicodeError,
    EOFError,
    MemoryError,
)


def read_source(
    source: Source, format_name: str = "auto", options: ReadOptions | None = None
) -> tuple[Format, Extract]:
    """Recognise and read a file without loading it (raises SostacError when refused)."""
    options = options or ReadOptions()
    if source.kind == "xlsx":
        bounds.check_workbook(source.name, source.data)
    elif source.kind in ("text", "json", "spreadsheetml", "unknown"):
        bounds.check_text(source.name, source.data)
    else:
        bounds.check_file_size(source.name, len(source.data))
    if format_name != "auto":
        fmt = get_format(format_name)
    else:
        try:
            fmt = detect_format(source)[0]
        except SostacError:
            plain = without_sep_line(source)  # an Excel re-save: `sep=;` before the header
            if plain is None:
                raise
            fmt, source = detect_format(plain)[0], plain
    if fmt.refusal:
        raise SostacError(
            _("{name} looks like a {platform} {title}: {refusal}").format(
                name=source.name, platform=fmt.platform, title=fmt.title, refusal=_(fmt.refusal)
            ),
            hint=_(
                "Only performance data (impressions, reach, clicks, spend, …) is loaded. "
                "`sostac-control formats` lists what is."
            ),
        )
    extract = fmt.read(source, options)
    check_extract(source, fmt, extract)
    return fmt, extract


def check_extract(source: Source, fmt: Format, extract: Extract) -> None:
    """A format's output must speak the catalogue's vocabulary; anything else is a bug."""
    obs = extract.observations
    missing = [c for c in OBSERVATION_COLUMNS if c not in obs.columns]
    if missing:
        raise AssertionError(f"format {fmt.name} produced no column(s) {missing}")
    bad_channels = set(obs["channel"].unique()) - set(CHANNELS)
    bad_metrics = set(obs["metric"].unique()) - set(METRICS)
    if bad_channels or bad_metrics:
        raise AssertionError(
            f"format {fmt.name} produced unknown channels {bad_channels} or metrics {bad_metrics}"
        )
    if not obs.empty and not pd.api.types.is_numeric_dtype(obs["value"]):
        obs["value"] = pd.to_numeric(obs["value"]).astype("float64")
