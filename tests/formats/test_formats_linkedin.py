"""LinkedIn page analytics workbooks and Campaign Manager reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl

from sostac_control import store
from sostac_control.engine.metrics import kpi_actual
from sostac_control.formats import Source, detect_format
from sostac_control.ingest import ingest_paths
from tests.support import exports as fx


def test_page_workbook_loads_daily_sheets_and_posts_under_the_note_row(tmp_path: Path, db: Path):
    path = fx.linkedin_page_xlsx(tmp_path)
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.format == "linkedin_page"
    got = fx.totals(db)
    assert got[("linkedin", "impressions", "day", "")] == 600  # the (total) column
    assert got[("linkedin", "profile_visits", "day", "")] == 12
    assert got[("linkedin", "new_followers", "day", "")] == 3
    assert got[("linkedin", "reach", "day", "")] == 300  # unique impressions (organic)
    assert got[("linkedin", "clicks", "day", "")] == 18
    # Engagements are clicks + reactions + comments + shares, as LinkedIn's rate counts them.
    assert got[("linkedin", "engagements", "day", "")] == 18 + 6 + 1 + 1
    assert got[("linkedin", "impressions", "post", "post")] == 400
    assert got[("linkedin", "video_views", "post", "post")] == 30


def test_post_created_date_as_excel_serial_and_as_text_give_the_same_kind_of_day(
    tmp_path: Path, db: Path
):
    ingest_paths([fx.linkedin_page_xlsx(tmp_path)], db)
    rows = fx.values(db, "impressions")
    posts = [(day, item, value) for day, _, item, value, _ in rows if item]
    assert posts == [
        (date(2026, 3, 1), "urn:li:activity:7100000000000000001", 150.0),
        (date(2026, 3, 2), "urn:li:activity:7100000000000000002", 250.0),
    ]
    with store.reader(db) as con:
        text = con.execute("SELECT text FROM posts ORDER BY post_id").fetchone()
    assert text is not None and text[0].startswith("Spring menu 🌷\nnew line")


def test_audience_sheets_in_a_workbook_are_left_out(tmp_path: Path, db: Path):
    ingest_paths([fx.linkedin_page_xlsx(tmp_path)], db)
    with store.reader(db) as con:
        items = {r[0] for r in con.execute("SELECT DISTINCT item FROM metric_values").fetchall()}
    assert "Amsterdam Area" not in items


def test_dutch_content_export_reads_thousands_dots_and_day_first_dates(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.linkedin_content_dutch_xlsx(tmp_path)], db)
    assert result.status == "loaded", result.message
    got = fx.totals(db)
    assert got[("linkedin", "impressions", "day", "")] == 3000
    assert got[("linkedin", "impressions", "post", "post")] == 1500
    days = [row[0] for row in fx.values(db, "clicks") if not row[2]]
    assert days == [date(2026, 3, 13), date(2026, 3, 14)]


def test_campaign_manager_utf16_rows_become_daily_windows_per_campaign(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.linkedin_campaign_manager(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert result.format == "linkedin_campaign_manager"
    rows = fx.values(db, "spend")
    assert rows == [
        (date(2026, 4, 1), date(2026, 4, 1), "111", 10.5, "EUR"),
        (date(2026, 4, 1), date(2026, 4, 1), "222", 4.0, "EUR"),
        (date(2026, 4, 2), date(2026, 4, 2), "111", 12.25, "EUR"),
    ]
    assert fx.totals(db)[("linkedin_ads", "impressions", "window", "campaign")] == 2900


def test_campaign_manager_row_with_a_bad_number_is_rejected_with_its_row(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.linkedin_campaign_manager(tmp_path)], db)
    assert result.rejected == 1
    assert [e.as_row() for e in result.errors] == [
        {"row": 4, "column": "Impressions", "message": "'lots' is not a number"}
    ]


def test_campaign_manager_is_not_mistaken_for_a_google_ads_report(tmp_path: Path):
    path = fx.linkedin_campaign_manager(tmp_path)
    fmt, _ = detect_format(Source(path.name, path.read_bytes()))
    assert fmt.name == "linkedin_campaign_manager"


def test_real_page_analytics_xls_loads_with_hand_counted_totals(shared_exports: Path, db: Path):
    path = shared_exports / "linkedin" / "nplf_page_analytics_2020Q2_resaved.xls"
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    got = fx.totals(db)
    # Summed in a spreadsheet from the sheets Visitor metrics, Update metrics (aggregated)
    # (header on row 2) and Update Engagement (10 posts, created dates as Excel serials).
    assert got[("linkedin", "profile_visits", "day", "")] == 119
    assert got[("linkedin", "impressions", "day", "")] == 2147
    assert got[("linkedin", "reach", "day", "")] == 1523
    assert got[("linkedin", "clicks", "day", "")] == 44
    assert got[("linkedin", "reactions", "day", "")] == 74
    assert got[("linkedin", "engagements", "day", "")] == 44 + 74 + 4 + 4
    assert got[("linkedin", "impressions", "post", "post")] == 2551
    assert got[("linkedin", "reactions", "post", "post")] == 101
    assert result.first_day == "2020-04-01" and result.last_day == "2020-06-30"
    with store.reader(db) as con:
        first_post = con.execute(
            "SELECT min(day), max(day), count(DISTINCT item) FROM metric_values "
            "WHERE grain = 'post'"
        ).fetchone()
    assert first_post == (date(2020, 5, 7), date(2020, 6, 26), 10)  # serials 43958 … 44008


@dataclass(frozen=True)
class _Kpi:
    metric: str
    channel: str
    start: date
    end: date
    account: str | None = None
    denominator: str | None = None


def test_daily_and_post_sheets_of_one_workbook_do_not_double_count(tmp_path: Path, db: Path):
    ingest_paths([fx.linkedin_page_xlsx(tmp_path)], db)
    march = (date(2026, 3, 1), date(2026, 3, 3))
    with store.reader(db) as con:
        impressions = kpi_actual(con, _Kpi("impressions", "linkedin", *march), march[1])
        rate = kpi_actual(con, _Kpi("engagement_rate", "linkedin", *march), march[1])
    assert impressions.value == 600  # the daily sheet, not 600 + 400 from the posts
    assert rate.value is not None and abs(rate.value - 26 / 600) < 1e-12


def test_post_type_comes_from_content_type_not_from_organic_or_sponsored(tmp_path: Path, db: Path):
    path = fx.linkedin_page_xlsx(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Update engagement"]
    column = sheet.max_column + 1
    sheet.cell(row=2, column=column, value="Content Type")
    sheet.cell(row=3, column=column, value="Image")  # the second post has no content type
    book.save(path)
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    with store.reader(db) as con:
        types = con.execute("SELECT post_type FROM posts ORDER BY post_id").fetchall()
    # "Update type" says Organic for both: a distribution, not a type, so it is left out.
    assert types == [("Image",), (None,)]
