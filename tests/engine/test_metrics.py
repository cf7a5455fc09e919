"""The metric engine against hand-computed values on small tidy-CSV fixtures."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sostac_control import store
from sostac_control.engine import metrics
from sostac_control.engine.series import read_kpi_series
from sostac_control.plan.model import BudgetLine, Kpi


def K(
    metric: str,
    channel: str = "instagram",
    account: str | None = None,
    denominator: str | None = None,
    start: date = date(2026, 7, 1),
    end: date = date(2026, 7, 10),
) -> Kpi:
    """A plan KPI over 1–10 July 2026 unless told otherwise."""
    return Kpi(metric, channel, account, 1.0, None, denominator, "up", start, end)


def Line(channel: str, start: date, end: date, people_cost: float) -> BudgetLine:
    """A budget line with only people cost (hours × rate = people_cost)."""
    return BudgetLine(channel, start, end, money=0.0, hours=people_cost / 50, hourly_rate=50.0)


def load_windows(db: Path, rows: list[tuple]) -> None:
    """Window rows (channel, account, metric, start, end, value), as Ads Manager exports them."""
    frame = pd.DataFrame(
        [
            {
                "channel": c,
                "account": a,
                "metric": m,
                "grain": "window",
                "dimension": "",
                "item": "",
                "period_start": s,
                "period_end": e,
                "value": float(v),
                "source_row": i + 1,
                "currency": None,
            }
            for i, (c, a, m, s, e, v) in enumerate(rows)
        ]
    )
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source="windows.csv", grain="window")
        con.register("stage", frame)
        store.merge_observations(con, load_id, "stage")


def actual(db: Path, kpi: Kpi, as_of: date = date(2026, 7, 31), **kw) -> metrics.KpiValue:
    with store.reader(db) as con:
        return metrics.kpi_actual(con, kpi, as_of, **kw)


def daily(db: Path, kpi: Kpi, **kw) -> pd.DataFrame:
    with store.reader(db) as con:
        return metrics.kpi_daily(con, kpi, **kw)


@pytest.mark.both_backends
def test_sum_metric_adds_the_days_of_the_period_only(db, seed):
    seed(
        [
            ("2026-06-30", "instagram", "impressions", 1000, "a"),
            ("2026-07-01", "instagram", "impressions", 100, "a"),
            ("2026-07-02", "instagram", "impressions", 250, "a"),
            ("2026-07-10", "instagram", "impressions", 5, "b"),
            ("2026-07-11", "instagram", "impressions", 7000, "a"),
        ],
    )
    v = actual(db, K("impressions"))
    assert v.value == 355
    assert v.days_with_data == 3
    assert v.last_day == date(2026, 7, 10)
    assert actual(db, K("impressions", account="a")).value == 350


def test_actual_stops_at_as_of_inside_the_period(db, seed):
    seed(
        [(f"2026-07-0{d}", "instagram", "impressions", 10, "a") for d in range(1, 10)],
    )
    assert actual(db, K("impressions"), as_of=date(2026, 7, 4)).value == 40
    assert actual(db, K("impressions"), as_of=date(2026, 6, 4)).value is None


@pytest.mark.both_backends
def test_engagement_rate_is_ratio_of_sums_not_mean_of_daily_rates(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "engagements", 10, "a"),
            ("2026-07-01", "instagram", "impressions", 100, "a"),
            ("2026-07-02", "instagram", "engagements", 90, "a"),
            ("2026-07-02", "instagram", "impressions", 300, "a"),
        ],
    )
    v = actual(db, K("engagement_rate"))
    mean_of_daily = (10 / 100 + 90 / 300) / 2
    assert mean_of_daily == pytest.approx(0.20)
    assert v.value == pytest.approx(100 / 400)
    assert (v.numerator, v.denominator) == (100, 400)
    assert "ratio of the period's sums" in v.note
    frame = daily(db, K("engagement_rate"))
    assert frame["value"].iloc[:2].tolist() == pytest.approx([0.1, 0.3])


def test_engagement_rate_by_reach_uses_the_kpis_denominator(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "engagements", 50, "a"),
            ("2026-07-01", "instagram", "impressions", 1000, "a"),
            ("2026-07-01", "instagram", "reach", 500, "a"),
        ],
    )
    assert actual(db, K("engagement_rate", denominator="reach")).value == pytest.approx(0.1)


@pytest.mark.both_backends
def test_daily_and_post_rows_of_one_account_are_not_doubled(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "impressions", 100, "a"),
            ("2026-07-02", "instagram", "impressions", 100, "a"),
        ],
        name="daily.csv",
    )
    seed(
        [
            ("2026-07-01", "instagram", "impressions", 30, "a", "p1"),
            ("2026-07-02", "instagram", "impressions", 40, "a", "p2"),
            ("2026-07-02", "instagram", "impressions", 70, "b", "p3"),
        ],
        name="posts.csv",
    )
    v = actual(db, K("impressions"))
    assert v.value == 200 + 70  # account a from its daily totals; b only has posts
    assert "per-post rows" in v.note
    frame = daily(db, K("impressions"))
    assert frame["value"].iloc[:3].tolist()[:2] == [100, 170]


def test_days_without_data_are_nan_not_zero(db, seed):
    seed([("2026-07-02", "instagram", "impressions", 5, "a")])
    frame = daily(db, K("impressions"))
    assert len(frame) == 10
    assert list(frame.columns) == ["day", "value", "numerator", "denominator"]
    assert frame["day"].iloc[0] == date(2026, 7, 1)
    assert math.isnan(frame["value"].iloc[0])
    assert frame["value"].iloc[1] == 5


@pytest.mark.both_backends
def test_window_across_the_period_boundary_is_spread_by_days(db):
    # 10 days, 28 Jun – 7 Jul, 1000 spend: 4 days fall in the KPI's period from 4 Jul.
    load_windows(db, [("meta_ads", "acc", "spend", date(2026, 6, 28), date(2026, 7, 7), 1000)])
    kpi = K("spend", channel="meta_ads", start=date(2026, 7, 4), end=date(2026, 7, 31))
    v = actual(db, kpi)
    assert v.value == pytest.approx(400)
    assert "window totals spread evenly" in v.note
    whole = K("spend", channel="meta_ads", start=date(2026, 6, 1), end=date(2026, 7, 31))
    assert actual(db, whole).value == pytest.approx(1000)
    frame = daily(db, kpi)
    assert frame["value"].iloc[0] == pytest.approx(100)
    assert math.isnan(frame["value"].iloc[4])


def test_daily_totals_win_over_windows_of_the_same_account(db, seed):
    load_windows(db, [("meta_ads", "acc", "spend", date(2026, 7, 1), date(2026, 7, 10), 999)])
    seed([("2026-07-01", "meta_ads", "spend", 12.5, "acc")])
    assert actual(db, K("spend", channel="meta_ads")).value == 12.5


@pytest.mark.both_backends
def test_level_metric_takes_the_last_value_and_is_not_summed(db, seed):
    seed(
        [
            ("2026-06-20", "instagram", "followers", 900, "b"),
            ("2026-07-01", "instagram", "followers", 1000, "a"),
            ("2026-07-02", "instagram", "followers", 1010, "a"),
            ("2026-07-05", "instagram", "followers", 1030, "a"),
        ],
    )
    v = actual(db, K("followers"))
    assert v.value == 1030 + 900  # the sum of each account's last value, b's from before
    assert "last value" in v.note
    assert actual(db, K("followers"), as_of=date(2026, 7, 3)).value == 1010 + 900
    frame = daily(db, K("followers", account="a"))
    assert frame["value"].iloc[:3].tolist()[:2] == [1000, 1010]
    assert math.isnan(frame["value"].iloc[2])


def test_unique_metric_summed_over_days_is_flagged(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "reach", 300, "a"),
            ("2026-07-02", "instagram", "reach", 400, "a"),
        ],
    )
    v = actual(db, K("reach"))
    assert v.value == 700
    assert "sum of daily reach, overstates unique reach" in v.note


def test_unique_metric_uses_the_platforms_figure_for_exactly_the_period(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "reach", 300, "a"),
            ("2026-07-02", "instagram", "reach", 400, "a"),
        ],
    )
    load_windows(db, [("instagram", "a", "reach", date(2026, 7, 1), date(2026, 7, 10), 550)])
    v = actual(db, K("reach"))
    assert v.value == 550
    assert "overstates" not in v.note
    # A period the window does not match exactly falls back to the flagged daily sum.
    assert actual(db, K("reach"), as_of=date(2026, 7, 5)).value == 700


def test_unique_breakdown_rows_are_never_summed(db, write_tidy):
    load_windows(db, [("instagram", "a", "reach", date(2026, 7, 1), date(2026, 7, 10), 550)])
    with store.connect(db) as con:
        con.execute("UPDATE observations SET dimension = 'country', item = 'NL'")
    assert actual(db, K("reach")).value is None


def test_channel_all_sums_every_channel(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "clicks", 10, "a"),
            ("2026-07-01", "facebook", "clicks", 5, "a"),
            ("2026-07-01", "facebook", "impressions", 500, "a"),
            ("2026-07-01", "instagram", "impressions", 500, "a"),
        ],
    )
    assert actual(db, K("clicks", channel="all")).value == 15
    assert actual(db, K("ctr", channel="all")).value == pytest.approx(15 / 1000)


def test_cpm_is_spend_per_thousand_impressions(db, seed):
    seed(
        [
            ("2026-07-01", "meta_ads", "spend", 30, "acc"),
            ("2026-07-01", "meta_ads", "impressions", 12000, "acc"),
            ("2026-07-02", "meta_ads", "impressions", 3000, "acc"),
        ],
    )
    v = actual(db, K("cpm", channel="meta_ads"))
    assert v.value == pytest.approx(30 / 15000 * 1000)
    assert "× 1,000" in v.note


def test_roi_counts_people_cost_from_the_budget_pro_rata(db, seed):
    seed(
        [
            ("2026-07-01", "meta_ads", "spend", 100, "acc"),
            ("2026-07-02", "meta_ads", "revenue", 500, "acc"),
        ],
    )
    # 31-day line of 3100 people cost: 10 days of it fall in the KPI's period → 1000.
    budget = [
        Line("meta_ads", date(2026, 7, 1), date(2026, 7, 31), 3100.0),
        Line("instagram", date(2026, 7, 1), date(2026, 7, 31), 99999.0),
    ]
    v = actual(db, K("roi", channel="meta_ads"), budget=budget)
    assert v.denominator == pytest.approx(1100)
    assert v.value == pytest.approx((500 - 1100) / 1100)
    assert actual(db, K("roi", channel="meta_ads")).value == pytest.approx((500 - 100) / 100)


def test_days_without_a_post_between_posts_count_zero_not_missing(db, seed):
    seed(
        [
            ("2026-07-02", "instagram", "views", 30, "a", "p1"),
            ("2026-07-05", "instagram", "views", 40, "a", "p2"),
        ],
    )
    values = daily(db, K("views"))["value"].tolist()
    assert math.isnan(values[0])  # before the first post: unknown
    assert values[1:5] == [30, 0, 0, 40]
    assert all(math.isnan(v) for v in values[5:])  # after the last post: unknown


def test_a_screens_kpi_series_give_the_same_values_as_asking_the_database(db, seed):
    rows = []
    for day in range(1, 10):
        rows += [
            (f"2026-07-0{day}", "meta_ads", "spend", 10 * day, "acc"),
            (f"2026-07-0{day}", "meta_ads", "conversions", day % 3, "acc"),
            (f"2026-07-0{day}", "meta_ads", "revenue", 25 * day, "acc"),
        ]
    seed(rows)
    budget = [Line("meta_ads", date(2026, 7, 1), date(2026, 7, 31), 310.0)]
    kpis = [K("spend", "meta_ads"), K("cpa", "meta_ads"), K("roi", "meta_ads")]
    with store.reader(db) as con:
        direct = [metrics.kpi_actual(con, k, date(2026, 7, 6), budget=budget) for k in kpis]
        reads = metrics.KpiSeries()
        for k in kpis:
            metrics.kpi_daily(
                con, k, date(2026, 6, 1), date(2026, 7, 10), budget=budget, kpi_series=reads
            )
        con.close()  # every answer below must come from the series read above
        shared = [
            metrics.kpi_actual(con, k, date(2026, 7, 6), budget=budget, kpi_series=reads)
            for k in kpis
        ]
    for a, b in zip(direct, shared, strict=True):
        assert a.value == pytest.approx(b.value)
        assert (a.numerator, a.last_day, a.note) == (pytest.approx(b.numerator), b.last_day, b.note)
    assert direct[1].value == pytest.approx(210 / 6)  # spend 10+…+60 / conversions 1+2+0+1+2+0


@pytest.mark.both_backends
def test_read_kpi_series_reads_many_kpis_at_once_with_the_same_series(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "impressions", 100, "a"),
            ("2026-07-03", "instagram", "impressions", 300, "a"),
            ("2026-07-01", "instagram", "engagements", 9, "a"),
            ("2026-07-02", "facebook", "engagements", 5, "b"),
            ("2026-07-02", "meta_ads", "spend", 50, "acc"),
            ("2026-07-04", "meta_ads", "revenue", 400, "acc"),
        ],
        name="daily.csv",
    )
    seed(
        [
            ("2026-07-02", "x", "impressions", 70, "x1", "p1"),
            ("2026-07-06", "x", "impressions", 30, "x1", "p2"),
        ],
        name="posts.csv",
    )
    load_windows(db, [("meta_ads", "acc", "conversions", date(2026, 6, 29), date(2026, 7, 3), 10)])
    budget = [Line("meta_ads", date(2026, 7, 1), date(2026, 7, 10), 100.0)]
    kpis = [
        K("impressions"),
        K("engagement_rate"),
        K("engagements", "all"),
        K("impressions", "x"),
        K("impressions", "all"),
        K("roi", "meta_ads"),
        K("cpa", "meta_ads"),
        K("followers"),  # a level metric: not prefetched, read on demand
    ]
    start, end = date(2026, 6, 20), date(2026, 7, 10)
    with store.reader(db) as con:
        direct = [metrics.kpi_daily(con, k, start, end, budget=budget) for k in kpis]
        reads = read_kpi_series(con, kpis, start, end, budget=budget)
        assert reads.read_at_once == 7
        fetched = [
            metrics.kpi_daily(con, k, start, end, budget=budget, kpi_series=reads) for k in kpis
        ]
        notes = [
            metrics.kpi_actual(con, k, date(2026, 7, 10), budget=budget, kpi_series=reads)
            for k in kpis
        ]
        plain = [metrics.kpi_actual(con, k, date(2026, 7, 10), budget=budget) for k in kpis]
    for kpi, a, b in zip(kpis, direct, fetched, strict=True):
        pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=kpi.label)
    for a, b in zip(plain, notes, strict=True):
        assert a.value == pytest.approx(b.value, nan_ok=True)
        assert a.note == b.note


def test_breakdowns_by_two_dimensions_are_not_added_together(db):
    """Two GA4 reports of one window (by channel group, by event) each add up to the total."""
    rows = []
    for dimension, items in (
        ("session_channel_group", {"Organic Social": 300.0, "Direct": 700.0}),
        ("event_name", {"purchase": 900.0, "refund": 100.0}),
    ):
        for item, value in items.items():
            rows.append(("website", "", "revenue", dimension, item, value))
    frame = pd.DataFrame(
        [
            {
                "channel": c,
                "account": a,
                "metric": m,
                "grain": "window",
                "dimension": d,
                "item": i,
                "period_start": date(2026, 7, 1),
                "period_end": date(2026, 7, 10),
                "value": v,
                "source_row": n + 1,
                "currency": None,
            }
            for n, (c, a, m, d, i, v) in enumerate(rows)
        ]
    )
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source="ga4.csv", grain="window")
        con.register("stage", frame)
        store.merge_observations(con, load_id, "stage")

    assert actual(db, K("revenue", channel="website")).value == pytest.approx(1000.0)
