"""Rollups, comparisons, the channel comparison, cost/ROI and content reports against
hand-computed values on small tidy-CSV fixtures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from sostac_control import store
from sostac_control.catalog import format_value
from sostac_control.engine import rollups
from sostac_control.plan.model import BudgetLine, ContentRules, Kpi, Objective, Plan
from sostac_control.views import channels, content, overview, roi


def kpi(
    metric: str,
    channel: str = "instagram",
    start=date(2026, 7, 1),
    end=date(2026, 9, 30),
    denominator: str | None = None,
) -> Kpi:
    return Kpi(metric, channel, None, 1.0, None, denominator, "up", start, end)


def days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def test_weekly_rollup_uses_iso_weeks_and_ratio_of_sums(db, seed):
    # Wed 1 Jul – Tue 7 Jul 2026: ISO week 27 has 5 days (1–5 Jul), week 28 has 2 (6–7 Jul).
    rows = []
    for i, day in enumerate(days(date(2026, 7, 1), 7)):
        rows += [
            (day, "instagram", "engagements", 10 * (i + 1), "a"),
            (day, "instagram", "impressions", 100, "a"),
        ]
    seed(rows)
    with store.reader(db) as con:
        weekly = rollups.kpi_rollup(
            con, kpi("engagement_rate"), "week", date(2026, 7, 1), date(2026, 7, 7)
        )
        monthly = rollups.kpi_rollup(
            con, kpi("engagements"), "month", date(2026, 6, 1), date(2026, 7, 31)
        )
    assert list(weekly["label"]) == ["2026-W27", "2026-W28"]
    assert weekly["value"].tolist() == pytest.approx([150 / 500, 130 / 200])
    assert list(weekly["days"]) == [5, 2]
    assert list(monthly["label"]) == ["Jun 2026", "Jul 2026"]
    assert pd.isna(monthly["value"].iloc[0])  # June: no data, not zero
    assert monthly["value"].iloc[1] == 280


def test_quarter_rollup_of_a_level_metric_takes_each_quarters_last_value(db, seed):
    seed(
        [
            ("2026-03-30", "instagram", "followers", 900, "a"),
            ("2026-06-29", "instagram", "followers", 1000, "a"),
            ("2026-07-02", "instagram", "followers", 1100, "a"),
        ],
    )
    with store.reader(db) as con:
        quarters = rollups.kpi_rollup(
            con, kpi("followers"), "quarter", date(2026, 1, 1), date(2026, 9, 30)
        )
    assert list(quarters["label"]) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert quarters["value"].tolist() == [900, 1000, 1100]


def test_comparison_with_previous_period_and_last_year(db, seed):
    seed(
        [
            ("2025-07-01", "instagram", "clicks", 50, "a"),
            ("2026-06-30", "instagram", "clicks", 80, "a"),
            ("2026-07-01", "instagram", "clicks", 100, "a"),
        ],
    )
    with store.reader(db) as con:
        c = rollups.compare(con, kpi("clicks"), date(2026, 7, 1), date(2026, 7, 1))
    assert (c.current.value, c.previous.value, c.last_year.value) == (100, 80, 50)
    assert c.change_vs_previous == pytest.approx(0.25)
    assert c.change_vs_last_year == pytest.approx(1.0)
    assert rollups.last_year(date(2028, 2, 29), date(2028, 3, 1)) == (
        date(2027, 2, 28),
        date(2027, 3, 1),
    )


def test_channel_comparison_side_by_side_with_paid_and_organic(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "impressions", 1000, "a"),
            ("2026-07-01", "instagram", "engagements", 50, "a"),
            ("2026-07-01", "instagram", "reach", 400, "a"),
            ("2026-07-02", "instagram", "reach", 300, "a"),
            ("2026-07-01", "meta_ads", "impressions", 3000, "ads"),
            ("2026-07-01", "meta_ads", "spend", 12.5, "ads"),
            ("2026-07-01", "meta_ads", "clicks", 30, "ads"),
            ("2026-07-01", "facebook", "impressions", 999, "outside-the-period"),
        ],
    )
    with store.reader(db) as con:
        view = channels.compare_channels(
            con, date(2026, 7, 1), date(2026, 7, 2), ["instagram", "meta_ads"]
        )
    table = view.table.set_index("channel")
    assert list(table.index) == ["instagram", "meta_ads"]
    assert table.loc["instagram", "reach"] == 700  # sum of daily reach, flagged in the notes
    assert table.loc["instagram", "engagement_rate"] == pytest.approx(0.05)
    assert table.loc["meta_ads", "type"] == "paid"
    by_type = view.by_type.set_index("type")
    assert by_type.loc["paid", "spend"] == 12.5
    assert by_type.loc["organic", "impressions"] == 1000
    assert any("overstates unique reach" in n for n in view.notes)
    rate = view.trend[(view.trend["metric"] == "engagement_rate")]
    assert rate["value"].tolist() == pytest.approx([0.05])


def test_roi_report_per_quarter_with_people_cost_and_budget(db, seed):
    seed(
        [
            ("2026-06-30", "meta_ads", "spend", 100, "ads"),
            ("2026-06-30", "meta_ads", "revenue", 300, "ads"),
            ("2026-07-01", "meta_ads", "spend", 200, "ads"),
            ("2026-07-01", "meta_ads", "conversions", 4, "ads"),
            ("2026-07-01", "meta_ads", "revenue", 1000, "ads"),
        ],
    )
    # 2 days (30 Jun, 1 Jul): 1000 money and 4 h × 50 people cost, half in each quarter.
    budget = [
        BudgetLine(
            "meta_ads", date(2026, 6, 30), date(2026, 7, 1), money=1000, hours=4, hourly_rate=50
        )
    ]
    objective = Objective(
        "sell",
        "Sell",
        "sell",
        "me",
        date(2026, 6, 1),
        date(2026, 7, 31),
        [kpi("cpa", "meta_ads", date(2026, 6, 1), date(2026, 7, 31))],
    )
    plan = Plan("p", "EUR", None, [objective], budget, ContentRules())
    with store.reader(db) as con:
        report = roi.roi_report(con, plan, date(2026, 6, 1), date(2026, 7, 31))
    q = report.by_quarter.set_index("quarter")
    assert list(q.index) == ["2026-Q2", "2026-Q3"]
    # Both quarters are cut short by the period, and say so.
    assert list(q["covers"]) == ["part: 01 Jun – 30 Jun", "part: 01 Jul – 31 Jul"]
    charted = roi.cost_per_quarter(report)
    assert set(charted["quarter"]) == {"2026-Q2 (part)", "2026-Q3 (part)"}  # never a "drop"
    assert q.loc["2026-Q2", "people_cost"] == pytest.approx(100)
    assert q.loc["2026-Q3", "cost"] == pytest.approx(300)
    assert q.loc["2026-Q3", "roi"] == pytest.approx((1000 - 300) / 300)
    assert q.loc["2026-Q3", "roas"] == pytest.approx(5.0)
    assert q.loc["2026-Q3", "cpa"] == pytest.approx(50.0)
    assert q.loc["2026-Q3", "budget_used"] == pytest.approx(200 / 500)
    total = report.by_channel.iloc[0]
    assert total["roi"] == pytest.approx((1300 - 500) / 500)
    assert report.targets["actual"].iloc[0] == pytest.approx(300 / 4)


def test_cpc_of_an_ads_channel_without_clicks_uses_its_link_clicks(db, seed):
    seed(
        [
            ("2026-07-01", "meta_ads", "spend", 100, "ads"),
            ("2026-07-01", "meta_ads", "link_clicks", 40, "ads"),
            ("2026-07-01", "google_ads", "spend", 60, "g"),
            ("2026-07-01", "google_ads", "clicks", 30, "g"),
            ("2026-07-01", "google_ads", "link_clicks", 10, "g"),
        ],
    )
    plan = Plan("p", "EUR", None, [], [], ContentRules())
    with store.reader(db) as con:
        report = roi.roi_report(con, plan, date(2026, 7, 1), date(2026, 7, 31))
    rows = report.by_channel.set_index("channel")
    assert rows.loc["meta_ads", "cpc"] == pytest.approx(100 / 40)
    assert rows.loc["meta_ads", "cpc_clicks"] == "link_clicks"
    assert rows.loc["google_ads", "cpc"] == pytest.approx(60 / 30)  # clicks when given
    assert rows.loc["google_ads", "cpc_clicks"] == "clicks"
    assert "cpc of Meta Ads: spend / link clicks (no clicks loaded)" in report.notes


def test_breakdown_by_account_is_a_ratio_of_sums_per_account(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "engagements", 10, "a"),
            ("2026-07-01", "instagram", "impressions", 100, "a"),
            ("2026-07-01", "instagram", "engagements", 30, "b"),
            ("2026-07-01", "instagram", "impressions", 100, "b"),
        ],
    )
    with store.reader(db) as con:
        parts = rollups.breakdown(
            con, kpi("engagement_rate"), date(2026, 7, 1), date(2026, 7, 31), "account"
        )
    assert parts.set_index("part")["value"].to_dict() == pytest.approx({"a": 0.1, "b": 0.3})


def posts_frame(texts: list[str], labels: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": "instagram",
            "account": "a",
            "post_id": [f"p{i}" for i in range(len(texts))],
            "published_at": [datetime(2026, 7, 6 + i, 9 + i) for i in range(len(texts))],
            "post_type": ["reel" if i % 2 else "image" for i in range(len(texts))],
            "text": texts,
            "permalink": [f"https://x/{i}" for i in range(len(texts))],
            "labels": labels,
        }
    )


def test_content_report_rates_posts_and_counts_promotional_ones(db, seed):
    texts = [
        "Nieuw: #Korting op bonen",
        "#kortingen zijn geen tag",
        "Bestel nu!",
        "Verhaal",
        "Rustig",
        "Labeled",
    ]
    labels = [None, None, None, None, None, "Promotie, seizoen"]
    rows = []
    for i in range(len(texts)):
        day = date(2026, 7, 6 + i)
        rows += [
            (day, "instagram", "impressions", 100 * (i + 1), "a", f"p{i}"),
            (day, "instagram", "reactions", 10, "a", f"p{i}"),
            (day, "instagram", "comments", 2, "a", f"p{i}"),
        ]
    seed(rows)
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source="posts.csv", grain="post")
        con.register("stage", posts_frame(texts, labels))
        store.merge_posts(con, load_id, "stage")
    rules = ContentRules(("korting",), ("bestel nu",), ("promotie",))
    with store.reader(db) as con:
        report = content.content_report(con, date(2026, 7, 1), date(2026, 7, 31), rules)
    assert report.total_posts == 6
    by_id = report.posts.set_index("post_id")
    assert by_id["promotional"].to_dict() == {
        "p0": True,
        "p1": False,
        "p2": True,
        "p3": False,
        "p4": False,
        "p5": True,
    }
    assert report.promotional_share == pytest.approx(0.5)
    assert "well above the 1-in-10 guideline" in report.promotional_verdict
    # No engagement totals loaded: reactions + comments = 12 per post.
    assert by_id.loc["p0", "engagement_rate"] == pytest.approx(12 / 100)
    assert report.best["post_id"].iloc[0] == "p0"
    assert report.worst["post_id"].iloc[0] == "p5"
    types = report.by_type.set_index("post_type")
    assert types.loc["photo", "engagement_rate"] == pytest.approx(36 / (100 + 300 + 500))
    assert set(report.by_slot["weekday"]) == {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}


def test_posts_with_a_day_but_no_time_stay_off_the_hour_axis(db, seed):
    # Instagram posts carry a time; the X export gives days only, read as 00:00.
    stamps = {
        ("instagram", "i0"): datetime(2026, 7, 6, 9, 30),  # Mon
        ("instagram", "i1"): datetime(2026, 7, 7, 0, 0),  # Tue, a real midnight post
        ("x", "x0"): datetime(2026, 7, 6),  # Mon
        ("x", "x1"): datetime(2026, 7, 8),  # Wed
    }
    rows = [
        (stamp.date(), channel, "impressions", 100, "a", post)
        for (channel, post), stamp in stamps.items()
    ]
    seed(rows)
    posts = pd.DataFrame(
        {
            "channel": [c for c, _ in stamps],
            "account": "a",
            "post_id": [p for _, p in stamps],
            "published_at": list(stamps.values()),
            "post_type": "",
            "text": "",
            "permalink": "",
            "labels": "",
        }
    )
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source="posts.csv", grain="post")
        con.register("stage", posts)
        store.merge_posts(con, load_id, "stage")
    with store.reader(db) as con:
        report = content.content_report(con, date(2026, 7, 1), date(2026, 7, 31), ContentRules())
    slots = set(zip(report.by_slot["weekday"], report.by_slot["hour"], strict=True))
    assert slots == {("Mon", 9), ("Tue", 0)}  # no X post drawn at hour 0
    assert report.by_weekday.set_index("weekday")["posts"].to_dict() == {
        "Mon": 2,
        "Tue": 1,
        "Wed": 1,
    }
    assert report.date_only_posts == 2 and report.date_only_channels == ("X",)
    assert report.posts.set_index("post_id")["has_time"].to_dict() == {
        "i0": True,
        "i1": True,
        "x0": False,
        "x1": False,
    }


def test_content_report_without_posts_is_empty_not_an_error(db, seed):
    seed([("2026-07-01", "instagram", "impressions", 5, "a")])
    with store.reader(db) as con:
        report = content.content_report(con, date(2026, 7, 1), date(2026, 7, 31), ContentRules())
    assert report.total_posts == 0 and report.promotional_share is None
    assert "defines no promotional posts" in report.rules_text


def test_a_count_with_float_dust_from_spread_windows_reads_as_a_whole_number():
    assert format_value(84.00000000000001, "conversions") == "84"
    assert format_value(83.6, "conversions") == "83.6"  # a part of a spread window stays
    assert format_value(0.0506, "engagement_rate") == "5.06%"


@pytest.mark.parametrize(
    ("first_day", "loaded_days"), [(date(2026, 6, 21), 10), (date(2026, 6, 3), 28)]
)
def test_overview_shows_no_change_against_a_partly_loaded_previous_period(
    db, first_day, loaded_days, seed
):
    rows = [
        (day, "instagram", "impressions", 100, "a")
        for day in days(first_day, (date(2026, 7, 28) - first_day).days + 1)
    ]
    seed(rows)
    objective = Objective(
        "aware", "Aware", "sizzle", "me", date(2026, 7, 1), date(2026, 9, 30), [kpi("impressions")]
    )
    plan = Plan("p", "EUR", None, [objective], [], ContentRules())
    with store.reader(db) as con:
        view = overview.overview(con, plan, date(2026, 7, 28))
    [tile] = view.objectives[0].tiles
    if loaded_days < 28:  # 3–30 June, of which only 21–30 June are loaded: not +180%
        assert tile.change_vs_previous is None
        assert tile.previous_note == (
            "previous period only partly loaded (10 of 28 days have data)"
        )
    else:
        assert tile.change_vs_previous == pytest.approx(0.0)
        assert tile.previous_note == ""
    week = view.changes.iloc[0]
    assert week["change"] == pytest.approx(0.0) and week["change_note"] == ""


def test_organic_engagement_rate_counts_only_channels_with_both_parts(db, seed):
    seed(
        [
            ("2026-07-01", "instagram", "impressions", 1000, "a"),
            ("2026-07-01", "instagram", "engagements", 50, "a"),
            # Facebook reports engagements but no impressions (it reports views).
            ("2026-07-01", "facebook", "engagements", 400, "b"),
            ("2026-07-01", "facebook", "views", 2000, "b"),
        ],
    )
    with store.reader(db) as con:
        view = channels.compare_channels(con, date(2026, 7, 1), date(2026, 7, 2))
    by_type = view.by_type.set_index("type")
    assert by_type.loc["organic", "engagement_rate"] == pytest.approx(0.05)  # not 450 / 1000
