"""One grain per metric: the SQL that picks, for each (channel, account, metric), the rows the
metric engine counts, and spreads window rows over their days.

The declared rule: day totals if any exist in the range; else day breakdown rows of one
dimension summed (never for unique metrics); else window totals (then window breakdowns, never
for unique metrics) spread evenly over their days; else per-post rows on their publish day. Two
grains of the same thing are never added up; values without an account are never added to a
named account's of the same channel; money counts in the plan's currency (engine/money.py).
Every query of the engine, the rollups and the
reports starts from `base_sql`, so the rule lives in one place; `metric_daily` and
`metric_total` are the engine's two readers of one metric (a daily series, a period total with
its aggregation kind).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, METRICS, get_metric
from sostac_control.engine.money import money_sql
from sostac_control.i18n import N_, Labels

LEVEL_METRICS = [name for name, m in METRICS.items() if m.kind == "level"]
UNIQUE_METRICS = [name for name, m in METRICS.items() if m.kind == "unique"]

RULE_TEXT = Labels(
    {
        "day_total": N_("daily totals"),
        "day_breakdown": N_("daily breakdown rows summed"),
        "window_total": N_("window totals spread evenly over their days"),
        "window_breakdown": N_("window breakdown rows summed and spread evenly over their days"),
        "post": N_("per-post rows on their publish day"),
    }
)


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
    *,
    by_account: bool = True,
) -> str:
    """SQL for a CTE body `base(channel, account, metric, day, value, rule)`, one grain each.

    Parameters in the SQL: $start and $end (dates). `channel` None or "all" means every channel;
    a list of channels means those. `bucket` (day, week, month, quarter, or period: the whole
    range, dated $start) sums the values per bucket early, which keeps long ranges fast; level
    metrics always stay per day (their last value matters) and look back before $start.
    Window rows are spread over their days inside [$start, $end]. `by_account` False sums a
    non-level metric's accounts early (its rows then say account ''), for readers that add up
    accounts anyway: the rule is still chosen per account, but 40 accounts cost one row a day.
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
    account_out = "account"
    if not by_account:
        account_out = f"CASE WHEN {is_level} THEN account ELSE '' END" if levels else "''"
    # Rank 1 day totals, 2 day breakdowns, 3 window totals, 4 window breakdowns, 5 posts: each
    # (channel, account, metric) keeps only its best rank, and of breakdowns only one dimension.
    # Unique metrics never add breakdowns. The rule is decided on the series (`base_keys`: one
    # row per channel, account, metric, grain and dimension, a few thousand at 10M values),
    # never with a window over every row; the rows are then joined to the series it chose.
    return f"""
    base_rows AS (
        SELECT channel, account, metric, grain, dimension, period_start, period_end,
               {money_sql()} AS value
        FROM observations
        WHERE is_current AND {" AND ".join(where)}
          AND period_start <= $end AND {lower}
          AND NOT ({is_unique} AND dimension <> '' AND grain <> 'post')
    ),
    base_keys AS (
        SELECT channel, account, metric, grain, dimension, bool_or(value IS NOT NULL) AS valued
        FROM base_rows GROUP BY ALL
    ),
    base_usable AS (
        -- A series without an account is never added to a named account's series of the
        -- same channel: it is most likely the same account (Data page: "values without an
        -- account"). Money in a currency without a rate has no value and is left out.
        SELECT channel, account, metric, grain, dimension,
               CASE WHEN grain = 'day' THEN (CASE WHEN dimension = '' THEN 1 ELSE 2 END)
                    WHEN grain = 'window' THEN (CASE WHEN dimension = '' THEN 3 ELSE 4 END)
                    ELSE 5 END AS rank
        FROM (SELECT *, bool_or(account <> '') OVER (PARTITION BY channel, metric) AS has_named
              FROM base_keys)
        WHERE valued AND (account <> '' OR NOT has_named)
    ),
    base_chosen AS (
        -- Breakdowns by two dimensions (a GA4 report by channel group beside one by event)
        -- each add up to the same total: use one, the first by name, never both.
        SELECT channel, account, metric, grain, dimension, rank FROM base_usable
        WHERE dimension = '' OR (channel, account, metric, grain, dimension) IN (
            SELECT channel, account, metric, grain, min(dimension) FROM base_usable
            WHERE dimension <> '' GROUP BY ALL)
        QUALIFY rank = min(rank) OVER (PARTITION BY channel, account, metric)
    ),
    obs AS (
        SELECT s.channel, s.account, s.metric, s.grain, s.period_start, s.period_end, s.value,
               c.rank
        FROM base_rows s JOIN base_chosen c USING (channel, account, metric, grain, dimension)
        WHERE s.value IS NOT NULL
    ),
    points AS (
        SELECT channel, {account_out} AS account, metric, rank, {point_bucket} AS day,
               sum(value) AS value
        FROM obs WHERE grain <> 'window' OR {is_level}
        GROUP BY ALL
    ),
    spread AS (
        SELECT channel, {account_out} AS account, metric, rank,
               {_bucket("ts::DATE", bucket)} AS day, sum(value) AS value
        FROM (
            SELECT channel, account, metric, rank,
                   unnest(generate_series(greatest(period_start, $start::DATE),
                                          least(period_end, $end::DATE), INTERVAL 1 DAY)) AS ts,
                   value / (period_end - period_start + 1) AS value
            FROM obs WHERE grain = 'window' AND NOT {is_level}
        )
        GROUP BY ALL
    ),
    base AS (
        SELECT channel, account, metric, day, value, CASE rank {rules} END AS rule
        FROM (SELECT * FROM points UNION ALL SELECT * FROM spread)
    )"""


def post_spans_sql(
    metrics: Sequence[str], channel: str | Sequence[str] | None, account: str | None
) -> str:
    """SQL for a CTE body `spans(channel, metric, first_post, last_post)` over all loaded posts.

    Days without a post between an account's first and last post count 0; the span is taken
    over everything loaded, never over the range asked, so a KPI's value on a day does not
    depend on how far back a screen happened to read.
    """
    where = [f"metric IN ({sql_in(metrics)})", "grain = 'post'", "is_current"]
    if isinstance(channel, str) and channel != ALL_CHANNELS:
        where.append(f"channel = {sql_in([channel])}")
    elif channel is not None and not isinstance(channel, str):
        where.append(f"channel IN ({sql_in(channel)})")
    if account is not None:
        where.append(f"account = {sql_in([account])}")
    return f"""spans AS (
        SELECT channel, metric, min(period_start) AS first_post, max(period_start) AS last_post
        FROM observations WHERE {" AND ".join(where)} GROUP BY ALL
    )"""


def params(start: date, end: date) -> dict[str, Any]:
    return {"start": start, "end": end}


def metric_daily(
    con: duckdb.DuckDBPyConnection,
    metric: str,
    channel: str | None,
    account: str | None,
    start: date,
    end: date,
) -> pd.DataFrame:
    """One row per day of [start, end] (day, value) of a non-ratio metric; NaN without data.

    Level metrics: the sum over channels/accounts of each one's last value on or before the
    day, on days where at least one of them reported.
    """
    m = get_metric(metric)
    if m.kind == "ratio":
        raise ValueError(f"{metric} is a ratio; use kpi_daily")
    days = (
        "days AS (SELECT unnest(generate_series($start::DATE, $end::DATE, INTERVAL 1 DAY))"
        "::DATE AS day)"
    )
    if m.kind == "level":
        sql = f"""WITH {base_sql([metric], channel, account)}, {days},
        keys AS (SELECT DISTINCT channel, account FROM base),
        grid AS (SELECT d.day, k.channel, k.account FROM days d CROSS JOIN keys k),
        filled AS (
            SELECT g.day, b.value, b.day AS data_day FROM grid g
            ASOF LEFT JOIN base b
              ON g.channel = b.channel AND g.account = b.account AND g.day >= b.day
        )
        SELECT d.day, f.value FROM days d LEFT JOIN (
            SELECT day, sum(value) FILTER (WHERE value IS NOT NULL) AS value
            FROM filled GROUP BY day HAVING count(*) FILTER (WHERE data_day = day) > 0
        ) f USING (day) ORDER BY d.day"""
    else:
        one = daily_many(con, [metric], channel, account, start, end)
        return one.rename(columns={metric: "value"})
    frame = con.execute(sql, params(start, end)).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    frame["value"] = frame["value"].astype("float64")
    return frame


def daily_many(
    con: duckdb.DuckDBPyConnection,
    metrics: Sequence[str],
    channel: str | None,
    account: str | None,
    start: date,
    end: date,
) -> pd.DataFrame:
    """Several sum/unique metrics per day of [start, end] in one query: day, one column each.

    Metrics taken from per-post rows count 0, not "no data", on days without a post between
    their first and last post day in the range: an account that did not post that day
    reached no one with a new post.
    """
    pivots = ", ".join(f"sum(value) FILTER (WHERE metric = '{m}') AS \"{m}\"" for m in metrics)
    spans = ", ".join(
        f"(SELECT min(first_post) FROM spans WHERE metric = '{m}') AS \"first {m}\", "
        f"(SELECT max(last_post) FROM spans WHERE metric = '{m}') AS \"last {m}\", "
        f"bool_or(rule = 'post' AND metric = '{m}') AS \"posts {m}\""
        for m in metrics
    )
    filled = ", ".join(
        f"""CASE WHEN s."{m}" IS NOT NULL THEN s."{m}"
                 WHEN p."posts {m}" AND d.day BETWEEN p."first {m}" AND p."last {m}" THEN 0
            END AS "{m}\""""
        for m in metrics
    )
    sql = f"""WITH {base_sql(list(metrics), channel, account)},
    {post_spans_sql(list(metrics), channel, account)},
    days AS (SELECT unnest(generate_series($start::DATE, $end::DATE, INTERVAL 1 DAY))::DATE AS day)
    SELECT d.day, {filled}, p.rules FROM days d
    LEFT JOIN (SELECT day, {pivots} FROM base GROUP BY day) s USING (day)
    CROSS JOIN (SELECT {spans}, string_agg(DISTINCT rule, ',') AS rules FROM base) p
    ORDER BY d.day"""
    frame = con.execute(sql, params(start, end)).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    for m in metrics:
        frame[m] = frame[m].astype("float64")
    return frame


@dataclass(frozen=True)
class Total:
    """A non-ratio metric over a period, with what it rests on."""

    value: float | None
    days_with_data: int
    last_day: date | None
    rules: tuple[str, ...]
    exact_windows: int = 0  # unique metrics: keys answered by a platform figure for the period
    summed_keys: int = 0  # unique metrics: keys answered by a sum of daily values


def metric_total(
    con: duckdb.DuckDBPyConnection,
    metric: str,
    channel: str | None,
    account: str | None,
    start: date,
    end: date,
) -> Total:
    """A non-ratio metric over [start, end] with its own aggregation kind."""
    m = get_metric(metric)
    period = params(start, end)
    base = base_sql([metric], channel, account)
    if m.kind == "level":
        row = con.execute(
            f"""WITH {base},
            last AS (SELECT arg_max(value, day) AS value, max(day) AS day FROM base
                     WHERE day <= $end GROUP BY channel, account)
            SELECT sum(value), max(day),
                   (SELECT count(DISTINCT day) FROM base WHERE day BETWEEN $start AND $end),
                   (SELECT list(DISTINCT rule) FROM base)
            FROM last""",
            period,
        ).fetchone()
        assert row is not None
        return Total(row[0], int(row[2] or 0), row[1], tuple(row[3] or ()))
    if m.kind == "unique":
        row = con.execute(
            f"""WITH {base},
            exact AS (
                SELECT channel, account, sum(value) AS value FROM observations
                WHERE is_current AND metric = '{metric}' AND grain = 'window'
                  AND dimension = '' AND period_start = $start AND period_end = $end
                  {"" if not channel or channel == ALL_CHANNELS else f"AND channel = '{channel}'"}
                  {"" if account is None else "AND account = '" + account.replace("'", "''") + "'"}
                  AND (account <> '' OR channel NOT IN (
                      SELECT channel FROM observations
                      WHERE is_current AND metric = '{metric}' AND account <> ''))
                GROUP BY ALL
            ),
            daily AS (SELECT channel, account, sum(value) AS value FROM base
                      WHERE day BETWEEN $start AND $end GROUP BY ALL),
            per_key AS (
                SELECT coalesce(e.channel, d.channel) AS channel,
                       coalesce(e.value, d.value) AS value, e.value IS NOT NULL AS exact
                FROM daily d FULL JOIN exact e USING (channel, account)
            )
            SELECT sum(value), count(*) FILTER (WHERE exact), count(*) FILTER (WHERE NOT exact),
                   (SELECT count(DISTINCT day) FROM base WHERE day BETWEEN $start AND $end),
                   (SELECT max(day) FROM base WHERE day BETWEEN $start AND $end),
                   (SELECT list(DISTINCT rule) FROM base)
            FROM per_key""",
            period,
        ).fetchone()
        assert row is not None
        return Total(
            row[0], int(row[3] or 0), row[4], tuple(row[5] or ()), int(row[1]), int(row[2])
        )
    row = con.execute(
        f"""WITH {base}
        SELECT sum(value), count(DISTINCT day), max(day), list(DISTINCT rule)
        FROM base WHERE day BETWEEN $start AND $end""",
        period,
    ).fetchone()
    assert row is not None
    return Total(row[0], int(row[1] or 0), row[2], tuple(row[3] or ()))
