"""Load export files: recognise → read and normalise → check → load, one transaction per file.

A file either loads whole (minus the rows it rejects, each reported with row, column and
message) or is refused whole, with nothing written. Loading the same file twice changes nothing
the second time (every key is `unchanged`).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sostac_control import store
from sostac_control.catalog import CHANNELS, METRICS
from sostac_control.errors import SostacError
from sostac_control.formats import (
    OBSERVATION_COLUMNS,
    POST_COLUMNS,
    Extract,
    Format,
    ReadOptions,
    Source,
    detect_format,
    get_format,
)
from sostac_control.formats.resave import no_data_sentence, without_sep_line
from sostac_control.reconcile import (
    Reconciliation,
    Settled,
    check_reconciliation,
    file_total_sentence,
    read_totals,
    settle_rows,
)


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
    errors: list[dict[str, object]] = field(default_factory=list)
    status: str = "refused"  # "loaded" | "refused"
    message: str = ""  # why a file was refused, or notes on a loaded one
    hint: str = ""
    load_id: int | None = None
    account: str = ""
    first_day: str | None = None
    last_day: str | None = None
    # Per metric: the total read from the file's data rows, the total the load stored, and
    # the file's own total row where it has one (reconcile.py).
    reconciled: dict[str, dict[str, Any]] = field(default_factory=dict)
    set_aside: dict[str, int] = field(default_factory=dict)  # non-data rows by name

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Progress = Callable[[str], None]


def ingest_paths(
    paths: Iterable[Path | str],
    db: Path | str | None = None,
    *,
    format_name: str = "auto",
    options: ReadOptions | None = None,
    command: str = "cli ingest",
) -> list[IngestResult]:
    """Ingest files from disk (a ZIP archive counts as the files inside it)."""
    results: list[IngestResult] = []
    for path in paths:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            results.append(
                IngestResult(
                    file=str(p),
                    message=f"Cannot read {p}: {exc.strerror}.",
                    hint="Check the path and the file's permissions.",
                )
            )
            continue
        results.extend(
            ingest_bytes(
                p.name, data, db, format_name=format_name, options=options, command=command
            )
        )
    return results


def ingest_bytes(
    name: str,
    data: bytes,
    db: Path | str | None = None,
    *,
    format_name: str = "auto",
    options: ReadOptions | None = None,
    command: str = "app upload",
) -> list[IngestResult]:
    """Ingest one uploaded file (or each member of a ZIP archive)."""
    if data.startswith(b"PK\x03\x04") and Source(name, data).kind == "zip":
        results = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                if member.is_dir() or Path(member.filename).name.startswith((".", "__")):
                    continue
                results.append(
                    ingest_file(
                        Source(f"{name}/{member.filename}", archive.read(member)),
                        db,
                        format_name=format_name,
                        options=options,
                        command=command,
                    )
                )
        return results
    return [
        ingest_file(
            Source(name, data), db, format_name=format_name, options=options, command=command
        )
    ]


def read_source(
    source: Source, format_name: str = "auto", options: ReadOptions | None = None
) -> tuple[Format, Extract]:
    """Recognise and read a file without loading it (raises SostacError when refused)."""
    options = options or ReadOptions()
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
            f"{source.name} looks like a {fmt.platform} {fmt.title}: {fmt.refusal}",
            hint="Only performance data (impressions, reach, clicks, spend, …) is loaded. "
            "`sostac-control formats` lists what is.",
        )
    extract = fmt.read(source, options)
    _check_extract(source, fmt, extract)
    return fmt, extract


def ingest_file(
    source: Source,
    db: Path | str | None = None,
    *,
    format_name: str = "auto",
    options: ReadOptions | None = None,
    command: str = "cli ingest",
) -> IngestResult:
    """Recognise, read and load one file; never raises for bad input, refuses instead."""
    result = IngestResult(file=source.name)
    said = no_data_sentence(source)
    if said:
        result.status = "loaded"
        result.message = f"{source.name} says {said!r}: no rows, nothing stored for its period."
        return result
    try:
        fmt, extract = read_source(source, format_name, options)
    except SostacError as exc:
        result.message, result.hint = exc.message, exc.hint
        result.errors = [p.as_dict() for p in exc.problems]
        _note_refusal(db, result)
        return result
    result.format, result.platform, result.grain = fmt.name, fmt.platform, fmt.grain
    result.rows_read, result.skipped = extract.rows_read, extract.skipped
    result.rejected = len([e for e in extract.errors if e.row > 0])
    result.errors = [e.as_dict() for e in extract.errors]
    result.account = extract.account
    result.set_aside = dict(extract.set_aside)
    unnamed = extract.skipped - sum(extract.set_aside.values())
    if unnamed > 0:
        result.set_aside[fmt.skipped_rows_are] = unnamed
    if extract.observations.empty:
        result.message = (
            f"{source.name} was read as {fmt.platform} {fmt.title} but holds no values to load"
            + (" (every row was rejected)." if extract.errors else ".")
        )
        result.hint = "Check that the export covers a period with data."
        _note_refusal(db, result)
        return result
    try:
        settled = settle_rows(extract.observations, source.name, sum_into_key=fmt.sum_rows_into_key)
        if settled.repeated:
            result.set_aside["repeated rows"] = settled.repeated
        outcome, reconciliation = _load(source, fmt, extract, settled, result.rejected, db, command)
    except SostacError as exc:
        result.message, result.hint = exc.message, exc.hint
        result.errors = [p.as_dict() for p in exc.problems] or result.errors
        return result
    counts = outcome.counts
    result.first_day, result.last_day = outcome.first_day, outcome.last_day
    result.load_id = outcome.load_id
    result.inserted, result.updated, result.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )
    result.reconciled = reconciliation.by_metric()
    result.status = "loaded"
    notes = [*extract.notes, *settled.notes, file_total_sentence(result.reconciled)]
    result.message = " ".join(n for n in notes if n)
    return result


def _load(
    source: Source,
    fmt: Format,
    extract: Extract,
    settled: Settled,
    rejected: int,
    db: Path | str | None,
    command: str,
) -> tuple[store.LoadOutcome, Reconciliation]:
    """Write one file in one transaction; refuse it (roll back) when what the load stored
    differs from what was read (reconcile.py)."""
    obs = settled.frame
    load = store.NewLoad(
        source=source.name,
        command=command,
        sha256=hashlib.sha256(source.data).hexdigest(),
        format=fmt.name,
        platform=fmt.platform,
        channel=fmt.channel or ",".join(sorted(obs["channel"].unique())),
        grain=fmt.grain,
        account=extract.account,
    )
    batch = store.LoadBatch(
        observations=obs,
        posts=extract.posts[POST_COLUMNS] if extract.posts is not None else None,
        rejects=[store.Reject(e.row, e.column, e.message) for e in extract.errors],
        rows_read=extract.rows_read,
        skipped=extract.skipped,
        rejected=rejected,
    )
    with store.connect(db) as con, store.transaction(con):
        outcome = store.record_load(con, load, batch)
        reconciliation = Reconciliation(read_totals(obs), outcome.stored, dict(extract.file_totals))
        check_reconciliation(source.name, reconciliation)  # raises: the transaction rolls back
    return outcome, reconciliation


def _note_refusal(db: Path | str | None, result: IngestResult) -> None:
    """Log the refusal (file name and reason only) so alerts hold until a later good load."""
    store.log_refusal(db, result.file, result.message)


def _check_extract(source: Source, fmt: Format, extract: Extract) -> None:
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
