"""`make eval`: how early and how falsely does `status` flag a quarter? Simulated, known outcomes.

Simulates many quarters (91 days, 16 weeks of history before each) of realistic daily social
series: a weekly pattern, lognormal noise with autocorrelated days, viral spikes, missing days,
and a scenario (steady, slow shortfall, sudden drop, late recovery, growth). The outcome of a
quarter is its true total against its target (missing days happened; they were only not
loaded). At every day the REAL status logic runs on what had been loaded by then
(pacing.dow_weights → pacing.sum_path → drift.drift_path → status.apply_rules, as
evaluate_plan does for a sum KPI), and so does plain linear pacing with fixed cut-offs.

Run: `make eval` or `python -m bench.eval [QUARTERS]`; also part of `make bench`.
"""

from __future__ import annotations

import itertools
import sys
import time

import numpy as np

from sostac_control.engine import pacing
from sostac_control.engine.drift import drift_path
from sostac_control.engine.status import apply_rules, too_early_days

DAYS = 91
HISTORY = 112
LAST_WEEKS_FROM = DAYS - 28  # "flagged before their last 4 weeks": by day 63
SCENARIOS = ("steady", "slow_shortfall", "sudden_drop", "late_recovery", "growth")
# How often each happens: most quarters run steady at some level; the rest drift or change.
SCENARIO_SHARE = (0.40, 0.15, 0.15, 0.10, 0.20)
BUCKETS = (0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0001)
FLAGS = ("at_risk", "off_track")


def simulate(quarters: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """Daily series for `quarters` quarters (history + period), vectorised over quarters."""
    rng = np.random.default_rng(seed)
    n, total = quarters, HISTORY + DAYS
    scenario = rng.choice(len(SCENARIOS), size=n, p=SCENARIO_SHARE)
    t = np.arange(DAYS)[None, :]
    mult = np.ones((n, DAYS))
    g = rng.uniform(0.85, 1.2, n)[:, None]
    mult = np.where((scenario == 0)[:, None], g, mult)
    floor = rng.uniform(0.5, 0.85, n)[:, None]
    mult = np.where((scenario == 1)[:, None], 1 - (1 - floor) * t / (DAYS - 1), mult)
    drop_day = rng.integers(10, 70, n)[:, None]
    drop_to = rng.uniform(0.5, 0.8, n)[:, None]
    mult = np.where((scenario == 2)[:, None] & (t >= drop_day), drop_to, mult)
    back_day = rng.integers(50, 80, n)[:, None]
    back_to = rng.uniform(1.1, 1.5, n)[:, None]
    late = np.where(t >= drop_day, np.where(t >= back_day, back_to, drop_to), 1.0)
    mult = np.where((scenario == 3)[:, None] & (drop_day < back_day), late, mult)
    top = rng.uniform(1.05, 1.4, n)[:, None]
    mult = np.where((scenario == 4)[:, None], 1 + (top - 1) * t / (DAYS - 1), mult)
    mult = np.concatenate([np.ones((n, HISTORY)), mult], axis=1)

    start_weekday = rng.integers(0, 7, n)
    weekday = (start_weekday[:, None] + np.arange(total)[None, :]) % 7
    amplitude = rng.uniform(0.1, 0.6, n)[:, None]
    pattern = 1 + amplitude * np.array([0.6, 0.7, 0.6, 0.5, 0.3, -1.2, -1.5])[None, :] / 1.5
    week = np.take_along_axis(pattern, weekday, axis=1)
    sigma = rng.uniform(0.15, 0.35, n)[:, None]
    phi = rng.uniform(0.0, 0.4, n)[:, None]
    shocks = rng.normal(0, 1, (n, total)) * sigma * np.sqrt(1 - phi**2)
    noise = np.empty((n, total))
    noise[:, 0] = shocks[:, 0] / np.sqrt(1 - phi[:, 0] ** 2)
    for k in range(1, total):
        noise[:, k] = phi[:, 0] * noise[:, k - 1] + shocks[:, k]
    level = rng.lognormal(np.log(2000), 1.0, n)[:, None]
    true = level * week * mult * np.exp(noise - sigma**2 / 2)
    viral = rng.random((n, total)) < 0.03
    true = np.where(viral, true * rng.uniform(3, 10, (n, total)), true)
    true = np.round(true)
    loaded = np.where(rng.random((n, total)) < 0.05, np.nan, true)
    # The plan's target: the pre-period run rate times a planned change, as a marketer sets it.
    planned = rng.uniform(0.85, 1.2, n)
    baseline_rate = np.nanmean(loaded[:, :HISTORY], axis=1)
    target = np.round(baseline_rate * DAYS * planned, -1)
    outcome = true[:, HISTORY:].sum(axis=1) / target
    return {
        "loaded": loaded,
        "weekday": weekday,
        "target": target,
        "outcome": outcome,
        "scenario": scenario,
        "steady_level": g[:, 0],
        "drop_day": drop_day[:, 0],
        "drop_to": drop_to[:, 0],
    }


def judge(
    loaded: np.ndarray, weekday: np.ndarray, target: float
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Status, probability, drift alarm and the day each drift began, at every day of one
    quarter, as evaluate_plan computes them for a sum KPI."""
    hist, per = loaded[:HISTORY], loaded[HISTORY:]
    wd_hist, wd = weekday[:HISTORY], weekday[HISTORY:]
    weights = pacing.dow_weights(hist, wd_hist)
    path = pacing.sum_path(per, weights[wd], target, "up", hist, weights[wd_hist])
    drift = drift_path(hist, wd_hist, per, wd, "up")
    statuses = apply_rules(
        np.arange(1, DAYS + 1), DAYS, path.probability, path.projected, target, "up", drift.alarm
    )
    return statuses, path.probability, drift.alarm, drift.began


def judge_linear(loaded: np.ndarray, target: float) -> list[str]:
    """Plain linear pacing: loaded so far / (target × days passed / days), fixed cut-offs
    (≥ 0.95 on track, 0.85–0.95 at risk, < 0.85 off track), judged from day 14 as ours."""
    per = np.nan_to_num(loaded[HISTORY:])
    pace = np.cumsum(per) / (target * np.arange(1, DAYS + 1) / DAYS)
    early = too_early_days(DAYS)
    out = []
    for day, p in enumerate(pace, start=1):
        if day < early:
            out.append("too_early")
        elif p < 0.85:
            out.append("off_track")
        elif p < 0.95:
            out.append("at_risk")
        else:
            out.append("on_track")
    return out


def figures(statuses: np.ndarray, outcome: np.ndarray) -> dict[str, float]:
    """The issue's figures from a quarters × days array of statuses."""
    off = statuses == "off_track"
    flagged = np.isin(statuses, FLAGS)
    good, bad = outcome >= 1.05, outcome < 0.90
    first = np.where(flagged.any(axis=1), flagged.argmax(axis=1) + 1, np.nan)
    return {
        "good": float(good.sum()),
        "bad": float(bad.sum()),
        "good_ever_off": float(off[good].any(axis=1).mean()),
        "good_ever_flagged": float(flagged[good].any(axis=1).mean()),
        "bad_flagged_early": float(flagged[bad][:, :LAST_WEEKS_FROM].any(axis=1).mean()),
        "bad_off_early": float(off[bad][:, :LAST_WEEKS_FROM].any(axis=1).mean()),
        "bad_first_flag_median": float(np.nanmedian(first[bad])),
    }


def calibration(
    probability: np.ndarray, outcome: np.ndarray
) -> list[tuple[str, int, float, float]]:
    """Per probability bucket (judged days only): days, mean predicted, observed hit rate."""
    judged = np.zeros_like(probability, dtype=bool)
    judged[:, too_early_days(DAYS) - 1 : DAYS - 1] = True
    hit = np.broadcast_to((outcome >= 1.0)[:, None], probability.shape)
    rows = []
    for lo, hi in itertools.pairwise(BUCKETS):
        mask = judged & (probability >= lo) & (probability < hi)
        if mask.any():
            rows.append(
                (
                    f"[{lo:.2f}, {min(hi, 1):.2f})",
                    int(mask.sum()),
                    float(probability[mask].mean()),
                    float(hit[mask].mean()),
                )
            )
    return rows


def ratio_calibration(quarters: int = 300, seed: int = 7) -> None:
    """Calibration of the ratio probability (engagement rate: day-pair bootstrap), weekly."""
    rng = np.random.default_rng(seed)
    days = np.arange(DAYS)
    predicted, hits = [], []
    for _ in range(quarters):
        weekday = (rng.integers(0, 7) + days) % 7
        week = 1 + rng.uniform(0.1, 0.5) * np.array([0.6, 0.7, 0.6, 0.5, 0.3, -1.2, -1.5]) / 1.5
        impressions = rng.lognormal(np.log(3000), 0.8) * week[weekday] * rng.lognormal(0, 0.3, DAYS)
        base_rate = rng.uniform(0.02, 0.06)
        # Half the quarters change their engagement rate (0.6–1.2×) on some day.
        change = rng.uniform(0.6, 1.2) if rng.random() < 0.5 else 1.0
        rate = base_rate * np.where(days >= rng.integers(10, 90), change, 1.0)
        engagements = rng.poisson(impressions * rate * rng.lognormal(0, 0.25, DAYS)).astype(float)
        missing = rng.random(DAYS) < 0.05
        num = np.where(missing, np.nan, engagements)
        den = np.where(missing, np.nan, impressions)
        target = base_rate * rng.uniform(0.85, 1.15)  # planned from the rate before the period
        outcome = engagements.sum() / impressions.sum() >= target
        flat = np.ones(DAYS)
        for day in range(too_early_days(DAYS) - 1, DAYS - 1, 7):
            pace = pacing.pace_ratio(num, den, flat, flat, target, day)
            predicted.append(pace.probability)
            hits.append(outcome)
    p, h = np.array(predicted), np.array(hits)
    print(
        f"Ratio KPIs ({quarters} quarters of engagement rate, judged weekly): predicted vs observed"
    )
    cells = []
    for lo, hi in itertools.pairwise(BUCKETS):
        mask = (p >= lo) & (p < hi)
        if mask.any():
            cells.append(
                f"[{lo:.2f},{min(hi, 1):.2f}) {p[mask].mean() * 100:.0f}%→"
                f"{h[mask].mean() * 100:.0f}% (n={int(mask.sum())})"
            )
    print("   " + "; ".join(cells))


def main(quarters: int | None = None) -> None:
    if quarters is None:
        quarters = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 3000
    started = time.perf_counter()
    sim = simulate(quarters)
    ours = np.empty((quarters, DAYS), dtype=object)
    linear = np.empty((quarters, DAYS), dtype=object)
    probability = np.empty((quarters, DAYS))
    alarm = np.zeros((quarters, DAYS), dtype=bool)
    began = np.full((quarters, DAYS), -1)
    for q in range(quarters):
        statuses, p, drift, start = judge(
            sim["loaded"][q], sim["weekday"][q], float(sim["target"][q])
        )
        ours[q], probability[q], alarm[q], began[q] = statuses, p, drift, start
        linear[q] = judge_linear(sim["loaded"][q], float(sim["target"][q]))
    ours_s, linear_s = ours.astype(str), linear.astype(str)
    a, b = figures(ours_s, sim["outcome"]), figures(linear_s, sim["outcome"])
    elapsed = time.perf_counter() - started

    print(f"== Status evaluation: {quarters:,} simulated quarters of {DAYS} days ==")
    print(
        f"   {int(a['good']):,} ended ≥ 105% of target, {int(a['bad']):,} ended < 90%; "
        "scenarios "
        + ", ".join(
            f"{name} {int((sim['scenario'] == k).sum())}" for k, name in enumerate(SCENARIOS)
        )
    )
    print(f"{'':52} {'status':>10} {'linear':>10}   aim")
    rows = [
        ("ending ≥ 105%: ever flagged off_track", "good_ever_off", "pct", "≤ 5%"),
        ("ending ≥ 105%: ever flagged at_risk or off_track", "good_ever_flagged", "pct", ""),
        (
            "ending < 90%: flagged (at_risk/off_track) by day 63",
            "bad_flagged_early",
            "pct",
            "≥ 95%",
        ),
        ("ending < 90%: off_track by day 63", "bad_off_early", "pct", ""),
        ("ending < 90%: median day of first flag", "bad_first_flag_median", "day", "≤ 20"),
    ]
    for label, key, unit, aim in rows:
        fa, fb = a[key], b[key]
        text_a = f"{fa * 100:.1f}%" if unit == "pct" else f"{fa:.0f}"
        text_b = f"{fb * 100:.1f}%" if unit == "pct" else f"{fb:.0f}"
        print(f"{label:52} {text_a:>10} {text_b:>10}   {aim}")
    good = sim["outcome"] >= 1.05
    print("ending ≥ 105%, ever off_track, by scenario (status / linear):")
    for k, name in enumerate(SCENARIOS):
        m = good & (sim["scenario"] == k)
        if m.any():
            fa = (ours_s[m] == "off_track").any(axis=1).mean() * 100
            fb = (linear_s[m] == "off_track").any(axis=1).mean() * 100
            print(f"   {name:<16} {int(m.sum()):>5} quarters  {fa:5.1f}% / {fb:5.1f}%")
    steady = (sim["scenario"] == 0) & (sim["steady_level"] >= 0.97)  # no change to detect
    drops = (sim["scenario"] == 2) & (sim["drop_to"] <= 0.75) & (sim["drop_day"] <= 60)
    delays, dating = [], []
    for q in np.flatnonzero(drops):
        after = alarm[q, sim["drop_day"][q] :]
        if after.any():
            delays.append(int(np.argmax(after)))
            dating.append(abs(int(began[q, sim["drop_day"][q] + delays[-1]]) - sim["drop_day"][q]))
    false_alarms = alarm[steady].any(axis=1).mean() * 100
    caught = len(delays) / max(int(drops.sum()), 1) * 100
    median_delay = np.median(delays) if delays else float("nan")
    print(
        f"Drift alarm: on at some day in {false_alarms:.1f}% of {int(steady.sum())} steady "
        f"quarters without a drop; a sudden drop of ≥ 25% caught in {caught:.1f}% of "
        f"{int(drops.sum())} (median {median_delay:.0f} days after it); the day it names as "
        f"the start is a median {np.median(dating) if dating else float('nan'):.0f} days off"
    )
    ratio_calibration()
    print("Calibration of the probability (judged days, day 14 to 90):")
    print(f"   {'bucket':<14} {'days':>8} {'predicted':>10} {'observed':>10}")
    for bucket, count, predicted, observed in calibration(probability, sim["outcome"]):
        print(f"   {bucket:<14} {count:>8,} {predicted * 100:>9.1f}% {observed * 100:>9.1f}%")
    print(f"({quarters:,} quarters judged at every day in {elapsed:.1f} s)")


if __name__ == "__main__":
    main()
