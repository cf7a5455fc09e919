"""Meta Business Suite and legacy Page Insights exports: recognised, read, totals exact."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from sostac_control.errors import SostacError
from sostac_control.formats import ReadOptions, Source
from sostac_control.ingest import ingest_paths, read_source
from tests.support.exports import (
    Post,
    write_legacy_page,
    write_legacy_posts,
    write_legacy_posts_spreadsheetml,
    write_mbs_posts,
    write_page_series,
)


def _read(path: Path, **options: object):
    return read_source(Source(path.name, path.read_bytes()), options=ReadOptions(**options))


def _totals(observations: pd.DataFrame) -> dict[str, float]:
    return observations.groupby("metric", observed=True)["value"].sum().to_dict()


POSTS = [
    Post("122121474620644102", datetime(2025, 3, 15, 3, 6),
         {"views": 1200, "reach": 800, "reactions": 40, "comments": 5, "shares": 3,
          "clicks": 17, "engagements": 48, "link_clicks": 9, "new_followers": 2}),
    Post("122121248420644103", datetime(2025, 2, 28, 22, 1),
         {"views": 300.5, "reach": 250, "reactions": 10, "comments": 0, "shares": 1,
          "clicks": 4, "engagements": 11, "link_clicks": 1, "new_followers": 0}),
]  # fmt: skip


@pytest.mark.parametrize("layout", ["early2025", "late2025"])
def test_facebook_post_export_of_either_layout_loads_each_post_on_its_publish_day(
    tmp_path: Path, layout: str
) -> None:
    path = write_mbs_posts(tmp_path / "posts.csv", POSTS, layout=layout)
    fmt, extract = _read(path)
    assert fmt.name == "meta_fb_posts"
    obs = extract.observations
    totals = _totals(obs)
    assert totals["views"] == 1500.5
    assert totals["reach"] == 1050
    assert totals["reactions"] == 50
    assert totals["engagements"] == 59
    assert set(obs["grain"]) == {"post"} and set(obs["dimension"]) == {"post"}
    assert set(obs["item"]) == {"122121474620644102", "122121248420644103"}
    assert set(obs["account"]) == {"Koffiebar Noord"}
    by_post = obs[obs["metric"] == "views"].set_index("item")["period_start"]
    assert by_post["122121474620644102"] == date(2025, 3, 15)
    assert extract.posts is not None and len(extract.posts) == 2
    assert extract.posts["text"].iloc[0].startswith("Nieuwe koffie 🍂\nmet")


def test_duplicated_views_header_is_counted_once(tmp_path: Path) -> None:
    path = write_mbs_posts(tmp_path / "posts.csv", POSTS, layout="early2025")
    _, extract = _read(path)
    views = extract.observations[extract.observations["metric"] == "views"]
    assert len(views) == 2


def test_late_2025_layout_reads_link_clicks_and_follows(tmp_path: Path) -> None:
    _, extract = _read(write_mbs_posts(tmp_path / "p.csv", POSTS, layout="late2025"))
    totals = _totals(extract.observations)
    assert totals["link_clicks"] == 10
    assert totals["new_followers"] == 2


def test_dutch_facebook_export_with_decimal_commas_and_day_first_dates(tmp_path: Path) -> None:
    posts = [
        Post(
            "901",
            datetime(2025, 4, 3, 9, 30),
            {"views": 12345.5, "reach": 2000, "reactions": 7, "comments": 2},
        )
    ]
    fmt, extract = _read(write_mbs_posts(tmp_path / "nl.csv", posts, layout="nl"))
    assert fmt.name == "meta_fb_posts"
    totals = _totals(extract.observations)
    assert totals == {"views": 12345.5, "reach": 2000, "reactions": 7, "comments": 2}
    assert set(extract.observations["period_start"]) == {date(2025, 4, 3)}


def test_instagram_export_english_and_dutch_give_the_same_values(tmp_path: Path) -> None:
    posts = [
        Post("17900000000000001", datetime(2025, 9, 1, 21, 13),
             {"views": 5000, "reach": 3100, "reactions": 210, "comments": 14, "shares": 9,
              "saves": 33, "new_followers": 4}, post_type="IG reel"),
        Post("17900000000000002", datetime(2025, 9, 2, 8, 0),
             {"views": 1234.5, "reach": 900, "reactions": 50, "comments": 3, "shares": 1,
              "saves": 6, "new_followers": 0}, post_type="IG carousel"),
    ]  # fmt: skip
    english = _read(
        write_mbs_posts(tmp_path / "ig.csv", posts, account="koffiebarnoord", layout="ig")
    )
    dutch = _read(
        write_mbs_posts(tmp_path / "ig_nl.csv", posts, account="koffiebarnoord", layout="ig_nl")
    )
    for fmt, extract in (english, dutch):
        assert fmt.name == "meta_ig_posts"
        assert set(extract.observations["channel"]) == {"instagram"}
        assert set(extract.observations["account"]) == {"koffiebarnoord"}
        assert _totals(extract.observations) == {
            "views": 6234.5, "reach": 4000, "reactions": 260, "comments": 17, "shares": 10,
            "saves": 39, "new_followers": 4,
        }  # fmt: skip


def test_post_without_id_is_skipped_and_bad_number_rejects_only_its_row(tmp_path: Path) -> None:
    width = 28
    total = ["", "", "Koffiebar Noord"] + [""] * (width - 3)
    path = write_mbs_posts(tmp_path / "p.csv", POSTS, extra_rows=[total])
    text = path.read_text(encoding="utf-8-sig").replace(",1200,", ",12x0,", 1)
    path.write_text(text, encoding="utf-8-sig")
    _, extract = _read(path)
    assert extract.skipped == 1
    assert [(e.row, e.column) for e in extract.errors] == [(1, "Views")]
    assert set(extract.observations["item"]) == {"122121248420644103"}


def test_export_with_a_row_per_post_and_day_gives_one_value_per_post(tmp_path: Path) -> None:
    day_rows = [
        Post(
            "7",
            datetime(2025, 3, 1, 9),
            {"views": 100, "reach": 80, "reactions": 3},
            day="2025-03-01",
        ),
        Post(
            "7",
            datetime(2025, 3, 1, 9),
            {"views": 40, "reach": 35, "reactions": 1},
            day="2025-03-02",
        ),
        Post("8", datetime(2025, 3, 2, 9), {"views": 10, "reach": 9}),
    ]
    _, extract = _read(write_mbs_posts(tmp_path / "daily.csv", day_rows, layout="late2025"))
    values = extract.observations.set_index(["item", "metric"])["value"]
    assert values[("7", "views")] == 140 and values[("7", "reactions")] == 4
    assert values[("7", "reach")] == 80  # unique: the largest day, never the sum
    assert values[("8", "views")] == 10
    assert any("one per day" in note for note in extract.notes)


def test_english_headers_with_semicolons_read_decimal_commas(tmp_path: Path) -> None:
    path = write_mbs_posts(tmp_path / "p.csv", POSTS[:1], layout="late2025")
    text = path.read_text(encoding="utf-8-sig").replace(",", ";").replace("1200", "1.200")
    path.write_text(text, encoding="utf-8-sig")
    _, extract = _read(path)
    assert _totals(extract.observations)["views"] == 1200


def test_page_series_takes_the_metric_from_the_title_line(tmp_path: Path) -> None:
    days = [(date(2025, 9, 20), 20), (date(2025, 9, 21), 28), (date(2025, 9, 22), 21)]
    fmt, extract = _read(
        write_page_series(tmp_path / "f.csv", "Facebook follows", days), account="koffiebarnoord"
    )
    assert fmt.name == "meta_page_series"
    obs = extract.observations
    assert set(obs["metric"]) == {"new_followers"} and set(obs["grain"]) == {"day"}
    assert obs["value"].sum() == 69 and set(obs["account"]) == {"koffiebarnoord"}
    assert sorted(obs["period_start"]) == [d for d, _ in days]


def test_dutch_page_series_with_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "bereik.csv"
    text = 'sep=;\n"Instagram-bereik"\n"Datum";"Primair"\n"2025-09-20T00:00:00";"1.234"\n'
    path.write_bytes(text.replace("Instagram-bereik", "Instagram bereik").encode("utf-16"))
    fmt, extract = _read(path, account="koffiebarnoord")
    assert fmt.name == "meta_page_series"
    obs = extract.observations
    assert list(obs["channel"]) == ["instagram"] and list(obs["metric"]) == ["reach"]
    assert list(obs["value"]) == [1234]


def test_page_series_without_account_says_so(tmp_path: Path) -> None:
    path = write_page_series(tmp_path / "i.csv", "Content interactions", [(date(2025, 1, 1), 5)])
    _, extract = _read(path)
    assert set(extract.observations["metric"]) == {"engagements"}
    assert any("--account" in note for note in extract.notes)


def test_page_series_of_a_unique_count_is_refused_with_the_known_titles(tmp_path: Path) -> None:
    path = write_page_series(tmp_path / "v.csv", "Viewers", [(date(2025, 1, 1), 5)])
    with pytest.raises(SostacError, match="Viewers") as caught:
        _read(path)
    assert "Follows" in caught.value.hint


LEGACY = [
    Post("1110323039031123", datetime(2016, 2, 14, 0, 40, 16),
         {"reach": 301, "impressions": 537, "reactions": 10, "comments": 1, "shares": 2,
          "clicks": 40, "link_clicks": 3, "organic_video_views": 0, "paid_video_views": 0}),
    Post("1107861962610564", datetime(2015, 8, 19, 15, 51, 26),
         {"reach": 1115, "impressions": 4882, "reactions": 34, "comments": 2,
          "organic_video_views": 485, "paid_video_views": 15}),
]  # fmt: skip


@pytest.mark.parametrize("writer", [write_legacy_posts, write_legacy_posts_spreadsheetml])
def test_legacy_post_export_skips_the_description_row(tmp_path: Path, writer) -> None:
    fmt, extract = _read(writer(tmp_path / "legacy.csv", LEGACY))
    assert fmt.name == "fb_insights_posts"
    assert extract.skipped == 1 and extract.rows_read == 3
    totals = _totals(extract.observations)
    assert totals["reach"] == 1416 and totals["impressions"] == 5419
    assert totals["video_views"] == 500  # organic + paid
    assert totals["reactions"] == 44
    assert set(extract.observations["account"]) == {"KoffiebarNoord"}
    days = set(extract.observations["period_start"])
    assert days == {date(2016, 2, 14), date(2015, 8, 19)}  # 03:51:26 PM is the same day


def test_legacy_video_posts_export_reads_total_video_views(tmp_path: Path) -> None:
    path = tmp_path / "video.csv"
    path.write_text(
        '"Post ID",Permalink,"Post Message",Posted,"Lifetime Total Video Views",'
        '"Lifetime Unique Video Views","Lifetime Post Total Reach"\n'
        ',,,,"Lifetime: Total Count","Lifetime: Unique Users","Lifetime: Unique Users"\n'
        "1_22,https://www.facebook.com/KoffiebarNoord/videos/22/,Latte art,"
        '"08/19/2015 3:51:26 PM",1200,800,950\n'
        "1_23,https://www.facebook.com/KoffiebarNoord/videos/23/,Barista,"
        '"08/20/2015 9:00:00 AM",300,250,400\n',
        encoding="utf-8-sig",
    )
    fmt, extract = _read(path)
    assert fmt.name == "fb_insights_posts" and extract.skipped == 1
    assert _totals(extract.observations) == {"video_views": 1500, "reach": 1350}


def test_legacy_page_level_export_loads_daily_values_and_the_follower_level(
    tmp_path: Path,
) -> None:
    days = [
        (date(2016, 1, 1), {"followers": 1000, "new_followers": 4, "reach": 300,
                            "impressions": 900}),
        (date(2016, 1, 2), {"followers": 1003, "new_followers": 3, "reach": 280,
                            "impressions": 850}),
    ]  # fmt: skip
    fmt, extract = _read(write_legacy_page(tmp_path / "page.csv", days), account="kbn")
    assert fmt.name == "fb_insights_page"
    assert extract.skipped == 1
    totals = _totals(extract.observations)
    assert totals == {"followers": 2003, "new_followers": 7, "reach": 580, "impressions": 1750}


def test_facebook_post_export_loads_into_the_store_with_post_metadata(
    tmp_path: Path, db: Path
) -> None:
    import duckdb

    path = write_mbs_posts(tmp_path / "posts.csv", POSTS)
    [result] = ingest_paths([path], db)
    assert result.status == "loaded" and result.format == "meta_fb_posts"
    assert result.first_day == "2025-02-28" and result.last_day == "2025-03-15"
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT sum(value) FROM metric_values WHERE metric = 'reach'").fetchone()
        posts = con.execute("SELECT post_id, published_at FROM posts ORDER BY 1").fetchall()
    assert row == (1050.0,)
    assert posts[0] == ("122121248420644103", datetime(2025, 2, 28, 22, 1))


# --- the real exports in ../shared/exports (totals computed by hand from the files) -----------


def test_real_business_suite_post_export(shared_exports: Path) -> None:
    fmt, extract = _read(shared_exports / "facebook/mbs_fb_posts_Feb-01-2025_Mar-15-2025.csv")
    assert fmt.name == "meta_fb_posts"
    assert extract.rows_read == 20 and extract.skipped == 0 and not extract.errors
    totals = _totals(extract.observations)
    assert totals["reach"] == 34 and totals["clicks"] == 3 and totals["views"] == 0
    assert set(extract.observations["account"]) == {"Pro Efficient Data Entry"}
    assert "122121474620644102" in set(extract.observations["item"])


@pytest.mark.parametrize(
    ("name", "metric", "total"),
    [("Follows", "new_followers", 631), ("Interactions", "engagements", 3491)],
)
def test_real_page_daily_series(shared_exports: Path, name: str, metric: str, total: int) -> None:
    fmt, extract = _read(shared_exports / f"facebook/mbs_page_daily_{name}_utf16le.csv")
    assert fmt.name == "meta_page_series"
    obs = extract.observations
    assert set(obs["metric"]) == {metric} and len(obs) == 28 and obs["value"].sum() == total
    assert min(obs["period_start"]) == date(2025, 9, 20)
    assert max(obs["period_start"]) == date(2025, 10, 17)


def test_real_legacy_post_level_csv(shared_exports: Path) -> None:
    path = shared_exports / "facebook/legacy_post_level_VIC_2015-08-19_2016-02-15.csv"
    fmt, extract = _read(path)
    assert fmt.name == "fb_insights_posts"
    assert extract.rows_read == 171 and extract.skipped == 1 and not extract.errors
    totals = _totals(extract.observations)
    assert totals["reach"] == 122585 and totals["impressions"] == 291369
    assert totals["reactions"] == 2806 and totals["link_clicks"] == 836
    assert totals["video_views"] == 14233
    assert set(extract.observations["account"]) == {"VisualizationStudio"}


def test_real_legacy_spreadsheetml_export(shared_exports: Path) -> None:
    path = shared_exports / "facebook/nplf_page_posts_2020Q2_spreadsheetml_resaved.xml"
    fmt, extract = _read(path)
    assert fmt.name == "fb_insights_posts"
    assert extract.rows_read == 56 and extract.skipped == 1
    totals = _totals(extract.observations)
    assert totals["reach"] == 74028 and totals["impressions"] == 89367
    assert totals["reactions"] == 2465 and totals["comments"] == 185 and totals["shares"] == 203
    assert totals["clicks"] == 2247 and totals["link_clicks"] == 328  # from the breakdown sheet
    obs = extract.observations
    assert min(obs["period_start"]) == date(2020, 4, 1)
    assert max(obs["period_start"]) == date(2020, 6, 29)


def test_a_post_with_a_lifetime_row_and_day_rows_counts_its_lifetime_row_once(
    tmp_path: Path, db: Path
) -> None:
    """`Lifetime` is the post's total; its day rows beside it would count it twice, so they
    are set aside and named. A post with day rows only is summed over its days."""
    rows = [
        Post("7", datetime(2025, 3, 1, 9), {"views": 140, "reactions": 4}),
        Post("7", datetime(2025, 3, 1, 9), {"views": 100, "reactions": 3}, day="2025-03-01"),
        Post("7", datetime(2025, 3, 1, 9), {"views": 40, "reactions": 1}, day="2025-03-02"),
        Post("8", datetime(2025, 3, 2, 9), {"views": 10}, day="2025-03-02"),
        Post("8", datetime(2025, 3, 2, 9), {"views": 5}, day="2025-03-03"),
    ]
    path = write_mbs_posts(tmp_path / "mixed.csv", rows, layout="late2025")
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.reconciled["views"]["stored"] == 140 + 15
    assert result.set_aside == {"day rows of posts that also have a lifetime row": 2}
