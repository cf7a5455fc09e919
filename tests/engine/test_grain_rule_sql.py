"""The one-grain rule as `grains.base_sql` writes it gives exactly the rows of the plain rule.

`base_sql` decides the rule on the series (one row per channel, account, metric, grain and
dimension) and joins the rows to what it chose, which is what keeps it fast at 10M values.
`_reference` below is the rule written the plain way (a window over every row; the SQL the
engine used before): both must give the same rows, with and without summing accounts early,
on every bucket, on the demo workspace and on rows built to hit every branch of the rule.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import duckdb
import pytest

from sostac_control import store
from sostac_control.catalog import METRICS
from sostac_control.engine.grains import (
    BUCKETS,
    LEVEL_METRICS,
    RULES,
    UNIQUE_METRICS,
    _bucket,
    base_sql,
    sql_in,
)
from sostac_control.engine.money import money_sql, use_plan_money


def _reference(metrics: Sequence[str], channel: str | list[str] | None, bucket: str) -> str:
    """The rule with a window over every row (the engine's SQL before it was made fast)."""
    where = [f"metric IN ({sql_in(metrics)})"]
    if isinstance(channel, str) and channel != "all":
        where.append(f"channel = {sql_in([channel])}")
    elif isinstance(channel, list):
        where.append(f"channel IN ({sql_in(channel)})")
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
    return f"""
    converted AS (
        SELECT channel, account, metric, grain, dimension, period_start, period_end,
               {money_sql()} AS value,
               bool_or(account <> '') OVER (PARTITION BY channel, metric) AS has_named
        FROM observations
        WHERE is_current AND {" AND ".join(where)} AND period_start <= $end AND {lower}
          AND NOT ({is_unique} AND dimension <> '' AND grain <> 'post')
    ),
    filtered AS (
        SELECT * FROM converted WHERE value IS NOT NULL AND (account <> '' OR NOT has_named)
    ),
    obs AS (
        SELECT *, CASE WHEN grain = 'day' THEN (CASE WHEN dimension = '' THEN 1 ELSE 2 END)
                       WHEN grain = 'window' THEN (CASE WHEN dimension = '' THEN 3 ELSE 4 END)
                       ELSE 5 END AS rank
        FROM filtered
        WHERE dimension = '' OR (channel, account, metric, grain, dimension) IN (
            SELECT channel, account, metric, grain, min(dimension) FROM filtered
            WHERE dimension <> '' GROUP BY ALL)
    ),
    points AS (
        SELECT channel, account, metric, rank, {point_bucket} AS day, sum(value) AS value
        FROM obs WHERE grain <> 'window' OR {is_level} GROUP BY ALL
    ),
    spread AS (
        SELECT channel, account, metric, rank, {_bucket("ts::DATE", bucket)} AS day,
               sum(value) AS value
        FROM (SELECT channel, account, metric, rank,
                     unnest(generate_series(greatest(period_start, $start::DATE),
                                            least(period_end, $end::DATE), INTERVAL 1 DAY)) AS ts,
                     value / (period_end - period_start + 1) AS value
              FROM obs WHERE grain = 'window' AND NOT {is_level})
        GROUP BY ALL
    ),
    unioned AS (SELECT * FROM points UNION ALL SELECT * FROM spread),
    ranked AS (
        SELECT u.*, b.best FROM unioned u JOIN (
            SELECT channel, account, metric, min(rank) AS best FROM unioned GROUP BY ALL) b
        USING (channel, account, metric)
    ),
    base AS (
        SELECT channel, account, metric, day, value, CASE rank {rules} END AS rule
        FROM ranked WHERE rank = best
    )"""


def _rows(con: duckdb.DuckDBPyConnection, cte: str, by_account: bool, span: tuple) -> list:
    """The base rows (per account, or summed over accounts by channel, metric, day, rule)."""
    keys = "channel, account, metric, day, rule" if by_account else "channel, metric, day, rule"
    rows = con.execute(
        f"WITH {cte} SELECT {keys}, sum(value) FROM base GROUP BY ALL ORDER BY ALL",
        {"start": span[0], "end": span[1]},
    ).fetchall()
    return [(*r[:-1], round(r[-1], 6)) for r in rows]


def _compare(con: duckdb.DuckDBPyConnection, metrics: list[str], span: tuple) -> int:
    """Assert both forms agree for every bucket, channel choice and account form; rows seen."""
    seen = 0
    for channel in (None, "instagram", ["instagram", "meta_ads", "website"]):
        for bucket in BUCKETS:
            reference = _reference(metrics, channel, bucket)
            for by_account in (True, False):
                fast = base_sql(metrics, channel, None, bucket, by_account=by_account)
                want = _rows(con, reference, by_account, span)
                got = _rows(con, fast, by_account, span)
                if not by_account:  # level metrics stay per account; compare their sums
                    assert len(got) == len(want), (channel, bucket)
                assert got == want, (channel, bucket, by_account)
                seen += len(got)
    return seen


def test_the_fast_rule_gives_the_reference_rows_on_the_demo(demo_workspace) -> None:
    with store.reader(demo_workspace.db) as con:
        use_plan_money(con, "EUR", {"USD": 0.9})
        loaded = [r[0] for r in con.execute("SELECT DISTINCT metric FROM observations").fetchall()]
        metrics = sorted(m for m in loaded if m in METRICS and METRICS[m].kind != "ratio")
        end = demo_workspace.as_of
        assert _compare(con, metrics, (date(end.year, 1, 1), end)) > 1000


def _window(
    channel: str,
    account: str,
    metric: str,
    dimension: str,
    first: date,
    days: int,
    value: float,
    currency: str | None = None,
) -> tuple:
    last = first + timedelta(days=days - 1)
    item = "k" if dimension else ""
    return (channel, account, metric, "window", dimension, item, first, last, value, currency)


@pytest.fixture
def crafted() -> duckdb.DuckDBPyConnection:
    """Rows that hit every branch: grains, breakdowns, unnamed accounts, unrated money."""
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE observations (channel VARCHAR, account VARCHAR, metric VARCHAR,
           grain VARCHAR, dimension VARCHAR, item VARCHAR, period_start DATE,
           period_end DATE, value DOUBLE, currency VARCHAR, is_current BOOLEAN)"""
    )
    rows = []
    for d in range(1, 29):
        day = date(2026, 2, d)
        rows += [
            ("instagram", "a", "impressions", "day", "", "", day, day, 10.0 * d, None),
            ("instagram", "a", "impressions", "day", "country", "NL", day, day, 3.0, None),
            ("instagram", "", "impressions", "day", "", "", day, day, 999.0, None),
            ("instagram", "a", "reach", "day", "age", "18-24", day, day, 5.0, None),
            ("instagram", "a", "followers", "day", "", "", day, day, 100.0 + d, None),
            ("website", "", "sessions", "day", "event", "x", day, day, 7.0, None),
            ("website", "", "sessions", "day", "channel_group", "Social", day, day, 4.0, None),
            ("meta_ads", "x", "spend", "day", "", "", day, day, 5.0, "PHP"),
            ("meta_ads", "y", "spend", "day", "", "", day, day, 2.0, "USD"),
        ]
        if d % 3 == 0:
            rows.append(
                ("instagram", "c", "impressions", "post", "post", f"p{d}", day, day, 8.0, None)
            )
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    rows += [  # windows: (channel, account, metric, dimension, first day, days, value, currency)
        _window("instagram", "b", "impressions", "", date(2026, 1, 20), 21, 210.0),
        _window("instagram", "a", "reach", "", feb, 28, 90.0),
        _window("meta_ads", "x", "spend", "", feb, 14, 70.0, "EUR"),
        _window("instagram", "b", "followers", "", jan, 31, 50.0),
        _window("linkedin", "", "clicks", "campaign", date(2026, 2, 3), 3, 9.0),
    ]
    con.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)", rows)
    use_plan_money(con, "EUR", {"USD": 0.9})
    return con


def test_the_fast_rule_gives_the_reference_rows_on_every_branch(crafted) -> None:
    metrics = ["clicks", "followers", "impressions", "reach", "sessions", "spend"]
    for span in ((date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 2, 10), date(2026, 2, 12))):
        assert _compare(crafted, metrics, span) > 0
    # The branches were hit: the unnamed and unrated rows are left out, one breakdown is used.
    rows = _rows(
        crafted, base_sql(metrics, None, None), True, (date(2026, 2, 1), date(2026, 2, 28))
    )
    rules = {(r[0], r[1], r[2]): r[4] for r in rows}
    assert rules[("meta_ads", "x", "spend")] == "window_total"  # its day rows are in PHP
    assert rules[("website", "", "sessions")] == "day_breakdown"
    assert rules[("instagram", "c", "impressions")] == "post"
    assert not any(r[1] == "" and r[0] == "instagram" for r in rows)
    sessions = sum(r[5] for r in rows if r[2] == "sessions")
    assert math.isclose(sessions, 28 * 4.0)  # channel_group before event, never both
