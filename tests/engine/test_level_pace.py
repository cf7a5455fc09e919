"""Followers paced as the sum of their daily net changes."""

from __future__ import annotations

import numpy as np
import pytest

from sostac_control.engine.level_pace import level_path, net_changes


def test_a_missing_value_spreads_its_change_over_the_gap_and_loses_nothing():
    levels = np.array([100.0, 110.0, np.nan, np.nan, 140.0, np.nan])
    net = net_changes(levels, 95.0)
    assert net[:5] == pytest.approx([5, 10, 10, 10, 10])
    assert np.isnan(net[5])  # after the last value: not known yet
    assert 95 + np.nansum(net) == 140


def test_steady_growth_is_projected_at_its_own_pace_so_far():
    rng = np.random.default_rng(1)
    days = 91
    hist = 1000 + np.cumsum(rng.normal(20, 8, 112))
    start = float(hist[-1])
    net = rng.normal(20, 8, days)
    levels = start + np.cumsum(net)
    seen = levels.copy()
    seen[45:] = np.nan
    weekdays = np.arange(days) % 7
    path, s0 = level_path(seen, weekdays, start + 20 * days, start, "up", hist, np.arange(112) % 7)
    assert s0 == start
    at_its_pace = levels[44] + net[:45].mean() * 46  # its own pace so far, carried on
    assert path.projected[44] + s0 == pytest.approx(at_its_pace, rel=0.005)
    assert 0.005 < path.probability[44] < 0.1  # 6% behind with half the quarter to go


def test_an_unfollow_wave_counts_in_full_but_is_not_projected_onto_the_weeks_to_come():
    rng = np.random.default_rng(2)
    hist = 1000 + np.cumsum(rng.normal(20, 6, 112))
    start = float(hist[-1])
    net = rng.normal(20, 6, 91)
    net[30:33] = -300  # three days of a wave: −900
    levels = start + np.cumsum(net)
    levels[50:] = np.nan
    weekdays = np.arange(91) % 7
    path, s0 = level_path(levels, weekdays, start + 20 * 91, start, "up", hist, np.arange(112) % 7)
    assert path.actual[49] + s0 == pytest.approx(levels[49])  # the loss is in the level
    rate_after = (path.projected[49] - path.actual_imputed[49]) / 41
    assert rate_after == pytest.approx(20, rel=0.15)  # the wave is not the new normal
    assert path.probability[49] < 0.01  # −900 is a real hole: the target is out of reach
