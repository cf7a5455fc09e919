"""The store: one DuckDB file (or a DuckLake store, see lake.py) holding every load, its
observations, posts and rejects.

    schema.py   the natural keys and the forward migrations
    connect.py  short connections with lock retry; read-only readers; transactions
    loads.py    the one door in: record_load records a load and merges its observations,
                posts and rejects (file ingest and API fetch both use it)
    merge.py    merges by ownership (statements), the "same value" tolerance, undo
    log.py      the ingest log and fetch state: what was loaded, rejected, fetched; data version;
                refused files and what covers a period (reports, alert holds)
    alert_log.py the sent-alert log: claim an alert before sending it, so never twice

May import: errors only (and DuckDB). Everything above the store (ingest, api, engine, views,
ui, cli) goes through the names exported here; no other module writes SQL against
`loads`, `rejects` or `fetch_state`.

`loads` (the write path: pandas and pyarrow) is imported on first use of one of its names, so
that a reader such as `status` starts without pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sostac_control.store.alert_log import (
    AlertClaim,
    Announced,
    alert_log,
    alert_sent,
    announced,
    claim_alert,
    finish_alert,
)
from sostac_control.store.connect import (
    DEFAULT_DB,
    connect,
    default_db_path,
    lock_wait_reported,
    reader,
    set_lock_wait_seconds,
    transaction,
)
from sostac_control.store.lake import retry_conflicts
from sostac_control.store.log import (
    LOAD_COLUMNS,
    WorkspaceFacts,
    change_history,
    channel_last_day,
    channel_spans,
    data_version,
    last_data_day,
    last_fetched_day,
    load_history,
    load_preview,
    load_rejects,
    load_totals,
    loads_covering,
    log_refusal,
    observation_count,
    record_change,
    record_fetch_state,
    refusal_after_last_load,
    refusals_between,
    workspace_facts,
)
from sostac_control.store.merge import (
    SAME_VALUE_TOLERANCE,
    MergeCounts,
    merge_observations,
    merge_posts,
    remove_load,
    same_value,
    undo_load,
)
from sostac_control.store.schema import (
    MIGRATIONS,
    OBSERVATION_KEY,
    POST_KEY,
    POST_VALUES,
    SCHEMA_VERSION,
    migrate,
)

if TYPE_CHECKING:
    from sostac_control.store.loads import (
        LoadBatch,
        LoadOutcome,
        NewLoad,
        Reject,
        counts_by_metric,
        finish_load,
        record_load,
        start_load,
        stated_totals,
    )

# The write path's names, imported when first asked for (PEP 562).
LAZY = {
    name: "sostac_control.store.loads"
    for name in (
        "LoadBatch",
        "LoadOutcome",
        "NewLoad",
        "Reject",
        "counts_by_metric",
        "finish_load",
        "record_load",
        "start_load",
        "stated_totals",
    )
}


def __getattr__(name: str) -> Any:
    if name in LAZY:
        value = getattr(importlib.import_module(LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_DB",
    "LOAD_COLUMNS",
    "MIGRATIONS",
    "OBSERVATION_KEY",
    "POST_KEY",
    "POST_VALUES",
    "SAME_VALUE_TOLERANCE",
    "SCHEMA_VERSION",
    "AlertClaim",
    "Announced",
    "LoadBatch",
    "LoadOutcome",
    "MergeCounts",
    "NewLoad",
    "Reject",
    "WorkspaceFacts",
    "alert_log",
    "alert_sent",
    "announced",
    "change_history",
    "channel_last_day",
    "channel_spans",
    "claim_alert",
    "connect",
    "counts_by_metric",
    "data_version",
    "default_db_path",
    "finish_alert",
    "finish_load",
    "last_data_day",
    "last_fetched_day",
    "load_history",
    "load_preview",
    "load_rejects",
    "load_totals",
    "loads_covering",
    "lock_wait_reported",
    "log_refusal",
    "merge_observations",
    "merge_posts",
    "migrate",
    "observation_count",
    "reader",
    "record_change",
    "record_fetch_state",
    "record_load",
    "refusal_after_last_load",
    "refusals_between",
    "remove_load",
    "retry_conflicts",
    "same_value",
    "set_lock_wait_seconds",
    "start_load",
    "stated_totals",
    "transaction",
    "undo_load",
    "workspace_facts",
]
