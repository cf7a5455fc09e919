"""YouTube Studio downloads: Table data, Chart data and Totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sostac_control import store
from sostac_control.ingest import ingest_paths
from tests.support import exports as fx


def test_content_table_skips_the_total_row_and_keeps_videos_as_posts(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.youtube_table_content(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert result.skipped == 1  # the Total row, first
    rows = fx.values(db, "views")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (date(2026, 3, 3), "abcDEF12345", 1000.0),
        (date(2026, 3, 10), "xyz_9876543", 250.0),
    ]
    got = fx.totals(db)
    assert got[("youtube", "watch_time_hours", "post", "post")] == 14.75
    assert got[("youtube", "impressions", "post", "post")] == 20000
    with store.reader(db) as con:
        title = con.execute("SELECT text FROM posts WHERE post_id = 'abcDEF12345'").fetchone()
    assert title == ("Latte art, part 1",)


def test_ctr_percent_numbers_are_not_loaded_as_a_metric(tmp_path: Path, db: Path):
    ingest_paths([fx.youtube_table_content(tmp_path)], db)
    metrics = {key[1] for key in fx.totals(db)}
    assert metrics == {"views", "watch_time_hours", "new_followers", "impressions"}


def test_chart_data_is_long_format_per_country_and_keeps_namibia(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.youtube_chart_data(tmp_path)], db)
    assert result.status == "loaded", result.message
    rows = fx.values(db, "views")
    assert (date(2026, 3, 1), date(2026, 3, 1), "NA", 2.0, None) in rows
    assert fx.totals(db) == {("youtube", "views", "day", "country"): 37.0}


def test_totals_are_day_totals_beside_the_country_rows(tmp_path: Path, db: Path):
    ingest_paths([fx.youtube_chart_data(tmp_path), fx.youtube_totals(tmp_path)], db)
    got = fx.totals(db)
    assert got[("youtube", "views", "day", "")] == 37
    assert got[("youtube", "views", "day", "country")] == 37


def test_a_table_without_dates_is_refused_with_the_reason(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.youtube_table_geography(tmp_path)], db)
    assert result.status == "refused"
    assert "has no dates" in result.message
    assert "Chart data" in result.hint


def test_real_geography_chart_data_and_totals_agree(shared_exports: Path, db: Path):
    folder = shared_exports / "youtube"
    results = ingest_paths(
        [
            folder / "codingtrain_geography_Chart_data.csv",
            folder / "codingtrain_geography_Totals.csv",
        ],
        db,
    )
    assert [r.status for r in results] == ["loaded", "loaded"]
    assert results[0].rows_read == 73365 and results[1].rows_read == 365
    got = fx.totals(db)
    # Summed from the files: Chart data (201 countries, NA = Namibia included) and Totals,
    # 2020-12-31 … 2021-12-30. The countries add up to less than the total (unknown region).
    assert got[("youtube", "views", "day", "country")] == 14344009
    assert got[("youtube", "views", "day", "")] == 15503810
    with store.reader(db) as con:
        countries = con.execute(
            "SELECT count(DISTINCT item) FROM metric_values WHERE dimension = 'country'"
        ).fetchone()
        jan1 = con.execute(
            "SELECT dimension, sum(value) FROM metric_values WHERE day = DATE '2021-01-01' "
            "GROUP BY ALL ORDER BY 1"
        ).fetchall()
    assert countries == (201,)
    assert jan1 == [("", 37509.0), ("country", 34485.0)]


def test_chart_data_rows_with_a_bad_number_or_date_are_rejected_with_their_row(
    tmp_path: Path, db: Path
):
    path = tmp_path / "Chart data.csv"
    path.write_text(
        "Date,Geography,Views\n2026-03-01,NL,10\n2026-03-02,NL,ten\n2026-13-45,BE,3\n"
        "2026-03-03,BE,4\n",
        encoding="utf-8",
    )
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.rejected == 2
    assert [e.as_row() for e in result.errors] == [
        {"row": 2, "column": "Views", "message": "'ten' is not a number"},
        {"row": 3, "column": "Date", "message": "'2026-13-45' is not a date"},
    ]
    assert fx.totals(db) == {("youtube", "views", "day", "country"): 14.0}


def test_table_by_date_skips_its_total_row(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.youtube_table_by_date(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert (result.rows_read, result.skipped, result.rejected) == (3, 1, 0)
    assert fx.totals(db) == {
        ("youtube", "views", "day", ""): 30.0,
        ("youtube", "watch_time_hours", "day", ""): 1.5,
    }
