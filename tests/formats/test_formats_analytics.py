"""Web analytics: GA4 CSV downloads and Universal Analytics xlsx exports, kept as windows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sostac_control.ingest import ingest_paths
from tests.support import exports as fx

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_ga4_rows_are_windows_from_the_comment_dates_per_channel_group(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.ga4_csv(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert result.format == "ga4_csv"
    assert result.account == "Koffiebar GA4"
    rows = [r for r in fx.values(db, "sessions") if r[1] == MARCH[1]]
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (*MARCH, "Direct", 500.0),
        (*MARCH, "Organic Social", 1000.0),
    ]
    got = fx.totals(db)
    assert got[("website", "users", "window", "session_channel_group")] == 1250
    assert got[("website", "conversions", "window", "session_channel_group")] == 15
    assert got[("website", "revenue", "window", "session_channel_group")] == 350.5


def test_ga4_ratios_are_not_loaded_and_a_second_table_by_nth_day_is_read_as_days(
    tmp_path: Path, db: Path
):
    [result] = ingest_paths([fx.ga4_csv(tmp_path)], db)
    assert result.rows_read == 4
    metrics = {key[1] for key in fx.totals(db)}
    assert metrics == {"sessions", "users", "conversions", "revenue"}
    # Nth day 0000 is the start date of the # lines, 0001 the day after.
    days = [(r[0], r[3]) for r in fx.values(db, "sessions") if r[0] == r[1]]
    assert days == [(date(2026, 3, 1), 700.0), (date(2026, 3, 2), 800.0)]
    assert fx.totals(db)[("website", "sessions", "day", "")] == 1500


def test_universal_analytics_total_row_is_the_account_total(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.ua_xlsx(tmp_path)], db)
    assert result.status == "loaded", result.message
    got = fx.totals(db)
    # The blank-dimension row is the report's own total: unique users 950, not 700 + 300.
    assert got[("website", "users", "window", "")] == 950
    assert got[("website", "users", "window", "channel_grouping")] == 1000
    assert got[("website", "conversions", "window", "")] == 15
    assert fx.values(db, "sessions")[0][:2] == (date(2020, 1, 1), date(2020, 1, 31))


def test_real_ga4_traffic_acquisition_loads_with_hand_counted_totals(
    shared_exports: Path, db: Path
):
    path = shared_exports / "google_analytics" / "ga4_traffic_acquisition_session_channel_group.csv"
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.rows_read == 15
    got = fx.totals(db)
    # Column sums of the 15 channel-group rows.
    assert got[("website", "sessions", "window", "session_channel_group")] == 1635035
    assert got[("website", "users", "window", "session_channel_group")] == 1188856
    assert got[("website", "conversions", "window", "session_channel_group")] == 23131
    revenue = got[("website", "revenue", "window", "session_channel_group")]
    assert abs(revenue - 26491848.009112) < 0.001
    assert fx.values(db, "sessions")[0][:2] == (date(2025, 11, 1), date(2026, 5, 5))


def test_real_ga4_events_load_per_event_name(shared_exports: Path, db: Path):
    path = shared_exports / "google_analytics" / "ga4_events_event_name.csv"
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    assert result.rows_read == 36
    got = fx.totals(db)
    assert got[("website", "users", "window", "event_name")] == 5682470
    purchase = [r for r in fx.values(db, "revenue") if r[2] == "purchase"]
    assert purchase[0][3] == 26491848.009072


def test_ga4_report_by_date_gives_day_totals(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.ga4_by_date(tmp_path)], db)
    assert result.status == "loaded", result.message
    assert fx.totals(db) == {
        ("website", "sessions", "day", ""): 100.0,
        ("website", "users", "day", ""): 75.0,
    }
    assert [r[0] for r in fx.values(db, "sessions")] == [date(2026, 3, 1), date(2026, 3, 2)]


def test_ga4_with_two_dimensions_keeps_each_pair_apart(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.ga4_two_dimensions(tmp_path)], db)
    assert result.status == "loaded", result.message
    rows = fx.values(db, "sessions")
    assert sorted((r[2], r[3]) for r in rows) == [
        ("google / cpc / lente", 200.0),
        ("instagram / social / lente", 300.0),
        ("instagram / social / zomer", 100.0),
    ]
    assert (
        fx.totals(db)[("website", "sessions", "window", "session_source_medium/session_campaign")]
        == 600
    )
