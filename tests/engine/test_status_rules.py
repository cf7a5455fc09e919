"""The status rules on plain arrays: too early, persistence, hysteresis, drift, mirroring."""

from __future__ import annotations

import numpy as np

from sostac_control.engine.status import apply_rules, too_early_days, worst


def rules(
    probability, projected=None, target=100.0, direction="up", drift=None, start=20, period=91
):
    p = np.array(probability, dtype=float)
    proj = np.full(len(p), 80.0) if projected is None else np.array(projected, dtype=float)
    elapsed = np.arange(start, start + len(p))
    alarm = None if drift is None else np.array(drift, dtype=bool)
    return apply_rules(elapsed, period, p, proj, target, direction, alarm)


def test_too_early_lasts_fourteen_days_or_fifteen_percent_of_the_period():
    assert too_early_days(91) == 14
    assert too_early_days(30) == 14
    assert too_early_days(365) == 55
    out = rules([0.9] * 20, start=1)
    assert out[:13] == ["too_early"] * 13
    assert out[13] == "on_track"


def test_off_track_needs_three_low_days_in_a_row():
    assert rules([0.05, 0.05, 0.6, 0.05, 0.05, 0.6]) == ["at_risk", "at_risk", "on_track"] * 2
    assert rules([0.05, 0.05, 0.05]) == ["at_risk", "at_risk", "off_track"]


def test_off_track_needs_the_projection_to_miss_by_more_than_five_percent():
    assert rules([0.05] * 4, projected=[96.0] * 4) == ["at_risk"] * 4


def test_off_track_is_left_only_above_a_quarter_chance():
    out = rules([0.05, 0.05, 0.05, 0.2, 0.24, 0.3, 0.6])
    assert out == [
        "at_risk",
        "at_risk",
        "off_track",
        "off_track",
        "off_track",
        "at_risk",
        "on_track",
    ]


def test_the_drift_alarm_alone_raises_at_risk():
    assert rules([0.9, 0.9], drift=[False, True]) == ["on_track", "at_risk"]


def test_lower_is_better_mirrors_the_shortfall():
    over = rules([0.05] * 3, projected=[110.0] * 3, direction="down")
    under = rules([0.05] * 3, projected=[80.0] * 3, direction="down")
    assert over[-1] == "off_track"
    assert under[-1] == "at_risk"


def test_no_data_so_far_is_its_own_status():
    assert rules([np.nan, 0.9]) == ["no_data", "on_track"]


def test_an_objective_takes_its_worst_kpis_status():
    assert worst(["on_track", "off_track", "at_risk"]) == "off_track"
    assert worst(["too_early", "on_track"]) == "on_track"
    assert worst(["achieved", "on_track"]) == "on_track"
    assert worst(["missed", "achieved"]) == "missed"
