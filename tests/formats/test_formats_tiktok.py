"""TikTok Studio downloads: year-less dates, `undefined` days, followers as a level."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from sostac_control.formats import ReadOptions
from sostac_control.ingest import ingest_paths
from tests.support import exports as fx


def test_year_less_dates_without_a_year_are_refused_with_a_request_for_year(
    tmp_path: Path, db: Path
):
    [result] = ingest_paths([fx.tiktok_overview(tmp_path)], db)
    assert result.status == "refused"
    assert "'December 30' have no year" in result.message
    assert "--year" in result.hint
    assert not db.exists() or fx.totals(db) == {}


def test_overview_with_year_crosses_new_year_and_skips_the_undefined_day(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.tiktok_overview(tmp_path)], db, options=ReadOptions(year=2025))
    assert result.status == "loaded", result.message
    assert result.skipped == 1
    rows = fx.values(db, "video_views")
    assert [(r[0], r[3]) for r in rows] == [
        (date(2025, 12, 30), 100.0),
        (date(2025, 12, 31), 200.0),
        (date(2026, 1, 1), 300.0),
    ]
    got = fx.totals(db)
    assert got[("tiktok", "profile_visits", "day", "")] == 18
    assert got[("tiktok", "reactions", "day", "")] == 60


def test_followers_are_levels_and_growth_comes_from_them_not_the_difference_column(
    tmp_path: Path, db: Path
):
    path = fx.tiktok_follower_history(tmp_path)
    [result] = ingest_paths([path], db, options=ReadOptions(year=2026))
    assert result.status == "loaded", result.message
    assert [r[3] for r in fx.values(db, "followers")] == [1000, 1010, 1005, 1020]
    growth = [(r[0], r[3]) for r in fx.values(db, "new_followers")]
    assert growth == [(date(2026, 3, 2), 10), (date(2026, 3, 3), -5), (date(2026, 3, 4), 15)]


def test_the_year_can_come_from_the_zip_name(tmp_path: Path, db: Path):
    results = ingest_paths([fx.tiktok_zip(tmp_path)], db)
    assert [r.status for r in results] == ["loaded", "loaded"], [r.message for r in results]
    assert fx.values(db, "followers")[0][0] == date(2026, 3, 1)


def test_content_rows_are_posts_and_the_placeholder_row_is_skipped(tmp_path: Path, db: Path):
    path = fx.tiktok_content(tmp_path)
    [result] = ingest_paths([path], db, options=ReadOptions(year=2026))
    assert result.status == "loaded", result.message
    assert result.skipped == 1
    rows = fx.values(db, "video_views")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (date(2026, 3, 2), "7612580424056832001", 1000.0),
        (date(2026, 3, 3), "7612951509231206402", 500.0),
    ]


def test_viewers_file_is_refused_saying_what_it_is(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.tiktok_viewers(tmp_path)], db, options=ReadOptions(year=2026))
    assert result.status == "refused"
    assert "unique viewers" in result.message


def test_real_follower_history_is_refused_without_year(shared_exports: Path, db: Path):
    path = shared_exports / "meta_or_tiktok_audience_uncertain" / "FollowerHistory.csv"
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert "'August 18' have no year" in result.message
    assert "--year YYYY" in result.hint


def test_real_follower_history_loads_with_year(shared_exports: Path, db: Path):
    path = shared_exports / "meta_or_tiktok_audience_uncertain" / "FollowerHistory.csv"
    [result] = ingest_paths([path], db, options=ReadOptions(year=2025))
    assert result.status == "loaded", result.message
    followers = fx.values(db, "followers")
    # 60 days, August 18 (22,551) to October 16 (22,788), read from the file by hand.
    assert len(followers) == 60
    assert (followers[0][0], followers[0][3]) == (date(2025, 8, 18), 22551)
    assert (followers[-1][0], followers[-1][3]) == (date(2025, 10, 16), 22788)
    assert fx.totals(db)[("tiktok", "new_followers", "day", "")] == 22788 - 22551


def test_content_dates_without_a_year_take_the_year_of_each_videos_id_across_new_year(
    tmp_path: Path, db: Path
) -> None:
    """`Dec 30` and `Jan 2` in one file: the id of each video says which year it is in
    (its top 32 bits are its creation time), without --year or a year in the file name."""
    videos = [
        (datetime(2025, 12, 30, 18), "December 30", 1200),
        (datetime(2026, 1, 2, 9), "January 2", 300),
    ]
    [result] = ingest_paths([fx.tiktok_content_of(tmp_path, videos)], db)
    assert result.status == "loaded", result.message
    with duckdb.connect(str(db), read_only=True) as con:
        days = con.execute(
            "SELECT day, value FROM metric_values WHERE metric = 'video_views' ORDER BY day"
        ).fetchall()
    assert days == [(date(2025, 12, 30), 1200.0), (date(2026, 1, 2), 300.0)]
