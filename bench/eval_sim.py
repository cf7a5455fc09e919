"""Simulated quarters for `make eval`, one generator per KPI kind, with known outcomes.

Every quarter has 16 weeks of history and 91 days of period, a weekly pattern, lognormal noise
with autocorrelated days, viral days and missing days (5%, plus a block of several days in the
`missing_days` family). Scenario families per kind:
- sum (views, leads): steady, slow decline, sudden drop, late recovery, viral spikes (a quarter
  carried by a few huge days), missing days (long gaps);
- level (followers): steady growth, stall, unfollow wave, late acceleration;
- ratio (engagement rate): steady, rate drop, denominator surge (boosted impressions that
  engage less);
- lower-is-better (CPA): steady, cost creep, conversion-tracking drop.
The target is set as a marketer sets it: the pre-period pace times a planned change. The outcome
is the true end value against the target (score ≥ 1 good; lower-is-better: target / value).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DAYS = 91
HISTORY = 112
WEEK = np.array([0.6, 0.7, 0.6, 0.5, 0.3, -1.2, -1.5]) / 1.5

FAMILIES = {
    "sum": (
        "steady",
        "slow_decline",
        "sudden_drop",
        "late_recovery",
        "viral_spikes",
        "missing_days",
    ),
    "level": ("steady", "stall", "unfollow_wave", "late_acceleration"),
    "ratio": ("steady", "rate_drop", "denominator_surge"),
    "lower": ("steady", "cost_creep", "tracking_drop"),
}
SHARES = {
    "sum": (0.35, 0.15, 0.15, 0.10, 0.10, 0.15),
    "level": (0.45, 0.2, 0.15, 0.2),
    "ratio": (0.5, 0.25, 0.25),
    "lower": (0.5, 0.25, 0.25),
}


@dataclass
class Quarters:
    """Simulated quarters of one KPI kind: loaded arrays (NaN missing) and true outcomes."""

    kind: str
    family: np.ndarray  # index into FAMILIES[kind]
    weekday: np.ndarray  # quarters × (HISTORY + DAYS)
    value: np.ndarray  # sum: the daily value; level: the level; ratio/lower: numerator
    denominator: np.ndarray | None  # ratio: impressions; lower: conversions (CPA = spend / conv)
    target: np.ndarray
    score: np.ndarray  # end value / target (lower is better: target / end value)
    start_value: np.ndarray | None = None  # level: the value the period starts from


def _noise(rng: np.random.Generator, n: int, total: int) -> np.ndarray:
    sigma = rng.uniform(0.15, 0.35, n)[:, None]
    phi = rng.uniform(0.0, 0.4, n)[:, None]
    shocks = rng.normal(0, 1, (n, total)) * sigma * np.sqrt(1 - phi**2)
    noise = np.empty((n, total))
    noise[:, 0] = shocks[:, 0] / np.sqrt(1 - phi[:, 0] ** 2)
    for k in range(1, total):
        noise[:, k] = phi[:, 0] * noise[:, k - 1] + shocks[:, k]
    return np.exp(noise - sigma**2 / 2)


def _weekly(rng: np.random.Generator, n: int, total: int) -> tuple[np.ndarray, np.ndarray]:
    weekday = (rng.integers(0, 7, n)[:, None] + np.arange(total)[None, :]) % 7
    amplitude = rng.uniform(0.1, 0.6, n)[:, None]
    pattern = 1 + amplitude * WEEK[None, :]
    return weekday, np.take_along_axis(pattern, weekday, axis=1)


def _missing(rng: np.random.Generator, n: int, total: int, long_gaps: np.ndarray) -> np.ndarray:
    """True where a day was not loaded: 5% scattered, plus a 4–10 day block in some quarters."""
    gone = rng.random((n, total)) < 0.05
    start = rng.integers(HISTORY + 14, HISTORY + DAYS - 12, n)
    length = rng.integers(4, 11, n)
    t = np.arange(total)[None, :]
    block = (t >= start[:, None]) & (t < (start + length)[:, None]) & long_gaps[:, None]
    return gone | block


def _path(rng: np.random.Generator, family: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The multiplier on the pre-period level for each period day, by scenario."""
    n = len(family)
    t = np.arange(DAYS)[None, :]
    mult = np.ones((n, DAYS)) * rng.uniform(0.85, 1.2, n)[:, None]

    def who(name: str) -> np.ndarray:
        return (family == names.index(name))[:, None] if name in names else np.zeros((n, 1), bool)

    floor = rng.uniform(0.5, 0.85, n)[:, None]
    mult = np.where(who("slow_decline"), 1 - (1 - floor) * t / (DAYS - 1), mult)
    drop_day = rng.integers(10, 70, n)[:, None]
    drop_to = rng.uniform(0.5, 0.8, n)[:, None]
    mult = np.where(who("sudden_drop") & (t >= drop_day), drop_to, mult)
    mult = np.where(who("sudden_drop") & (t < drop_day), 1.0, mult)
    back_day = drop_day + rng.integers(15, 40, n)[:, None]
    back_to = rng.uniform(1.1, 1.6, n)[:, None]
    late = np.where(t >= drop_day, np.where(t >= back_day, back_to, drop_to), 1.0)
    mult = np.where(who("late_recovery"), late, mult)
    return mult


def simulate_sum(quarters: int, seed: int) -> Quarters:
    rng = np.random.default_rng(seed)
    names = FAMILIES["sum"]
    n, total = quarters, HISTORY + DAYS
    family = rng.choice(len(names), size=n, p=SHARES["sum"])
    mult = np.concatenate([np.ones((n, HISTORY)), _path(rng, family, names)], axis=1)
    weekday, week = _weekly(rng, n, total)
    level = rng.lognormal(np.log(2000), 1.0, n)[:, None]
    true = level * week * mult * _noise(rng, n, total)
    viral_rate = np.where(family == names.index("viral_spikes"), 0.08, 0.03)[:, None]
    viral = rng.random((n, total)) < viral_rate
    true = np.where(viral, true * rng.uniform(3, 10, (n, total)), true)
    # Viral-spike quarters run under their usual pace on ordinary days: the spikes decide.
    viral_q = (family == names.index("viral_spikes"))[:, None]
    period = np.arange(total)[None, :] >= HISTORY
    true = np.where(viral_q & period & ~viral, true * 0.8, true)
    true = np.round(true)
    gone = _missing(rng, n, total, family == names.index("missing_days"))
    loaded = np.where(gone, np.nan, true)
    planned = rng.uniform(0.85, 1.2, n)
    target = np.round(np.nanmean(loaded[:, :HISTORY], axis=1) * DAYS * planned, -1)
    score = true[:, HISTORY:].sum(axis=1) / target
    return Quarters("sum", family, weekday, loaded, None, target, score)


def simulate_level(quarters: int, seed: int) -> Quarters:
    """Followers: a level whose daily net change is noisy growth with the scenario's shape."""
    rng = np.random.default_rng(seed)
    names = FAMILIES["level"]
    n, total = quarters, HISTORY + DAYS
    family = rng.choice(len(names), size=n, p=SHARES["level"])
    weekday, week = _weekly(rng, n, total)
    growth = rng.lognormal(np.log(20), 0.8, n)[:, None]  # net new followers per day
    t = np.arange(DAYS)[None, :]
    mult = np.ones((n, DAYS)) * rng.uniform(0.8, 1.25, n)[:, None]
    change_day = rng.integers(10, 70, n)[:, None]
    stall_to = rng.uniform(0.0, 0.4, n)[:, None]
    mult = np.where((family == 1)[:, None] & (t >= change_day), stall_to, mult)
    mult = np.where((family == 1)[:, None] & (t < change_day), 1.0, mult)
    speed = rng.uniform(1.5, 2.5, n)[:, None]
    late_day = rng.integers(55, 75, n)[:, None]
    mult = np.where((family == 3)[:, None] & (t >= late_day), speed, mult)
    mult = np.where(
        (family == 3)[:, None] & (t < late_day), rng.uniform(0.6, 0.9, n)[:, None], mult
    )
    mult = np.concatenate([np.ones((n, HISTORY)), mult], axis=1)
    net = growth * week * mult * _noise(rng, n, total) + rng.normal(0, 1, (n, total)) * growth * 0.3
    # Unfollow wave: 3–7 days losing 5–20 days' worth of growth each.
    wave_day = HISTORY + rng.integers(15, 70, n)
    wave_len = rng.integers(3, 8, n)
    wave_size = rng.uniform(5, 20, n)
    tt = np.arange(total)[None, :]
    in_wave = (
        (family == 2)[:, None] & (tt >= wave_day[:, None]) & (tt < (wave_day + wave_len)[:, None])
    )
    net = np.where(in_wave, -growth * wave_size[:, None] / wave_len[:, None], net)
    start = rng.lognormal(np.log(5000), 0.8, n)
    level = np.round(start[:, None] + np.cumsum(net, axis=1))
    gone = _missing(rng, n, total, np.zeros(n, bool))
    loaded = np.where(gone, np.nan, level)
    period_start = level[:, HISTORY - 1]
    hist_growth = (level[:, HISTORY - 1] - level[:, 0]) / (HISTORY - 1)
    target = np.round(period_start + hist_growth * DAYS * rng.uniform(0.85, 1.25, n))
    gained, needed = level[:, -1] - period_start, target - period_start
    score = np.where(needed > 0, gained / np.where(needed > 0, needed, 1), 1.0)
    return Quarters("level", family, weekday, loaded, None, target, score, period_start)


def simulate_ratio(quarters: int, seed: int) -> Quarters:
    """Engagement rate = engagements / impressions, ratio of sums."""
    rng = np.random.default_rng(seed)
    names = FAMILIES["ratio"]
    n, total = quarters, HISTORY + DAYS
    family = rng.choice(len(names), size=n, p=SHARES["ratio"])
    weekday, week = _weekly(rng, n, total)
    t = np.arange(total)[None, :]
    impressions = rng.lognormal(np.log(3000), 0.8, n)[:, None] * week * _noise(rng, n, total)
    base_rate = rng.uniform(0.02, 0.06, n)[:, None]
    rate = base_rate * np.where(t >= HISTORY, rng.uniform(0.9, 1.15, n)[:, None], 1.0)
    change = HISTORY + rng.integers(10, 70, n)[:, None]
    rate = np.where(
        (family == 1)[:, None] & (t >= change), base_rate * rng.uniform(0.6, 0.85, n)[:, None], rate
    )
    rate = np.where((family == 1)[:, None] & (t >= HISTORY) & (t < change), base_rate, rate)
    # A boost: extra impressions (×1.5–4) from a paid push that engage at a quarter of the rate.
    surge = (family == 2)[:, None] & (t >= change) & (t < change + rng.integers(7, 30, n)[:, None])
    extra = np.where(surge, impressions * rng.uniform(0.5, 3.0, n)[:, None], 0.0)
    engagements = rng.poisson(
        (impressions * rate + extra * rate * 0.25) * _noise(rng, n, total) ** 0.5
    ).astype(float)
    impressions = np.round(impressions + extra)
    gone = _missing(rng, n, total, np.zeros(n, bool))
    num, den = np.where(gone, np.nan, engagements), np.where(gone, np.nan, impressions)
    history_rate = np.nansum(num[:, :HISTORY], axis=1) / np.nansum(den[:, :HISTORY], axis=1)
    target = history_rate * rng.uniform(0.85, 1.15, n)
    final = engagements[:, HISTORY:].sum(axis=1) / impressions[:, HISTORY:].sum(axis=1)
    return Quarters("ratio", family, weekday, num, den, target, final / target)


def simulate_lower(quarters: int, seed: int) -> Quarters:
    """CPA = spend / conversions, lower is better (value: spend; denominator: conversions)."""
    rng = np.random.default_rng(seed)
    names = FAMILIES["lower"]
    n, total = quarters, HISTORY + DAYS
    family = rng.choice(len(names), size=n, p=SHARES["lower"])
    weekday, week = _weekly(rng, n, total)
    t = np.arange(total)[None, :]
    spend = rng.lognormal(np.log(150), 0.7, n)[:, None] * week * _noise(rng, n, total) ** 0.5
    cpa = rng.uniform(10, 40, n)[:, None] * np.where(
        t >= HISTORY, rng.uniform(0.85, 1.15, n)[:, None], 1.0
    )
    creep = rng.uniform(1.15, 1.6, n)[:, None]
    ramp = 1 + (creep - 1) * np.clip((t - HISTORY) / DAYS, 0, 1)
    cpa = np.where((family == 1)[:, None], cpa * ramp, cpa)
    drop = HISTORY + rng.integers(10, 70, n)[:, None]
    tracked = np.where((family == 2)[:, None] & (t >= drop), rng.uniform(0.3, 0.7, n)[:, None], 1.0)
    conversions = rng.poisson(spend / cpa * tracked).astype(float)
    spend = np.round(spend, 2)
    gone = _missing(rng, n, total, np.zeros(n, bool))
    num, den = np.where(gone, np.nan, spend), np.where(gone, np.nan, conversions)
    history_cpa = np.nansum(num[:, :HISTORY], axis=1) / np.nansum(den[:, :HISTORY], axis=1)
    target = np.round(history_cpa * rng.uniform(0.85, 1.2, n), 2)
    final = spend[:, HISTORY:].sum(axis=1) / np.maximum(conversions[:, HISTORY:].sum(axis=1), 1)
    return Quarters("lower", family, weekday, num, den, target, target / final)


SIMULATORS = {
    "sum": simulate_sum,
    "level": simulate_level,
    "ratio": simulate_ratio,
    "lower": simulate_lower,
}
