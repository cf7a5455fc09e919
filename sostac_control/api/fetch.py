"""Fetch from an API source into the store: extract → normalise → load, in short transactions.

Rows from an API go the same way as rows from an export file: a frame of
OBSERVATION_COLUMNS recorded by `store.record_load`, so a value fetched twice, or fetched
and also uploaded as an export of the same account, is stored once. Answered pages are
committed in batches (COMMIT_ROWS values a transaction, and whatever was answered when a
request fails), so a failure leaves complete pages loaded and says how far the fetch got.
Only a fetch that finishes moves the source's `fetch_state.last_day`, from which the next
fetch without --since starts (minus the source's look-back days).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from sostac_control import access, store
from sostac_control.api import generic, meta, youtube
from sostac_control.api.chunks import Chunk, Connector
from sostac_control.api.http import ApiSession, HttpPolicy
from sostac_control.api.sources import SourceConfig, read_token, token_hint
from sostac_control.catalog import CHANNELS, METRICS
from sostac_control.dbfile import StoreRef
from sostac_control.errors import SostacError, UsageError
from sostac_control.formats import OBSERVATION_COLUMNS, POST_COLUMNS
from sostac_control.i18n import _
from sostac_control.reconcile import Reconciliation, check_reconciliation, read_totals, settle_rows

log = logging.getLogger("sostac_control.api")

CONNECTORS: dict[str, Connector] = {
    "meta_page": meta.page_insights,
    "meta_posts": meta.post_insights,
    "instagram": meta.instagram,
    "meta_ads": meta.ads_insights,
    "youtube": youtube.reports,
    "json": generic.records,
}
PLATFORMS = {
    "meta_page": "Meta Graph API (Page insights)",
    "meta_posts": "Meta Graph API (post insights)",
    "instagram": "Meta Graph API (Instagram insights)",
    "meta_ads": "Meta Marketing API (Ads insights)",
    "youtube": "YouTube Analytics API",
    "json": "JSON API",
}

Progress = Callable[[str], None]
# Values per transaction: few enough to lose little on a crash, many enough that a quarter
# of a Page's metrics is one short write and the database file is free again quickly.
COMMIT_ROWS = 5000


@dataclass
class FetchResult:
    """What a fetch did, shaped like the ingest result, with counts per metric."""

    source: str
    type: str
    since: str
    until: str
    status: str = "failed"  # "loaded" | "failed"
    rows_read: int = 0  # API records read
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    metrics: dict[str, dict[str, int]] = field(default_factory=dict)
    # Per metric: the total the API pages stated and the total the fetch stored.
    reconciled: dict[str, dict[str, float]] = field(default_factory=dict)
    chunks: int = 0  # chunks committed
    requests: int = 0
    first_day: str | None = None
    last_day: str | None = None
    load_id: int | None = None
    message: str = ""
    hint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def metric_rows(self) -> list[dict[str, Any]]:
        """The per-metric table: metric, inserted, updated, unchanged."""
        return [{"metric": m, **counts} for m, counts in sorted(self.metrics.items())]


def plan_range(
    source: SourceConfig,
    since: date | None,
    until: date | None,
    db: StoreRef | str | None,
    today: date | None = None,
) -> tuple[date, date]:
    """The period to fetch: as asked, else from the last loaded day minus the look-back."""
    end = until or (today or date.today()) - timedelta(days=1)  # today is not complete yet
    if since is None:
        last = store.last_fetched_day(db, source.name)
        since = (
            last - timedelta(days=source.lookback_days)
            if last
            else end - timedelta(days=max(source.initial_days, 1) - 1)
        )
        since = min(since, end)
    if since > end:
        raise UsageError(
            _("--since {since} is after --until {until}.").format(since=since, until=end),
            hint=_("Give a period whose start is not after its end."),
        )
    return since, end


def fetch(
    source: SourceConfig,
    since: date | None = None,
    until: date | None = None,
    db: StoreRef | str | None = None,
    *,
    policy: HttpPolicy | None = None,
    progress: Progress | None = None,
    command: str = "cli fetch",
    today: date | None = None,
    commit_rows: int = COMMIT_ROWS,
) -> FetchResult:
    """Fetch `source` for [since, until] into `db`; raises SostacError only for set-up problems.

    Answered pages are committed in batches of about `commit_rows` values, each batch in one
    transaction. A failure during the fetch is returned as status "failed", with a message that
    says what went wrong and how far the fetch got: the pages answered before it are committed
    and stay loaded.
    """
    access.require("fetch from APIs")
    start, end = plan_range(source, since, until, db, today)
    token = read_token(source)
    result = FetchResult(
        source=source.name, type=source.type, since=start.isoformat(), until=end.isoformat()
    )
    session = ApiSession(
        source.name,
        policy or source.policy,
        headers=_auth_headers(source, token),
        secrets=(token,) if token else (),
        token_hint=token_hint(source),
        base_url=source.base_url,
    )
    say = progress or (lambda text: None)
    say(
        _("{source}: fetching {start} to {end} from {url}").format(
            source=source.name, start=start, end=end, url=session.redact(source.base_url)
        )
    )
    labels: list[str] = []
    pending: list[Chunk] = []

    def commit_pending() -> None:
        batch = pending[:]
        pending.clear()  # a batch that fails to commit is not tried twice
        if batch:
            _load_chunks(db, source, batch, result, command)
            labels.extend(c.label for c in batch)
            say(
                _("{source}: loaded {first} to {last}").format(
                    source=source.name, first=batch[0].label, last=batch[-1].label
                )
            )

    try:
        with session:
            for chunk in CONNECTORS[source.type](session, source, start, end):
                result.rows_read += chunk.records
                if chunk.rows or chunk.posts:
                    pending.append(chunk)
                    say(
                        _("{source}: fetched {part} ({n} values)").format(
                            source=source.name, part=chunk.label, n=len(chunk.rows)
                        )
                    )
                    if sum(len(c.rows) for c in pending) >= commit_rows:
                        commit_pending()
            commit_pending()
    except SostacError as exc:
        try:
            commit_pending()  # the complete pages fetched before the failure
        except SostacError as store_exc:
            log.warning("%s", store_exc.message)
        result.requests = session.requests_made
        got = (
            _(
                "{n} part(s) were loaded before it ({first} to {last}: {inserted} new, "
                "{updated} updated, {unchanged} unchanged values); they stay loaded and "
                "consistent."
            ).format(
                n=result.chunks,
                first=labels[0],
                last=labels[-1],
                inserted=result.inserted,
                updated=result.updated,
                unchanged=result.unchanged,
            )
            if labels
            else _("Nothing was loaded.")
        )
        result.message = f"{session.redact(exc.message)} {got}"
        result.hint = session.redact(exc.hint)
        log.warning("%s", result.message)
        return result
    result.requests = session.requests_made
    result.status = "loaded"
    if result.last_day:
        store.record_fetch_state(db, source.name, date.fromisoformat(result.last_day))
    elif result.rows_read == 0:
        result.message = _("{source} returned no data for {start} to {end}.").format(
            source=source.name, start=start, end=end
        )
    say(
        _("{source}: done, {inserted} new, {updated} updated, {unchanged} unchanged").format(
            source=source.name,
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )
    return result


def _auth_headers(source: SourceConfig, token: str) -> dict[str, str]:
    if not token:
        return {}
    if source.type == "json":
        header = str(source.options.get("auth_header") or "Authorization")
        scheme = str(source.options.get("auth_scheme", "Bearer") or "")
        return {header: f"{scheme} {token}".strip()}
    # Graph and YouTube take a bearer token; a header keeps it out of URLs and their logs.
    return {"Authorization": f"Bearer {token}"}


def chunk_frame(source: SourceConfig, chunk: Chunk, first_row: int) -> pd.DataFrame:
    """A chunk's rows as an observations frame (OBSERVATION_COLUMNS), like an export's."""
    records = []
    for offset, row in enumerate(chunk.rows):
        end = row.end or row.day
        grain = "window" if end != row.day else ("post" if row.item else "day")
        records.append(
            {
                "source_row": first_row + offset,
                "channel": row.channel or source.channel,
                "account": row.account or source.account_name,
                "metric": row.metric,
                "grain": grain,
                "dimension": "post" if row.item else "",
                "item": row.item,
                "period_start": row.day,
                "period_end": end,
                "value": float(row.value),
                "currency": row.currency,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=OBSERVATION_COLUMNS)
    bad = (set(frame["channel"]) - set(CHANNELS)) | (set(frame["metric"]) - set(METRICS))
    if bad:
        raise AssertionError(f"connector {source.type} produced unknown words {bad}")
    return frame


def _load_chunks(
    db: StoreRef | str | None,
    source: SourceConfig,
    chunks: list[Chunk],
    result: FetchResult,
    command: str,
) -> None:
    """Load answered pages in one transaction and add their counts to `result`."""
    first_row = result.inserted + result.updated + result.unchanged + 1
    frames = []
    for chunk in chunks:
        frames.append(chunk_frame(source, chunk, first_row))
        first_row += len(chunk.rows)
    frame = pd.concat(frames, ignore_index=True)
    posts_found = [p for chunk in chunks for p in chunk.posts]
    posts = (
        pd.DataFrame.from_records(
            [{"channel": source.channel, "account": source.account_name, **p} for p in posts_found],
            columns=POST_COLUMNS,
        )
        if posts_found
        else None
    )
    load = result.load_id or store.NewLoad(
        source=source.load_source,
        command=command,
        format=f"api_{source.type}",
        platform=PLATFORMS[source.type],
        channel=source.channel or None,
        grain=",".join(sorted(set(frame["grain"]))) or None,
        account=source.account_name,
    )
    settled = settle_rows(frame, source.load_source, sum_into_key=False).frame
    batch = store.LoadBatch(observations=settled, posts=posts, rows_read=result.rows_read)

    def write() -> tuple[store.LoadOutcome, Reconciliation]:
        with store.connect(db) as con, store.transaction(con):
            outcome = store.record_load(con, load, batch, by_metric=True)
            # The fetch proves itself like a file load: what the pages said is what was stored.
            totals = Reconciliation(read_totals(settled), outcome.stored)
            check_reconciliation(source.load_source, totals)  # raises: rolls back
        return outcome, totals

    # On DuckLake another writer's commit may win: the whole transaction runs again.
    outcome, reconciliation = store.retry_conflicts(write)
    for metric, entry in reconciliation.by_metric().items():
        done = result.reconciled.setdefault(metric, {"read": 0.0, "stored": 0.0})
        done["read"] = round(done["read"] + entry["read"], 6)
        done["stored"] = round(done["stored"] + entry["stored"], 6)
    result.load_id = outcome.load_id
    for metric, found in outcome.by_metric.items():
        totals = result.metrics.setdefault(metric, {"inserted": 0, "updated": 0, "unchanged": 0})
        for name, n in found.items():
            totals[name] += n
    result.inserted += outcome.counts.inserted
    result.updated += outcome.counts.updated
    result.unchanged += outcome.counts.unchanged
    if outcome.first_day and outcome.last_day:
        result.first_day = min(result.first_day or outcome.first_day, outcome.first_day)
        result.last_day = max(result.last_day or outcome.last_day, outcome.last_day)
    result.chunks += len(chunks)
