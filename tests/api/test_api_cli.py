"""`sostac-control fetch`: listing, fetching, JSON output, exit codes, and no token shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sostac_control.cli import main
from tests.support.fake_api import PAGE_ID, TOKEN, FakeApi, Reply, write_sources


@pytest.fixture
def sources(tmp_path: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> Path:
    """sources.yaml for the fake API via SOSTAC_SOURCES, token in the environment."""
    monkeypatch.setenv("TEST_META_TOKEN", TOKEN)
    path = write_sources(tmp_path / "sources.yaml", fake_api.url)
    monkeypatch.setenv("SOSTAC_SOURCES", str(path))
    return path


def test_fetch_list_shows_sources_and_whether_their_token_is_set(
    sources: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["fetch", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in listed] == ["fb-page", "fb-posts"]
    assert listed[0]["token_set"] is True and listed[0]["channel"] == "facebook"
    monkeypatch.delenv("TEST_META_TOKEN")
    assert main(["fetch", "--list"]) == 0
    assert "token NOT set ($TEST_META_TOKEN)" in capsys.readouterr().out


def test_fetch_json_prints_one_document_with_counts_per_metric(
    sources: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "fetch",
        "fb-page",
        "--since",
        "2026-07-01",
        "--until",
        "2026-07-10",
        "--db",
        str(db),
        "--json",
    ]
    assert main(argv) == 0
    captured = capsys.readouterr()
    [result] = json.loads(captured.out)
    assert result["status"] == "loaded"
    assert result["metrics"]["views"] == {"inserted": 10, "updated": 0, "unchanged": 0}
    assert result["inserted"] == 70
    assert main(argv) == 0
    [again] = json.loads(capsys.readouterr().out)
    assert again["inserted"] == 0 and again["unchanged"] == 70


def test_fetch_text_output_has_a_table_per_metric_and_progress_on_stderr(
    sources: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "fetch",
                "fb-page",
                "fb-posts",
                "--since",
                "2026-07-01",
                "--until",
                "2026-07-07",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "loaded   fb-page (meta_page) 2026-07-01…2026-07-07" in captured.out
    assert "loaded   fb-posts (meta_posts)" in captured.out
    assert "views" in captured.out and "inserted" in captured.out
    assert "fb-page: loaded page insights 2026-07-01…2026-07-07" in captured.err


def test_a_failed_fetch_exits_1_with_message_and_hint_and_never_the_token(
    sources: Path, db: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.routes[f"/{PAGE_ID}/insights"] = lambda q: Reply(
        400, {"error": {"message": f"Invalid OAuth access token {TOKEN}", "code": 190}}
    )
    assert (
        main(
            ["fetch", "fb-page", "--since", "2026-07-01", "--until", "2026-07-02", "--db", str(db)]
        )
        == 1
    )
    captured = capsys.readouterr()
    assert "failed   fb-page" in captured.err
    assert "access token is expired or invalid" in captured.err
    assert "hint: Create a new access token" in captured.err
    assert TOKEN not in captured.out + captured.err
    assert (
        main(
            [
                "fetch",
                "fb-page",
                "--since",
                "2026-07-01",
                "--until",
                "2026-07-02",
                "--db",
                str(db),
                "--json",
            ]
        )
        == 1
    )
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["status"] == "failed"
    assert TOKEN not in captured.out + captured.err


def test_usage_errors_exit_2(sources: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch"]) == 2
    assert "fetch --list" in capsys.readouterr().err
    assert main(["fetch", "fb-pgae"]) == 2
    assert "did you mean fb-page" in capsys.readouterr().err
    assert main(["fetch", "fb-page", "--since", "2026-07-10", "--until", "2026-07-01"]) == 2
    assert "is after --until" in capsys.readouterr().err


def test_a_dutch_fetch_says_its_problems_in_dutch_with_the_json_keys_in_english(
    sources: Path, db: Path, fake_api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.routes[f"/{PAGE_ID}/insights"] = lambda q: Reply(
        400, {"error": {"message": f"Invalid OAuth access token {TOKEN}", "code": 190}}
    )
    argv = ["fetch", "fb-page", "--lang", "nl", "--since", "2026-07-01", "--until", "2026-07-02"]
    assert main([*argv, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "het toegangstoken is verlopen of ongeldig (de API weigerde " in err
    assert "Maak een nieuw toegangstoken en zet het in de omgevingsvariabele" in err
    assert "Er is niets geladen." in err
    assert "expired or invalid" not in err and TOKEN not in err
    assert main([*argv, "--db", str(db), "--json"]) == 1
    [result] = json.loads(capsys.readouterr().out)
    assert result["status"] == "failed" and "het toegangstoken" in result["message"]
    assert main(["fetch", "fb-pgae", "--lang", "nl"]) == 2
    err = capsys.readouterr().err
    assert "Er is geen bron met de naam 'fb-pgae'; bedoelde je fb-page" in err
    assert "Ingestelde bronnen: fb-page, fb-posts" in err
