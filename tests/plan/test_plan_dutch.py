"""`plan validate --lang nl`: every kind of plan problem, its place and its hint in Dutch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sostac_control.cli import main
from sostac_control.i18n.extract import read_catalogue

# One problem of each kind the plan check knows, each on its own line.
BROKEN_PLAN = """\
version: 1
name: Koffiebar Noord
currency: eur
timezone: Europe/Amsterdan
language: fr
colour: blue
objectives:
  - id: awareness instagram
    title: Naamsbekendheid
    category: sizle
    start: 2026-07-01
    end: 2026-06-30
    kpis:
      - metric: impresions
        channel: instagram
        target: 450000
  - id: community
    title: Gesprekken
    start: 1-7-2026
    end: 2026-09-30
    kpis:
      - metric: engagement_rate
        channel: instagram
        target: 4.5
        denominator: clicks
      - metric: followers
        channel: all
        account: koffiebarnoord
        target: veel
  - id: community
    start: 2026-07-01
    end: 2026-09-30
  - id: followers
    title: Volgers
    start: 2026-07-01
    end: 2026-09-30
    kpis:
      - metric: followers
        channel: instagram
        target: 12000
      - metric: followers
        channel: instagram
        target: 12000
budget:
  - channel: instagram
    start: 2026-07-01
    end: 2026-09-30
    money: -5
"""
# The Dutch sentences the problems above must produce (the hints included).
EXPECTED = [
    "'eur' is geen valutacode.",
    "'Europe/Amsterdan' is geen bekende tijdzone.",
    "'fr' is geen taal die sostac-control spreekt.",
    "'colour' is geen sleutel van het plan.",
    "Geldige sleutels hier:",
    "Het id 'awareness instagram' bevat spaties of tekens.",
    "'sizle' is geen bekende categorie (de 5 S'en).",
    "Bedoel je 'sizzle'?",
    "eindigt (2026-06-30) voordat het begint (2026-07-01).",
    "'impresions' is geen bekende metric.",
    "'start' moet een datum zijn, niet '1-7-2026'.",
    "Schrijf datums als JJJJ-MM-DD: 2026-07-01.",
    "target 4.5 voor engagement_rate zou 450% betekenen",
    "Voor 4.5% schrijf je 0.045.",
    "'clicks' is geen noemer van engagement_rate.",
    "Het account 'koffiebarnoord' is genoemd voor kanaal 'all'.",
    "'target' moet een getal zijn, niet 'veel'.",
    "staat twee keer in de lijst.",
    "Het id 'community' wordt twee keer gebruikt.",
    "heeft geen 'title'.",
    "'money' is -5; dat kan niet negatief zijn.",
]
FIELD = re.compile(r"\{[^{}]*\}|`[^`]*`|'[^']*'")


def english_fragments() -> list[str]:
    """The English parts (4 words or more) of every message whose Dutch differs."""
    found = set()
    for message in read_catalogue("nl"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        dutch = " ".join(message.string if isinstance(message.string, tuple) else [message.string])
        for text in ids:
            for part in FIELD.split(text or ""):
                part = part.strip(" .,:;()·–-")
                if len(part.split()) >= 4 and part not in dutch:
                    found.add(part)
    return sorted(found)


@pytest.fixture
def broken_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan with one problem of each kind; no SOSTAC_LANG from the machine."""
    monkeypatch.delenv("SOSTAC_LANG", raising=False)
    path = tmp_path / "plan.yaml"
    path.write_text(BROKEN_PLAN, encoding="utf-8")
    return path


def test_plan_validate_in_dutch_names_every_problem_in_dutch(
    broken_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "validate", str(broken_plan), "--lang", "nl"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("ongeldig ")
    assert "regel 3" in out and "tip: " in out
    missing = [sentence for sentence in EXPECTED if sentence not in out]
    assert not missing, out
    english = [f for f in english_fragments() if f in out]
    assert not english, english


def test_plan_validate_in_english_is_unchanged(
    broken_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "validate", str(broken_plan)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("invalid ")
    assert "'eur' is not a currency code." in out
    assert "Did you mean 'sizzle'?" in out


def test_a_yaml_syntax_error_in_dutch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("version: 1\nname: x\n\tobjectives: []\n", encoding="utf-8")
    main(["plan", "validate", str(path), "--lang", "nl"])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "YAML-syntaxfout" in text
    assert "Spring in met spaties, niet met tabs." in text


def test_the_json_keeps_english_keys_and_codes(
    broken_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["plan", "validate", str(broken_plan), "--lang", "nl", "--json"])
    out = capsys.readouterr().out
    assert '"problems"' in out and '"message"' in out
    assert "is geen valutacode" in out  # the sentences follow the language, the keys do not
