"""The status rules on plain arrays: too early, persistence, hysteresis, drift, mirroring."""

from __future__ import annotations

import numpy as np

from sostac_control.engine.status_rules import apply_rules, too_early_days, worst


def rules(
    probability,
    projected=None,
    target=100.0,
    direction="up",
    drift=None,
    start=20,
    period=91,
    recent=None,
):
    p = np.array(probability, dtype=float)
    proj = np.full(len(p), 80.0) if projected is None else np.array(projected, dtype=float)
    elapsed = np.arange(start, start + len(p))
    alarm = None if drift is None else np.array(drift, dtype=bool)
    near = None if recent is None else np.array(recent, dtype=float)
    return apply_rules(elapsed, period, p, proj, target, direction, alarm, near)


def test_too_early_lasts_fourteen_days_or_fifteen_percent_of_the_period():
    assert too_early_days(91) == 14
    assert too_early_days(30) == 14
    assert too_early_days(365) == 55
    out = rules([0.9] * 20, start=1)
    assert out[:13] == ["too_early"] * 13
    assert out[13] == "on_track"


def test_at_risk_needs_five_days_under_thirty_percent():
    out = rules([0.2] * 4 + [0.6] + [0.2] * 5)
    assert out == ["on_track"] * 9 + ["at_risk"]
    assert rules([0.35] * 6) == ["on_track"] * 6


def test_off_track_needs_seven_very_low_days_in_a_row():
    out = rules([0.02] * 6 + [0.6] + [0.02] * 7)
    assert out[4:7] == ["at_risk", "at_risk", "on_track"]
    assert out[-1] == "off_track" and "off_track" not in out[:-1]


def test_off_track_needs_the_projection_to_miss_by_more_than_five_percent():
    assert rules([0.02] * 8, projected=[96.0] * 8)[-1] == "at_risk"


def test_off_track_is_left_only_above_a_quarter_chance():
    out = rules([0.02] * 7 + [0.2, 0.24, 0.3, 0.6])
    assert out[6:9] == ["off_track"] * 3
    assert out[9:] == ["on_track", "on_track"]  # left as the chance passes 25%


def test_a_drift_alarm_raises_at_risk_when_the_pace_since_the_change_misses_the_target():
    out = rules([0.9] * 6, drift=[False] + [True] * 5, recent=[np.nan] + [95.0] * 5)
    assert out == ["on_track"] * 5 + ["at_risk"]


def test_a_drift_alarm_whose_pace_since_the_change_still_reaches_the_target_is_only_a_note():
    assert rules([0.9] * 6, drift=[True] * 6, recent=[110.0] * 6) == ["on_track"] * 6


def test_a_recent_pace_well_under_target_raises_at_risk_before_the_chance_falls():
    assert rules([0.8] * 5, recent=[85.0] * 5)[-1] == "at_risk"
    assert rules([0.8] * 5, recent=[95.0] * 5) == ["on_track"] * 5


def test_lower_is_better_mirrors_the_shortfall():
    over = rules([0.02] * 7, projected=[110.0] * 7, direction="down")
    under = rules([0.02] * 7, projected=[80.0] * 7, direction="down")
    assert over[-1] == "off_track"
    assert under[-1] == "at_risk"
    assert rules([0.8] * 5, recent=[115.0] * 5, direction="down")[-1] == "at_risk"


def test_no_data_so_far_is_its_own_status():
    assert rules([np.nan, 0.9]) == ["no_data", "on_track"]


def test_an_objective_takes_its_worst_kpis_status():
    assert worst(["on_track", "off_track", "at_risk"]) == "off_track"
    assert worst(["too_early", "on_track"]) == "on_track"
    assert worst(["achieved", "on_track"]) == "on_track"
    assert worst(["missed", "achieved"]) == "missed"
    assert worst(["on_track", "stale"]) == "stale"
    assert worst(["stale", "at_risk"]) == "at_risk"
