"""Judging one KPI: its daily series from the database, pacing and drift replayed day by day
through the status rules, and the path drawn on the KPI page.

A KPI's series holds 16 weeks before its period (the baseline for weekday weights, dispersion
and the drift alarm) and the period itself; each replayed day sees only its past. Sum KPIs are
judged for every day of the period at once (cumulative sums); ratio and level KPIs replay the
last ten days, enough for the rules' persistence and hysteresis. Young posts' values are divided
by how much of their lifetime figure they have gathered (maturity.py) before any of this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sostac_control.catalog import METRICS
from sostac_control.engine import level_pace, pacing, ratio_pace, recent_pace
from sostac_control.engine.drift import DriftPath, drift_path
from sostac_control.engine.metrics import KpiSeries, kpi_daily
from sostac_control.engine.status_rules import apply_rules, drift_is_note

if TYPE_CHECKING:
    import duckdb

    from sostac_control.plan.model import BudgetLine, Kpi

HISTORY_DAYS = 16 * 7
REPLAY_DAYS = 10  # ratio and level KPIs replay this many days for persistence and hysteresis


@dataclass
class Series:
    """A KPI's daily data: the weeks before its period and the period itself (NaN missing)."""

    history: pd.DataFrame
    period: pd.DataFrame


def load_series(
    con: duckdb.DuckDBPyConnection,
    kpi: Kpi,
    budget: Sequence[BudgetLine],
    kpi_series: KpiSeries | None = None,
) -> Series:
    """The KPI's daily series from 16 weeks before its period to its end (from the screen's
    `kpi_series` where it holds it)."""
    start = kpi.start - timedelta(days=HISTORY_DAYS)
    frame = kpi_daily(con, kpi, start, kpi.end, budget=budget, kpi_series=kpi_series)
    frame = frame.reset_index(drop=True)
    is_history = frame["day"] < kpi.start
    return Series(
        frame[is_history].reset_index(drop=True), frame[~is_history].reset_index(drop=True)
    )


def weekdays(days: pd.Series) -> np.ndarray:
    return np.array([d.weekday() for d in days], dtype=int)


def masked(values: pd.Series, upto: int) -> np.ndarray:
    """Values of the period's days, NaN after index `upto` (those days had not happened)."""
    out = values.to_numpy(dtype=float).copy()
    out[upto + 1 :] = np.nan
    return out


@dataclass
class Judgement:
    """Pacing and drift of one KPI at every replayed day; the last one is the as-of day."""

    statuses: list[str]
    pace: pacing.Pace
    drift: DriftPath | None
    index: int
    recent_projected: float = float("nan")  # at the recent pace (since the drift, or 4 weeks)
    drift_change: float = float("nan")  # recent rate / rate before the drift began − 1
    drift_noted: bool = False  # the drift alarm is on but only a note (still comfortably on)


def level_start(series: Series, column: str = "value") -> float | None:
    """A level's value when the period began: its last value before, if any."""
    before = series.history[column].dropna()
    return float(before.iloc[-1]) if len(before) else None


def _finish(
    kpi: Kpi,
    period_days: int,
    first: int,
    index: int,
    paces: list[pacing.Pace],
    drift: DriftPath | None,
    recent: np.ndarray,
    change: float,
) -> Judgement:
    """Run the rules over the replayed days [first, index] and say how the last one stands."""
    steps = np.arange(first, index + 1)
    alarm = None if drift is None else drift.alarm[first : index + 1]
    statuses = apply_rules(
        steps + 1,
        period_days,
        np.array([p.probability for p in paces]),
        np.array([p.projected for p in paces]),
        kpi.target,
        kpi.direction,
        alarm,
        recent,
    )
    noted = bool(
        alarm is not None and drift_is_note(alarm[-1:], recent[-1:], kpi.target, kpi.direction)[0]
    )
    return Judgement(statuses, paces[-1], drift, index, float(recent[-1]), change, noted)


def _level_pace(net: pacing.Pace, start: float, seen: np.ndarray) -> pacing.Pace:
    """A level's figures from the pace of its net changes (which start from zero)."""
    observed = np.flatnonzero(~np.isnan(seen))
    actual = float(seen[observed[-1]]) if len(observed) else float("nan")
    return pacing.Pace(
        actual=actual,
        expected_to_date=net.expected_to_date + start,
        projected=net.projected + start,
        projected_low=net.projected_low + start,
        projected_high=net.projected_high + start,
        required_per_day=net.required_per_day,
        probability=net.probability,
        observed_days=len(observed),
        last_data_index=int(observed[-1]) if len(observed) else -1,
        stale_days=net.stale_days,
    )


def _judge_sum(series: Series, kpi: Kpi, index: int) -> Judgement:
    """A sum KPI: every day of the period at once, from cumulative sums."""
    hist, per = series.history, series.period
    wd_hist, wd = weekdays(hist["day"]), weekdays(per["day"])
    x = masked(per["value"], index)
    h = hist["value"].to_numpy(float)
    weights_by_dow = pacing.dow_weights(h, wd_hist)
    w, hw = weights_by_dow[wd], weights_by_dow[wd_hist]
    path = pacing.sum_path(x, w, kpi.target, kpi.direction, h, hw)
    drift = drift_path(h, wd_hist, x, wd, kpi.direction)
    recent, change = recent_pace.sum_recent(
        x, w, path.actual_imputed, h, hw, drift.alarm, drift.began
    )
    paces = [path.at(i) for i in range(index + 1)]
    return _finish(kpi, len(per), 0, index, paces, drift, recent[: index + 1], float(change[index]))


def judge(series: Series, kpi: Kpi, index: int) -> Judgement:
    """Replay the rules up to period day `index` and return the figures of that day."""
    kind = kpi.kind
    period_days = len(series.period)
    hist, per = series.history, series.period
    wd_hist, wd = weekdays(hist["day"]), weekdays(per["day"])
    direction, target = kpi.direction, kpi.target
    metric = METRICS[kpi.metric]

    if kind in ("sum", "unique"):
        return _judge_sum(series, kpi, index)

    first = max(0, index - REPLAY_DAYS)
    paces: list[pacing.Pace] = []
    drift: DriftPath | None = None
    recent = np.full(index + 1 - first, np.nan)
    change = float("nan")
    denominator = kpi.denominator or metric.denominator
    if kind == "ratio" and denominator in METRICS and METRICS[denominator].kind == "level":
        num_hist = hist["numerator"].to_numpy(float)
        weights = pacing.dow_weights(num_hist, wd_hist)
        for i in range(first, index + 1):
            paces.append(
                ratio_pace.pace_ratio_to_level(
                    per["numerator"].to_numpy(float),
                    per["denominator"].to_numpy(float),
                    weights[wd],
                    target,
                    i,
                    direction,
                    scale=metric.scale,
                    history=num_hist,
                    start_value=level_start(series, "denominator"),
                )
            )
    elif kind == "ratio":
        num = per["numerator"].to_numpy(float)
        den = per["denominator"].to_numpy(float)
        num_w = pacing.dow_weights(hist["numerator"].to_numpy(float), wd_hist)[wd]
        den_w = pacing.dow_weights(hist["denominator"].to_numpy(float), wd_hist)[wd]
        offset = -1.0 if kpi.metric == "roi" else 0.0
        scale = 1.0 if kpi.metric == "roi" else metric.scale
        daily_ratio = per["numerator"] / per["denominator"].where(per["denominator"] != 0)
        hist_ratio = hist["numerator"] / hist["denominator"].where(hist["denominator"] != 0)
        drift = drift_path(
            hist_ratio.to_numpy(float), wd_hist, masked(daily_ratio, index), wd, direction
        )
        for k, i in enumerate(range(first, index + 1)):
            paces.append(
                ratio_pace.pace_ratio(
                    num, den, num_w, den_w, target, i, direction, scale=scale, offset=offset
                )
            )
            on, began = drift.at(i)
            recent[k], ch = recent_pace.ratio_recent(
                num, den, i, scale, offset, began if on else None
            )
            if i == index:
                change = ch
    else:  # level: paced as the sum of its daily net changes, which the drift alarm watches
        values = per["value"].to_numpy(float)
        start_value = level_start(series)
        net_hist = np.diff(hist["value"].to_numpy(float), prepend=np.nan)
        net = np.diff(masked(per["value"], index), prepend=start_value or np.nan)
        drift = drift_path(net_hist, wd_hist, net, wd, direction)
        hist_values = hist["value"].to_numpy(float)
        for k, i in enumerate(range(first, index + 1)):
            seen = masked(per["value"], i)
            path, s0 = level_pace.level_path(
                seen, wd, target, start_value, direction, hist_values, wd_hist
            )
            paces.append(_level_pace(path.at(i), s0, seen))
            on, began = drift.at(i)
            recent[k], ch = recent_pace.level_recent(values, i, began if on else None)
            if i == index:
                change = ch
    return _finish(kpi, period_days, first, index, paces, drift, recent, change)


def kpi_path(
    con: duckdb.DuckDBPyConnection,
    kpi: Kpi,
    as_of: date,
    budget: Sequence[BudgetLine] = (),
    *,
    kpi_series: KpiSeries | None = None,
) -> pd.DataFrame:
    """For charts: per day of the period, actual_cum (to as_of), expected_cum (the plan's path),
    projected with projected_low/high (from as_of to the end; a 90% band).

    Sum metrics: running totals. Ratio metrics: the running ratio of sums and the target as the
    expected line. Level metrics: the value, and the straight path from the start value.
    """
    series = load_series(con, kpi, budget, kpi_series)
    per = series.period
    days = len(per)
    out = pd.DataFrame({"day": per["day"]})
    for col in ("actual_cum", "expected_cum", "projected", "projected_low", "projected_high"):
        out[col] = np.nan
    if as_of < kpi.start or days == 0:
        return out
    index = min((as_of - kpi.start).days, days - 1)
    pace = judge(series, kpi, index).pace
    steps = np.arange(days)
    future = steps >= index
    kind = kpi.kind
    if kind in ("sum", "unique"):
        x = masked(per["value"], index)
        out["actual_cum"] = np.where(steps <= index, np.nancumsum(np.nan_to_num(x)), np.nan)
        wd = weekdays(per["day"])
        hist = series.history
        weights = pacing.dow_weights(hist["value"].to_numpy(float), weekdays(hist["day"]))[wd]
        cum_w = np.cumsum(weights)
        out["expected_cum"] = kpi.target * cum_w / cum_w[-1]
        start_value = float(out["actual_cum"].iloc[index])
        if np.isfinite(pace.projected) and cum_w[-1] > cum_w[index]:
            frac = (cum_w - cum_w[index]) / (cum_w[-1] - cum_w[index])
            for col, end_value in (
                ("projected", pace.projected),
                ("projected_low", pace.projected_low),
                ("projected_high", pace.projected_high),
            ):
                out[col] = np.where(future, start_value + frac * (end_value - start_value), np.nan)
    elif kind == "ratio":
        num = np.nancumsum(masked(per["numerator"], index))
        den_name = kpi.denominator or METRICS[kpi.metric].denominator or ""
        if den_name in METRICS and METRICS[den_name].kind == "level":
            den = per["denominator"].ffill().to_numpy(float)  # the level on that day
        else:
            den = np.nancumsum(masked(per["denominator"], index))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den
        ratio = ratio - 1 if kpi.metric == "roi" else ratio * METRICS[kpi.metric].scale
        out["actual_cum"] = np.where(steps <= index, ratio, np.nan)
        out["expected_cum"] = kpi.target
        _fan(out, future, index, pace)
    else:
        out["actual_cum"] = np.where(steps <= index, per["value"].to_numpy(float), np.nan)
        s0 = level_start(series)
        if s0 is None:
            first = per["value"].dropna()
            s0 = float(first.iloc[0]) if len(first) else kpi.target
        out["expected_cum"] = s0 + (kpi.target - s0) * (steps + 1) / days
        _fan(out, future, index, pace)
    return out


def _fan(out: pd.DataFrame, future: np.ndarray, index: int, pace: pacing.Pace) -> None:
    """A straight fan from today's value to the projected band at the period's end."""
    now = out["actual_cum"].iloc[index]
    if not np.isfinite(now) or not np.isfinite(pace.projected):
        return
    n = len(out)
    frac = np.clip((np.arange(n) - index) / max(n - 1 - index, 1), 0, 1)
    for col, end_value in (
        ("projected", pace.projected),
        ("projected_low", pace.projected_low),
        ("projected_high", pace.projected_high),
    ):
        out[col] = np.where(future, now + frac * (end_value - now), np.nan)
