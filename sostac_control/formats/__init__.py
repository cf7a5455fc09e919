"""The format registry: every export format sostac-control recognises, and recognition itself.

Adding a format is one module in this package that defines `Format` subclasses, plus its name in
FORMAT_MODULES below and a fixture in the tests. `base.py` holds Source, Format and the row
shapes; `sheets.py` reads spreadsheets; `table.py`, `wide.py` and `values.py` are the shared
readers of tables and cells; `bounds.py` holds the limits a file is checked against before
it is read; every other module is one platform family.

May import: catalog and errors only. Formats read bytes into rows; they never touch the store.
"""

from __future__ import annotations

import importlib

from sostac_control.errors import SostacError
from sostac_control.formats.base import (
    OBSERVATION_COLUMNS,
    POST_COLUMNS,
    Detection,
    Extract,
    Format,
    ReadOptions,
    Source,
)
from sostac_control.formats.headers import FAMILIES, known_languages
from sostac_control.formats.wide import normalise_header as norm
from sostac_control.i18n import _

__all__ = [
    "OBSERVATION_COLUMNS",
    "POST_COLUMNS",
    "Detection",
    "Extract",
    "Format",
    "ReadOptions",
    "Source",
    "all_formats",
    "detect_format",
    "get_format",
]

# One module per platform family; each defines Format subclasses listed in its FORMATS.
FORMAT_MODULES = [
    "sostac_control.formats.tidy",
    "sostac_control.formats.meta",
    "sostac_control.formats.meta_series",
    "sostac_control.formats.meta_legacy",
    "sostac_control.formats.x",
    "sostac_control.formats.meta_ads",
    "sostac_control.formats.google_ads",
    "sostac_control.formats.analytics",
    "sostac_control.formats.youtube",
    "sostac_control.formats.linkedin",
    "sostac_control.formats.linkedin_ads",
    "sostac_control.formats.tiktok",
    "sostac_control.formats.refusals",
]

# A format must be at least this sure to claim a file.
MIN_SCORE = 0.5


def all_formats() -> list[Format]:
    """Every registered format, in registry order."""
    found: list[Format] = []
    for module_name in FORMAT_MODULES:
        module = importlib.import_module(module_name)
        found.extend(module.FORMATS)
    return found


def get_format(name: str) -> Format:
    """The format called `name` (as `--format NAME` gives it)."""
    formats = all_formats()
    for fmt in formats:
        if fmt.name == name:
            return fmt
    raise SostacError(
        _("There is no format called {name}.").format(name=repr(name)),
        hint=_("`sostac-control formats` lists them: {names}").format(
            names=", ".join(f.name for f in formats)
        ),
    )


def detect_format(source: Source) -> tuple[Format, Detection]:
    """The format that claims `source` most surely; a SostacError saying what it looked like."""
    best: tuple[Format, Detection] | None = None
    probe = source.probe()  # recognition looks at the head of a large text file only
    for fmt in all_formats():
        detection = fmt.detect(probe)
        if detection is None or detection.score < MIN_SCORE:
            continue
        if best is None or detection.score > best[1].score:
            best = (fmt, detection)
    if best is None:
        raise SostacError(
            _("{file}: not a format sostac-control knows.").format(file=source.name)
            + " "
            + describe_source(source),
            hint=_(
                "Known formats: `sostac-control formats`. For other data, write the generic "
                "tidy CSV (header date,channel,metric,value) or pass --format NAME."
            ),
        )
    return best


def describe_source(source: Source) -> str:
    """One sentence on what an unrecognised file looked like."""
    kind = source.kind
    if kind == "text":
        lines = [line for line in source.head_lines(12) if line.strip()]
        if not lines:
            return _("It is empty.")
        shown = lines[0] if len(lines[0]) <= 160 else lines[0][:157] + "…"
        text = _("It is text ({encoding}) whose first line is: {line}")
        return text.format(encoding=source.encoding, line=shown) + resemblance("\n".join(lines))
    if kind in ("xlsx", "xls", "spreadsheetml"):
        try:
            names = list(source.sheets())
        except SostacError:
            names = []
        return _("It is a spreadsheet ({kind}) with sheets: {sheets}.").format(
            kind=kind, sheets=", ".join(names) or _("none")
        )
    if kind == "zip":
        return _("It is a ZIP archive; upload the files inside it, or the ZIP through ingest.")
    if kind == "json":
        return _("It is JSON; API responses are loaded with `sostac-control fetch`.")
    return _("It is not text, a spreadsheet, or a ZIP archive.")


# Links in the rows give a platform away whatever the language of the headers.
_LINK_PLATFORMS = {
    "facebook.com/": "Meta Business Suite",
    "instagram.com/": "Meta Business Suite",
    "x.com/": "X",
    "twitter.com/": "X",
    "tiktok.com/": "TikTok Studio",
    "youtube.com/": "YouTube Studio",
    "linkedin.com/": "LinkedIn",
}


def resemblance(head: str) -> str:
    """A sentence on the formats an unrecognised text file resembles (by the links in its
    rows and the header names it shares with a family, in any language), or ""."""
    lowered = head.lower()
    by_links = {name for link, name in _LINK_PLATFORMS.items() if link in lowered}
    header = [
        norm(c) for c in head.split("\n", 1)[0].replace(";", ",").replace("\t", ",").split(",")
    ]
    by_names = {
        family
        for family, table in FAMILIES.items()
        if sum(1 for words in table.values() for ws in words.values() for w in ws if w in header)
        >= 2
    }
    found = sorted(by_links | by_names)
    if not found:
        return ""
    return " " + _(
        "It resembles a {formats} export, but its headers are in a language or layout "
        "sostac-control does not read (headers read in: {languages})."
    ).format(formats=_(" or ").join(found), languages=known_languages())
