"""Rollups of a KPI's daily series by day, ISO week, month or quarter, and comparisons.

A bucket of a rollup aggregates with the metric's own kind: sum metrics add up, ratio metrics
are the ratio of the bucket's sums, level metrics take the bucket's last value, unique metrics
the sum of their daily values (an upper bound, as the note says). `breakdown` and
`metric_by_post_type` split a KPI's period value by channel, account or post type. The daily
series is at most a few years of days, so pandas shapes it; DuckDB did the heavy work in
`metrics`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import duckdb
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, get_metric
from sostac_control.engine.grains import base_sql
from sostac_control.engine.metrics import (
    BudgetLike,
    KpiLike,
    KpiValue,
    kpi_daily,
    parts,
    people_cost,
    ratio_values,
    value_between,
)

Grain = Literal["day", "week", "month", "quarter"]
GRAINS: tuple[Grain, ...] = ("day", "week", "month", "quarter")


def bucket_start(day: date, grain: Grain) -> date:
    """The first day of the day's ISO week (Monday), month or quarter."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day


def bucket_label(start: date, grain: Grain) -> str:
    """How a reader names a bucket: 2026-07-06 · 2026-W28 · Jul 2026 · 2026-Q3."""
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return f"{start:%b %Y}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return start.isoformat()


def rollup(daily: pd.DataFrame, metric: str, grain: Grain) -> pd.DataFrame:
    """Aggregate a kpi_daily frame into buckets: start, label, value, numerator, denominator, days.

    `days` counts the bucket's days with data; a bucket without data has NaN values.
    """
    m = get_metric(metric)
    frame = daily.copy()
    frame["start"] = [bucket_start(d, grain) for d in frame["day"]]
    grouped = frame.groupby("start", sort=True)
    out = pd.DataFrame(
        {
            "numerator": grouped["numerator"].sum(min_count=1),
            "denominator": grouped["denominator"].sum(min_count=1),
            "days": grouped["value"].count(),
        }
    )
    if m.kind == "level":
        out["value"] = grouped["value"].agg(
            lambda s: s.dropna().iloc[-1] if s.notna().any() else math.nan
        )
        out["numerator"] = out["value"]
    elif m.kind == "ratio":
        if metric == "roi":
            out["value"] = (out["numerator"].fillna(0) - out["denominator"]) / out["denominator"]
        else:
            out["value"] = (
                out["numerator"] / out["denominator"].where(out["denominator"] != 0) * m.scale
            )
    else:
        out["value"] = grouped["value"].sum(min_count=1)
    out = out.reset_index()
    out["label"] = [bucket_label(s, grain) for s in out["start"]]
    return out[["start", "label", "value", "numerator", "denominator", "days"]]


def aggregate(daily: pd.DataFrame, metric: str) -> float | None:
    """The metric over all the days of a kpi_daily frame (one bucket); None without data."""
    m = get_metric(metric)
    values = daily["value"].dropna()
    if values.empty:
        return None
    if m.kind == "level":
        return float(values.iloc[-1])
    if m.kind != "ratio":
        return float(values.sum())
    num = daily["numerator"].sum(min_count=1)
    den = daily["denominator"].sum(min_count=1)
    if pd.isna(den) or den == 0:
        return None
    if metric == "roi":
        return float(((0.0 if pd.isna(num) else num) - den) / den)
    return None if pd.isna(num) else float(num / den * m.scale)


def kpi_rollup(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    grain: Grain,
    start: date | None = None,
    end: date | None = None,
    *,
    budget: Sequence[BudgetLike] = (),
) -> pd.DataFrame:
    """The KPI's metric per day, ISO week, month or quarter over [start, end]."""
    daily = kpi_daily(con, kpi, start, end, budget=budget)
    return rollup(daily, kpi.metric, grain)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `start`."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def last_year(start: date, end: date) -> tuple[date, date]:
    """The same dates a year earlier (29 February becomes 28 February)."""

    def back(d: date) -> date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:
            return d.replace(year=d.year - 1, day=28)

    return back(start), back(end)


@dataclass(frozen=True)
class Comparison:
    """A KPI over a period beside the previous period and the same period last year."""

    start: date
    end: date
    current: KpiValue
    previous: KpiValue
    last_year: KpiValue

    @property
    def change_vs_previous(self) -> float | None:
        """Relative change (0.12 = +12%); None when either side is missing or zero."""
        return relative_change(self.current.value, self.previous.value)

    @property
    def change_vs_last_year(self) -> float | None:
        return relative_change(self.current.value, self.last_year.value)


def relative_change(now: float | None, before: float | None) -> float | None:
    """(now − before) / |before|; None when before is missing or zero."""
    if now is None or before is None or before == 0:
        return None
    if isinstance(now, float) and math.isnan(now):
        return None
    return (now - before) / abs(before)


def compare(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    start: date,
    end: date,
    *,
    budget: Sequence[BudgetLike] = (),
) -> Comparison:
    """The KPI over [start, end], the period before it, and the same dates last year."""
    prev = previous_period(start, end)
    year = last_year(start, end)
    return Comparison(
        start,
        end,
        value_between(con, kpi, start, end, budget=budget),
        value_between(con, kpi, *prev, budget=budget),
        value_between(con, kpi, *year, budget=budget),
    )


def _part_totals(
    con: duckdb.DuckDBPyConnection,
    metric: str,
    kpi: KpiLike,
    start: date,
    end: date,
    by: str,
) -> pd.Series:
    """A non-ratio metric over [start, end] per channel or per account, in one query."""
    level = get_metric(metric).kind == "level"
    base = base_sql([metric], kpi.channel, kpi.account, "day" if level else "period")
    if level:
        sql = f"""WITH {base},
        last AS (SELECT channel, account, arg_max(value, day) AS value FROM base
                 WHERE day <= $end GROUP BY ALL)
        SELECT {by} AS part, sum(value) AS value FROM last GROUP BY ALL"""
    else:
        sql = f"""WITH {base}
        SELECT {by} AS part, sum(value) AS value FROM base GROUP BY ALL"""
    frame = con.execute(sql, {"start": start, "end": end}).df()
    return frame.set_index("part")["value"].astype("float64")


def breakdown(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    start: date,
    end: date,
    by: str = "channel",
    *,
    budget: Sequence[BudgetLike] = (),
) -> pd.DataFrame:
    """The KPI's metric over [start, end] per channel or per account: part, value, numerator,
    denominator. Unique metrics are the (flagged) sum of daily values per part; ROI's people
    cost is split by channel only (per account, cost is spend alone)."""
    assert by in ("channel", "account")
    m = get_metric(kpi.metric)
    if m.kind != "ratio":
        values = _part_totals(con, kpi.metric, kpi, start, end, by)
        frame = pd.DataFrame({"part": values.index, "value": values.to_numpy()})
        frame["numerator"], frame["denominator"] = frame["value"], float("nan")
        return frame.sort_values("value", ascending=False, ignore_index=True)
    m, num_name, den_name = parts(kpi)
    num = _part_totals(con, num_name, kpi, start, end, by)
    if den_name == "cost":
        den = _part_totals(con, "spend", kpi, start, end, by)
        if by == "channel":
            people = pd.Series({c: people_cost(budget, c, start, end) for c in den.index})
            den = den.add(people, fill_value=0.0)
    else:
        den = _part_totals(con, den_name, kpi, start, end, by)
    frame = pd.concat([num.rename("numerator"), den.rename("denominator")], axis=1)
    frame.index.name = "part"
    frame = frame.reset_index()
    frame["value"] = ratio_values(m, frame["numerator"], frame["denominator"])
    return frame[["part", "value", "numerator", "denominator"]].sort_values(
        "value", ascending=False, ignore_index=True
    )


def metric_by_post_type(
    con: duckdb.DuckDBPyConnection, kpi: KpiLike, start: date, end: date
) -> pd.DataFrame:
    """A KPI's metric from per-post rows, by post type: post_type, posts, value.

    Sum metrics add up; ratio metrics are the ratio of their parts' sums; level and unique
    metrics have no meaningful split by post type and give an empty frame.
    """
    m = get_metric(kpi.metric)
    empty = pd.DataFrame(columns=["post_type", "posts", "value"])
    if m.kind in ("level", "unique"):
        return empty
    num = m.numerator if m.is_ratio else kpi.metric
    den = (kpi.denominator or m.denominator) if m.is_ratio else None
    if den == "cost" or den == "followers":
        return empty
    where = ["o.is_current", "o.grain = 'post'", "o.period_start BETWEEN $start AND $end"]
    params: dict[str, object] = {"start": start, "end": end, "num": num, "den": den or ""}
    if kpi.channel != ALL_CHANNELS:
        where.append("o.channel = $channel")
        params["channel"] = kpi.channel
    if kpi.account is not None:
        where.append("o.account = $account")
        params["account"] = kpi.account
    frame = con.execute(
        f"""SELECT coalesce(nullif(p.post_type, ''), 'unknown') AS post_type,
                   count(DISTINCT o.item) AS posts,
                   sum(o.value) FILTER (WHERE o.metric = $num) AS numerator,
                   sum(o.value) FILTER (WHERE o.metric = $den) AS denominator
            FROM observations o
            LEFT JOIN posts p ON p.is_current AND p.channel = o.channel
                 AND p.account = o.account AND p.post_id = o.item
            WHERE {" AND ".join(where)} AND o.metric IN ($num, $den)
            GROUP BY ALL ORDER BY numerator DESC NULLS LAST""",
        params,
    ).df()
    if frame.empty:
        return empty
    if m.is_ratio:
        frame["value"] = frame["numerator"] / frame["denominator"].where(frame["denominator"] > 0)
        frame["value"] = frame["value"] * m.scale
    else:
        frame["value"] = frame["numerator"]
    return frame[["post_type", "posts", "value"]]
