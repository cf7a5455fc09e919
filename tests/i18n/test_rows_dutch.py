"""In a Dutch run the sentences about single rows and single fields are Dutch: a rejected row
of an export (ingest's output, the Data page's table), and the per-field problems of a
`sources.yaml`. The English sentences stay exactly as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from sostac_control.api.sources import load_sources
from sostac_control.cli import main
from sostac_control.errors import SostacError
from sostac_control.i18n import use_language

TIDY = (
    "date,channel,metric,value\n"
    "2026-11-02,instagram,impressions,120\n"
    "2026-11-03,instagram,impressions,veel\n"
    "2026-13-40,instagram,impressions,5\n"
    "2026-11-04,myspace,impressions,5\n"
)

SOURCES = """\
sources:
  - name: page
    type: meta_page
    colour: blue
  - name: feed
    type: json
    url: http://127.0.0.1:1/feed
    channel: instagram
    channel_field: ch
    date_field: day
    fields: {views: engagement_rate}
    max_pages: lots
"""


@pytest.fixture(autouse=True)
def _english_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOSTAC_LANG", raising=False)


def _ingest(tmp_path: Path, capsys: pytest.CaptureFixture, *lang: str) -> str:
    csv = tmp_path / "tidy.csv"
    csv.write_text(TIDY, encoding="utf-8")
    db = str(tmp_path / f"s{len(lang)}.duckdb")
    assert main(["ingest", *lang, "--db", db, str(csv)]) == 0
    return capsys.readouterr().out


def test_rejected_rows_are_dutch(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = _ingest(tmp_path, capsys, "--lang", "nl")
    assert "  rij 2, value: 'veel' is geen getal" in out
    assert "  rij 3, date: '2026-13-40' is geen datum; schrijf JJJJ-MM-DD" in out
    assert "  rij 4, channel: onbekend kanaal 'myspace'; bekend: " in out
    assert "not a number" not in out and "not a date" not in out and "unknown" not in out


def test_rejected_rows_stay_english_in_an_english_run(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = _ingest(tmp_path, capsys)
    assert "  row 2, value: 'veel' is not a number" in out
    assert "  row 3, date: '2026-13-40' is not a date; write YYYY-MM-DD" in out
    assert "  row 4, channel: unknown channel 'myspace'; known: " in out


def _problems(tmp_path: Path, language: str) -> dict[str, str]:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES, encoding="utf-8")
    with use_language(language), pytest.raises(SostacError) as caught:
        load_sources(path)
    return {p.column: f"{p.message} | {p.hint}" for p in caught.value.problems}


def test_source_config_problems_are_dutch(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "nl")
    assert problems["sources[0].colour"] == "onbekende instelling 'colour' | Haal haar weg."
    assert problems["sources[0].id"].startswith("een meta_page-bron heeft een id nodig")
    assert problems["sources[0].token_env"].startswith(
        "noem de omgevingsvariabele waarin het token staat | Voeg `token_env: META_TOKEN` toe"
    )
    assert problems["sources[1].fields.views"].startswith(
        "'engagement_rate' is geen metric die geladen kan worden | Gebruik een van: "
    )
    assert problems["sources[1].max_pages"] == "'lots' is geen getal | "


def test_source_config_problems_stay_english(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "en")
    assert problems["sources[0].colour"] == "unknown setting 'colour' | Remove it."
    assert problems["sources[1].max_pages"] == "'lots' is not a number | "


def test_ingest_names_metrics_and_writes_decimals_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    export = Path(__file__).resolve().parents[2] / ".." / "shared" / "exports" / "google_ads"
    db = str(tmp_path / "s.duckdb")
    report = str(export / "ad_report_2026-01-20_21.csv")
    assert main(["ingest", "--lang", "nl", "--db", db, report]) == 0
    out = capsys.readouterr().out
    assert "(opgeslagen = gelezen): conversies 0, vertoningen 305, uitgaven 117,06" in out
    assert main(["ingest", "--db", str(tmp_path / "e.duckdb"), report]) == 0
    out = capsys.readouterr().out
    assert "(stored = read): conversions 0, impressions 305, spend 117.06" in out
