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
        if data.startswith(b"PK\x03\x04"):  # an archive or a workbook: read from memory
            results.extend(
                ingest_bytes(
                    p.name, data, db, format_name=format_name, options=options, command=command
                )
            )
            continue
        results.append(
            ingest_file(
                Source(p.name, data, path=p),
                db,
                format_name=format_name,
                options=options,
                command=command,
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


def recognise(source: Source, format_name: str = "auto") -> Format:
    """The format of a file (raises SostacError when unknown or refused)."""
    fmt = detect_format(source)[0] if format_name == "auto" else get_format(format_name)
    if fmt.refusal:
        raise SostacError(
            f"{source.name} looks like a {fmt.platform} {fmt.title}: {fmt.refusal}",
            hint="Only performance data (impressions, reach, clicks, spend, …) is loaded. "
            "`sostac-control formats` lists what is.",
        )
    return fmt


def read_source(
    source: Source, format_name: str = "auto", options: ReadOptions | None = None
) -> tuple[Format, Extract]:
    """Recognise and read a file without loading it (raises SostacError when refused)."""
    fmt = recognise(source, format_name)
    extract = fmt.read(source, options or ReadOptions())
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
    """Recognise, read and load one file; never raises for bad input, refuses instead.

    A format that reads a file on disk inside DuckDB (`Format.stage`: the tidy CSV) does so
    within the load's transaction, so a large file never passes through Python; the others
    read into a frame first (`Format.read`).
    """
    result = IngestResult(file=source.name)
    options = options or ReadOptions()
    try:
        fmt = recognise(source, format_name)
        result.format, result.platform, result.grain = fmt.name, fmt.platform, fmt.grain
        if source.path is not None:
            with store.connect(db) as con, store.transaction(con):
                staged = fmt.stage(source, options, con, STAGE)
                if staged is not None:
                    _load(con, source, fmt, staged, result, command)
                    if result.status != "loaded":
                        raise _NothingToLoad  # roll back what staging made
            if staged is not None:
                return result
        extract = fmt.read(source, options)
        _check_extract(source, fmt, extract)
    except _NothingToLoad:
        return result
    except SostacError as exc:
        result.message, result.hint = exc.message, exc.hint
        result.errors = [p.as_dict() for p in exc.problems]
        return result
    with store.connect(db) as con, store.transaction(con):
        _load(con, source, fmt, extract, result, command)
    return result


STAGE = "_stage_obs"  # the temp view a format's `stage` fills (store.record_load reads it)


class _NothingToLoad(Exception):
    """Internal: a staged file held no values; roll back and report the refusal."""


def _load(
    con: Any, source: Source, fmt: Format, extract: Extract, result: IngestResult, command: str
) -> None:
    """Load what was read (a frame, or rows staged in STAGE) as one load; in a transaction."""
    result.rows_read, result.skipped = extract.rows_read, extract.skipped
    result.rejected = len([e for e in extract.errors if e.row > 0])
    result.errors = [e.as_dict() for e in extract.errors]
    result.account = extract.account
    obs = extract.observations
    if extract.staged:
        row = con.execute(
            f"SELECT count(*), string_agg(DISTINCT channel, ',' ORDER BY channel) FROM {STAGE}"
        ).fetchone()
        values, channels = (int(row[0]), row[1]) if row else (0, "")
    else:
        values, channels = len(obs), ",".join(sorted(obs["channel"].unique()))
    if not values:
        result.message = (
            f"{source.name} was read as {fmt.platform} {fmt.title} but holds no values to load"
            + (" (every row was rejected)." if extract.errors else ".")
        )
        result.hint = "Check that the export covers a period with data."
        return
    load = store.NewLoad(
        source=source.name,
        command=command,
        sha256=hashlib.sha256(source.data).hexdigest(),
        format=fmt.name,
        platform=fmt.platform,
        channel=fmt.channel or channels,
        grain=fmt.grain,
        account=extract.account,
    )
    batch = store.LoadBatch(
        observations=None if extract.staged else obs,
        posts=extract.posts[POST_COLUMNS] if extract.posts is not None else None,
        rejects=[store.Reject(e.row, e.column, e.message) for e in extract.errors],
        rows_read=extract.rows_read,
        skipped=extract.skipped,
        rejected=result.rejected,
    )
    outcome = store.record_load(con, load, batch)
    counts = outcome.counts
    result.first_day, result.last_day = outcome.first_day, outcome.last_day
    result.inserted, result.updated, result.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )
    result.load_id = outcome.load_id
    result.status = "loaded"
    result.message = " ".join(extract.notes)


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
