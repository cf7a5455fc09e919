"""Exports made with a Dutch, Portuguese, Spanish, German, French or Japanese interface load
with the same totals as English ones: localised headers, date orders and decimal marks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from sostac_control.ingest import ingest_paths
from tests.support.exports.localised import (
    write_mbs_posts_in,
    write_x_content_in,
    write_youtube_totals_in,
)

# 15 March: a day above 12, so a month-first reading would fail or land elsewhere. 1,234 views
# is written 1.234 (nl pt es de), 1 234 (fr) or 1,234 (ja).
POSTS = [
    ("901", datetime(2025, 3, 15, 9, 30), {"views": 1234, "reach": 1000, "reactions": 12}),
    ("902", datetime(2025, 4, 2, 18, 5), {"views": 50, "reach": 40, "comments": 3}),
]


def _by_day(db: Path, metric: str) -> dict[date, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT day, sum(value) FROM metric_values WHERE metric = ? GROUP BY day", [metric]
        ).fetchall()
    return dict(rows)


@pytest.mark.parametrize("language", ["nl", "pt", "es", "de", "fr", "ja"])
def test_business_suite_post_export_in_each_language_loads_the_same_totals(
    tmp_path: Path, language: str
) -> None:
    path = write_mbs_posts_in(tmp_path / "posts.csv", language, POSTS)
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.format == "meta_fb_posts"
    assert _by_day(db, "views") == {date(2025, 3, 15): 1234, date(2025, 4, 2): 50}
    assert result.reconciled["reach"]["stored"] == 1040
    assert result.reconciled["comments"]["stored"] == 3
    assert result.reconciled["reactions"]["stored"] == 12


@pytest.mark.parametrize("language", ["nl", "es"])
def test_x_content_export_in_other_languages_reads_localised_dates_and_headers(
    tmp_path: Path, language: str
) -> None:
    posts = [("1001", 9, {"impressions": 2500, "likes": 7}), ("1002", 3, {"impressions": 80})]
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([write_x_content_in(tmp_path / "x.csv", language, posts)], db)
    assert result.status == "loaded", result.message
    assert _by_day(db, "impressions") == {date(2025, 11, 9): 2500, date(2025, 11, 3): 80}
    assert result.reconciled["reactions"]["stored"] == 7


@pytest.mark.parametrize("language", ["pt", "de", "ja"])
def test_youtube_studio_totals_with_a_localised_name_and_headers_load(
    tmp_path: Path, language: str
) -> None:
    days = [(date(2026, 1, 1), 120), (date(2026, 1, 2), 80)]
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([write_youtube_totals_in(tmp_path, language, days)], db)
    assert result.status == "loaded", result.message
    assert _by_day(db, "views") == {date(2026, 1, 1): 120, date(2026, 1, 2): 80}


def test_an_export_in_an_unknown_language_is_refused_with_its_headers_and_what_it_resembles(
    tmp_path: Path,
) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "Julkaisun tunnus,Sivun nimi,Julkaisuaika,Pysyvä linkki,Kattavuus\n"
        "901,Koffiebar,15.3.2025 9.30,https://www.facebook.com/koffiebarnoord/posts/901,1000\n",
        encoding="utf-8",
    )
    [result] = ingest_paths([path], tmp_path / "x.duckdb")
    assert result.status == "refused"
    assert "Julkaisun tunnus,Sivun nimi" in result.message  # the headers it saw
    assert "resembles a Meta Business Suite export" in result.message
    assert "English, Dutch, Portuguese, Spanish, German, French, Japanese" in result.message


def test_youtube_studio_zip_with_portuguese_member_names_loads_both_files(tmp_path: Path) -> None:
    from tests.support.exports.localised import write_youtube_zip_pt

    db = tmp_path / "x.duckdb"
    results = ingest_paths([write_youtube_zip_pt(tmp_path)], db)
    assert [r.status for r in results] == ["loaded", "loaded"], [r.message for r in results]
    table, totals = results
    assert table.file.endswith("Dados da tabela.csv") and totals.file.endswith("Total.csv")
    assert table.reconciled["views"]["stored"] == 330
    assert "matches the file's own total" in table.reconciled["views"]["check"]
    assert totals.reconciled["views"]["stored"] == 330
    with duckdb.connect(str(db), read_only=True) as con:
        published = con.execute(
            "SELECT item, day FROM metric_values WHERE grain = 'post' AND metric = 'views' "
            "ORDER BY item"
        ).fetchall()
    assert published == [("vid00000001", date(2025, 1, 8)), ("vid00000002", date(2025, 1, 15))]


def test_instagram_post_export_in_portuguese_loads_on_instagram(tmp_path: Path) -> None:
    from tests.support.exports.localised import write_instagram_posts_pt

    posts = [
        ("C1", datetime(2025, 3, 15, 9, 30), {"views": 1234, "reach": 900, "likes": 80}),
        ("C2", datetime(2025, 3, 16, 9, 30), {"views": 10, "reach": 8, "saves": 2}),
    ]
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([write_instagram_posts_pt(tmp_path / "ig.csv", posts)], db)
    assert result.status == "loaded", result.message
    assert result.format == "meta_ig_posts" and result.account == "koffiebarnoord"
    assert _by_day(db, "views") == {date(2025, 3, 15): 1234, date(2025, 3, 16): 10}
    assert result.reconciled["reactions"]["stored"] == 80
    assert result.reconciled["saves"]["stored"] == 2


def test_tiktok_content_in_spanish_takes_month_names_and_the_year_from_the_video_id(
    tmp_path: Path,
) -> None:
    from tests.support.exports.localised import write_tiktok_content_es
    from tests.support.exports.tiktok import tiktok_video_id

    videos = [
        (tiktok_video_id(datetime(2025, 12, 30, 18)), "30 de diciembre", 1500),
        (tiktok_video_id(datetime(2026, 1, 2, 9), 2), "2 de enero", 300),
    ]
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([write_tiktok_content_es(tmp_path, videos)], db)
    assert result.status == "loaded", result.message
    assert _by_day(db, "video_views") == {date(2025, 12, 30): 1500, date(2026, 1, 2): 300}
