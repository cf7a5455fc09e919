"""KPI values and daily series over a period, computed in DuckDB SQL.

The declared rules (DESIGN.md, "Numbers are right before they are pretty"):

- One grain per metric: for each (channel, account, metric) the engine uses day totals if any
  exist in the range; else day breakdown rows summed (never for unique metrics); else window
  totals (then window breakdowns, never for unique metrics) spread evenly over their days; else
  post rows on their publish day. Two grains of the same thing are never added up.
- A window's value is spread evenly over its days; a period that covers a window whole counts
  it whole.
- sum metrics add up; level metrics (followers) take the last value on or before the day, and
  over channels and accounts the sum of each one's last value; unique metrics (reach, users) use
  the platform's own figure for exactly the period where one is loaded, else the sum of daily
  values, flagged as an upper bound; ratio metrics are the ratio of the period's sums.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import duckdb
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, METRICS, Metric, get_metric

LEVEL_METRICS = [name for name, m in METRICS.items() if m.kind == "level"]
UNIQUE_METRICS = [name for name, m in METRICS.items() if m.kind == "unique"]

RULE_TEXT = {
    "day_total": "daily totals",
    "day_breakdown": "daily breakdown rows summed",
    "window_total": "window totals spread evenly over their days",
    "window_breakdown": "window breakdown rows summed and spread evenly over their days",
    "post": "per-post rows on their publish day",
}


class KpiLike(Protocol):
    """What the engine needs of a plan's KPI (sostac_control.plan.Kpi)."""

    @property
    def metric(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def account(self) -> str | None: ...
    @property
    def denominator(self) -> str | None: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


class BudgetLike(Protocol):
    """What the engine needs of a plan's budget line (sostac_control.plan.BudgetLine)."""

    @property
    def channel(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def people_cost(self) -> float: ...


@dataclass(frozen=True)
class KpiValue:
    """A KPI's value over a period, with its parts and what it rests on."""

    value: float | None
    numerator: float | None
    denominator: float | None
    days_with_data: int
    last_day: date | None
    note: str = ""


def _sql_in(names: Sequence[str]) -> str:
    """Quoted SQL literals for an IN list (names come from the catalogue or the plan)."""
    return ", ".join("'" + n.replace("'", "''") + "'" for n in names)


def base_sql(
    metrics: Sequence[str],
    channel: str | Sequence[str] | None,
    account: str | None,
) -> str:
    """SQL for a CTE body `base(channel, account, metric, day, value, rule)`, one grain each.

    Parameters in the SQL: $start and $end (dates). `channel` None or "all" means every channel;
    a list of channels means those.
    Window rows are spread over their days inside [$start, $end]; level metrics look back
    before $start (their last value may predate the period).
    """
    where = [f"metric IN ({_sql_in(metrics)})"]
    if isinstance(channel, str) and channel != ALL_CHANNELS:
        where.append(f"channel = {_sql_in([channel])}")
    elif channel is not None and not isinstance(channel, str):
        where.append(f"channel IN ({_sql_in(channel)})")
    if account is not None:
        where.append(f"account = {_sql_in([account])}")
    # Flags and the look-back for level metrics are decided here, not per row.
    levels = [m for m in metrics if m in LEVEL_METRICS]
    uniques = [m for m in metrics if m in UNIQUE_METRICS]
    is_level = f"metric IN ({_sql_in(levels)})" if levels else "false"
    is_unique = f"metric IN ({_sql_in(uniques)})" if uniques else "false"
    lower = "period_end >= $start"
    if levels:
        lower = f"({lower} OR {is_level})" if len(levels) < len(metrics) else "true"
    return f"""
    obs AS MATERIALIZED (
        SELECT channel, account, metric, grain, dimension, period_start, period_end, value,
               {is_level} AS is_level, {is_unique} AS is_unique
        FROM observations
        WHERE is_current AND {" AND ".join(where)}
          AND period_start <= $end AND {lower}
    ),
    choice AS (
        SELECT channel, account, metric,
          CASE WHEN bool_or(grain = 'day' AND dimension = '') THEN 'day_total'
               WHEN bool_or(grain = 'day' AND NOT is_unique) THEN 'day_breakdown'
               WHEN bool_or(grain = 'window' AND dimension = '') THEN 'window_total'
               WHEN bool_or(grain = 'window' AND NOT is_unique) THEN 'window_breakdown'
               WHEN bool_or(grain = 'post') THEN 'post' END AS rule
        FROM obs GROUP BY channel, account, metric
    ),
    picked AS MATERIALIZED (
        SELECT o.*, c.rule FROM obs o JOIN choice c USING (channel, account, metric)
        WHERE (c.rule = 'day_total' AND o.grain = 'day' AND o.dimension = '')
           OR (c.rule = 'day_breakdown' AND o.grain = 'day')
           OR (c.rule = 'window_total' AND o.grain = 'window' AND o.dimension = '')
           OR (c.rule = 'window_breakdown' AND o.grain = 'window')
           OR (c.rule = 'post' AND o.grain = 'post')
    ),
    spread AS (
        SELECT channel, account, metric, rule,
               unnest(generate_series(greatest(period_start, $start::DATE),
                                      least(period_end, $end::DATE), INTERVAL 1 DAY)) AS ts,
               value / (period_end - period_start + 1) AS value
        FROM picked WHERE grain = 'window' AND NOT is_level
    ),
    base AS (
        SELECT channel, account, metric,
               CASE WHEN grain = 'window' THEN period_end ELSE period_start END AS day,
               sum(value) AS value, any_value(rule) AS rule
        FROM picked WHERE grain <> 'window' OR is_level
        GROUP BY ALL
        UNION ALL
        SELECT channel, account, metric, ts::DATE AS day, sum(value), any_value(rule)
        FROM spread GROUP BY ALL
    )"""


def _params(start: date, end: date) -> dict[str, Any]:
    return {"start": start, "end": end}


def _nan(value: Any) -> float:
    return float("nan") if value is None else float(value)


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
        sql = f"""WITH {base_sql([metric], channel, account)}, {days}
        SELECT d.day, s.value FROM days d
        LEFT JOIN (SELECT day, sum(value) AS value FROM base GROUP BY day) s USING (day)
        ORDER BY d.day"""
    frame = con.execute(sql, _params(start, end)).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    frame["value"] = frame["value"].astype("float64")
    return frame


@dataclass(frozen=True)
class _Total:
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
) -> _Total:
    """A non-ratio metric over [start, end] with its own aggregation kind."""
    m = get_metric(metric)
    params = _params(start, end)
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
            params,
        ).fetchone()
        assert row is not None
        return _Total(row[0], int(row[2] or 0), row[1], tuple(row[3] or ()))
    if m.kind == "unique":
        row = con.execute(
            f"""WITH {base},
            exact AS (
                SELECT channel, account, sum(value) AS value FROM observations
                WHERE is_current AND metric = '{metric}' AND grain = 'window'
                  AND dimension = '' AND period_start = $start AND period_end = $end
                  {"" if not channel or channel == ALL_CHANNELS else f"AND channel = '{channel}'"}
                  {"" if account is None else "AND account = '" + account.replace("'", "''") + "'"}
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
            params,
        ).fetchone()
        assert row is not None
        return _Total(
            row[0], int(row[3] or 0), row[4], tuple(row[5] or ()), int(row[1]), int(row[2])
        )
    row = con.execute(
        f"""WITH {base}
        SELECT sum(value), count(DISTINCT day), max(day), list(DISTINCT rule)
        FROM base WHERE day BETWEEN $start AND $end""",
        params,
    ).fetchone()
    assert row is not None
    return _Total(row[0], int(row[1] or 0), row[2], tuple(row[3] or ()))


def people_cost_daily(
    budget: Sequence[BudgetLike], channel: str, start: date, end: date
) -> pd.Series:
    """People cost (hours × hourly rate) per day of [start, end], pro rata by days of each line."""
    index = pd.Index([start + timedelta(days=i) for i in range((end - start).days + 1)])
    cost = pd.Series(0.0, index=index)
    for line in budget:
        if channel not in (ALL_CHANNELS, line.channel):
            continue
        days = (line.end - line.start).days + 1
        if days <= 0 or not line.people_cost:
            continue
        per_day = float(line.people_cost) / days
        lo, hi = max(line.start, start), min(line.end, end)
        if lo > hi:
            continue
        cost[[lo <= d <= hi for d in index]] += per_day
    return cost


def people_cost(budget: Sequence[BudgetLike], channel: str, start: date, end: date) -> float:
    """People cost of the budget lines of `channel` overlapping [start, end], pro rata by days."""
    return float(people_cost_daily(budget, channel, start, end).sum()) if end >= start else 0.0


def _parts(kpi: KpiLike) -> tuple[Metric, str, str]:
    m = get_metric(kpi.metric)
    assert m.numerator and m.denominator
    return m, m.numerator, kpi.denominator or m.denominator


def kpi_daily(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    start: date | None = None,
    end: date | None = None,
    *,
    budget: Sequence[BudgetLike] = (),
) -> pd.DataFrame:
    """One row per calendar day: day, value, numerator, denominator (NaN on days without data).

    Ratio KPIs: numerator and denominator per day and their ratio; sum metrics: numerator =
    value. ROI's denominator is the day's cost: spend plus the plan's people cost (`budget`).
    """
    start = start or kpi.start
    end = end or kpi.end
    m = get_metric(kpi.metric)
    if m.kind != "ratio":
        frame = metric_daily(con, kpi.metric, kpi.channel, kpi.account, start, end)
        frame["numerator"] = frame["value"]
        frame["denominator"] = float("nan")
        return frame[["day", "value", "numerator", "denominator"]]
    m, num_name, den_name = _parts(kpi)
    num = metric_daily(con, num_name, kpi.channel, kpi.account, start, end)
    if den_name == "cost":
        spend = metric_daily(con, "spend", kpi.channel, kpi.account, start, end)["value"]
        people = people_cost_daily(budget, kpi.channel, start, end).to_numpy()
        den = spend.fillna(0) + people
        den[spend.isna() & (people == 0)] = float("nan")
    else:
        den = metric_daily(con, den_name, kpi.channel, kpi.account, start, end)["value"]
    frame = pd.DataFrame({"day": num["day"], "numerator": num["value"], "denominator": den})
    frame["value"] = _ratio_values(m, frame["numerator"], frame["denominator"])
    return frame[["day", "value", "numerator", "denominator"]]


def _ratio_values(m: Metric, num: pd.Series, den: pd.Series) -> pd.Series:
    safe = den.where(den != 0)
    if m.name == "roi":
        return (num.fillna(0) - safe) / safe
    return num / safe * m.scale


def _ratio_value(m: Metric, num: float | None, den: float | None) -> float | None:
    if den is None or den == 0 or (isinstance(den, float) and math.isnan(den)):
        return None
    if m.name == "roi":
        return ((num or 0.0) - den) / den
    if num is None:
        return None
    return num / den * m.scale


def _rules_note(rules: tuple[str, ...]) -> str:
    unusual = [RULE_TEXT[r] for r in rules if r and r != "day_total"]
    return "from " + " and ".join(unusual) if unusual else ""


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def kpi_period(kpi: KpiLike, as_of: date) -> tuple[date, date] | None:
    """The part of the KPI's period up to as_of (the whole period once it ended); None before."""
    if as_of < kpi.start:
        return None
    return kpi.start, min(as_of, kpi.end)


def kpi_actual(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    as_of: date,
    *,
    budget: Sequence[BudgetLike] = (),
) -> KpiValue:
    """The KPI's value over its period up to as_of, with the metric's own aggregation."""
    period = kpi_period(kpi, as_of)
    if period is None:
        return KpiValue(None, None, None, 0, None, "the period has not started")
    return value_between(con, kpi, period[0], period[1], budget=budget)


def value_between(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    start: date,
    end: date,
    *,
    budget: Sequence[BudgetLike] = (),
) -> KpiValue:
    """The KPI's metric over any [start, end] (for comparisons with earlier periods)."""
    m = get_metric(kpi.metric)
    if m.kind != "ratio":
        t = metric_total(con, kpi.metric, kpi.channel, kpi.account, start, end)
        notes = [_rules_note(t.rules)]
        if m.kind == "level" and t.last_day is not None:
            notes.append(f"{m.label.lower()} on {t.last_day:%d %b %Y} (last value, never a sum)")
        if m.kind == "unique" and t.summed_keys:
            notes.append(f"sum of daily {m.name}, overstates unique {m.name}")
        elif m.kind == "unique" and t.exact_windows > 1:
            notes.append(f"sum of {t.exact_windows} accounts' own {m.name}: overlap counted twice")
        elif m.kind == "unique" and t.exact_windows:
            notes.append(f"the platform's own {m.name} figure for the period")
        return KpiValue(t.value, t.value, None, t.days_with_data, t.last_day, _join(*notes))
    m, num_name, den_name = _parts(kpi)
    num = metric_total(con, num_name, kpi.channel, kpi.account, start, end)
    notes = [
        f"{get_metric(num_name).label.lower()} / "
        + (
            "cost (spend + people cost)"
            if den_name == "cost"
            else get_metric(den_name).label.lower()
        )
        + (" × 1,000" if m.scale != 1 else "")
        + ", ratio of the period's sums",
    ]
    if den_name == "cost":
        spend = metric_total(con, "spend", kpi.channel, kpi.account, start, end)
        people = people_cost(budget, kpi.channel, start, end)
        den_value: float | None = (spend.value or 0.0) + people
        if spend.value is None and not people:
            den_value = None
        notes.append(
            f"people cost {people:,.0f} from the plan's budget"
            if people
            else "no people cost in the plan's budget"
        )
        den_rules = spend.rules
    else:
        den = metric_total(con, den_name, kpi.channel, kpi.account, start, end)
        den_value = den.value
        den_rules = den.rules
        if den_name == "followers":
            notes.append("followers at the period's end as denominator")
        if get_metric(den_name).kind == "unique" and den.summed_keys:
            notes.append(f"denominator is the sum of daily {den_name}")
    notes.append(_rules_note(tuple(sorted(set(num.rules) | set(den_rules)))))
    value = _ratio_value(m, num.value, den_value)
    return KpiValue(value, num.value, den_value, num.days_with_data, num.last_day, _join(*notes))


def as_float(value: float | None) -> float:
    """None → NaN, for frames."""
    return _nan(value)
