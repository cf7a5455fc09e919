"""What spreadsheet software and empty periods do to an export, undone before recognition.

- Excel re-saves a CSV with a `sep=;` (or `sep=\\t`) first line, its own list separator (`;`
  with a Dutch, German or Bulgarian locale), no quotes, CRLF and no final newline. The rows
  are the platform's; only the `sep=` line is in the way of recognising them.
- A platform asked for a period without data writes a one-line file such as `No data
  available.`: that is an answer (zero rows), not an unknown format.
"""

from __future__ import annotations

import re

from sostac_control.formats.base import Source

_SEP_LINE = re.compile(r"^sep=(.)$")

# "No data" as the platforms write it in the interface languages the product supports.
NO_DATA = (
    "no data available",
    "no data",
    "geen gegevens beschikbaar",
    "geen gegevens",
    "nenhum dado disponível",
    "sem dados disponíveis",
    "no hay datos disponibles",
    "keine daten verfügbar",
    "aucune donnée disponible",
    "データがありません",
    "利用可能なデータはありません",
)


def without_sep_line(source: Source) -> Source | None:
    """The file without Excel's `sep=X` first line (as UTF-8 text), or None when it has none."""
    if source.kind != "text":
        return None
    first, _, rest = source.text.partition("\n")
    if not _SEP_LINE.match(first.rstrip("\r ")) or not rest.strip():
        return None
    return Source(source.name, rest.encode("utf-8"))


def no_data_sentence(source: Source) -> str | None:
    """The file's own words when all it says is that there is no data; None otherwise."""
    if source.kind != "text" or len(source.data) > 2000:
        return None
    lines = [line.strip().strip('"').strip() for line in source.text.split("\n") if line.strip()]
    if lines and lines[0].startswith("sep="):
        lines = lines[1:]
    if len(lines) != 1:
        return None
    said = lines[0]
    return said if said.lower().rstrip(".!") in NO_DATA else None
