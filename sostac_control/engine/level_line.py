"""A level (followers) paced by a straight line: the Theil–Sen slope over the last 28 values.

The status rules pace a level by its daily net changes (level_pace.py); this line is the
projection of a level inside a ratio (engagements per follower, ratio_pace.py), and
`theil_sen` is the robust slope the suggested targets use too.
"""

from __future__ import annotations

import numpy as np

from sostac_control.engine import pacing

LEVEL_WINDOW_DAYS = 28  # Theil–Sen slope window for level metrics


def pace_level(
    values: pacing.FloatArray,
    target: float,
    as_of_index: int,
    direction: str = "up",
    start_value: float | None = None,
) -> pacing.Pace:
    """Pacing of a level (followers): the last value, a straight path from the start value to
    the target, and a projection by the Theil–Sen slope over the last 28 days with its interval.
    """
    v = np.array(values, dtype=float)
    days = len(v)
    seen = v[: as_of_index + 1]
    obs = np.flatnonzero(~np.isnan(seen))
    if len(obs) == 0:
        nan = float("nan")
        return pacing.Pace(nan, nan, nan, nan, nan, nan, nan, 0, -1, as_of_index + 1)
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
        slope_sd = (hi - lo) / (2 * pacing.INTERVAL_Z)
        sd = float(np.hypot(slope_sd * horizon, noise))
    else:
        slope, projected = 0.0, actual
        sd = abs(target - start) * 0.25 * horizon / days
    low, high = projected - pacing.INTERVAL_Z * sd, projected + pacing.INTERVAL_Z * sd
    probability = float(
        pacing.reach_probability(np.array([projected]), np.array([sd]), target, direction)[0]
    )
    required = (target - actual) / horizon if horizon > 0 else float("nan")
    return pacing.Pace(
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


def theil_sen(t: pacing.FloatArray, v: pacing.FloatArray) -> tuple[float, float, float, float]:
    """Theil–Sen line: (slope, intercept, slope_low, slope_high) with Sen's 90% interval."""
    i, j = np.triu_indices(len(t), k=1)
    dt = t[j] - t[i]
    keep = dt != 0
    slopes = np.sort((v[j] - v[i])[keep] / dt[keep])
    slope = float(np.median(slopes))
    intercept = float(np.median(v - slope * t))
    n, pairs = len(t), len(slopes)
    c = pacing.INTERVAL_Z * np.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    lo_i = int(np.clip(np.round((pairs - c) / 2) - 1, 0, pairs - 1))
    hi_i = int(np.clip(np.round((pairs + c) / 2), 0, pairs - 1))
    return slope, intercept, float(slopes[lo_i]), float(slopes[hi_i])
