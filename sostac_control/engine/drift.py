"""Drift alarm: a sudden, sustained drop (or rise, for lower-is-better KPIs) against the KPI's
own recent baseline, robust to weekly patterns, viral spikes and missing days.

Each day is standardised against the baseline (the weeks before the period):
z_t = (log1p(x_t) − level − weekday effect) / (MAD · √((1+φ)/(1−φ))), clipped to ±3.5, and a
one-sided CUSUM S_t = max(0, S_{t−1} − z_t − 0.5) accumulates evidence of a drop. The alarm is on
while S_t > h; h = 5 with 16 weeks of baseline, 6 with 8–15 weeks, and no alarm with less
(too little to know what normal looks like). The change began on the first day of the run of
S_t > 0 that crossed h. Shewhart-style rules on raw daily social values would cry wolf in most
quarters (../shared/notes/drift.md); this does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CLIP_Z = 3.5
ALLOWANCE = 0.5  # the CUSUM's slack k: shifts under half a scaled MAD are ignored
H_LONG_BASELINE = 5.0
H_SHORT_BASELINE = 6.0
LONG_BASELINE_DAYS = 15 * 7  # 16 weeks asked for; a few missing days still count as long
SHORT_BASELINE_DAYS = 8 * 7 - 4


@dataclass(frozen=True)
class DriftPath:
    """The CUSUM for every day of the period, and where each alarm run began."""

    statistic: np.ndarray  # S_t; 0 on days before any evidence
    alarm: np.ndarray  # bool: S_t > h on that day
    began: np.ndarray  # int index of the day the current run of S > 0 began; -1 when S == 0
    threshold: float  # h; inf when the baseline is too short to judge

    def at(self, i: int) -> tuple[bool, int | None]:
        """(alarm on after day i, index of the day the change began when it is on)."""
        if i < 0 or not bool(self.alarm[i]):
            return False, None
        return True, int(self.began[i])


def threshold_for(baseline_days: int) -> float:
    """h by how many observed baseline days there are (inf: not enough to judge)."""
    if baseline_days >= LONG_BASELINE_DAYS:
        return H_LONG_BASELINE
    if baseline_days >= SHORT_BASELINE_DAYS:
        return H_SHORT_BASELINE
    return float("inf")


def _mad(values: np.ndarray) -> float:
    return 1.4826 * float(np.median(np.abs(values - np.median(values))))


def drift_path(
    baseline: np.ndarray,
    baseline_weekdays: np.ndarray,
    values: np.ndarray,
    weekdays: np.ndarray,
    direction: str = "up",
) -> DriftPath:
    """Run the lower one-sided CUSUM (upper for direction "down") over the period's days.

    `baseline` holds the days before the period (NaN: missing), `values` the period's days
    (NaN: missing or not yet happened; a missing day adds no evidence either way).
    """
    base = np.asarray(baseline, dtype=float)
    base_wd = np.asarray(baseline_weekdays)
    x = np.asarray(values, dtype=float)
    wd = np.asarray(weekdays)
    days = len(x)
    observed_base = ~np.isnan(base)
    h = threshold_for(int(observed_base.sum()))
    if not np.isfinite(h):
        zeros = np.zeros(days)
        return DriftPath(zeros, np.zeros(days, dtype=bool), np.full(days, -1), h)

    lb = np.log1p(np.clip(base, 0, None))
    level = float(np.nanmedian(lb))
    effect = np.zeros(7)
    for k in range(7):
        mask = observed_base & (base_wd == k)
        if mask.any():
            effect[k] = float(np.median(lb[mask])) - level
    resid = np.where(observed_base, lb - level - effect[base_wd], np.nan)
    r_obs = resid[observed_base]
    scale = _mad(r_obs)
    if scale <= 0:
        scale = float(np.std(r_obs)) or 1e-6
    # Refine each weekday's level by the mean of its clipped residuals (a median of ~16 days
    # is a noisy level, and a biased level is what makes a CUSUM cry wolf); then the scale.
    resid = np.clip(resid, -2.5 * scale, 2.5 * scale)
    for k in range(7):
        mask = observed_base & (base_wd == k)
        if mask.any():
            shift = float(np.mean(resid[mask]))
            effect[k] += shift
            resid[mask] -= shift
    # φ from clipped residuals: a viral day would otherwise hide the days' autocorrelation.
    pairs = ~np.isnan(resid[1:]) & ~np.isnan(resid[:-1])
    phi = 0.0
    if pairs.sum() >= 14:
        a, b = resid[1:][pairs], resid[:-1][pairs]
        if a.std() > 0 and b.std() > 0:
            phi = float(np.corrcoef(a, b)[0, 1])
    phi = float(np.clip(phi, 0.0, 0.8))
    scale *= np.sqrt((1 + phi) / (1 - phi))
    # The baseline's levels are estimates too: widen by their error (about 7/n of a day's).
    scale *= np.sqrt(1 + 7 / max(int(observed_base.sum()), 1))

    z = (np.log1p(np.clip(x, 0, None)) - level - effect[wd]) / scale
    z = np.clip(z, -CLIP_Z, CLIP_Z)
    if direction == "down":
        z = -z  # a rise in cost is the bad change

    statistic = np.zeros(days)
    began = np.full(days, -1)
    s, start = 0.0, -1
    for t in range(days):
        if not np.isnan(z[t]):
            s_new = max(0.0, s - z[t] - ALLOWANCE)
            if s == 0.0 and s_new > 0.0:
                start = t
            s = s_new
            if s == 0.0:
                start = -1
        statistic[t] = s
        began[t] = start
    return DriftPath(statistic, statistic > h, began, h)
