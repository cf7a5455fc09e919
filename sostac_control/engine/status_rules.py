"""The status rules on plain arrays: which status a KPI has on each day, given its figures.

DESIGN.md's statuses; method and defaults in ../shared/notes/drift.md, tuned with `make eval`
on quarters simulated with a tuning seed (reported on another seed):
- `not_started` before the period; `achieved` / `missed` once it ended (or a sum already passed
  its target); `no_data` while nothing has been loaded for the period; `stale` when the newest
  data is older than the source's usual delay (no judgement on data that stopped);
- `too_early` until max(14 days, 15% of the period) have passed;
- `off_track` when the probability of reaching the target is below 0.03 and the projection
  misses it by more than 5%, seven days in a row; it is left only when the probability rises
  above 0.25 (hysteresis, so a status does not flicker day to day);
- `at_risk` when, five days in a row, the probability is below 0.30, or the recent pace (the
  last four weeks, or the days since the drift alarm says the pace changed) projects below 90%
  of the target, or the drift alarm is on and the pace since the change projects below it;
- a drift alarm whose pace since the change still projects the target is a note in the
  reason, not a status: "pace fell 30% after 23 Nov; still projected 110%".
An objective takes its worst KPI's status. `apply_rules` is the rule engine; the evaluation
bench (bench/eval.py) runs exactly it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sostac_control.engine.status_codes import SEVERITY
from sostac_control.engine.status_codes import STATUSES as STATUSES  # re-exported

OFF_TRACK_BELOW = 0.03
OFF_TRACK_LEAVE_ABOVE = 0.25
OFF_TRACK_SHORTFALL = 0.95  # projection below 95% of target (above 105% when lower is better)
OFF_TRACK_DAYS = 7
AT_RISK_BELOW = 0.30
AT_RISK_DAYS = 5  # days in a row the at-risk condition must hold
RECENT_SHORTFALL = 0.90  # the recent pace projects under 90% of the target: at risk
COMFORT = 1.0  # a drift alarm whose pace since the change still projects the target is a note
MIN_TOO_EARLY_DAYS = 14
TOO_EARLY_SHARE = 0.15
DEFAULT_STALE_DAYS = 3  # data older than this (or the source's usual delay) is stale


def too_early_days(period_days: int) -> int:
    """Days that must have passed before a KPI is judged: max(14, 15% of the period)."""
    return max(MIN_TOO_EARLY_DAYS, math.ceil(TOO_EARLY_SHARE * period_days))


def worst(statuses: Sequence[str]) -> str:
    """The worst of some statuses (by SEVERITY); 'no_data' for none."""
    return max(statuses, key=SEVERITY.index) if statuses else "no_data"


def short_of(
    projected: np.ndarray | float, target: float, direction: str, share: float
) -> np.ndarray:
    """Whether a projection falls short of `share` × target (mirrored when lower is better)."""
    p = np.asarray(projected, dtype=float)
    with np.errstate(invalid="ignore"):
        if direction == "up":
            return np.asarray(p < share * target)
        return np.asarray(p > (2 - share) * target)


def drift_is_note(
    drift_alarm: np.ndarray, recent_projected: np.ndarray, target: float, direction: str
) -> np.ndarray:
    """Days whose drift alarm is only a note: the pace since the change still clears 105%."""
    comfortable = ~short_of(recent_projected, target, direction, COMFORT) & ~np.isnan(
        np.asarray(recent_projected, dtype=float)
    )
    return np.asarray(drift_alarm, dtype=bool) & comfortable


def apply_rules(
    elapsed_days: np.ndarray,
    period_days: int,
    probability: np.ndarray,
    projected: np.ndarray,
    target: float,
    direction: str,
    drift_alarm: np.ndarray | None = None,
    recent_projected: np.ndarray | None = None,
) -> list[str]:
    """Statuses for consecutive days of one KPI's period, carrying persistence and hysteresis.

    Each array has one entry per consecutive day; `elapsed_days` counts days of the period
    passed on that day (1 on the first day). A NaN probability means no data so far.
    `recent_projected` is the end-of-period projection at the recent pace (the days since a
    drift alarm's change began, else the last four weeks); NaN or None: not known.
    """
    early = too_early_days(period_days)
    n = len(probability)
    alarm = np.zeros(n, dtype=bool) if drift_alarm is None else np.asarray(drift_alarm, bool)
    recent = np.full(n, np.nan) if recent_projected is None else np.asarray(recent_projected)
    recent_short = short_of(recent, target, direction, RECENT_SHORTFALL)
    # A drift alarm raises at_risk unless the recent pace still projects comfortably; without
    # a recent projection the alarm alone raises it (the cautious reading).
    drift_flags = alarm & ~drift_is_note(alarm, recent, target, direction)
    short = short_of(projected, target, direction, OFF_TRACK_SHORTFALL)
    statuses: list[str] = []
    streak, off, risk_streak = 0, False, 0
    for i in range(n):
        p = probability[i]
        if np.isnan(p):
            statuses.append("no_data")
            continue
        streak = streak + 1 if (p < OFF_TRACK_BELOW and short[i]) else 0
        if off and p > OFF_TRACK_LEAVE_ABOVE:
            off = False
        elif streak >= OFF_TRACK_DAYS:
            off = True
        risky = p < AT_RISK_BELOW or drift_flags[i] or recent_short[i]
        risk_streak = risk_streak + 1 if risky else 0
        if elapsed_days[i] < early:
            statuses.append("too_early")
        elif off:
            statuses.append("off_track")
        elif risk_streak >= AT_RISK_DAYS:
            statuses.append("at_risk")
        else:
            statuses.append("on_track")
    return statuses
