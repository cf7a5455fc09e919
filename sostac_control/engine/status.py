"""Status of every KPI and objective on a day: on track, at risk, off track … and why.

The rules (DESIGN.md's words; method and defaults in ../shared/notes/drift.md):
- `not_started` before the period; `achieved` / `missed` once it ended (or a sum already passed
  its target); `no_data` while nothing has been loaded for the period;
- `too_early` until max(14 days, 15% of the period) have passed;
- `off_track` when the probability of reaching the target is below 0.10 and the projection
  misses it by more than 5%, three days in a row; it is left only when the probability rises
  above 0.25 (hysteresis, so a status does not flicker day to day);
- `at_risk` when the probability is below 0.50 or the drift alarm is on; else `on_track`.
An objective takes its worst KPI's status. `apply_rules` is the rule engine on plain arrays;
the evaluation bench (bench/eval.py) runs exactly it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sostac_control.catalog import CHANNEL_LABELS, METRICS, format_value
from sostac_control.engine import pacing
from sostac_control.engine.drift import DriftPath, drift_path
from sostac_control.engine.metrics import KpiSeries, kpi_actual, kpi_daily

if TYPE_CHECKING:
    import duckdb

    from sostac_control.plan.model import BudgetLine, Kpi, Objective, Plan

STATUSES = (
    "not_started",
    "too_early",
    "on_track",
    "at_risk",
    "off_track",
    "achieved",
    "missed",
    "no_data",
)
# Best to worst: an objective takes the worst of its KPIs' statuses. A KPI that says something
# (on track) outranks one that cannot yet (too early), and missing data is worth a look.
SEVERITY = (
    "achieved",
    "not_started",
    "too_early",
    "on_track",
    "no_data",
    "at_risk",
    "off_track",
    "missed",
)
OFF_TRACK_BELOW = 0.10
OFF_TRACK_LEAVE_ABOVE = 0.25
OFF_TRACK_SHORTFALL = 0.95  # projection below 95% of target (above 105% when lower is better)
OFF_TRACK_DAYS = 3
AT_RISK_BELOW = 0.50
MIN_TOO_EARLY_DAYS = 14
TOO_EARLY_SHARE = 0.15
HISTORY_DAYS = 16 * 7
REPLAY_DAYS = 10  # ratio and level KPIs replay this many days for persistence and hysteresis


def too_early_days(period_days: int) -> int:
    """Days that must have passed before a KPI is judged: max(14, 15% of the period)."""
    return max(MIN_TOO_EARLY_DAYS, math.ceil(TOO_EARLY_SHARE * period_days))


def worst(statuses: Sequence[str]) -> str:
    """The worst of some statuses (by SEVERITY); 'no_data' for none."""
    return max(statuses, key=SEVERITY.index) if statuses else "no_data"


def apply_rules(
    elapsed_days: np.ndarray,
    period_days: int,
    probability: np.ndarray,
    projected: np.ndarray,
    target: float,
    direction: str,
    drift_alarm: np.ndarray | None = None,
) -> list[str]:
    """Statuses for consecutive days of one KPI's period, carrying persistence and hysteresis.

    Each array has one entry per consecutive day; `elapsed_days` counts days of the period
    passed on that day (1 on the first day). A NaN probability means no data so far.
    """
    early = too_early_days(period_days)
    alarm = np.zeros(len(probability), dtype=bool) if drift_alarm is None else drift_alarm
    statuses: list[str] = []
    streak, off = 0, False
    for elapsed, p, proj, drift in zip(elapsed_days, probability, projected, alarm, strict=True):
        if np.isnan(p):
            statuses.append("no_data")
            continue
        short = (
            proj < OFF_TRACK_SHORTFALL * target
            if direction == "up"
            else (proj > (2 - OFF_TRACK_SHORTFALL) * target)
        )
        streak = streak + 1 if (p < OFF_TRACK_BELOW and short) else 0
        if off and p > OFF_TRACK_LEAVE_ABOVE:
            off = False
        elif streak >= OFF_TRACK_DAYS:
            off = True
        if elapsed < early:
            statuses.append("too_early")
        elif off:
            statuses.append("off_track")
        elif p < AT_RISK_BELOW or drift:
            statuses.append("at_risk")
        else:
            statuses.append("on_track")
    return statuses


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class KpiStatus:
    """One KPI on the as-of day: figures for DESIGN.md's status document plus chart details."""

    kpi: Kpi
    status: str
    reason: str
    actual: float | None = None
    expected_to_date: float | None = None
    projected: float | None = None
    projected_low: float | None = None
    projected_high: float | None = None
    probability: float | None = None
    required_per_day: float | None = None
    drift_began: date | None = None
    last_data_day: date | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return self.kpi.label

    def to_dict(self) -> dict[str, Any]:
        """The KPI entry of `status --json`."""
        return {
            "metric": self.kpi.metric,
            "channel": self.kpi.channel,
            "target": self.kpi.target,
            "direction": self.kpi.direction,
            "actual": _clean(self.actual),
            "expected_to_date": _clean(self.expected_to_date),
            "projected": _clean(self.projected),
            "probability": _clean(self.probability, 3),
            "status": self.status,
            "reason": self.reason,
        }


@dataclass
class ObjectiveStatus:
    """An objective on the as-of day: its worst KPI's status, and why."""

    objective: Objective
    status: str
    reason: str
    kpis: list[KpiStatus] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.objective.id,
            "title": self.objective.title,
            "status": self.status,
            "reason": self.reason,
            "kpis": [k.to_dict() for k in self.kpis],
        }


@dataclass
class PlanStatus:
    """Every objective's status on one day."""

    as_of: date
    objectives: list[ObjectiveStatus]

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md's `status --json` document."""
        return {
            "as_of": self.as_of.isoformat(),
            "objectives": [o.to_dict() for o in self.objectives],
        }

    def worst(self) -> str:
        return worst([o.status for o in self.objectives])


def _clean(value: float | None, digits: int = 6) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits) if abs(value) < 1e15 else float(value)


# ---------------------------------------------------------------------------------------------
# Words


def compact(value: float, metric: str, currency: str = "EUR") -> str:
    """A figure as a marketer reads it in a sentence: 381k, 1.2M, 4.52%, €23.40."""
    m = METRICS.get(metric)
    if m is not None and m.unit in ("count", "hours") and m.name != "roas" and abs(value) >= 10_000:
        if abs(value) >= 1_000_000:
            return f"{value / 1_000_000:.1f}M"
        if abs(value) < 100_000:
            return f"{value / 1000:.1f}k"
        return f"{value / 1000:.0f}k"
    return format_value(value, metric, currency)


def _day(d: date) -> str:
    return f"{d.day} {d:%b}"


# ---------------------------------------------------------------------------------------------
# From the database


@dataclass
class _Series:
    """A KPI's daily data: the weeks before its period and the period itself (NaN missing)."""

    history: pd.DataFrame
    period: pd.DataFrame


def _load_series(
    con: duckdb.DuckDBPyConnection,
    kpi: Kpi,
    budget: Sequence[BudgetLine],
    kpi_series: KpiSeries | None = None,
) -> _Series:
    start = kpi.start - timedelta(days=HISTORY_DAYS)
    frame = kpi_daily(con, kpi, start, kpi.end, budget=budget, kpi_series=kpi_series)
    frame = frame.reset_index(drop=True)
    is_history = frame["day"] < kpi.start
    return _Series(
        frame[is_history].reset_index(drop=True), frame[~is_history].reset_index(drop=True)
    )


def _weekdays(days: pd.Series) -> np.ndarray:
    return np.array([d.weekday() for d in days], dtype=int)


def _masked(values: pd.Series, upto: int) -> np.ndarray:
    """Values of the period's days, NaN after index `upto` (those days had not happened)."""
    out = values.to_numpy(dtype=float).copy()
    out[upto + 1 :] = np.nan
    return out


@dataclass
class _Judgement:
    """Pacing and drift of one KPI at every replayed day; the last one is the as-of day."""

    statuses: list[str]
    pace: pacing.Pace
    drift: DriftPath | None
    index: int


def _level_start(series: _Series, column: str = "value") -> float | None:
    """A level's value when the period began: its last value before, if any."""
    before = series.history[column].dropna()
    return float(before.iloc[-1]) if len(before) else None


def _judge(series: _Series, kpi: Kpi, index: int) -> _Judgement:
    """Replay the rules up to period day `index` and return the figures of that day."""
    kind = kpi.kind
    period_days = len(series.period)
    hist, per = series.history, series.period
    wd_hist, wd = _weekdays(hist["day"]), _weekdays(per["day"])
    direction = kpi.direction
    target = kpi.target
    metric = METRICS[kpi.metric]

    if kind in ("sum", "unique"):
        x = _masked(per["value"], index)
        weights_by_dow = pacing.dow_weights(hist["value"].to_numpy(float), wd_hist)
        path = pacing.sum_path(
            x,
            weights_by_dow[wd],
            target,
            direction,
            history=hist["value"].to_numpy(float),
            history_weights=weights_by_dow[wd_hist],
        )
        sum_drift = drift_path(hist["value"].to_numpy(float), wd_hist, x, wd, direction)
        steps = np.arange(index + 1)
        statuses = apply_rules(
            steps + 1,
            period_days,
            path.probability[: index + 1],
            path.projected[: index + 1],
            target,
            direction,
            sum_drift.alarm[: index + 1],
        )
        return _Judgement(statuses, path.at(index), sum_drift, index)

    first = max(0, index - REPLAY_DAYS)
    paces: list[pacing.Pace] = []
    drift: DriftPath | None = None
    denominator = kpi.denominator or metric.denominator
    if kind == "ratio" and denominator in METRICS and METRICS[denominator].kind == "level":
        num_hist = hist["numerator"].to_numpy(float)
        weights = pacing.dow_weights(num_hist, wd_hist)
        for i in range(first, index + 1):
            paces.append(
                pacing.pace_ratio_to_level(
                    per["numerator"].to_numpy(float),
                    per["denominator"].to_numpy(float),
                    weights[wd],
                    target,
                    i,
                    direction,
                    scale=metric.scale,
                    history=num_hist,
                    start_value=_level_start(series, "denominator"),
                )
            )
    elif kind == "ratio":
        num_w = pacing.dow_weights(hist["numerator"].to_numpy(float), wd_hist)[wd]
        den_w = pacing.dow_weights(hist["denominator"].to_numpy(float), wd_hist)[wd]
        offset = -1.0 if kpi.metric == "roi" else 0.0
        scale = 1.0 if kpi.metric == "roi" else metric.scale
        for i in range(first, index + 1):
            paces.append(
                pacing.pace_ratio(
                    per["numerator"].to_numpy(float),
                    per["denominator"].to_numpy(float),
                    num_w,
                    den_w,
                    target,
                    i,
                    direction,
                    scale=scale,
                    offset=offset,
                )
            )
        daily_ratio = per["numerator"] / per["denominator"].where(per["denominator"] != 0)
        hist_ratio = hist["numerator"] / hist["denominator"].where(hist["denominator"] != 0)
        drift = drift_path(
            hist_ratio.to_numpy(float), wd_hist, _masked(daily_ratio, index), wd, direction
        )
    else:  # level
        start_value = _level_start(series)
        for i in range(first, index + 1):
            paces.append(
                pacing.pace_level(per["value"].to_numpy(float), target, i, direction, start_value)
            )
    steps = np.arange(first, index + 1)
    statuses = apply_rules(
        steps + 1,
        period_days,
        np.array([p.probability for p in paces]),
        np.array([p.projected for p in paces]),
        target,
        direction,
        None if drift is None else drift.alarm[first : index + 1],
    )
    return _Judgement(statuses, paces[-1], drift, index)


def _kpi_status(
    con: duckdb.DuckDBPyConnection,
    kpi: Kpi,
    as_of: date,
    series: _Series,
    budget: Sequence[BudgetLine],
    currency: str,
    kpi_series: KpiSeries | None = None,
) -> KpiStatus:
    def fmt(v: float) -> str:
        return compact(v, kpi.metric, currency)

    def versus(v: float) -> str:
        """ "381k of 450k (85%)"; lower is better: "€27.10 against a ceiling of €25.00 (108%)"."""
        share = f" ({v / kpi.target * 100:.0f}%)" if kpi.target else ""
        word = "of" if kpi.direction == "up" else "against a ceiling of"
        return f"{fmt(v)} {word} {fmt(kpi.target)}{share}"

    if as_of < kpi.start:
        return KpiStatus(kpi, "not_started", f"starts on {_day(kpi.start)} {kpi.start.year}")
    value = kpi_actual(con, kpi, as_of, budget=budget, kpi_series=kpi_series)
    actual = value.value
    ended = as_of >= kpi.end
    index = (min(as_of, kpi.end) - kpi.start).days
    up = kpi.direction == "up"
    if actual is None or value.days_with_data == 0:
        channel = CHANNEL_LABELS.get(kpi.channel, kpi.channel)
        what = f"no {METRICS[kpi.metric].label.lower()} data for {channel}"
        return KpiStatus(
            kpi, "no_data", f"{what} in the period so far; load the exports", note=value.note
        )
    if ended:
        hit = actual >= kpi.target if up else actual <= kpi.target
        word = ("reached" if hit else "ended at") if up else ("stayed at" if hit else "ended at")
        return KpiStatus(
            kpi,
            "achieved" if hit else "missed",
            f"{word} {versus(actual)}",
            actual=actual,
            expected_to_date=kpi.target,
            projected=actual,
            probability=1.0 if hit else 0.0,
            last_data_day=value.last_day,
            note=value.note,
        )

    judged = _judge(series, kpi, index)
    pace = judged.pace
    status = judged.statuses[-1]
    alarm, began = judged.drift.at(index) if judged.drift is not None else (False, None)
    began_day = series.period["day"].iloc[began] if began is not None else None
    last_day = value.last_day
    if kpi.kind == "sum" and up and actual >= kpi.target:
        status = "achieved"

    parts: list[str] = []
    if status == "achieved":
        parts.append(f"already {versus(actual)}")
    elif status == "too_early":
        judge_on = kpi.start + timedelta(days=too_early_days(kpi.days) - 1)
        parts.append(f"too early to judge until {_day(judge_on)}")
        if kpi.kind in ("sum", "unique"):
            parts.append(f"{fmt(actual)} so far, {fmt(pace.expected_to_date)} expected by now")
        else:
            parts.append(f"{fmt(actual)} so far")
    else:
        if math.isfinite(pace.projected):
            parts.append(f"projected {versus(pace.projected)}")
        if math.isfinite(pace.probability):
            chance = pace.probability * 100
            chance_text = (
                f"{chance:.0f}%" if 1 <= chance <= 99 else ("<1%" if chance < 1 else ">99%")
            )
            parts.append(f"{chance_text} chance to {'reach it' if up else 'stay at or under it'}")
    if alarm and began_day is not None and status not in ("too_early", "achieved"):
        parts.append(f"{'pace fell' if up else 'cost rose'} after {_day(began_day)}")
    if pace.stale_days >= pacing.STALE_AFTER_DAYS and last_day is not None:
        parts.append(
            f"no data since {_day(last_day)} ({pace.stale_days} days): projected from "
            "the days before, not as zeros"
        )
    if kpi.kind == "unique" and "overstates" in value.note:
        parts.append(f"judged on the sum of daily values, which overstates unique {kpi.metric}")
    return KpiStatus(
        kpi,
        status,
        "; ".join(parts),
        actual=actual,
        expected_to_date=pace.expected_to_date,
        projected=pace.projected,
        projected_low=pace.projected_low,
        projected_high=pace.projected_high,
        probability=pace.probability,
        required_per_day=pace.required_per_day,
        drift_began=began_day if alarm else None,
        last_data_day=last_day,
        note=value.note,
    )


def _objective_status(objective: Objective, kpis: list[KpiStatus]) -> ObjectiveStatus:
    if not kpis:
        return ObjectiveStatus(objective, "no_data", "the objective has no KPIs", kpis)
    status = worst([k.status for k in kpis])
    words = status.replace("_", " ")
    same = [k for k in kpis if k.status == status]
    if len(same) == len(kpis) and len(kpis) > 1:
        reason = f"all {len(kpis)} KPIs {words}"
        if status in ("at_risk", "off_track", "missed"):
            reason += f"; {same[0].label}: {same[0].reason}"
    else:
        reason = f"{same[0].label}: {same[0].reason}"
        if len(same) > 1:
            reason += f" (and {len(same) - 1} more {words})"
    return ObjectiveStatus(objective, status, reason, kpis)


def evaluate_plan(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    as_of: date,
    *,
    kpi_series: KpiSeries | None = None,
) -> PlanStatus:
    """Every objective's and KPI's status as it stood at the end of `as_of` (from the screen's
    `kpi_series` where it holds them)."""
    objectives = []
    for objective in plan.objectives:
        kpis = []
        for kpi in objective.kpis:
            series = _load_series(con, kpi, plan.budget, kpi_series)
            kpis.append(
                _kpi_status(con, kpi, as_of, series, plan.budget, plan.currency, kpi_series)
            )
        objectives.append(_objective_status(objective, kpis))
    return PlanStatus(as_of, objectives)


def evaluate_kpi(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    kpi: Kpi,
    as_of: date,
    *,
    kpi_series: KpiSeries | None = None,
) -> KpiStatus:
    """One KPI's status at the end of `as_of`."""
    series = _load_series(con, kpi, plan.budget, kpi_series)
    return _kpi_status(con, kpi, as_of, series, plan.budget, plan.currency, kpi_series)


def history(
    con: duckdb.DuckDBPyConnection, plan: Plan, as_of: date, every: int = 7
) -> pd.DataFrame:
    """Statuses replayed every `every` days from the plan's start up to `as_of` (and on as_of).

    One row per (day, objective, KPI): day, objective_id, objective, objective_status, kpi,
    status, probability, reason. The data is read once per KPI; each day sees only its past.
    """
    start = min((o.start for o in plan.objectives), default=as_of)
    last = min(as_of, plan.end or as_of)
    days = [start + timedelta(days=k) for k in range(0, (last - start).days + 1, every)]
    if not days or days[-1] != last:
        days.append(last)
    series = {id(k): _load_series(con, k, plan.budget) for k in plan.kpis}
    rows = []
    for day in days:
        for objective in plan.objectives:
            kpis = [
                _kpi_status(con, k, day, series[id(k)], plan.budget, plan.currency)
                for k in objective.kpis
            ]
            obj = _objective_status(objective, kpis)
            for k in kpis:
                rows.append(
                    {
                        "day": day,
                        "objective_id": objective.id,
                        "objective": objective.title,
                        "objective_status": obj.status,
                        "kpi": k.label,
                        "status": k.status,
                        "probability": k.probability,
                        "reason": k.reason,
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            "day",
            "objective_id",
            "objective",
            "objective_status",
            "kpi",
            "status",
            "probability",
            "reason",
        ],
    )


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
    series = _load_series(con, kpi, budget, kpi_series)
    per = series.period
    days = len(per)
    out = pd.DataFrame({"day": per["day"]})
    for col in ("actual_cum", "expected_cum", "projected", "projected_low", "projected_high"):
        out[col] = np.nan
    if as_of < kpi.start or days == 0:
        return out
    index = min((as_of - kpi.start).days, days - 1)
    judged = _judge(series, kpi, index)
    pace = judged.pace
    steps = np.arange(days)
    future = steps >= index
    kind = kpi.kind
    if kind in ("sum", "unique"):
        x = _masked(per["value"], index)
        out["actual_cum"] = np.where(steps <= index, np.nancumsum(np.nan_to_num(x)), np.nan)
        wd = _weekdays(per["day"])
        hist = series.history
        weights = pacing.dow_weights(hist["value"].to_numpy(float), _weekdays(hist["day"]))[wd]
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
        num = np.nancumsum(_masked(per["numerator"], index))
        den_name = kpi.denominator or METRICS[kpi.metric].denominator or ""
        if den_name in METRICS and METRICS[den_name].kind == "level":
            den = per["denominator"].ffill().to_numpy(float)  # the level on that day
        else:
            den = np.nancumsum(_masked(per["denominator"], index))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den
        ratio = ratio - 1 if kpi.metric == "roi" else ratio * METRICS[kpi.metric].scale
        out["actual_cum"] = np.where(steps <= index, ratio, np.nan)
        out["expected_cum"] = kpi.target
        _fan(out, future, index, pace)
    else:
        out["actual_cum"] = np.where(steps <= index, per["value"].to_numpy(float), np.nan)
        s0 = _level_start(series)
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
