"""Recent pace: where a KPI ends if the days to come run like the last weeks, not the whole
period so far.

The run rate in pacing.py averages every day of the period so far, so a slow decline or a drop
that began three weeks ago weighs only partly in the projection. The status rules also ask what
the recent pace says: since the day the drift alarm names as the start of a change when it is
on, else over the last four weeks. Both are projections of the same kind as pacing's (loaded so
far, missing days imputed, plus a rate times the weekday weights still to come), and the size of
a drift ("pace fell 30%") is the recent rate against the rate before the change.
"""

from __future__ import annotations

import numpy as np

from sostac_control.engine import pacing

RECENT_DAYS = 28
MIN_RECENT_DAYS = 5  # fewer observed days since a change than this: no recent projection yet


def _window_starts(days: int, alarm: np.ndarray | None, began: np.ndarray | None) -> np.ndarray:
    """First index of each day's recent window: the drift's start when on, else 4 weeks back."""
    starts = np.maximum(np.arange(days) - (RECENT_DAYS - 1), 0)
    if alarm is not None and began is not None:
        starts = np.where(alarm & (began >= 0), began, starts)
    return starts


def sum_recent(
    values: np.ndarray,
    weights: np.ndarray,
    actual_imputed: np.ndarray,
    history: np.ndarray | None = None,
    history_weights: np.ndarray | None = None,
    alarm: np.ndarray | None = None,
    began: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(projected at the recent pace, recent rate / earlier rate − 1) for every day of a sum.

    `actual_imputed` is pacing's loaded-so-far with missing days filled. NaN where the window
    has fewer than MIN_RECENT_DAYS observed days (or, for the change, no earlier days).
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    days = len(x)
    obs = ~np.isnan(x)
    cap, uplift = pacing._spike_cap(pacing._history_y(history, history_weights))
    y = np.where(obs, np.minimum(np.where(obs, x, 0.0) / w, cap), 0.0)
    cy = np.concatenate([[0.0], np.cumsum(y)])
    cn = np.concatenate([[0], np.cumsum(obs)])
    starts = _window_starts(days, alarm, began)
    ends = np.arange(days) + 1
    n_recent = cn[ends] - cn[starts]
    n_before = cn[starts]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (cy[ends] - cy[starts]) / n_recent * uplift
        earlier = cy[starts] / n_before * uplift
    w_future = np.sum(w) - np.cumsum(w)
    projected = np.where(n_recent >= MIN_RECENT_DAYS, actual_imputed + rate * w_future, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(
            (n_recent >= MIN_RECENT_DAYS) & (n_before > 0), rate / earlier - 1, np.nan
        )
    return projected, change


def ratio_recent(
    numerator: np.ndarray,
    denominator: np.ndarray,
    index: int,
    scale: float = 1.0,
    offset: float = 0.0,
    start: int | None = None,
) -> tuple[float, float]:
    """(projected ratio at the recent pace, recent ratio / earlier ratio − 1) after day `index`.

    The days from `start` (default: four weeks back) are the recent pace of numerator and
    denominator alike; the remaining days are assumed to come in at those sums' mean per day.
    """
    num = np.asarray(numerator, dtype=float)[: index + 1]
    den = np.asarray(denominator, dtype=float)[: index + 1]
    days = len(numerator)
    first = max(0, index - RECENT_DAYS + 1) if start is None else max(0, start)
    obs = ~np.isnan(num) & ~np.isnan(den)
    recent = obs & (np.arange(index + 1) >= first)
    if recent.sum() < MIN_RECENT_DAYS or den[obs].sum() <= 0:
        return float("nan"), float("nan")
    per_day_num = num[recent].mean()
    per_day_den = den[recent].mean()
    # Missing days so far and the days still to come, both at the recent pace.
    fill = (index + 1 - obs.sum()) + (days - index - 1)
    total_den = den[obs].sum() + per_day_den * fill
    if total_den <= 0:
        return float("nan"), float("nan")
    projected = scale * (num[obs].sum() + per_day_num * fill) / total_den + offset
    earlier = obs & (np.arange(index + 1) < first)
    change = float("nan")
    if earlier.any() and den[earlier].sum() > 0 and den[recent].sum() > 0:
        before = num[earlier].sum() / den[earlier].sum()
        now = num[recent].sum() / den[recent].sum()
        change = now / before - 1 if before else float("nan")
    return float(projected), float(change)


def level_recent(values: np.ndarray, index: int, start: int | None = None) -> tuple[float, float]:
    """(projected level at the recent pace, recent daily change / earlier daily change − 1).

    The recent pace is the mean daily change from `start` (default four weeks back) to the last
    value; the level ends at its last value plus that change for every day still to come.
    """
    v = np.asarray(values, dtype=float)[: index + 1]
    days = len(values)
    first = max(0, index - RECENT_DAYS + 1) if start is None else max(0, start)
    seen = np.flatnonzero(~np.isnan(v))
    recent = seen[seen >= first]
    if len(recent) < MIN_RECENT_DAYS or recent[-1] == recent[0]:
        return float("nan"), float("nan")
    per_day = (v[recent[-1]] - v[recent[0]]) / (recent[-1] - recent[0])
    projected = v[recent[-1]] + per_day * (days - 1 - recent[-1])
    change = float("nan")
    before = seen[seen <= first]
    if len(before) >= 2 and before[-1] > before[0]:
        earlier = (v[before[-1]] - v[before[0]]) / (before[-1] - before[0])
        if earlier > 0:
            change = per_day / earlier - 1
    return float(projected), float(change)
