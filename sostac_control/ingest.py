"""Load export files: recognise → read and normalise → check → load, one transaction per file.

A file either loads whole (minus the rows it rejects, each reported with row, column and
message) or is refused whole, with nothing written. Loading the same file twice changes nothing
the second time (every key is `unchanged`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from sostac_control import access, store
from sostac_control.dbfile import StoreRef, store_exists, store_ref
from sostac_control.errors import SostacError, StoreUnusableError
from sostac_control.formats import (
    POST_COLUMNS,
    Extract,
    Format,
    ReadOptions,
    Source,
    bounds,
)
from sostac_control.formats.resave import no_data_sentence
from sostac_control.formats.values import MissingYearError
from sostac_control.i18n import N_, _
from sostac_control.ingest_read import UNREADABLE, read_source
from sostac_control.ingest_result import IngestResult, not_tried
from sostac_control.ingest_staged import (
    NothingStaged,
    StagedLoad,
    account_for_rows,
    choose_account,
    load_staged,
    stageable,
)
from sostac_control.reconcile import (
    Reconciliation,
    Settled,
    check_reconciliation,
    file_total_sentence,
    read_totals,
    settle_rows,
)

Progress = Callable[[str], None]


def ingest_paths(
    paths: Iterable[Path | str],
    db: StoreRef | str | None = None,
    *,
    format_name: str = "auto",
    options: ReadOptions | None = None,
    command: str = "cli ingest",
) -> list[IngestResult]:
    """Ingest files from disk (a ZIP archive counts as the files inside it).

    Every path gets a result, in order: loaded, refused (with why), skipped, or not tried
    (with why) when the database could not be used for an earlier file.
    """
    access.require("load files")  # a viewer gets a product error, whatever the page shows
    results: list[IngestResult] = []
    stopped: IngestResult | None = None
    for path in paths:
        p = Path(path)
        if stopped is not None:
            results.append(not_tried(p.name, stopped))
            continue
        staged = stageable(p, format_name)
        one = _ingest_staged(*staged, db, options or ReadOptions(), command) if staged else None
        if one is not None:
            results.append(one)
            stopped = one if one.database_failed else None
            continue
        try:
            if p.is_file() and p.stat().st_size > bounds.MAX_ZIP_UNPACKED:
                bounds.check_file_size(str(p), p.stat().st_size)
            data = p.read_bytes()
        except SostacError as exc:
            results.append(IngestResult(file=str(p), message=exc.message, hint=exc.hint))
            continue
        except OSError as exc:
            results.append(
                IngestResult(
                    file=str(p),
                    message=_("Cannot read {path}: {reason}.").format(path=p, reason=exc.strerror),
                    hint=_("Check the path and the file's permissions."),
                )
            )
            continue
        found = ingest_bytes(
            p.name, data, db, format_name=format_name, options=options, command=command
        )
        results.extend(found)
        stopped = next((r for r in found if r.status == "not_tried" or r.database_failed), None)
    return results


def ingest_bytes(
    name: str,
    data: bytes,
    db: StoreRef | str | None = None,
    *,
    format_name: str = "auto",
    options: ReadOptions | None = None,
    command: str = "app upload",
) -> list[IngestResult]:
    """Ingest one uploaded file (or each member of a ZIP archive); a result for each."""
    access.require("load files")  # a viewer gets a product error, whatever the page shows
    load = functools.partial(
        ingest_file, db=db, format_name=format_name, options=options, command=command
    )
    if not (data.startswith(b"PK\x03\x04") and Source(name, data).kind == "zip"):
        return [load(Source(name, data))]
    results: list[IngestResult] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            stopped: IngestResult | None = None
            for member in bounds.zip_members(name, archive):
                member_name = f"{name}/{member.filename}"
                if stopped is not None:
                    results.append(not_tried(member_name, stopped))
                    continue
                with archive.open(member) as stream:
                    head = stream.read(4)
                problem = bounds.member_problem(member, head)
                if problem:
                    status, message, hint = problem
                    results.append(IngestResult(member_name, status=status, message=message))
                    results[-1].hint = hint
                    continue
                results.append(load(Source(member_name, archive.read(member))))
                if results[-1].database_failed:
                    stopped = results[-1]
    except SostacError as exc:
        results.append(IngestResult(file=name, message=exc.message, hint=exc.hint))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:  # damaged archive
        results.append(
            IngestResult(
                file=name,
                message=_("{name}: the ZIP archive is damaged ({reason}).").format(
                    name=name, reason=exc
                ),
                hint=_("Download or pack the archive again."),
            )
        )
    return results


def ingest_file(
    source: Source,
    db: StoreRef | str | None = None,
    *,
    format_name: str = "auto",
    options: ReadOptions | None = None,
    command: str = "cli ingest",
) -> IngestResult:
    """Recognise, read and load one file; never raises for bad input, refuses instead."""
    access.require("load files")
    result = IngestResult(file=source.name)
    said = no_data_sentence(source)
    if said:
        result.status = "loaded"
        result.message = _("{name} says {said}: no rows, nothing stored for its period.").format(
            name=source.name, said=repr(said)
        )
        return result
    try:
        fmt, extract = read_source(source, format_name, options)
    except SostacError as exc:
        result.message, result.hint = exc.message, exc.hint
        result.errors = list(exc.problems)
        _note_refusal(db, result)
        return result
    except MissingYearError as exc:  # a date such as 'Jun 16' where the format expects a year
        result.message = f"{source.name}: {exc}"
        result.hint = _("Pass --year YYYY (or choose the year on the Data page).")
        return result
    except UNREADABLE as exc:  # a parser's own error on a damaged or odd file
        result.message = _("{name}: the file could not be read ({error}: {detail}).").format(
            name=source.name, error=type(exc).__name__, detail=str(exc)[:300]
        )
        result.hint = _("Export the file again from the platform without editing it.")
        return result
    result.format, result.platform, result.grain = fmt.name, fmt.platform, fmt.grain
    result.rows_read, result.skipped = extract.rows_read, extract.skipped
    rejected_rows = {e.row for e in extract.errors if e.row > 0}
    result.rejected = len(rejected_rows)
    result.errors = list(extract.errors)
    result.account = extract.account
    result.set_aside = dict(extract.set_aside)
    unnamed = extract.skipped - sum(extract.set_aside.values())
    if unnamed > 0:
        result.set_aside[fmt.skipped_rows_are] = unnamed
    # Every row read is accounted for: it gave values, was skipped, or was rejected. A row
    # that gave nothing (every metric cell empty) is skipped, and said so.
    rows = set(extract.observations["source_row"].unique().tolist()) - rejected_rows
    result.rows_loaded, result.values = len(rows), len(extract.observations)
    result.rows_read, result.skipped, silent = account_for_rows(
        result.rows_read, result.rows_loaded, result.skipped, result.rejected
    )
    extract.notes += silent
    if extract.observations.empty:
        result.message = (
            _(
                "{name} was read as {platform} {title} but holds no values to load "
                "(every row was rejected)."
            )
            if extract.errors
            else _("{name} was read as {platform} {title} but holds no values to load.")
        ).format(name=source.name, platform=fmt.platform, title=fmt.title)
        result.hint = _("Check that the export covers a period with data.")
        _note_refusal(db, result)
        return result
    try:
        matched = _match_unnamed_account(
            db, fmt, extract.observations, (options or ReadOptions()).account
        )
    except SostacError as exc:
        result.status, result.message, result.hint = "refused", exc.message, exc.hint
        _note_refusal(db, result)
        return result
    if matched:
        extract.account = extract.account or matched[0]
        result.account = extract.account
        # The format's "names no account" advice no longer applies: the account is matched.
        extract.notes = [n for n in extract.notes if "names no account" not in n]
        extract.notes.append(matched[1])
    try:
        settled = settle_rows(extract.observations, source.name, sum_into_key=fmt.sum_rows_into_key)
        if settled.repeated:
            result.set_aside[N_("repeated rows")] = settled.repeated
        outcome, reconciliation = _load(source, fmt, extract, settled, result, db, command)
    except SostacError as exc:
        result.message, result.hint = exc.message, exc.hint
        result.errors = list(exc.problems) or result.errors
        # Held by another program, or damaged: the file was never at fault.
        result.database_failed = isinstance(exc, StoreUnusableError)
        return result
    counts = outcome.counts
    result.first_day, result.last_day = outcome.first_day, outcome.last_day
    result.load_id = outcome.load_id
    result.inserted, result.updated = counts.inserted, counts.updated
    result.unchanged, result.duplicates = counts.unchanged, counts.duplicates
    result.values = len(settled.frame)
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
    result: IngestResult,
    db: StoreRef | str | None,
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
        rows_read=result.rows_read,
        skipped=result.skipped,
        rejected=result.rejected,
    )

    def write() -> tuple[store.LoadOutcome, Reconciliation]:
        with store.connect(db) as con, store.transaction(con):
            outcome = store.record_load(con, load, batch)
            totals = Reconciliation(read_totals(obs), outcome.stored, dict(extract.file_totals))
            check_reconciliation(source.name, totals)  # raises: the transaction rolls back
        return outcome, totals

    # On DuckLake another writer's commit may win: the whole transaction runs again.
    return store.retry_conflicts(write)


def _ingest_staged(
    source: Source, fmt: Format, db: StoreRef | str | None, options: ReadOptions, command: str
) -> IngestResult | None:
    """Load a file on disk that DuckDB reads itself (ingest_staged.py); None when its staged
    reader declines it and the file is to be read the ordinary way."""
    result = IngestResult(file=source.name)
    result.format, result.platform, result.grain = fmt.name, fmt.platform, fmt.grain
    done = StagedLoad()
    try:
        if not load_staged(source, fmt, db, options, command, done):
            return None
    except SostacError as exc:
        _staged_result(result, done)
        result.message, result.hint = exc.message, exc.hint
        result.errors = list(exc.problems) or result.errors
        result.database_failed = isinstance(exc, StoreUnusableError)
        if isinstance(exc, NothingStaged):
            _note_refusal(db, result)
        return result
    _staged_result(result, done)
    return result


def _staged_result(result: IngestResult, done: StagedLoad) -> None:
    """What a staged load did (or had read before it was refused), as the frame path says it."""
    result.rows_read, result.skipped, result.rejected = done.rows_read, done.skipped, done.rejected
    result.rows_loaded, result.values = done.rows_loaded, done.values
    if done.extract is not None:
        result.errors = list(done.extract.errors)
        result.account = done.extract.account
        result.set_aside = dict(done.extract.set_aside)
    if done.settled is not None and done.settled.repeated:
        result.set_aside[N_("repeated rows")] = done.settled.repeated
    if done.outcome is None or done.reconciliation is None or done.extract is None:
        return
    counts = done.outcome.counts
    result.first_day, result.last_day = done.outcome.first_day, done.outcome.last_day
    result.load_id = done.outcome.load_id
    result.inserted, result.updated = counts.inserted, counts.updated
    result.unchanged, result.duplicates = counts.unchanged, counts.duplicates
    result.reconciled = done.reconciliation.by_metric()
    result.status = "loaded"
    notes = [*done.extract.notes, *done.notes, *(done.settled.notes if done.settled else [])]
    result.message = " ".join(n for n in [*notes, file_total_sentence(result.reconciled)] if n)


def _note_refusal(db: StoreRef | str | None, result: IngestResult) -> None:
    """Log the refusal (file name and reason only) so alerts hold until a later good load."""
    store.log_refusal(db, result.file, result.message)


def _match_unnamed_account(
    db: StoreRef | str | None, fmt: Format, obs: pd.DataFrame, given: str | None = None
) -> tuple[str, str] | None:
    """Give values the file names no account for the channel's one account (in place).

    The account the user gave (--account, the Data page) first. Else exactly one named account
    on the channel: that one. Several: the account given to this
    format before (remembered from the ingest log), else the file is refused with a request to
    name it. None yet: stored unnamed (the first named account of the channel takes it over in
    sums only once the user says so). Returns (account, note) when a match was made.
    """
    unnamed = obs["account"] == ""
    if not unnamed.any():
        return None
    if given:
        obs.loc[unnamed, "account"] = given
        return given, _("Values without an account were given to {account}, as you asked.").format(
            account=repr(given)
        )
    if not store_exists(store_ref(db)):
        return None
    channels = sorted(obs.loc[unnamed, "channel"].unique())
    if len(channels) != 1:
        return None
    with store.reader(db or store.default_db_path()) as con:
        matched = choose_account(con, fmt, channels[0])
    if matched is not None:
        obs.loc[unnamed, "account"] = matched[0]
    return matched
