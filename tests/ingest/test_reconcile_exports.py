"""Every real export in ../shared/exports loads with the totals of its own data rows, or is
refused with its reason.

How the expected totals were computed, by hand and independently of the importer: each file
was opened with Python's csv module (encoding and separator as the file has them; the lines
before the header dropped: 2 for Google Ads, 9 `#` lines for GA4, `sep=` and the title for the
page series), the rows that are not data were removed by looking at them (`Total: …` rows,
the `Total` row, the description row with an empty id, the `/status/undefined` placeholders),
and the named column was summed (`"1,234"` read as 1234, `-`/`--`/empty as 0). For the
spreadsheets the sheet was read the same way with openpyxl/xlrd. The figures are written out
below; the test then checks what the database holds for the load, not what the loader says.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from sostac_control.ingest import ingest_paths

# file → {metric: total of the data rows}; the column summed is named in the comment.
LOADS: dict[str, dict[str, float]] = {
    # Cost and Impr. over the 15 ad rows (five `Total: …` rows below them set aside); three
    # ad groups hold several ads each, and every ad counts.
    "google_ads/ad_report_2026-01-20_21.csv": {"spend": 117.06, "impressions": 305},
    # UTF-16 TAB: Cost, Impr., Clicks over the 127 campaign rows (8 `Total: …` rows dropped).
    "google_ads/campaign_report_utf16le_tab_INR_enGB.csv": {
        "spend": 5086953.53,
        "impressions": 54732365,
        "clicks": 1001479,
    },
    # Amount spent (INR), Impressions over all 9 rows: one row per campaign and ad, with an
    # empty `Ad set name` column, and two rows of the same campaign and ad name.
    "meta_ads/inr_ads_week_2026-02-02_embedded_in_source.csv": {
        "spend": 14631.96,
        "impressions": 354406,
    },
    # Amount spent (PHP), Impressions, Link clicks over the 65 ad rows.
    "meta_ads/pcm_ads_manager_Sep-1-2025-Sep-30-2025_PHP.csv": {
        "spend": 66067.6,
        "impressions": 567677,
        "link_clicks": 13651,
    },
    # Amount spent (USD), Impressions over the 9 ad rows.
    "meta_ads/foundry_ads_export_embedded_in_test.csv": {"spend": 534.81, "impressions": 83100},
    # impressions over the 356 tweets; the daily roll-up's impressions over its 31 days.
    "twitter/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv": {
        "impressions": 1625538
    },
    "twitter/daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv": {
        "impressions": 1639423
    },
    # Impressions over the 24 rows (the 2 placeholders hold zeros).
    "twitter/x_account_analytics_content_2025-11-02_2025-11-09.csv": {"impressions": 569966},
    # Views over the 73,365 (day, country) rows; over the 365 days of Totals.
    "youtube/codingtrain_geography_Chart_data.csv": {"views": 14344009},
    "youtube/codingtrain_geography_Totals.csv": {"views": 15503810},
    # Views over the 6 video rows (the `Total` row first says 25 as well).
    "youtube/layla_damoyi_content_Table_data.csv": {"views": 25},
    # GA4: Sessions over 15 channel groups; Item revenue over 9,123 items; Total users over
    # 36 events.
    "google_analytics/ga4_traffic_acquisition_session_channel_group.csv": {"sessions": 1635035},
    "google_analytics/ga4_ecommerce_purchases_item_name.csv": {"revenue": 21658621.96323},
    "google_analytics/ga4_events_event_name.csv": {"users": 5682470},
    "google_analytics/ga4_lead_acquisition_first_user_channel.csv": {"leads": 0},
    # UA xlsx, sheet Dataset2: Revenue over the 61 days (the blank-dimension total row set
    # aside; it says 122,874.83 too). Dataset1 states the same revenue per transaction.
    "google_analytics/ua_1MasterView_SalesPerformance_20230501-20230630.xlsx": {
        "revenue": 122874.83
    },
    # Reach over the 81 posts.
    "facebook/mbs_fb_posts_Sep-01-2025_Sep-30-2025.csv": {"reach": 167097},
    # Primary over the 28 days of each page series (UTF-16, `sep=,` and title lines dropped).
    "facebook/mbs_page_daily_Follows_utf16le.csv": {"new_followers": 631},
    "facebook/mbs_page_daily_Interactions_utf16le.csv": {"engagements": 3491},
    "facebook/mbs_page_daily_Link_clicks_utf16le.csv": {"link_clicks": 13885},
    "facebook/mbs_page_daily_Views_utf16le.csv": {"views": 712987},
    "facebook/mbs_page_daily_Visits_utf16le.csv": {"profile_visits": 31745},
    # Lifetime Post Total Reach / Impressions over the 170 posts (description row dropped).
    "facebook/legacy_post_level_VIC_2015-08-19_2016-02-15.csv": {
        "reach": 122585,
        "impressions": 291369,
    },
}

# Wide legacy exports and spreadsheets: the totals per grain (day rows and post rows of one
# workbook are stored at their own grain), computed the same way; the SpreadsheetML files were
# read with ElementTree (sheet `Key Metrics`, rows 3 on), the LinkedIn XLS files with xlrd.
BY_GRAIN: dict[str, dict[tuple[str, str], float]] = {
    # Daily New Likes, Daily Total Impressions over the 180 days (description row dropped).
    "facebook/legacy_page_level_VIC_2015-08-19_2016-02-15.csv": {
        ("new_followers", "day"): 343,
        ("impressions", "day"): 448471,
        ("reach", "day"): 132006,
    },
    # Lifetime Post Total Reach / Impressions over the 21 video posts.
    "facebook/legacy_video_posts_VIC_2015-08-19_2016-02-15.csv": {
        ("reach", "post"): 58116,
        ("impressions", "post"): 113514,
    },
    # Reach over the 20 posts (both `Views` columns hold only zeros).
    "facebook/mbs_fb_posts_Feb-01-2025_Mar-15-2025.csv": {
        ("reach", "post"): 34,
        ("views", "post"): 0,
    },
    "facebook/nplf_page_posts_2020Q2_spreadsheetml_resaved.xml": {
        ("reach", "post"): 74028,
        ("impressions", "post"): 89367,
    },
    "facebook/nplf_page_posts_2020Q3_spreadsheetml.xls": {
        ("reach", "post"): 38804,
        ("impressions", "post"): 50773,
    },
    # Transactions and Total revenue over the 15 first-user channel groups.
    "google_analytics/ga4_user_acquisition_cohorts.csv": {
        ("conversions", "window"): 23131,
        ("revenue", "window"): 26491848.009113,
    },
    # `Update metrics (aggregated)` Impressions (total) over 91 days (header on row 2);
    # `Update Engagement` Impressions over its 10 posts; `Visitor metrics` Total page views.
    "linkedin/nplf_page_analytics_2020Q2_resaved.xls": {
        ("impressions", "day"): 2147,
        ("impressions", "post"): 2551,
        ("profile_visits", "day"): 119,
    },
    # `Metrics` Impressions (total) over 30 days; `All posts` Impressions over 8 posts.
    "linkedin/proefficient_content_1742193384396_resaved.xls": {
        ("impressions", "day"): 306,
        ("impressions", "post"): 310,
    },
}

# file → words the refusal must contain (its reason).
REFUSED: dict[str, str] = {
    "google_ads/campaign_report_all_time.csv": "'All time', which has no start and end date",
    "google_ads/editor_export_campaigns_utf16le_tab.csv": "campaign settings",
    "youtube/codingtrain_geography_Table_data.csv": "has no dates",
    "meta_graph_api/docs_page_insights_page_impressions_unique.json": "sostac-control fetch",
    "meta_graph_api/docs_post_insights_reactions.json": "sostac-control fetch",
    "meta_or_tiktok_audience_uncertain/FollowerGender.csv": "audience split",
    "meta_or_tiktok_audience_uncertain/FollowerTopTerritories.csv": "audience split",
    "meta_or_tiktok_audience_uncertain/Viewers.csv": "unique viewers",
    "meta_or_tiktok_audience_uncertain/FollowerHistory.csv": "have no year",
}


def _stored(db: Path, load_id: int) -> dict[str, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT metric, sum(value) FROM metric_values WHERE load_id = ? GROUP BY metric",
            [load_id],
        ).fetchall()
    return {m: v for m, v in rows}


def test_every_shared_export_is_listed_here(shared_exports: Path) -> None:
    files = {
        str(p.relative_to(shared_exports))
        for p in shared_exports.rglob("*")
        if p.is_file() and p.suffix != ".md"
    }
    listed = set(LOADS) | set(BY_GRAIN) | set(REFUSED)
    assert files == listed


@pytest.mark.parametrize("name", sorted(LOADS))
def test_shared_export_stores_the_totals_of_its_data_rows(
    shared_exports: Path, tmp_path: Path, name: str
) -> None:
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([shared_exports / name], db)
    assert result.status == "loaded", result.message
    stored = _stored(db, result.load_id or -1)
    for metric, total in LOADS[name].items():
        # A fresh database: every value the load states is owned by it.
        assert stored.get(metric, 0.0) == pytest.approx(total, abs=1e-6), metric
        assert result.reconciled[metric]["read"] == pytest.approx(total, abs=1e-6)
        assert result.reconciled[metric]["stored"] == pytest.approx(total, abs=1e-6)


@pytest.mark.parametrize("name", sorted(BY_GRAIN))
def test_shared_export_stores_the_totals_of_its_data_rows_per_grain(
    shared_exports: Path, tmp_path: Path, name: str
) -> None:
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([shared_exports / name], db)
    assert result.status == "loaded", result.message
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT metric, grain, sum(value) FROM metric_values WHERE load_id = ? GROUP BY ALL",
            [result.load_id],
        ).fetchall()
    stored = {(m, g): v for m, g, v in rows}
    for key, total in BY_GRAIN[name].items():
        assert stored.get(key, 0.0) == pytest.approx(total, abs=1e-6), key
    for metric, entry in result.reconciled.items():
        assert entry["read"] == pytest.approx(entry["stored"]), metric


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_shared_export_is_refused_with_its_reason(
    shared_exports: Path, tmp_path: Path, name: str
) -> None:
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([shared_exports / name], db)
    assert result.status == "refused"
    assert REFUSED[name] in result.message


def test_file_total_rows_are_checked_and_named(shared_exports: Path, tmp_path: Path) -> None:
    """Google Ads' first `Total:` row is over the rows listed; the UTF-16 report's conversions
    total is rounded separately (9,932.51 against rows adding up to 9,932.52)."""
    [ads] = ingest_paths(
        [shared_exports / "google_ads/ad_report_2026-01-20_21.csv"], tmp_path / "a"
    )
    assert ads.reconciled["spend"]["file_total"] == 117.06
    assert "matches the file's own total" in ads.reconciled["spend"]["check"]
    assert ads.set_aside == {"total rows": 5}
    [utf16] = ingest_paths(
        [shared_exports / "google_ads/campaign_report_utf16le_tab_INR_enGB.csv"], tmp_path / "b"
    )
    assert "differs by 0.01" in utf16.reconciled["conversions"]["check"]
    # Cost: rows 5,086,953.53 against the total row's 5086953.52, a cent apart.
    assert "differs by 0.01" in utf16.reconciled["spend"]["check"]
    assert "matches the file's own total" in utf16.reconciled["impressions"]["check"]


def test_same_export_twice_reconciles_against_values_the_first_load_owns(
    shared_exports: Path, tmp_path: Path
) -> None:
    """The second load changes nothing; its stored total is still the file's total."""
    path = shared_exports / "meta_ads/inr_ads_week_2026-02-02_embedded_in_source.csv"
    db = tmp_path / "x.duckdb"
    ingest_paths([path], db)
    [again] = ingest_paths([path], db)
    assert again.status == "loaded" and again.inserted == 0 and again.updated == 0
    assert again.reconciled["spend"]["stored"] == pytest.approx(14631.96)


def test_follower_history_without_a_year_loads_with_the_year_given(
    shared_exports: Path, tmp_path: Path
) -> None:
    """With --year it loads: Followers is a level (22,551 on 18 August, 22,788 on 16 October,
    the first and last rows), and new followers are derived from it: 22,788 − 22,551 = 237,
    never the file's shifted difference column."""
    from sostac_control.formats import ReadOptions

    db = tmp_path / "x.duckdb"
    path = shared_exports / "meta_or_tiktok_audience_uncertain/FollowerHistory.csv"
    [result] = ingest_paths([path], db, options=ReadOptions(year=2025))
    assert result.status == "loaded", result.message
    assert result.reconciled["new_followers"]["stored"] == 237
    with duckdb.connect(str(db), read_only=True) as con:
        last = con.execute(
            "SELECT day, value FROM metric_values WHERE metric = 'followers' "
            "ORDER BY day DESC LIMIT 1"
        ).fetchone()
    assert last == (date(2025, 10, 16), 22788.0)
