"""One grain per metric: the SQL that picks, for each (channel, account, metric), the rows the
metric engine counts, and spreads window rows over their days.

The declared rule: day totals if any exist in the range; else day breakdown rows summed (never
for unique metrics); else window totals (then window breakdowns, never for unique metrics)
spread evenly over their days; else per-post rows on their publish day. Two grains of the same
thing are never added up. Every query of the engine, the rollups and the reports starts from
`base_sql`, so the rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from sostac_control.catalog import ALL_CHANNELS, METRICS

LEVEL_METRICS = [name for name, m in METRICS.items() if m.kind == "level"]
UNIQUE_METRICS = [name for name, m in METRICS.items() if m.kind == "unique"]

RULE_TEXT = {
    "day_total": "daily totals",
    "day_breakdown": "daily breakdown rows summed",
    "window_total": "window totals spread evenly over their days",
    "window_breakdown": "window breakdown rows summed and spread evenly over their days",
    "post": "per-post rows on their publish day",
}


def sql_in(names: Sequence[str]) -> str:
    """Quoted SQL literals for an IN list (names come from the catalogue or the plan)."""
    return ", ".join("'" + n.replace("'", "''") + "'" for n in names)


RULES = ("day_total", "day_breakdown", "window_total", "window_breakdown", "post")
BUCKETS = ("day", "week", "month", "quarter", "period")


def _bucket(column: str, bucket: str) -> str:
    if bucket == "day":
        return column
    if bucket == "period":
        return "$start::DATE"
    return f"date_trunc('{bucket}', {column})::DATE"


def base_sql(
    metrics: Sequence[str],
    channel: str | Sequence[str] | None,
    account: str | None,
    bucket: str = "day",
) -> str:
    """SQL for a CTE body `base(channel, account, metric, day, value, rule)`, one grain each.

    Parameters in the SQL: $start and $end (dates). `channel` None or "all" means every channel;
    a list of channels means those. `bucket` (day, week, month, quarter, or period: the whole
    range, dated $start) sums the values per bucket early, which keeps long ranges fast; level
    metrics always stay per day (their last value matters) and look back before $start.
    Window rows are spread over their days inside [$start, $end].
    """
    assert bucket in BUCKETS
    where = [f"metric IN ({sql_in(metrics)})"]
    if isinstance(channel, str) and channel != ALL_CHANNELS:
        where.append(f"channel = {sql_in([channel])}")
    elif channel is not None and not isinstance(channel, str):
        where.append(f"channel IN ({sql_in(channel)})")
    if account is not None:
        where.append(f"account = {sql_in([account])}")
    # Flags and the look-back for level metrics are decided here, not per row.
    levels = [m for m in metrics if m in LEVEL_METRICS]
    uniques = [m for m in metrics if m in UNIQUE_METRICS]
    is_level = f"metric IN ({sql_in(levels)})" if levels else "false"
    is_unique = f"metric IN ({sql_in(uniques)})" if uniques else "false"
    lower = "period_end >= $start"
    if levels:
        lower = f"({lower} OR {is_level})" if len(levels) < len(metrics) else "true"
    point_day = "CASE WHEN grain = 'window' THEN period_end ELSE period_start END"
    point_bucket = (
        f"CASE WHEN {is_level} THEN {point_day} ELSE {_bucket(point_day, bucket)} END"
        if levels
        else _bucket(point_day, bucket)
    )
    rules = " ".join(f"WHEN {i + 1} THEN '{r}'" for i, r in enumerate(RULES))
    # Rank 1 day totals, 2 day breakdowns, 3 window totals, 4 window breakdowns, 5 posts: each
    # (channel, account, metric) keeps only its best rank. Unique metrics never add breakdowns.
    return f"""
    obs AS (
        SELECT channel, account, metric, grain, period_start, period_end, value,
               CASE WHEN grain = 'day' THEN (CASE WHEN dimension = '' THEN 1 ELSE 2 END)
                    WHEN grain = 'window' THEN (CASE WHEN dimension = '' THEN 3 ELSE 4 END)
                    ELSE 5 END AS rank
        FROM observations
        WHERE is_current AND {" AND ".join(where)}
          AND period_start <= $end AND {lower}
          AND NOT ({is_unique} AND dimension <> '' AND grain <> 'post')
    ),
    points AS (
        SELECT channel, account, metric, rank, {point_bucket} AS day, sum(value) AS value
        FROM obs WHERE grain <> 'window' OR {is_level}
        GROUP BY ALL
    ),
    spread AS (
        SELECT channel, account, metric, rank, {_bucket("ts::DATE", bucket)} AS day,
               sum(value) AS value
        FROM (
            SELECT channel, account, metric, rank,
                   unnest(generate_series(greatest(period_start, $start::DATE),
                                          least(period_end, $end::DATE), INTERVAL 1 DAY)) AS ts,
                   value / (period_end - period_start + 1) AS value
            FROM obs WHERE grain = 'window' AND NOT {is_level}
        )
        GROUP BY ALL
    ),
    ranked AS (
        SELECT *, min(rank) OVER (PARTITION BY channel, account, metric) AS best
        FROM (SELECT * FROM points UNION ALL SELECT * FROM spread)
    ),
    base AS (
        SELECT channel, account, metric, day, value, CASE rank {rules} END AS rule
        FROM ranked WHERE rank = best
    )"""
