"""The status rules and plain linear pacing on simulated quarters, for every day of a quarter.

`judge` runs the same functions as status_judge.judge does for a KPI of that kind (pacing,
drift, recent pace, status_rules.apply_rules); ratio and level KPIs are judged with their rules
over the whole period at once (the app replays only the last ten days, which reaches the same
persistence and hysteresis). `judge_linear` is what most goal-tracking products do: actual
against the target pro rata (levels: against the straight path from the start; ratios: the
running ratio against the target), on track ≥ 0.95, at risk 0.85–0.95, off track < 0.85.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.eval_sim import DAYS, HISTORY, Quarters
from sostac_control.engine import level_pace, pacing, ratio_pace, recent_pace
from sostac_control.engine.drift import drift_path
from sostac_control.engine.status_rules import apply_rules, too_early_days

ELAPSED = np.arange(1, DAYS + 1)


def judge(q: Quarters, i: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(statuses, probability, drift alarm) for every day of quarter i."""
    wd_hist, wd = q.weekday[i, :HISTORY], q.weekday[i, HISTORY:]
    target = float(q.target[i])
    if q.kind == "sum":
        hist, per = q.value[i, :HISTORY], q.value[i, HISTORY:]
        weights = pacing.dow_weights(hist, wd_hist)
        path = pacing.sum_path(per, weights[wd], target, "up", hist, weights[wd_hist])
        drift = drift_path(hist, wd_hist, per, wd, "up")
        recent, _ = recent_pace.sum_recent(
            per, weights[wd], path.actual_imputed, hist, weights[wd_hist], drift.alarm, drift.began
        )
        probability, projected = path.probability, path.projected
    elif q.kind == "level":
        values = q.value[i, HISTORY:]
        start = float(q.start_value[i]) if q.start_value is not None else None
        hist = q.value[i, :HISTORY]
        net = np.diff(np.concatenate([[start if start is not None else np.nan], values]))
        drift = drift_path(np.diff(hist, prepend=np.nan), wd_hist, net, wd, "up")
        probability = np.empty(DAYS)
        projected = np.empty(DAYS)
        for d in range(DAYS):
            seen = values.copy()
            seen[d + 1 :] = np.nan
            path, s0 = level_pace.level_path(seen, wd, target, start, "up", hist, wd_hist)
            probability[d], projected[d] = path.probability[d], path.projected[d] + s0
        recent = np.array(
            [
                recent_pace.level_recent(
                    values, d, int(drift.began[d]) if drift.alarm[d] else None
                )[0]
                for d in range(DAYS)
            ]
        )
    else:
        direction = "up" if q.kind == "ratio" else "down"
        assert q.denominator is not None
        num, den = q.value[i], q.denominator[i]
        num_h, den_h, num_p, den_p = num[:HISTORY], den[:HISTORY], num[HISTORY:], den[HISTORY:]
        wn = pacing.dow_weights(num_h, wd_hist)[wd]
        wdn = pacing.dow_weights(den_h, wd_hist)[wd]
        with np.errstate(divide="ignore", invalid="ignore"):
            daily, daily_h = (
                num_p / np.where(den_p > 0, den_p, np.nan),
                num_h / np.where(den_h > 0, den_h, np.nan),
            )
        drift = drift_path(daily_h, wd_hist, daily, wd, direction)
        paces = [
            ratio_pace.pace_ratio(num_p, den_p, wn, wdn, target, d, direction) for d in range(DAYS)
        ]
        probability = np.array([p.probability for p in paces])
        projected = np.array([p.projected for p in paces])
        recent = np.array(
            [
                recent_pace.ratio_recent(
                    num_p, den_p, d, start=int(drift.began[d]) if drift.alarm[d] else None
                )[0]
                for d in range(DAYS)
            ]
        )
        statuses = apply_rules(
            ELAPSED, DAYS, probability, projected, target, direction, drift.alarm, recent
        )
        return statuses, probability, drift.alarm
    statuses = apply_rules(ELAPSED, DAYS, probability, projected, target, "up", drift.alarm, recent)
    return statuses, probability, drift.alarm


def judge_linear(q: Quarters, i: int) -> list[str]:
    """Plain linear pacing with fixed cut-offs, judged from the same day as the rules."""
    target = float(q.target[i])
    if q.kind == "sum":
        per = np.nan_to_num(q.value[i, HISTORY:])
        pace = np.cumsum(per) / (target * ELAPSED / DAYS)
    elif q.kind == "level":
        start = float(q.start_value[i]) if q.start_value is not None else 0.0
        level = pd.Series(q.value[i, HISTORY:]).ffill().fillna(start).to_numpy()  # last known
        expected = start + (target - start) * ELAPSED / DAYS
        with np.errstate(divide="ignore", invalid="ignore"):
            pace = np.where(target > start, (level - start) / (expected - start), 1.0)
    else:
        assert q.denominator is not None
        num = np.nancumsum(q.value[i, HISTORY:])
        den = np.nancumsum(q.denominator[i, HISTORY:])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den
            pace = ratio / target if q.kind == "ratio" else target / ratio
        pace = np.nan_to_num(pace, nan=1.0, posinf=0.0)
    early = too_early_days(DAYS)
    out = []
    for day, p in zip(ELAPSED, pace, strict=True):
        if day < early:
            out.append("too_early")
        elif p < 0.85:
            out.append("off_track")
        elif p < 0.95:
            out.append("at_risk")
        else:
            out.append("on_track")
    return out
