"""Large files on disk, read by DuckDB inside the load's transaction (`Format.stage`).

A tidy CSV of ten million values never passes through this process: recognition reads its
head, the checksum, the UTF-8 check and the text bounds stream it (bounds.scan_file), and
DuckDB reads, types and checks the rows into a temp table. The checks of the frame path in
ingest.py run in SQL over the staged rows, so no load skips them: values without an account
are matched to one (`choose_account`, shared with the frame path), repeated rows are settled
(reconcile.settle_stage), and what the load stored is reconciled with what was read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sostac_control import store
from sostac_control.dbfile import StoreRef
from sostac_control.errors import SostacError
from sostac_control.formats import (
    Extract,
    Format,
    ReadOptions,
    Source,
    bounds,
    detect_format,
    get_format,
)
from sostac_control.i18n import _
from sostac_control.reconcile import (
    Reconciliation,
    SettledStage,
    check_reconciliation,
    settle_stage,
    stage_read_totals,
)
from sostac_control.store.accounts import named_accounts, remembered_account

STAGED = "_staged_rows"  # the view a format's `stage` fills
NAMED = "_staged_named"  # the same rows, values without an account matched to one
SETTLED = "_stage_obs"  # one row per identity: what store.record_load merges


class NothingStaged(SostacError):
    """The file was read but gave no values (or its account cannot be told): refused before
    anything is written, and logged as a refusal like the frame path's."""


@dataclass
class StagedLoad:
    """What loading a staged file did, filled in as it goes (so a refusal still tells what
    was read); ingest.py turns it into an IngestResult."""

    extract: Extract | None = None  # counts and errors; no rows
    rows_read: int = 0
    rows_loaded: int = 0
    values: int = 0
    skipped: int = 0
    rejected: int = 0
    settled: SettledStage | None = None
    outcome: store.LoadOutcome | None = None
    reconciliation: Reconciliation | None = None
    notes: list[str] = field(default_factory=list)


def stageable(path: Path, format_name: str = "auto") -> tuple[Source, Format] | None:
    """The head of a file on disk and its format, when that format reads files inside DuckDB
    (and the head is UTF-8); None means: read the file's bytes the ordinary way."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as stream:
            head = stream.read(Source.PROBE_BYTES)
            more = bool(stream.read(1))
    except OSError:
        return None
    if more:  # recognise from whole lines; the rest of the file stays on disk
        head = head[: head.rfind(b"\n") + 1] or head
    source = Source(path.name, head, path=path)
    if head.startswith(b"PK\x03\x04") or source.kind != "text":
        return None
    if source.encoding not in ("utf-8", "utf-8-sig"):
        return None
    try:
        fmt = get_format(format_name) if format_name != "auto" else detect_format(source)[0]
    except SostacError:
        return None  # the ordinary path says why (or finds an Excel re-save)
    if fmt.refusal or type(fmt).stage is Format.stage or fmt.sum_rows_into_key:
        return None
    return source, fmt


def load_staged(
    source: Source,
    fmt: Format,
    db: StoreRef | str | None,
    options: ReadOptions,
    command: str,
    done: StagedLoad,
) -> bool:
    """Read, check and load a file on disk in one transaction, telling `done` what it did;
    False when the format's staged reader declines the file (the caller reads it the ordinary
    way). Raises SostacError to refuse; a refusal rolls everything back."""
    assert source.path is not None

    def _load(con: Any, extract: Extract, scan: bounds.FileScan) -> bool:
        """Check and merge the staged rows inside the load's transaction."""
        staged = con.execute(f"SELECT count(*) FROM {STAGED}").fetchone()
        done.values = done.rows_loaded = int(staged[0]) if staged else 0  # one value a row
        if extract.rows_loaded is not None:  # a post export: several values a row
            done.rows_loaded = extract.rows_loaded
        done.rejected = len({e.row for e in extract.errors if e.row > 0})
        done.rows_read, done.skipped, done.notes = account_for_rows(
            extract.rows_read, done.rows_loaded, extract.skipped, done.rejected
        )
        if not done.values:
            raise NothingStaged(
                (
                    _(
                        "{name} was read as {platform} {title} but holds no values to load "
                        "(every row was rejected)."
                    )
                    if extract.errors
                    else _("{name} was read as {platform} {title} but holds no values to load.")
                ).format(name=source.name, platform=fmt.platform, title=fmt.title),
                hint=_("Check that the export covers a period with data."),
            )
        matched = _match_accounts(con, fmt, options, extract)
        if matched:  # the format's "names no account" advice no longer applies
            extract.notes = [n for n in extract.notes if "names no account" not in n]
        done.notes += matched
        settled = done.settled = settle_stage(con, NAMED, SETTLED, source.name)
        read = stage_read_totals(con, SETTLED)
        load = store.NewLoad(
            source=source.name,
            command=command,
            sha256=scan.sha256,
            format=fmt.name,
            platform=fmt.platform,
            channel=fmt.channel or ",".join(sorted({channel for channel, _metric in read})),
            grain=fmt.grain,
            account=extract.account,
        )
        batch = store.LoadBatch(
            observations=None,  # staged in SETTLED
            rejects=[store.Reject(e.row, e.column, e.message) for e in extract.errors],
            rows_read=done.rows_read,
            skipped=done.skipped,
            rejected=done.rejected,
            unique_keys=True,  # settled: one row per identity
        )
        outcome = store.record_load(con, load, batch)
        if extract.staged_posts:  # post metadata, merged as the frame path merges `posts`
            store.merge_posts(con, outcome.load_id, extract.staged_posts)
            con.execute(f"DROP VIEW {extract.staged_posts}")
        reconciliation = Reconciliation(read, outcome.stored, dict(extract.file_totals))
        check_reconciliation(source.name, reconciliation)  # raises: the transaction rolls back
        for name in (NAMED, STAGED):
            con.execute(f"DROP VIEW IF EXISTS {name}")
        done.values = settled.values
        done.outcome, done.reconciliation = outcome, reconciliation
        return True

    # The checksum, UTF-8 check and text bounds stream the file in a thread while DuckDB reads
    # it (both release the GIL): nothing is written before the scan has passed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(bounds.scan_file, source.name, source.path)

        def attempt() -> bool:
            with store.connect(db) as con:
                # DuckDB reads the file into the connection's temp tables before the
                # transaction (nothing is stored yet); a table committed there numbers its
                # rows from 0.
                try:
                    extract = done.extract = fmt.stage(source, options, con, STAGED)
                except SostacError:
                    if not scanning.result().utf8:  # a bounds refusal says it better (raises)
                        return False
                    raise
                scan = scanning.result()
                if extract is None or not scan.utf8:
                    return False  # another encoding: the ordinary reader decodes it
                with store.transaction(con):
                    return _load(con, extract, scan)

        # On DuckLake another writer's commit may win: the whole transaction runs again.
        return store.retry_conflicts(attempt)


def account_for_rows(
    rows_read: int, rows_loaded: int, skipped: int, rejected: int
) -> tuple[int, int, list[str]]:
    """Every row read is accounted for: it gave values, was skipped, or was rejected. Rows
    that gave nothing (every metric cell empty) count as skipped, and are said so. Returns
    (rows_read, skipped, notes)."""
    silent = rows_read - rows_loaded - skipped - rejected
    if silent < 0:  # the format reported more rows one by one than it counted in total
        return rows_read - silent, skipped, []
    if silent > 0:
        return (
            rows_read,
            skipped + silent,
            [
                _(
                    "{n} row(s) gave no values of their own (empty metric cells, or a day the "
                    "export repeats)."
                ).format(n=f"{silent:,}")
            ],
        )
    return rows_read, skipped, []


def _match_accounts(con: Any, fmt: Format, options: ReadOptions, extract: Extract) -> list[str]:
    """The staged rows with values without an account matched to one (the view NAMED)."""
    row = con.execute(f"SELECT list(DISTINCT channel) FROM {STAGED} WHERE account = ''")
    channels = sorted((row.fetchone() or [None])[0] or [])
    matched = None
    if channels:
        given = options.account
        if given:
            matched = (
                given,
                _("Values without an account were given to {account}, as you asked.").format(
                    account=repr(given)
                ),
            )
        elif len(channels) == 1:
            matched = choose_account(con, fmt, channels[0])
    if matched is None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {NAMED} AS SELECT * FROM {STAGED}")
        return []
    account, note = matched
    literal = "'" + account.replace("'", "''") + "'"  # a view takes no parameters
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {NAMED} AS
        SELECT * REPLACE (CASE WHEN account = '' THEN {literal} ELSE account END AS account)
        FROM {STAGED}"""
    )
    extract.account = extract.account or account
    return [note]


def choose_account(con: Any, fmt: Format, channel: str) -> tuple[str, str] | None:
    """The account for values a file names no account for, on one channel (None: stored
    unnamed). Exactly one named account on the channel: that one. Several: the account given
    to this format before (remembered from the ingest log), else the file is refused with a
    request to name it. Returns (account, note)."""
    known = named_accounts(con, channel)
    remembered = remembered_account(con, channel, fmt.name) if len(known) > 1 else None
    if not known:
        return None
    if len(known) == 1:
        return known[0], _(
            "Values without an account were given to {account}, the only account already loaded "
            "for {channel}."
        ).format(account=repr(known[0]), channel=channel)
    if remembered in known:
        assert remembered is not None
        return remembered, _(
            "Values without an account were given to {account}, the account you gave this kind "
            "of {channel} export before."
        ).format(account=repr(remembered), channel=channel)
    raise NothingStaged(
        _(
            "This {platform} {title} does not say which {channel} account it belongs to, and "
            "{n} are loaded: {accounts}."
        ).format(
            platform=fmt.platform,
            title=fmt.title,
            channel=channel,
            n=len(known),
            accounts=", ".join(known),
        ),
        hint=_(
            "Name the account: `ingest --account NAME` or the Account field on the Data "
            "page. It is remembered for the next file of this kind."
        ),
    )
