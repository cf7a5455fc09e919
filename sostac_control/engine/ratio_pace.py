"""Ratio KPIs paced: a ratio of sums (engagement rate, cpc, roi) and a sum over a level.

The numerator and the denominator are projected separately, never the daily ratios averaged:
a ratio of sums by a day-pair bootstrap (observed days relative to their weekday weight,
resampled for the run rate and again for every remaining day), a sum over a level
(engagements per follower) by the sum's pace over the level's line with the delta method.
"""

from __future__ import annotations

import numpy as np

from sostac_control.engine import level_line, pacing

BOOTSTRAP_SAMPLES = 400


def pace_ratio(
    numerator: pacing.FloatArray,
    denominator: pacing.FloatArray,
    weights_numerator: pacing.FloatArray,
    weights_denominator: pacing.FloatArray,
    target: float,
    as_of_index: int,
    direction: str = "up",
    scale: float = 1.0,
    offset: float = 0.0,
    seed: int = 7,
) -> pacing.Pace:
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
        return pacing.Pace(nan, target, nan, nan, nan, nan, nan, 0, -1, stale)
    a_num, a_den = num[obs].sum(), den[obs].sum()

    def value(n: pacing.FloatArray | float, d: pacing.FloatArray | float) -> pacing.FloatArray:
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
    return pacing.Pace(
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
    numerator: pacing.FloatArray,
    level: pacing.FloatArray,
    weights: pacing.FloatArray,
    target: float,
    as_of_index: int,
    direction: str = "up",
    scale: float = 1.0,
    history: pacing.FloatArray | None = None,
    start_value: float | None = None,
) -> pacing.Pace:
    """A sum over a level at the period's end (engagements per follower): the numerator
    projected as a sum, the level by its robust slope, the interval by the delta method."""
    num = pacing.pace_sum(numerator, weights, target, as_of_index, "up", history)
    den = level_line.pace_level(level, target, as_of_index, "up", start_value)
    if num.observed_days == 0 or den.observed_days == 0 or den.projected <= 0:
        nan = float("nan")
        return pacing.Pace(nan, target, nan, nan, nan, nan, nan, 0, -1, as_of_index + 1)
    projected = scale * num.projected / den.projected
    sd_num = (num.projected_high - num.projected_low) / (2 * pacing.INTERVAL_Z)
    sd_den = (den.projected_high - den.projected_low) / (2 * pacing.INTERVAL_Z)
    sd = abs(projected) * float(np.hypot(sd_num / num.projected, sd_den / den.projected))
    probability = float(
        pacing.reach_probability(np.array([projected]), np.array([sd]), target, direction)[0]
    )
    remaining = len(numerator) - 1 - as_of_index
    required = (
        (target / scale * den.projected - num.actual) / remaining if remaining > 0 else float("nan")
    )
    return pacing.Pace(
        actual=scale * num.actual / den.actual,
        expected_to_date=num.expected_to_date,  # the target pro rata: the sum is still growing
        projected=projected,
        projected_low=projected - pacing.INTERVAL_Z * sd,
        projected_high=projected + pacing.INTERVAL_Z * sd,
        required_per_day=float(required),
        probability=probability,
        observed_days=num.observed_days,
        last_data_index=num.last_data_index,
        stale_days=num.stale_days,
    )
