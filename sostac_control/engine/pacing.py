"""Pacing: where a KPI stands against its target, where it is heading, and how likely it gets there.

Pure functions on daily arrays (numpy/scipy, no database): the status rules and the evaluation
bench call exactly these. A day's value is NaN when there is no data for it: a missing day is
imputed from the run rate, never counted as zero. Lower-is-better KPIs mirror every rule.

Method (../shared/notes/drift.md): day-of-week weights w_t (mean 1) from at least 8 weeks of
history with the top 10% of days trimmed, else flat; expected to date E = T·Σ_{t≤d} w_t / Σ w_t;
run rate r = mean of x_t / w_t over observed days (each capped at the history's 90th percentile,
times the uplift viral days gave in history, so one viral day neither sets nor breaks the pace);
projection P = A* + r·Σ_{t>d} w_t, A* the actual with missing days imputed as r·w_t; variance
V = s²·(1+φ)/(1−φ)·[Σ_{t>d} w_t² + (Σ_{t>d} w_t)² / n] with s and φ pooled from history and the
period so far; probability of reaching the target from the normal approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MIN_HISTORY_DAYS_FOR_WEIGHTS = 56  # 8 weeks
TRIM_TOP_SHARE = 0.10  # viral days left out of the weekday weights
INTERVAL_Z = 1.645  # projection band: a 90% interval
STALE_AFTER_DAYS = 3  # data that stops this many days before as-of is reported as stale
DEFAULT_PHI = 0.2  # lag-1 autocorrelation assumed when too few day pairs to estimate it

FloatArray = np.ndarray


@dataclass(frozen=True)
class Pace:
    """A KPI at one as-of day: to date, expected, projected with a 90% band, and its chances."""

    actual: float  # the KPI's value so far, from observed days only (NaN when none)
    expected_to_date: float  # where the plan's path says it should be by now
    projected: float  # at the period's end
    projected_low: float
    projected_high: float
    required_per_day: float  # what an average day must bring from now on (NaN for levels)
    probability: float  # of reaching the target (mirrored for lower-is-better)
    observed_days: int
    last_data_index: int  # index of the last day with data up to as-of; -1 when none
    stale_days: int  # days since the last data (0 when as-of itself has data)


@dataclass(frozen=True)
class PacePath:
    """The same figures for every as-of index 0..D-1 of a period (for replays and the bench)."""

    actual: FloatArray
    actual_imputed: FloatArray  # missing days filled from the run rate
    expected_to_date: FloatArray
    projected: FloatArray
    sd: FloatArray
    required_per_day: FloatArray
    probability: FloatArray
    observed_days: np.ndarray
    last_data_index: np.ndarray

    def at(self, i: int) -> Pace:
        """The figures as they stood after day i."""
        return Pace(
            actual=float(self.actual[i]),
            expected_to_date=float(self.expected_to_date[i]),
            projected=float(self.projected[i]),
            projected_low=float(self.projected[i] - INTERVAL_Z * self.sd[i]),
            projected_high=float(self.projected[i] + INTERVAL_Z * self.sd[i]),
            required_per_day=float(self.required_per_day[i]),
            probability=float(self.probability[i]),
            observed_days=int(self.observed_days[i]),
            last_data_index=int(self.last_data_index[i]),
            stale_days=int(i - self.last_data_index[i]) if self.last_data_index[i] >= 0 else i + 1,
        )


def dow_weights(values: FloatArray, weekdays: np.ndarray) -> FloatArray:
    """Weights per weekday (Mon=0..Sun=6, mean 1) from history; flat with under 8 weeks of it.

    The top 10% of days are left out so that one viral post does not set the weekly pattern.
    """
    values = np.asarray(values, dtype=float)
    weekdays = np.asarray(weekdays)
    observed = ~np.isnan(values)
    if observed.sum() < MIN_HISTORY_DAYS_FOR_WEIGHTS:
        return np.ones(7)
    cut = np.quantile(values[observed], 1 - TRIM_TOP_SHARE)
    keep = observed & (values <= cut)
    means = np.array(
        [
            values[keep & (weekdays == k)].mean() if (keep & (weekdays == k)).any() else np.nan
            for k in range(7)
        ]
    )
    if np.isnan(means).any() or means.mean() <= 0:
        return np.ones(7)
    weights = means / means.mean()
    return np.clip(weights, 0.05, None) / np.clip(weights, 0.05, None).mean()


def _lag1_autocorrelation(y: FloatArray) -> float | None:
    """Lag-1 autocorrelation over consecutive observed days; None with fewer than 14 pairs."""
    pairs = ~np.isnan(y[1:]) & ~np.isnan(y[:-1])
    if pairs.sum() < 14:
        return None
    a, b = y[1:][pairs], y[:-1][pairs]
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


_erfc = np.frompyfunc(math.erfc, 1, 1)


def reach_probability(
    projected: FloatArray, sd: FloatArray, target: float, direction: str
) -> FloatArray:
    """The chance of ending at or beyond the target (below it when lower is better)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (target - projected) / sd
    z = np.where(sd > 0, z, np.where(projected >= target, -np.inf, np.inf))
    # P(normal > z) = erfc(z / sqrt 2) / 2: the normal tail without importing scipy.stats
    # (1.3 s of a status command's start).
    up = 0.5 * np.asarray(_erfc(z / math.sqrt(2)), dtype=float)
    return up if direction == "up" else 1 - up


def sum_path(
    values: FloatArray,
    weights: FloatArray,
    target: float,
    direction: str = "up",
    history: FloatArray | None = None,
    history_weights: FloatArray | None = None,
) -> PacePath:
    """Pacing of a sum metric for every as-of day of the period at once (cumulative sums).

    `values` has one entry per day of the period (NaN: no data, or not yet happened), `weights`
    the day-of-week weight of each day. `history` (days before the period, NaN missing) sharpens
    the daily dispersion and autocorrelation, which from the period alone would be noisy.
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    days = len(x)
    obs = ~np.isnan(x)
    x0 = np.where(obs, x, 0.0)
    y0 = np.where(obs, x0 / w, 0.0)
    count = np.cumsum(obs)
    hist_y = _history_y(history, history_weights)
    # The run rate of ordinary days (capped at the history's 90th percentile) times the uplift
    # viral days gave in history: a rate that does not swing on whether a viral day happened
    # to fall before or after today, nor count one as the new normal.
    cap, uplift = _spike_cap(hist_y)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.cumsum(np.minimum(y0, cap)) / count * uplift
    actual = np.where(count > 0, np.cumsum(x0), np.nan)
    imputed = actual + rate * np.cumsum(np.where(obs, 0.0, w))
    w_cum = np.cumsum(w)
    w_total = w_cum[-1]
    w_future = w_total - w_cum
    w2_future = np.sum(w**2) - np.cumsum(w**2)
    expected = target * w_cum / w_total
    projected = imputed + rate * w_future

    # Dispersion of y = x / w, pooled over history and the period so far.
    if len(hist_y):
        h_obs = hist_y[~np.isnan(hist_y)]
        n_h, s1_h, s2_h = len(h_obs), h_obs.sum(), (h_obs**2).sum()
        phi_h = _lag1_autocorrelation(hist_y)
    else:
        n_h, s1_h, s2_h, phi_h = 0, 0.0, 0.0, None
    n = count + n_h
    s1 = np.cumsum(y0) + s1_h
    s2 = np.cumsum(y0**2) + s2_h
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (s2 - s1**2 / n) / (n - 1)
    var = np.where(n > 1, np.maximum(var, 0.0), np.nan)
    # Floor: a series that has been flat so far is not certain to stay flat.
    s = np.fmax(np.sqrt(var), 0.1 * np.abs(rate))
    s = np.where(np.isnan(s), np.abs(rate) * 0.5, s)
    if phi_h is not None:
        phi = np.full(days, phi_h)
    else:
        phi = _cumulative_lag1(np.where(obs, x0 / w, np.nan))
    phi = np.clip(phi, 0.0, 0.8)
    inflation = (1 + phi) / (1 - phi)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = s**2 * inflation * (w2_future + w_future**2 / count)
    with np.errstate(invalid="ignore"):
        sd = np.sqrt(np.where(count > 0, variance, np.nan))
    probability = reach_probability(projected, sd, target, direction)
    # A sum cannot go back: an "up" target reached is reached; a "down" ceiling passed is passed.
    if direction == "up":
        probability = np.where(actual >= target, 1.0, probability)
    else:
        probability = np.where(actual > target, 0.0, probability)
    probability = np.where(count > 0, probability, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        required = np.where(w_future > 0, (target - imputed) / w_future, np.nan)
    last = np.maximum.accumulate(np.where(obs, np.arange(days), -1))
    return PacePath(
        actual=actual,
        actual_imputed=imputed,
        expected_to_date=expected,
        projected=projected,
        sd=sd,
        required_per_day=required,
        probability=probability,
        observed_days=count,
        last_data_index=last,
    )


def _history_y(history: FloatArray | None, weights: FloatArray | None) -> FloatArray:
    """History relative to its weekday weights (x / w); empty without history."""
    if history is None or not len(history):
        return np.array([])
    hw = np.ones(len(history)) if weights is None else np.asarray(weights, dtype=float)
    return np.asarray(history, dtype=float) / hw


def _spike_cap(hist_y: FloatArray) -> tuple[float, float]:
    """(cap, uplift): the history's 90th percentile of x / w and mean / capped mean.

    Without 8 weeks of history: no cap and no uplift (a plain mean of the period so far).
    """
    observed = hist_y[~np.isnan(hist_y)] if len(hist_y) else hist_y
    if len(observed) < MIN_HISTORY_DAYS_FOR_WEIGHTS:
        return float("inf"), 1.0
    cap = float(np.quantile(observed, 1 - TRIM_TOP_SHARE))
    capped = np.minimum(observed, cap).mean()
    if cap <= 0 or capped <= 0:
        return float("inf"), 1.0
    return cap, float(observed.mean() / capped)


def _cumulative_lag1(y: FloatArray) -> FloatArray:
    """Lag-1 autocorrelation of y[:i+1] for every i (DEFAULT_PHI until 14 day pairs exist)."""
    days = len(y)
    out = np.full(days, DEFAULT_PHI)
    pair = np.zeros(days, dtype=bool)
    pair[1:] = ~np.isnan(y[1:]) & ~np.isnan(y[:-1])
    a = np.where(pair, np.concatenate([[0.0], np.nan_to_num(y[1:])]), 0.0)
    b = np.where(pair, np.concatenate([[0.0], np.nan_to_num(y[:-1])]), 0.0)
    n = np.cumsum(pair)
    sa, sb, sab = np.cumsum(a), np.cumsum(b), np.cumsum(a * b)
    saa, sbb = np.cumsum(a * a), np.cumsum(b * b)
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = sab / n - (sa / n) * (sb / n)
        va = saa / n - (sa / n) ** 2
        vb = sbb / n - (sb / n) ** 2
        r = cov / np.sqrt(va * vb)
    return np.where((n >= 14) & np.isfinite(r), r, out)


def pace_sum(
    values: FloatArray,
    weights: FloatArray,
    target: float,
    as_of_index: int,
    direction: str = "up",
    history: FloatArray | None = None,
    history_weights: FloatArray | None = None,
) -> Pace:
    """Pacing of a sum metric after day `as_of_index` (0-based) of the period."""
    x = np.array(values, dtype=float)
    x[as_of_index + 1 :] = np.nan
    return sum_path(x, weights, target, direction, history, history_weights).at(as_of_index)
