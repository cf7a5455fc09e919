"""The crisis alarm on simulated quarters: how fast it sees a crisis, how often it cries wolf.

Each quarter has 16 weeks of baseline and 91 days of daily new followers (net: follows minus
unfollows), comments, reactions and impressions, with a weekly pattern, noise, viral days (all
of them jump together: a popular post, not a crisis) and missing days. Half the quarters get a
crisis on a random day: an unfollow wave (net new followers fall to −3 to −15 times a normal
day's gain for 2–5 days) or a pile-on (comments ×3–8 while reactions per impression fall to
40–70% for 2–4 days). crisis.crisis_path, the function the app runs, scores every day.
"""

from __future__ import annotations

import numpy as np

from bench.eval_sim import DAYS, HISTORY, WEEK
from sostac_control.engine.crisis import crisis_path


def crisis_figures(quarters: int, seed: int) -> None:
    rng = np.random.default_rng(seed + 1)
    total = HISTORY + DAYS
    delays: list[int] = []
    missed = 0
    caught_by = {"unfollow wave": [0, 0], "pile-on": [0, 0]}  # caught, of
    false_runs: list[int] = []
    for _ in range(quarters):
        weekday = (rng.integers(0, 7) + np.arange(total)) % 7
        week = 1 + rng.uniform(0.1, 0.5) * WEEK[weekday]
        noise = rng.lognormal(0, rng.uniform(0.15, 0.35), total)
        impressions = rng.lognormal(np.log(4000), 0.8) * week * noise
        viral = rng.random(total) < 0.03
        impressions = np.where(viral, impressions * rng.uniform(3, 10, total), impressions)
        reactions = rng.poisson(impressions * rng.uniform(0.01, 0.05)).astype(float)
        comments = rng.poisson(impressions * rng.uniform(0.001, 0.005)).astype(float)
        growth = rng.lognormal(np.log(15), 0.7)
        net = np.round(rng.normal(growth, growth * 0.6 + 2, total) * week)
        crisis = rng.random() < 0.5
        day = HISTORY + int(rng.integers(10, 80))
        kind = "unfollow wave"
        if crisis:
            if rng.random() < 0.5:
                length = int(rng.integers(2, 6))
                net[day : day + length] = -np.round(growth * rng.uniform(3, 15, length))
            else:
                kind = "pile-on"
                length = int(rng.integers(2, 5))
                comments[day : day + length] *= rng.uniform(3, 8)
                reactions[day : day + length] = np.round(
                    reactions[day : day + length] * rng.uniform(0.4, 0.7)
                )
        gone = rng.random(total) < 0.05
        for series in (net, comments, reactions, impressions):
            series[gone] = np.nan
        path = crisis_path(net, comments, reactions, impressions, HISTORY)
        alarm = path.alarm
        if crisis:
            k = day - HISTORY
            after = alarm[k : k + 7]
            caught_by[kind][1] += 1
            if after.any():
                delays.append(int(np.argmax(after)))
                caught_by[kind][0] += 1
            else:
                missed += 1
        else:
            starts = alarm & ~np.concatenate([[False], alarm[:-1]])
            false_runs.append(int(starts.sum()))
    crises = len(delays) + missed
    caught = len(delays) / max(crises, 1) * 100
    runs = np.array(false_runs)
    print(f"-- crisis alarm: {quarters:,} quarters, {crises} with a crisis --")
    print(
        f"   caught within 7 days: {caught:.1f}%; delay median {np.median(delays):.0f} days "
        f"(90th percentile {np.percentile(delays, 90):.0f}); false alarms per quiet quarter "
        f"{runs.mean():.3f} ({(runs > 0).mean() * 100:.1f}% of {len(runs)} quiet quarters "
        "have any)"
    )
    print(
        "   caught by kind: "
        + "; ".join(f"{k} {c / max(n, 1) * 100:.1f}% of {n}" for k, (c, n) in caught_by.items())
    )
