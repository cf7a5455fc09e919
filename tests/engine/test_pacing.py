"""Pacing on hand-made daily arrays: expected, projection, probability, for every kind."""

from __future__ import annotations

import numpy as np
import pytest

from sostac_control.engine import level_line, pacing, ratio_pace


def test_weights_are_flat_with_under_eight_weeks_of_history():
    values = np.tile([10.0, 10, 10, 10, 10, 2, 2], 7)  # 7 weeks
    assert np.allclose(pacing.dow_weights(values, np.arange(49) % 7), 1.0)


def test_weights_follow_the_weekly_pattern_and_ignore_a_viral_day():
    values = np.tile([10.0, 10, 10, 10, 10, 2, 2], 12)
    values[5 * 7 + 2] = 5000  # one viral Wednesday
    weights = pacing.dow_weights(values, np.arange(84) % 7)
    assert weights.mean() == pytest.approx(1.0)
    assert weights[0] == pytest.approx(weights[2], rel=0.01)
    assert weights[0] / weights[6] == pytest.approx(5.0, rel=0.01)


def test_expected_to_date_is_weighted_by_weekday():
    weights = np.tile([1.4, 1.4, 1.4, 1.4, 1.4, 0.0, 0.0], 2) + 0.0
    weights = np.where(weights == 0, 0.05, weights)
    x = np.full(14, np.nan)
    x[:5] = 100.0
    pace = pacing.pace_sum(x, weights, 1000.0, as_of_index=4)
    # Five busy weekdays are most of a week's weight, so far more than 5/14 of the target.
    assert pace.expected_to_date == pytest.approx(1000 * 7.0 / (14.0 + 0.2))
    assert pace.expected_to_date > 1000 * 5 / 14


def test_a_series_on_pace_projects_near_its_target_with_even_odds():
    rng = np.random.default_rng(3)
    x = 100 * rng.lognormal(0, 0.2, 90)
    target = float(x.sum())
    pace = pacing.pace_sum(x, np.ones(90), target, as_of_index=44)
    assert pace.projected == pytest.approx(target, rel=0.08)
    assert 0.15 < pace.probability < 0.85
    assert pace.projected_low < pace.projected < pace.projected_high


def test_a_clear_shortfall_has_a_low_probability_and_a_higher_required_rate():
    x = np.full(90, 70.0) * np.random.default_rng(1).lognormal(0, 0.1, 90)
    pace = pacing.pace_sum(x, np.ones(90), 9000.0, as_of_index=29)
    assert pace.projected == pytest.approx(6300, rel=0.05)
    assert pace.probability < 0.01
    assert pace.required_per_day > 100


def test_missing_days_are_imputed_from_the_run_rate_not_counted_as_zero():
    x = np.full(60, 100.0)
    gaps = x.copy()
    gaps[[3, 10, 11, 17]] = np.nan
    full = pacing.pace_sum(x, np.ones(60), 6000.0, as_of_index=29)
    holed = pacing.pace_sum(gaps, np.ones(60), 6000.0, as_of_index=29)
    assert holed.actual == 2600.0  # the data as loaded
    assert holed.projected == pytest.approx(full.projected)
    assert holed.observed_days == 26


def test_data_that_stops_is_reported_as_stale_and_not_projected_as_zeros():
    x = np.full(60, 100.0)
    x[25:] = np.nan
    pace = pacing.pace_sum(x, np.ones(60), 6000.0, as_of_index=29)
    assert pace.stale_days == 5
    assert pace.last_data_index == 24
    assert pace.projected == pytest.approx(6000.0)


def test_lower_is_better_mirrors_the_probability():
    rng = np.random.default_rng(5)
    x = 50 * rng.lognormal(0, 0.3, 90)
    up = pacing.pace_sum(x, np.ones(90), 4600.0, as_of_index=40, direction="up")
    down = pacing.pace_sum(x, np.ones(90), 4600.0, as_of_index=40, direction="down")
    assert up.probability + down.probability == pytest.approx(1.0)


def test_a_sum_that_reached_its_target_is_certain_and_a_passed_ceiling_is_lost():
    x = np.full(30, 100.0)
    assert pacing.pace_sum(x, np.ones(30), 500.0, as_of_index=9).probability == 1.0
    spent = pacing.pace_sum(x, np.ones(30), 500.0, as_of_index=9, direction="down")
    assert spent.probability == 0.0


def test_history_sets_the_dispersion_when_the_period_so_far_is_calm():
    rng = np.random.default_rng(8)
    history = 100 * rng.lognormal(0, 0.6, 112)
    calm = np.full(91, 100.0)
    alone = pacing.pace_sum(calm, np.ones(91), 9300.0, as_of_index=20)
    pooled = pacing.pace_sum(calm, np.ones(91), 9300.0, as_of_index=20, history=history)
    assert pooled.projected_high - pooled.projected_low > alone.projected_high - alone.projected_low


def test_the_path_gives_the_same_figures_as_one_day_at_a_time():
    rng = np.random.default_rng(2)
    x = 100 * rng.lognormal(0, 0.3, 40)
    path = pacing.sum_path(x, np.ones(40), 4200.0)
    for i in (0, 13, 39):
        one = pacing.pace_sum(x, np.ones(40), 4200.0, as_of_index=i)
        assert path.at(i).projected == pytest.approx(one.projected)
        assert path.at(i).probability == pytest.approx(one.probability)


def test_a_ratio_is_the_ratio_of_sums_with_numerator_and_denominator_projected_apart():
    num = np.tile([1.0, 50.0], 30)
    den = np.tile([10.0, 1000.0], 30)  # daily rates 10% and 5%: their mean would be 7.5%
    pace = ratio_pace.pace_ratio(num, den, np.ones(60), np.ones(60), 0.05, as_of_index=29)
    assert pace.actual == pytest.approx(51 / 1010)
    assert pace.projected == pytest.approx(51 / 1010)
    assert pace.probability > 0.5


def test_a_ratio_well_below_target_has_little_chance_and_cost_ratios_mirror():
    rng = np.random.default_rng(4)
    num = 30 * rng.lognormal(0, 0.2, 90)
    den = 1000 * rng.lognormal(0, 0.2, 90)
    low = ratio_pace.pace_ratio(num, den, np.ones(90), np.ones(90), 0.045, as_of_index=40)
    assert low.probability < 0.05
    assert low.projected_low < low.projected < low.projected_high
    cost = ratio_pace.pace_ratio(num, den, np.ones(90), np.ones(90), 0.045, 40, direction="down")
    assert cost.probability > 0.95


def test_roi_is_revenue_over_cost_minus_one():
    pace = ratio_pace.pace_ratio(
        np.full(10, 300.0),
        np.full(10, 100.0),
        np.ones(10),
        np.ones(10),
        1.5,
        as_of_index=9,
        offset=-1.0,
    )
    assert pace.actual == pytest.approx(2.0)
    assert pace.probability == 1.0


def test_a_level_is_projected_by_its_recent_robust_slope():
    followers = 10_000 + 20.0 * np.arange(91)
    followers[55] = 30_000  # a glitch in the last day's export
    followers[56:] = np.nan
    pace = level_line.pace_level(followers, 12_000.0, as_of_index=55, start_value=10_000)
    assert pace.actual == 30_000  # the last value is what it is …
    assert pace.projected == pytest.approx(10_000 + 20 * 90, rel=0.01)  # … the slope is not
    ahead = level_line.pace_level(
        10_000 + 20.0 * np.arange(91), 11_000.0, as_of_index=40, start_value=10_000
    )
    assert ahead.projected == pytest.approx(10_000 + 20 * 90, rel=0.001)
    assert ahead.probability > 0.99
    behind = level_line.pace_level(
        10_000 + 5.0 * np.arange(91), 12_000.0, as_of_index=40, start_value=10_000
    )
    assert behind.probability < 0.01
    assert behind.expected_to_date == pytest.approx(10_000 + 2000 * 41 / 91)


def test_engagements_per_follower_divide_the_sum_by_the_level_at_the_end():
    engagements = np.full(90, 100.0) * np.random.default_rng(6).lognormal(0, 0.2, 90)
    followers = 10_000 + 10.0 * np.arange(90)
    pace = ratio_pace.pace_ratio_to_level(engagements, followers, np.ones(90), 0.8, as_of_index=44)
    assert pace.actual == pytest.approx(engagements[:45].sum() / followers[44])
    expected_sum = engagements[:45].sum() * 2  # the run rate so far, for 90 days
    assert pace.projected == pytest.approx(expected_sum / followers[-1], rel=0.03)
    assert pace.probability > 0.9
    hard = ratio_pace.pace_ratio_to_level(engagements, followers, np.ones(90), 1.2, as_of_index=44)
    assert hard.probability < 0.01
