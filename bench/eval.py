"""`make eval`: how early and how falsely does `status` flag a quarter, for every KPI kind?

Simulated quarters with known outcomes (bench/eval_sim.py: sum, level, ratio and lower-is-better
KPIs, each with its scenario families) are judged at every day by the real status rules and by
plain linear pacing (bench/eval_judge.py). Printed per kind, for both: quarters ending < 90% of
target flagged at risk or off track by day 63 of 91 (aim ≥ 95%) and the median day of the first
flag (aim ≤ 20); quarters ending ≥ 105% ever off track (aim ≤ 5%) and ever flagged at all (aim
≤ 10%); per scenario family; then calibration of the probability (Brier score and a reliability
table) and the crisis alarm (detection delay, false alarms per quarter).

The rules' thresholds were tuned on quarters from TUNING_SEED (`python -m bench.eval --tune`);
the figures reported come from REPORT_SEED, quarters the tuning never saw.

Run: `make eval`, or `python -m bench.eval [--tune] [--quick]` (--quick: a tenth as many).
"""

from __future__ import annotations

import itertools
import sys
import time

import numpy as np

from bench.eval_crisis import crisis_figures
from bench.eval_judge import judge, judge_linear
from bench.eval_sim import DAYS, FAMILIES, SIMULATORS
from sostac_control.engine.status_rules import too_early_days

TUNING_SEED = 11
REPORT_SEED = 2026
QUARTERS = {"sum": 3000, "level": 800, "ratio": 500, "lower": 300}
BY_DAY = 63  # "flagged before their last 4 weeks"
BUCKETS = (0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0001)
FLAGS = ("at_risk", "off_track")
KIND_LABEL = {
    "sum": "sum KPIs (views, leads)",
    "level": "level KPIs (followers)",
    "ratio": "ratio KPIs (engagement rate)",
    "lower": "lower-is-better KPIs (CPA)",
}


def figures(statuses: np.ndarray, score: np.ndarray) -> dict[str, float]:
    """The issue's figures from a quarters × days array of statuses."""
    off = statuses == "off_track"
    flagged = np.isin(statuses, FLAGS)
    good, bad = score >= 1.05, score < 0.90
    first = np.where(flagged.any(axis=1), flagged.argmax(axis=1) + 1, np.nan)
    return {
        "good": float(good.sum()),
        "bad": float(bad.sum()),
        "bad_flagged_early": float(flagged[bad][:, :BY_DAY].any(axis=1).mean())
        if bad.any()
        else np.nan,
        "bad_first_flag_median": float(np.nanmedian(first[bad])) if bad.any() else np.nan,
        "good_ever_off": float(off[good].any(axis=1).mean()) if good.any() else np.nan,
        "good_ever_flagged": float(flagged[good].any(axis=1).mean()) if good.any() else np.nan,
    }


ROWS = (
    ("ending < 90%: flagged by day 63", "bad_flagged_early", "pct", "≥ 95%"),
    ("ending < 90%: median day of first flag", "bad_first_flag_median", "day", "≤ 20"),
    ("ending ≥ 105%: ever off track", "good_ever_off", "pct", "≤ 5%"),
    ("ending ≥ 105%: ever flagged", "good_ever_flagged", "pct", "≤ 10%"),
)


def _cell(value: float, unit: str) -> str:
    if not np.isfinite(value):
        return "—"
    return f"{value * 100:.1f}%" if unit == "pct" else f"{value:.0f}"


def calibration(
    probability: np.ndarray, hit: np.ndarray
) -> tuple[float, list[tuple[str, int, float, float]]]:
    """(Brier score, reliability rows) over judged days (day 14 to 90) of every quarter."""
    judged = np.zeros_like(probability, dtype=bool)
    judged[:, too_early_days(DAYS) - 1 : DAYS - 1] = True
    judged &= np.isfinite(probability)
    outcome = np.broadcast_to(hit[:, None], probability.shape)
    p, h = probability[judged], outcome[judged].astype(float)
    brier = float(np.mean((p - h) ** 2))
    rows = []
    for lo, hi in itertools.pairwise(BUCKETS):
        mask = (p >= lo) & (p < hi)
        if mask.any():
            rows.append(
                (
                    f"[{lo:.2f}, {min(hi, 1):.2f})",
                    int(mask.sum()),
                    float(p[mask].mean()),
                    float(h[mask].mean()),
                )
            )
    return brier, rows


def evaluate_kind(kind: str, quarters: int, seed: int) -> None:
    """Judge `quarters` simulated quarters of one kind and print its block of figures."""
    q = SIMULATORS[kind](quarters, seed)
    ours = np.empty((quarters, DAYS), dtype=object)
    linear = np.empty((quarters, DAYS), dtype=object)
    probability = np.empty((quarters, DAYS))
    for i in range(quarters):
        statuses, p, _ = judge(q, i)
        ours[i], probability[i] = statuses, p
        linear[i] = judge_linear(q, i)
    ours_s, linear_s = ours.astype(str), linear.astype(str)
    a, b = figures(ours_s, q.score), figures(linear_s, q.score)
    names = FAMILIES[kind]
    print(
        f"-- {KIND_LABEL[kind]}: {quarters:,} quarters; {int(a['good']):,} ended ≥ 105%, "
        f"{int(a['bad']):,} ended < 90% --"
    )
    print(
        "   families: "
        + ", ".join(f"{n} {int((q.family == k).sum())}" for k, n in enumerate(names))
    )
    print(f"   {'':44} {'status':>8} {'linear':>8}   aim")
    for label, key, unit, aim in ROWS:
        print(f"   {label:44} {_cell(a[key], unit):>8} {_cell(b[key], unit):>8}   {aim}")
    print("   by family (status / linear): misses flagged by day 63 | good ever flagged")
    for k, name in enumerate(names):
        m = q.family == k
        fa, fb = figures(ours_s[m], q.score[m]), figures(linear_s[m], q.score[m])
        misses = f"{_cell(fa['bad_flagged_early'], 'pct'):>6} / "
        misses += f"{_cell(fb['bad_flagged_early'], 'pct'):>6} of {int(fa['bad']):>4}"
        good = f"{_cell(fa['good_ever_flagged'], 'pct'):>6} / "
        good += f"{_cell(fb['good_ever_flagged'], 'pct'):>6} of {int(fa['good']):>4}"
        print(f"     {name:<18} {misses} | {good}")
    brier, rows = calibration(probability, q.score >= 1.0)
    base = float(np.mean(q.score >= 1.0))
    print(
        f"   calibration: Brier {brier:.3f} (a constant {base * 100:.0f}% would score "
        f"{base * (1 - base):.3f}; linear pacing gives no probability)"
    )
    print(
        "     "
        + "; ".join(f"{r[0]} {r[2] * 100:.0f}%→{r[3] * 100:.0f}% (n={r[1]:,})" for r in rows)
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    tune = "--tune" in args
    scale = 0.1 if "--quick" in args else 1.0
    seed = TUNING_SEED if tune else REPORT_SEED
    started = time.perf_counter()
    print(
        f"== Status evaluation ({'tuning' if tune else 'report'} seed {seed}): simulated "
        f"quarters of {DAYS} days, judged every day by the status rules and by linear pacing =="
    )
    for kind, count in QUARTERS.items():
        evaluate_kind(kind, max(int(count * scale), 20), seed)
    crisis_figures(max(int(1000 * scale), 50), seed)
    print(f"(judged in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
