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
        if data.startswith(b"PK\x03\x04"):  # an archive (or workbook): read from memory
            results.extend(
                ingest_bytes(
                    p.name, data, db, format_name=format_name, options=options, command=command
                )
            )
            continue
        source = Source(p.name, data, path=p)
        results.append(
            ingest_file(source, db, format_name=format_name, options=options, command=command)
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

    A format that can read a file on disk inside DuckDB (`Format.stage`: the tidy CSV) does so
    within the load's transaction; the others read into a frame first (`Format.read`).
    """
    result = IngestResult(file=source.name)
    options = options or ReadOptions()
    try:
        fmt = recognise(source, format_name)
        result.format, result.platform, result.grain = fmt.name, fmt.platform, fmt.grain
        if source.path is not None:
            with store.connect(db) as con, store.transaction(con):
                staged = fmt.stage(source, options, con, "_stage_obs")
                if staged is not None:
                    _load(con, source, fmt, staged, result, command)
                    if result.status != "loaded":
                        raise _NothingToLoad
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
    if extract.observations.empty:
        _count(result, extract)
        _nothing_to_load(result, source, fmt, extract)
        return result
    with store.connect(db) as con, store.transaction(con):
        _stage_observations(con, extract.observations)
        _load(con, source, fmt, extract, result, command)
        con.unregister("_obs_frame")
    return result


class _NothingToLoad(Exception):
    """Internal: a staged file held no values; roll back and report the refusal."""


def _count(result: IngestResult, extract: Extract) -> None:
    result.rows_read, result.skipped = extract.rows_read, extract.skipped
    result.rejected = len([e for e in extract.errors if e.row > 0])
    result.errors = [e.as_dict() for e in extract.errors]
    result.account = extract.account


def _nothing_to_load(result: IngestResult, source: Source, fmt: Format, extract: Extract) -> None:
    result.message = (
        f"{source.name} was read as {fmt.platform} {fmt.title} but holds no values to load"
        + (" (every row was rejected)." if extract.errors else ".")
    )
    result.hint = "Check that the export covers a period with data."


def _load(
    con: Any, source: Source, fmt: Format, extract: Extract, result: IngestResult, command: str
) -> None:
    """Load the rows staged in `_stage_obs` as one load, inside the caller's transaction."""
    _count(result, extract)
    span = con.execute(
        """SELECT min(period_start)::VARCHAR, max(period_end)::VARCHAR,
                  string_agg(DISTINCT channel, ',' ORDER BY channel)
           FROM _stage_obs"""
    ).fetchone()
    if span is None or span[0] is None:
        _nothing_to_load(result, source, fmt, extract)
        return
    result.first_day, result.last_day = span[0], span[1]
    load_id = store.start_load(
        con,
        source=source.name,
        sha256=_sha256(source),
        format=fmt.name,
        platform=fmt.platform,
        channel=fmt.channel or span[2],
        grain=fmt.grain,
        account=extract.account,
        command=command,
    )
    counts = store.merge_observations(con, load_id, "_stage_obs")
    con.execute("DROP VIEW _stage_obs")
    if extract.posts is not None and not extract.posts.empty:
        con.register("_stage_posts", _as_arrow(extract.posts[POST_COLUMNS]))
        store.merge_posts(con, load_id, "_stage_posts")
        con.unregister("_stage_posts")
    if extract.errors:
        rejects = pd.DataFrame(
            [(e.row, e.column, e.message) for e in extract.errors],
            columns=["row", "column", "message"],
        )
        con.register("_stage_rejects", rejects)
        con.execute(
            'INSERT INTO rejects (load_id, row, "column", message) '
            'SELECT ?, row, "column", message FROM _stage_rejects',
            [load_id],
        )
        con.unregister("_stage_rejects")
    store.finish_load(
        con,
        load_id,
        rows_read=extract.rows_read,
        inserted=counts.inserted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        skipped=extract.skipped,
        rejected=result.rejected,
        first_day=result.first_day,
        last_day=result.last_day,
    )
    result.inserted, result.updated, result.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )
    result.load_id = load_id
    result.status = "loaded"
    result.message = " ".join(extract.notes)


def _sha256(source: Source) -> str:
    return hashlib.sha256(source.data).hexdigest()


def _stage_observations(con: Any, obs: pd.DataFrame) -> None:
    """The format's rows as a typed view `_stage_obs` over them (DuckDB does the casting)."""
    con.register("_obs_frame", _as_arrow(obs))
    con.execute(
        """CREATE OR REPLACE TEMP VIEW _stage_obs AS SELECT
             source_row::INTEGER AS source_row, channel::VARCHAR AS channel,
             coalesce(account::VARCHAR, '') AS account, metric::VARCHAR AS metric,
             grain::VARCHAR AS grain, coalesce(dimension::VARCHAR, '') AS dimension,
             coalesce(item::VARCHAR, '') AS item, period_start::DATE AS period_start,
             period_end::DATE AS period_end, value::DOUBLE AS value,
             currency::VARCHAR AS currency
           FROM _obs_frame"""
    )


def _as_arrow(frame: pd.DataFrame) -> Any:
    """A frame as an Arrow table for DuckDB to scan (fast); the frame itself if it will not go."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return frame


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


# --- The ingest log: what was loaded, and undoing a load -----------------------------------

LOAD_COLUMNS = [
    "load_id", "source", "format", "platform", "channel", "grain", "account", "command",
    "loaded_at", "rows_read", "inserted", "updated", "unchanged", "skipped", "rejected",
    "first_day", "last_day", "status", "removed_at", "sha256",
]  # fmt: skip


def load_history(db: Path | str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The ingest log, newest first: one dict per load (LOAD_COLUMNS); [] without a database."""
    path = Path(db) if db is not None else store.default_db_path()
    if not path.exists():
        return []
    with store.reader(path) as con:
        cursor = con.execute(
            f"SELECT {', '.join(LOAD_COLUMNS)} FROM loads ORDER BY load_id DESC"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        return [dict(zip(LOAD_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def load_rejects(db: Path | str | None, load_id: int) -> list[dict[str, Any]]:
    """The rows a load rejected: row, column, message."""
    with store.reader(db) as con:
        rows = con.execute(
            'SELECT row, "column", message FROM rejects WHERE load_id = ? ORDER BY row',
            [load_id],
        ).fetchall()
    return [{"row": r, "column": c, "message": m} for r, c, m in rows]


def load_preview(db: Path | str | None, load_id: int, limit: int = 50) -> pd.DataFrame:
    """What a load states, per channel, account, metric and grain (also the values it found
    unchanged); empty for a removed load."""
    with store.reader(db) as con:
        return con.execute(
            """SELECT o.channel, o.account, o.metric, o.grain, count(*) AS values_stored,
                      min(o.period_start)::VARCHAR AS first_day,
                      max(o.period_end)::VARCHAR AS last_day, sum(s.value) AS total
               FROM statements s JOIN observations o USING (key_id) WHERE s.load_id = ?
               GROUP BY ALL ORDER BY channel, account, metric, grain LIMIT ?""",
            [load_id, limit],
        ).df()


def undo_load(db: Path | str | None, load_id: int) -> int:
    """Remove a load as if it had never happened; values other loads state stay.

    Returns the number of values the load stated (0 when it was removed before).
    """
    with store.connect(db) as con:
        return store.remove_load(con, load_id)
