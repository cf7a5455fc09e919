"""Files that are not performance data are recognised and refused with what they are."""

from __future__ import annotations

from pathlib import Path

from sostac_control.formats import Source, all_formats, detect_format
from sostac_control.ingest import ingest_paths
from tests.support import exports as fx


def test_google_ads_editor_export_is_refused_as_campaign_settings(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.google_ads_editor(tmp_path)], db)
    assert result.status == "refused"
    assert "Google Ads Editor" in result.message
    assert "campaign settings" in result.message
    assert not db.exists() or fx.totals(db) == {}


def test_audience_split_by_gender_is_refused_as_an_audience_description(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.audience_by_gender(tmp_path)], db)
    assert result.status == "refused"
    assert "audience split" in result.message
    assert "gender" in result.message


def test_dutch_audience_split_by_country_is_refused_too(tmp_path: Path, db: Path):
    [result] = ingest_paths([fx.audience_by_country_dutch(tmp_path)], db)
    assert result.status == "refused"
    assert "audience split" in result.message


def test_a_refused_file_leaves_the_database_as_it_was(tmp_path: Path, db: Path):
    ingest_paths([fx.youtube_totals(tmp_path)], db)
    before = fx.totals(db)
    [result] = ingest_paths([fx.google_ads_editor(tmp_path)], db)
    assert result.status == "refused"
    assert fx.totals(db) == before


def test_a_dated_country_breakdown_is_not_taken_for_an_audience_split(tmp_path: Path):
    path = fx.youtube_chart_data(tmp_path)
    fmt, _ = detect_format(Source(path.name, path.read_bytes()))
    assert fmt.name == "youtube_studio"


def test_refusing_formats_are_listed_as_not_loading():
    described = {f.name: f.describe() for f in all_formats()}
    for name in ("google_ads_editor", "audience_split", "tiktok_viewers"):
        assert described[name]["loads"].startswith("no: ")
