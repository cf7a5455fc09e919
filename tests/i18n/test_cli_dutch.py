"""A Dutch CLI run (`--lang nl`) speaks Dutch: ingest's refusal frame, the reconciliation
line and the checks against the file's own total row, store and argument errors; the JSON
keeps its English keys and check words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sostac_control.cli import main

EXPORTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "exports"
REFUSED = EXPORTS / "google_ads" / "editor_export_campaigns_utf16le_tab.csv"
TOTALS = EXPORTS / "google_ads" / "ad_report_2026-01-20_21.csv"


@pytest.fixture(autouse=True)
def _english_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOSTAC_LANG", raising=False)


def test_a_refused_file_is_refused_in_dutch(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["ingest", "--lang", "nl", "--db", str(tmp_path / "s.duckdb"), str(REFUSED)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"geweigerd {REFUSED.name}: ")
    assert " lijkt een Google Ads " in err  # the frame around the format's own refusal
    assert "hint: " not in err and "looks like" not in err and "Only performance" not in err
    assert "Alleen prestatiedata (vertoningen, bereik, klikken, uitgaven, …)" in err


def test_the_reconciliation_line_is_dutch(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "s.duckdb")
    assert main(["ingest", "--lang", "nl", "--db", db, str(TOTALS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"geladen  {TOTALS.name}: ")
    assert "  aansluiting (opgeslagen = gelezen): " in out
    assert "de eigen totaalrij van het bestand" in out
    assert "Geen data, apart gezet: " in out
    assert "reconciled" not in out and "own total" not in out and "set aside" not in out


def test_the_json_stays_english_in_a_dutch_run(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    db = str(tmp_path / "s.duckdb")
    assert main(["ingest", "--lang", "nl", "--json", "--db", db, str(TOTALS)]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["status"] == "loaded"
    spend = result["reconciled"]["spend"]
    assert set(spend) >= {"read", "stored", "file_total", "check"}
    assert spend["check"] == "stored equals read; matches the file's own total"
    assert result["set_aside"] == {"total rows": 5}


def test_store_and_argument_errors_are_dutch(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "s.duckdb")
    assert main(["ingest", "--lang", "nl", "--db", db, str(TOTALS)]) == 0
    capsys.readouterr()
    assert main(["undo", "--lang", "nl", "--db", db, "999"]) == 2
    err = capsys.readouterr().err
    assert "Er is geen lading met id 999." in err and "There is no load" not in err
    with pytest.raises(SystemExit):
        main(["status", "--lang", "nl", "--db", db, "--as-of", "gisteren"])
    assert "'gisteren' is geen datum; schrijf JJJJ-MM-DD" in capsys.readouterr().err
