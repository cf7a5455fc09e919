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

from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_HISTORY_DAYS_FOR_WEIGHTS = 56  # 8 weeks
TRIM_TOP_SHARE = 0.10  # viral days left out of the weekday weights
INTERVAL_Z = 1.645  # projection band: a 90% interval
STALE_AFTER_DAYS = 3  # data that stops this many days before as-of is reported as stale
DEFAULT_PHI = 0.2  # lag-1 autocorrelation assumed when too few day pairs to estimate it
LEVEL_WINDOW_DAYS = 28  # Theil–Sen slope window for level metrics
BOOTSTRAP_SAMPLES = 400

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


def _reach_probability(
    projected: FloatArray, sd: FloatArray, target: float, direction: str
) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (target - projected) / sd
    z = np.where(sd > 0, z, np.where(projected >= target, -np.inf, np.inf))
    up = 1 - stats.norm.cdf(z)
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
    probability = _reach_probability(projected, sd, target, direction)
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


def pace_ratio(
    numerator: FloatArray,
    denominator: FloatArray,
    weights_numerator: FloatArray,
    weights_denominator: FloatArray,
    target: float,
    as_of_index: int,
    direction: str = "up",
    scale: float = 1.0,
    offset: float = 0.0,
    seed: int = 7,
) -> Pace:
    """Pacing of a ratio of sums: numerator and denominator projected separately.

    The value is scale · Σnum / Σden + offset (roi: offset −1). The band and the probability
    come from a day-pair bootstrap: observed (numerator, denominator) days, relative to their
    weekday weight, are resampled for the run rate and again for every remaining day.
    """
    num = np.array(numerator, dtype=float)[: as_of_index + 1]
    den = np.array(denominator, dtype=float)[: as_of_index + 1]
    wn, wd = np.asarray(weights_numerator, float), np.asarray(weights_denominator, float)
    days = len(wn)
    obs = ~np.isnan(num) & ~np.isnan(den)
    count = int(obs.sum())
    last = int(np.flatnonzero(obs)[-1]) if count else -1
    stale = as_of_index - last if count else as_of_index + 1
    if count == 0:
        nan = float("nan")
        return Pace(nan, target, nan, nan, nan, nan, nan, 0, -1, stale)
    a_num, a_den = num[obs].sum(), den[obs].sum()

    def value(n: FloatArray | float, d: FloatArray | float) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(scale * np.asarray(n) / np.asarray(d) + offset, dtype=float)

    actual = float(value(a_num, a_den))
    yn, yd = num[obs] / wn[: as_of_index + 1][obs], den[obs] / wd[: as_of_index + 1][obs]
    missing_past = ~obs
    missing_wn, missing_wd = (
        wn[: as_of_index + 1][missing_past],
        wd[: as_of_index + 1][missing_past],
    )
    fut_wn, fut_wd = wn[as_of_index + 1 :], wd[as_of_index + 1 :]
    rn, rd = yn.mean(), yd.mean()
    p_num = a_num + rn * (missing_wn.sum() + fut_wn.sum())
    p_den = a_den + rd * (missing_wd.sum() + fut_wd.sum())
    projected = float(value(p_num, p_den))

    rng = np.random.default_rng(seed)
    b = BOOTSTRAP_SAMPLES
    # Stage 1: the run rate is itself uncertain; resample the observed days.
    pick = rng.integers(0, count, size=(b, count))
    rn_b, rd_b = yn[pick].mean(axis=1), yd[pick].mean(axis=1)
    final_num = a_num + rn_b * missing_wn.sum()
    final_den = a_den + rd_b * missing_wd.sum()
    remaining = days - as_of_index - 1
    if remaining > 0:
        # Stage 2: each remaining day is a day-pair drawn from the resampled set.
        draw = np.take_along_axis(pick, rng.integers(0, count, size=(b, remaining)), axis=1)
        final_num = final_num + (yn[draw] * fut_wn).sum(axis=1)
        final_den = final_den + (yd[draw] * fut_wd).sum(axis=1)
    finals = value(final_num, final_den)
    finals = finals[np.isfinite(finals)]
    if remaining == 0 or len(finals) == 0:
        low = high = projected
        hit = projected >= target if direction == "up" else projected <= target
        probability = 1.0 if hit else 0.0
    else:
        low, high = (float(q) for q in np.quantile(finals, [0.05, 0.95]))
        hits = finals >= target if direction == "up" else finals <= target
        probability = float(hits.mean())
    # The ratio every remaining day must average for the period to end on target.
    future_den = p_den - a_den
    if future_den > 0:
        required = ((target - offset) / scale * p_den - a_num) / future_den * scale + offset
    else:
        required = float("nan")
    return Pace(
        actual=actual,
        expected_to_date=target,
        projected=projected,
        projected_low=low,
        projected_high=high,
        required_per_day=float(required),
        probability=probability,
        observed_days=count,
        last_data_index=last,
        stale_days=stale,
    )


def pace_ratio_to_level(
    numerator: FloatArray,
    level: FloatArray,
    weights: FloatArray,
    target: float,
    as_of_index: int,
    direction: str = "up",
    scale: float = 1.0,
    history: FloatArray | None = None,
    start_value: float | None = None,
) -> Pace:
    """A sum over a level at the period's end (engagements per follower): the numerator
    projected as a sum, the level by its robust slope, the interval by the delta method."""
    num = pace_sum(numerator, weights, target, as_of_index, "up", history)
    den = pace_level(level, target, as_of_index, "up", start_value)
    if num.observed_days == 0 or den.observed_days == 0 or den.projected <= 0:
        nan = float("nan")
        return Pace(nan, target, nan, nan, nan, nan, nan, 0, -1, as_of_index + 1)
    projected = scale * num.projected / den.projected
    sd_num = (num.projected_high - num.projected_low) / (2 * INTERVAL_Z)
    sd_den = (den.projected_high - den.projected_low) / (2 * INTERVAL_Z)
    sd = abs(projected) * float(np.hypot(sd_num / num.projected, sd_den / den.projected))
    probability = float(
        _reach_probability(np.array([projected]), np.array([sd]), target, direction)[0]
    )
    remaining = len(numerator) - 1 - as_of_index
    required = (
        (target / scale * den.projected - num.actual) / remaining if remaining > 0 else float("nan")
    )
    return Pace(
        actual=scale * num.actual / den.actual,
        expected_to_date=num.expected_to_date,  # the target pro rata: the sum is still growing
        projected=projected,
        projected_low=projected - INTERVAL_Z * sd,
        projected_high=projected + INTERVAL_Z * sd,
        required_per_day=float(required),
        probability=probability,
        observed_days=num.observed_days,
        last_data_index=num.last_data_index,
        stale_days=num.stale_days,
    )


def pace_level(
    values: FloatArray,
    target: float,
    as_of_index: int,
    direction: str = "up",
    start_value: float | None = None,
) -> Pace:
    """Pacing of a level (followers): the last value, a straight path from the start value to
    the target, and a projection by the Theil–Sen slope over the last 28 days with its interval.
    """
    v = np.array(values, dtype=float)
    days = len(v)
    seen = v[: as_of_index + 1]
    obs = np.flatnonzero(~np.isnan(seen))
    if len(obs) == 0:
        nan = float("nan")
        return Pace(nan, nan, nan, nan, nan, nan, nan, 0, -1, as_of_index + 1)
    last = int(obs[-1])
    actual = float(seen[last])
    start = float(seen[obs[0]]) if start_value is None or np.isnan(start_value) else start_value
    expected = start + (target - start) * (as_of_index + 1) / days
    window = obs[obs > as_of_index - LEVEL_WINDOW_DAYS]
    horizon = days - 1 - last
    if len(window) >= 5 and np.ptp(window) > 0:
        slope, intercept, lo, hi = theil_sen(window.astype(float), seen[window])
        residuals = seen[window] - (intercept + slope * window)
        noise = 1.4826 * float(np.median(np.abs(residuals - np.median(residuals))))
        # From the robust line, not the last value: one glitchy day does not move the end.
        projected = intercept + slope * (days - 1)
        slope_sd = (hi - lo) / (2 * INTERVAL_Z)
        sd = float(np.hypot(slope_sd * horizon, noise))
    else:
        slope, projected = 0.0, actual
        sd = abs(target - start) * 0.25 * horizon / days
    low, high = projected - INTERVAL_Z * sd, projected + INTERVAL_Z * sd
    probability = float(
        _reach_probability(np.array([projected]), np.array([sd]), target, direction)[0]
    )
    required = (target - actual) / horizon if horizon > 0 else float("nan")
    return Pace(
        actual=actual,
        expected_to_date=float(expected),
        projected=float(projected),
        projected_low=float(low),
        projected_high=float(high),
        required_per_day=float(required),
        probability=probability,
        observed_days=len(obs),
        last_data_index=last,
        stale_days=as_of_index - last,
    )


def theil_sen(t: FloatArray, v: FloatArray) -> tuple[float, float, float, float]:
    """Theil–Sen line: (slope, intercept, slope_low, slope_high) with Sen's 90% interval."""
    i, j = np.triu_indices(len(t), k=1)
    dt = t[j] - t[i]
    keep = dt != 0
    slopes = np.sort((v[j] - v[i])[keep] / dt[keep])
    slope = float(np.median(slopes))
    intercept = float(np.median(v - slope * t))
    n, pairs = len(t), len(slopes)
    c = INTERVAL_Z * np.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    lo_i = int(np.clip(np.round((pairs - c) / 2) - 1, 0, pairs - 1))
    hi_i = int(np.clip(np.round((pairs + c) / 2), 0, pairs - 1))
    return slope, intercept, float(slopes[lo_i]), float(slopes[hi_i])
