"""The README tells the truth about the code: its commands are the CLI's, its format table covers
what `sostac-control formats --json` lists, and its metric table is the catalog."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from sostac_control.catalog import METRICS
from sostac_control.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

# The README's format table names platforms as people say them; the registry's names differ.
PLATFORM_IN_README = {
    "Generic": "Generic",
    "Meta Business Suite": "Meta Business Suite",
    "Facebook Page Insights (legacy)": "Facebook (legacy Page Insights)",
    "X (Twitter)": "X",
    "Meta Ads Manager": "Ads",
    "Google Ads": "Ads",
    "LinkedIn Campaign Manager": "Ads",
    "Google Analytics 4": "Google Analytics",
    "Universal Analytics": "Google Analytics",
    "YouTube Studio": "YouTube Studio",
    "LinkedIn": "LinkedIn",
    "TikTok Studio": "TikTok Studio",
}


def section(title: str) -> str:
    """The README's text under `## title` up to the next `## ` heading."""
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def readme_commands() -> set[tuple[str, ...]]:
    """Every `sostac-control WORD [WORD]` the README shows as code (inline or in a block)."""
    code = re.findall(r"`([^`\n]+)`", README) + re.findall(r"```[a-z]*\n(.*?)```", README, re.S)
    found = set()
    for text in code:
        for words in re.findall(r"sostac-control ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", text):
            found.add(tuple(w for w in words if w))
    return found


def table_rows(text: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    return rows[1:]  # without the header


def test_every_command_of_the_cli_is_in_the_readme_and_every_readme_command_exists() -> None:
    commands = subcommands(build_parser())
    mentioned = readme_commands()
    assert sorted(set(commands) - {c[0] for c in mentioned}) == []
    assert sorted({c[0] for c in mentioned} - set(commands)) == []
    for name, parser in commands.items():
        subs = subcommands(parser)
        if subs:  # `plan init`, `plan validate`, `plan schema`
            shown = {c[1] for c in mentioned if c[0] == name and len(c) > 1}
            assert sorted(set(subs) - shown) == [], name
            assert sorted(shown - set(subs)) == [], name


def test_the_format_table_covers_every_format_the_importer_loads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["formats", "--json"]) == 0
    formats = json.loads(capsys.readouterr().out)
    text = section("Supported export formats")
    grains = {row[0]: {g.strip() for g in row[2].split(",")} for row in table_rows(text)}
    loaded = [f for f in formats if f["loads"] == "yes"]
    unknown = sorted({f["platform"] for f in loaded} - set(PLATFORM_IN_README))
    assert unknown == [], "add the platform to the README's format table and PLATFORM_IN_README"
    missing_rows = sorted({PLATFORM_IN_README[f["platform"]] for f in loaded} - set(grains))
    assert missing_rows == []
    wrong_grain = [
        (f["name"], f["grain"])
        for f in loaded
        if f["grain"] not in grains[PLATFORM_IN_README[f["platform"]]]
    ]
    assert wrong_grain == []
    assert set().union(*grains.values()) <= {"day", "post", "window"}


def test_the_readme_names_every_file_the_importer_refuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["formats", "--json"]) == 0
    refused = [f for f in json.loads(capsys.readouterr().out) if f["loads"] != "yes"]
    paragraph = section("Supported export formats").split("**Refused, with the reason:**", 1)[1]
    paragraph = paragraph.split("\n\n", 1)[0].lower()
    said = {
        "google_ads_editor": "google ads editor",
        "tiktok_viewers": "tiktok viewers",
        "audience_split": "audience",
    }
    assert sorted(f["name"] for f in refused if f["name"] not in said) == []
    assert [name for name, words in said.items() if words not in paragraph] == []


def test_the_metric_table_is_the_catalog() -> None:
    rows = table_rows(section("Metric definitions"))
    shown = {
        row[0]: set(re.findall(r"`([a-z_]+)`", row[1]))
        for row in rows
        if row[0] in ("sum", "level", "unique", "ratio")
    }
    catalog: dict[str, set[str]] = {}
    for name, metric in METRICS.items():
        catalog.setdefault(metric.kind, set()).add(name)
    assert shown == catalog


def test_the_architecture_section_names_every_package() -> None:
    text = section("Architecture: from an export file to a chart")
    packages = sorted(
        p.name
        for p in (ROOT / "sostac_control").iterdir()
        if p.is_dir() and (p / "__init__.py").exists()
    )
    assert [p for p in packages if f"{p}/" not in text] == []
