"""Suggested targets: for each KPI of a period, the value that history and trend make 50% and
80% likely, so that SMART's "Achievable" is a number, not a rule of thumb.

From the up to 26 complete weeks before the KPI's period (at least 6), one value per week: the
week's total (sum and unique metrics), its net change (levels: followers), or its ratio of sums
(ratios). A Theil–Sen line through them gives the trend; it is damped by half for the weeks
ahead (a trend rarely runs on at full speed for another quarter). The period's median is the
damped line carried over the period's weeks (a sum: their total; a level: its last value plus
the net changes; a ratio: their mean). Its spread is the weekly residuals' robust dispersion,
widened for autocorrelated weeks, plus the trend's own uncertainty. "80% likely" is the value
reached with 80% probability: for an increase the 20th percentile of the period's outcome, for
lower-is-better KPIs the 80th (a ceiling kept 80% of the time). Each suggestion also gives the
chance of the plan's current target on the same model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from sostac_control.catalog import get_metric
from sostac_control.engine.level_line import theil_sen
from sostac_control.engine.metrics import kpi_daily, ratio_values
from sostac_control.i18n import _, date_short, day_month, signed

if TYPE_CHECKING:
    import duckdb

    from sostac_control.plan.model import BudgetLine, Kpi, Plan

MAX_WEEKS = 26
MIN_WEEKS = 6
DAMPING = 0.5
Z80 = float(stats.norm.ppf(0.8))


@dataclass(frozen=True)
class Suggestion:
    """A KPI's suggested targets for its period, or why there is none."""

    objective_id: str
    kpi: Kpi
    likely_50: float | None
    likely_80: float | None
    current_chance: float | None  # of the plan's current target, on the same model
    basis: str  # "20 weeks before 1 Jul; trend +2.1% a week, damped by half"

    def to_dict(self) -> dict[str, Any]:
        def clean(v: float | None) -> float | None:
            return None if v is None or not math.isfinite(v) else round(float(v), 6)

        return {
            "objective": self.objective_id,
            "metric": self.kpi.metric,
            "channel": self.kpi.channel,
            "direction": self.kpi.direction,
            "target": self.kpi.target,
            "likely_50": clean(self.likely_50),
            "likely_80": clean(self.likely_80),
            "current_target_chance": clean(self.current_chance),
            "basis": self.basis,
        }


def _weekly(kpi: Kpi, daily: pd.DataFrame, end: date) -> tuple[np.ndarray, float | None]:
    """One value per complete week ending the day before `end` (newest last); a level's last
    value. Weeks with fewer than 4 days of data are left out (NaN)."""
    frame = daily[daily["day"] < end].tail(MAX_WEEKS * 7)
    n = len(frame) // 7 * 7
    frame = frame.tail(n)
    values = []
    last_level = None
    for k in range(0, n, 7):
        week = frame.iloc[k : k + 7]
        seen = week["value"].notna().sum()
        if kpi.kind == "ratio":
            num, den = week["numerator"].sum(min_count=1), week["denominator"].sum(min_count=1)
            ok = seen >= 4 and not math.isnan(den) and den != 0
            ratio = ratio_values(get_metric(kpi.metric), pd.Series([num]), pd.Series([den]))
            values.append(float(ratio.iloc[0]) if ok else np.nan)
        elif kpi.kind == "level":
            level = week["value"].dropna()
            values.append(level.iloc[-1] if len(level) else np.nan)
        else:
            values.append(week["value"].sum() / seen * 7 if seen >= 4 else np.nan)
    out = np.array(values, dtype=float)
    if kpi.kind == "level":
        levels = out[~np.isnan(out)]
        last_level = float(levels[-1]) if len(levels) else None
        out = np.diff(out)  # weekly net change
    return out, last_level


def suggest_kpi(
    con: duckdb.DuckDBPyConnection, objective_id: str, kpi: Kpi, budget: Sequence[BudgetLine] = ()
) -> Suggestion:
    """The 50% and 80% likely values of one KPI over its period, from the weeks before it."""
    start = kpi.start - timedelta(days=MAX_WEEKS * 7 + 7)
    daily = kpi_daily(con, kpi, start, kpi.start - timedelta(days=1), budget=budget)
    weekly, last_level = _weekly(kpi, daily, kpi.start)
    seen = np.flatnonzero(~np.isnan(weekly))
    if len(seen) < MIN_WEEKS:
        return Suggestion(
            objective_id, kpi, None, None, None,
            _("needs {weeks} weeks with data before {day}; has {seen}").format(
                weeks=MIN_WEEKS, day=date_short(kpi.start), seen=len(seen)
            ),
        )  # fmt: skip
    t, y = seen.astype(float), weekly[seen]
    slope, intercept, lo, hi = theil_sen(t, y)
    residuals = y - (intercept + slope * t)
    spread = 1.4826 * float(np.median(np.abs(residuals - np.median(residuals))))
    spread = max(spread, 0.05 * abs(float(np.median(y))), 1e-9)
    phi = 0.0
    if len(residuals) >= 8 and np.std(residuals[1:]) > 0 and np.std(residuals[:-1]) > 0:
        phi = float(np.clip(np.corrcoef(residuals[1:], residuals[:-1])[0, 1], 0.0, 0.8))
    weeks = kpi.days / 7
    now = float(len(weekly) - 1)
    ahead = now + (np.arange(math.ceil(weeks)) + 1)
    fraction = np.minimum(1.0, weeks - np.arange(math.ceil(weeks)))  # the last week in part
    level_now = intercept + slope * now
    path = level_now + DAMPING * slope * (ahead - now)
    if kpi.kind in ("sum", "unique"):
        path = np.clip(path, 0, None)
    slope_sd = (hi - lo) / (2 * 1.645) * DAMPING
    inflation = (1 + phi) / (1 - phi)
    if kpi.kind == "ratio":
        median = float(np.mean(path))
        sd = math.hypot(
            spread * math.sqrt(inflation / weeks), slope_sd * float(np.mean(ahead - now))
        )
    else:
        total = float(np.sum(path * fraction))
        sd = math.hypot(
            spread * math.sqrt(weeks * inflation),
            slope_sd * float(np.sum((ahead - now) * fraction)),
        )
        median = total + (last_level or 0.0) if kpi.kind == "level" else total
    up = kpi.direction == "up"
    likely_80 = median - Z80 * sd if up else median + Z80 * sd
    if kpi.kind in ("sum", "unique"):
        likely_80 = max(likely_80, 0.0)
    z = (kpi.target - median) / sd if sd > 0 else (math.inf if kpi.target > median else -math.inf)
    chance = float(1 - stats.norm.cdf(z)) if up else float(stats.norm.cdf(z))
    trend = slope / abs(float(np.median(y))) * 100 if np.median(y) else 0.0
    basis = _("{weeks} weeks before {day}; trend {trend}% a week, damped by half").format(
        weeks=len(seen),
        day=f"{day_month(kpi.start)} {kpi.start.year}",
        trend=signed(trend, 1),
    )
    return Suggestion(objective_id, kpi, median, likely_80, chance, basis)


def chance_percent(chance: float) -> str:
    """12%; never 0% or 100% (a model's chance is not a certainty)."""
    pct = chance * 100
    return f"{pct:.0f}%" if 1 <= pct <= 99 else ("<1%" if pct < 1 else ">99%")


def suggest_plan(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[Suggestion]:
    """Suggested targets for every KPI of the plan."""
    return [suggest_kpi(con, o.id, k, plan.budget) for o in plan.objectives for k in o.kpis]
