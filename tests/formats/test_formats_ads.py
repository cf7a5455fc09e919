"""Ads reports: Meta Ads Manager and Google Ads (UTF-8 and UTF-16 TAB), stored as windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from sostac_control import store
from sostac_control.engine.metrics import kpi_actual
from sostac_control.formats import Source, detect_format, get_format
from sostac_control.formats.table import dates_in
from sostac_control.ingest import ingest_paths
from tests.support import exports as fx

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_meta_ads_rows_are_windows_per_ad_with_the_currency_from_the_header(
    tmp_path: Path, db: Path
):
    [result] = ingest_paths([fx.meta_ads_csv(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert result.format == "meta_ads_manager"
    assert result.account == "Koffiebar"
    spend = fx.values(db, "spend")
    # Two ads share a name; the ad set keeps them apart.
    assert spend == [
        (*MARCH, "Students / Latte video", 20.0, "EUR"),
        (*MARCH, "Young professionals / Latte video", 45.5, "EUR"),
    ]
    got = fx.totals(db)
    assert got[("meta_ads", "impressions", "window", "ad")] == 4500
    assert got[("meta_ads", "link_clicks", "window", "ad")] == 85
    assert got[("meta_ads", "revenue", "window", "ad")] == 19.9
    assert ("meta_ads", "impressions", "window", "ad") in got
    assert not any(key[1] == "cpa" for key in got)  # "Cost per result" is a ratio


def test_dutch_ads_manager_reads_weergaven_as_impressions_with_decimal_commas(
    tmp_path: Path, db: Path
):
    [result] = ingest_paths([fx.meta_ads_dutch_csv(tmp_path)], db)
    assert result.status == "loaded", result.message
    got = fx.totals(db)
    assert got[("meta_ads", "impressions", "window", "campaign")] == 3000
    assert got[("meta_ads", "reach", "window", "campaign")] == 1200
    assert fx.values(db, "spend") == [(*MARCH, "Lente", 45.5, "EUR")]


def test_google_ads_report_skips_total_rows_and_reads_quoted_thousands(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.google_ads_csv(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert result.format == "google_ads_report"
    assert result.skipped == 2
    got = fx.totals(db)
    assert got[("google_ads", "impressions", "window", "campaign")] == 1_234_567 + 433
    assert got[("google_ads", "clicks", "window", "campaign")] == 9285
    assert round(got[("google_ads", "spend", "window", "campaign")], 2) == 2706.91
    assert fx.values(db, "spend")[0] == (*MARCH, "Brand", 0.0, "EUR")


def test_google_ads_utf16_tab_flavour_loads_the_same_values(tmp_path: Path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    ingest_paths([fx.google_ads_csv(tmp_path)], first)
    [result] = ingest_paths([fx.google_ads_utf16_tab(tmp_path)], second)
    assert result.status == "loaded", result.message
    assert fx.totals(first) == fx.totals(second)


def test_reloading_an_ads_report_changes_nothing(tmp_path: Path, db: Path):
    path = fx.google_ads_csv(tmp_path)
    [first] = ingest_paths([path], db)
    [again] = ingest_paths([path], db)
    assert first.inserted == 12
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 12)


def test_real_meta_ads_manager_export_loads_with_hand_counted_totals(
    shared_exports: Path, db: Path
):
    path = shared_exports / "meta_ads" / "pcm_ads_manager_Sep-1-2025-Sep-30-2025_PHP.csv"
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.rows_read == 65
    got = fx.totals(db)
    # Column sums of the 65 ad rows, September 2025, money in PHP.
    assert got[("meta_ads", "impressions", "window", "ad")] == 567677
    assert got[("meta_ads", "reach", "window", "ad")] == 301154
    assert round(got[("meta_ads", "spend", "window", "ad")], 2) == 66067.60
    assert got[("meta_ads", "link_clicks", "window", "ad")] == 13651
    assert got[("meta_ads", "conversions", "window", "ad")] == 40  # Purchases
    spend = fx.values(db, "spend")
    assert {(r[0], r[1], r[4]) for r in spend} == {(date(2025, 9, 1), date(2025, 9, 30), "PHP")}


def test_real_google_ads_all_time_report_is_refused_for_its_missing_dates(
    shared_exports: Path, db: Path
):
    path = shared_exports / "google_ads" / "campaign_report_all_time.csv"
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert "'All time'" in result.message
    assert "no start and end date" in result.message
    assert "date range" in result.hint


def test_a_dutch_ads_manager_export_is_not_taken_for_linkedin_campaign_manager(tmp_path: Path):
    path = fx.meta_ads_dutch_csv(tmp_path)
    source = Source(path.name, path.read_bytes())
    assert detect_format(source)[0].name == "meta_ads_manager"
    assert get_format("linkedin_campaign_manager").detect(source) is None


def test_meta_ads_xlsx_by_day_has_one_day_windows_per_campaign_id(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.meta_ads_xlsx(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert fx.values(db, "spend") == [
        (date(2026, 3, 1), date(2026, 3, 1), "120000000000000001", 10.5, "EUR"),
        (date(2026, 3, 1), date(2026, 3, 1), "23851234567890", 1.0, "EUR"),
        (date(2026, 3, 2), date(2026, 3, 2), "120000000000000001", 20.25, "EUR"),
    ]
    assert fx.totals(db)[("meta_ads", "link_clicks", "window", "campaign")] == 12


def test_google_ads_report_segmented_by_day_needs_no_date_range(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.google_ads_by_day(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert result.skipped == 1
    assert [(r[0], r[1], r[3]) for r in fx.values(db, "impressions")] == [
        (date(2026, 3, 1), date(2026, 3, 1), 1000.0),
        (date(2026, 3, 2), date(2026, 3, 2), 1500.0),
    ]


def test_google_ads_date_range_with_the_year_only_at_its_end(tmp_path: Path, db: Path):
    path = fx.google_ads_csv(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "1 March 2026 - 31 March 2026", "Mar 1 - Mar 31, 2026"
    )
    path.write_text(text, encoding="utf-8")
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert {r[:2] for r in fx.values(db, "clicks")} == {MARCH}


@dataclass(frozen=True)
class _Kpi:
    metric: str
    channel: str
    start: date
    end: date
    account: str | None = None
    denominator: str | None = None


def test_an_ads_window_counts_whole_for_its_month_and_by_days_for_part_of_it(
    tmp_path: Path, db: Path
):
    ingest_paths([fx.meta_ads_csv(tmp_path)], db)
    with store.reader(db) as con:
        month = kpi_actual(con, _Kpi("spend", "meta_ads", *MARCH), MARCH[1])
        half = kpi_actual(con, _Kpi("spend", "meta_ads", MARCH[0], date(2026, 3, 15)), MARCH[1])
    assert month.value is not None and abs(month.value - 65.5) < 1e-9
    assert half.value is not None and abs(half.value - 65.5 * 15 / 31) < 1e-9


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1 November 2025 - 30 April 2026", (date(2025, 11, 1), date(2026, 4, 30))),
        ("Nov 1, 2025 - Nov 30, 2025", (date(2025, 11, 1), date(2025, 11, 30))),
        ("Dec 1 - Jan 31, 2026", (date(2025, 12, 1), date(2026, 1, 31))),
        ("1 okt. 2025 - 31 okt. 2025", (date(2025, 10, 1), date(2025, 10, 31))),
        ("Oct 1, 2023, 12:00 AM", (date(2023, 10, 1),)),
        ("All time", ()),
    ],
)
def test_report_date_range_lines_are_read_with_the_year_where_it_is_written(
    line: str, expected: tuple[date, ...]
):
    assert tuple(dates_in(line)) == expected


def test_ads_manager_xlsx_with_the_account_total_as_first_row_counts_it_once_as_the_total(
    tmp_path: Path, db: Path
) -> None:
    """The XLSX download starts with a row without names: the account's total, set aside and
    checked against the ads below it, never one more ad."""
    from datetime import datetime

    from tests.support.exports.common import _xlsx

    day = datetime(2026, 3, 1)
    header = ["Reporting starts", "Reporting ends", "Campaign name", "Ad name",
              "Amount spent (EUR)", "Impressions"]  # fmt: skip
    rows = [
        header,
        [day, day, None, None, 15.75, 1500],
        [day, day, "Lente", "Video A", 10.5, 1000],
        [day, day, "Lente", "Foto B", 5.25, 500],
    ]
    path = _xlsx(tmp_path / "Koffiebar-Ads.xlsx", {"Raw Data Report": rows})
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.rows_read == 3 and result.set_aside == {"total rows": 1}
    assert result.reconciled["spend"]["stored"] == 15.75
    assert result.reconciled["spend"]["file_total"] == 15.75
    assert "matches the file's own total" in result.reconciled["impressions"]["check"]


def test_google_ads_total_rows_are_found_in_any_of_the_first_columns(
    tmp_path: Path, db: Path
) -> None:
    """A report whose first column is a status writes `Total: …` in the second column (blank
    or ` --` before it); those rows are the file's totals, never campaigns."""
    path = tmp_path / "Campaign report.csv"
    path.write_text(
        "Campaign report\n"
        '"March 1, 2026 - March 31, 2026"\n'
        "Campaign status,Campaign,Impr.,Currency code,Cost\n"
        'Enabled,Lente,"1,000",EUR,10.50\n'
        "Paused,Zomer,500,EUR,4.25\n"
        ',Total: Campaigns,"1,500",EUR,14.75\n'
        '" --",Total: Account,"1,600",EUR,15.00\n',
        encoding="utf-8",
    )
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.set_aside == {"total rows": 2}
    assert result.reconciled["spend"]["stored"] == 14.75
    assert result.reconciled["spend"]["file_total"] == 14.75  # the first total row
