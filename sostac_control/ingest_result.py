"""What happened to one file in a load: the `ingest --json` document (DESIGN.md).

Below `ingest` so that the pages, the demo and the CLI can name a result without the loader;
imports only the base layer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sostac_control.errors import Problem
from sostac_control.i18n import _


@dataclass
class IngestResult:
    """What happened to one file (DESIGN.md, `ingest --json`)."""

    file: str
    format: str | None = None
    platform: str | None = None
    grain: str | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    errors: list[Problem] = field(default_factory=list)  # rejected rows, or why refused
    status: str = "refused"  # "loaded" | "refused" | "skipped" (hidden ZIP member) | "not_tried"
    message: str = ""  # why a file was refused, or notes on a loaded one
    hint: str = ""
    load_id: int | None = None
    account: str = ""
    # rows_read = rows_loaded + skipped + rejected; values = inserted + updated + unchanged
    # + duplicates (a key repeated within the file: its last row wins).
    rows_loaded: int = 0
    values: int = 0
    duplicates: int = 0
    database_failed: bool = field(default=False, repr=False)  # the file was never at fault
    first_day: str | None = None
    last_day: str | None = None
    # Per metric: the total read from the file's data rows, the total the load stored, and
    # the file's own total row where it has one (reconcile.py).
    reconciled: dict[str, dict[str, Any]] = field(default_factory=dict)
    set_aside: dict[str, int] = field(default_factory=dict)  # non-data rows by name

    def as_dict(self) -> dict[str, Any]:
        document = asdict(self)
        document.pop("database_failed")
        document["errors"] = [p.as_row() for p in self.errors]
        return document


def not_tried(name: str, stopped: IngestResult) -> IngestResult:
    """The result of a file not tried because the database failed for an earlier one."""
    return IngestResult(
        file=name,
        status="not_tried",
        message=_("not tried: the database could not be used for {file} ({reason})").format(
            file=stopped.file, reason=stopped.message.removeprefix(stopped.file + ": ")
        ),
        hint=stopped.hint or _("Load this file again when the database is free."),
    )
