"""The demo workspace: real export formats, loaded through ingest, a plan showing every status."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sostac_control import store
from sostac_control.demo.build import DemoResult, build_demo
from sostac_control.demo.data import YOUNG_POST_SHARE, generate
from sostac_control.engine.maturity import DEFAULT_CURVE
from sostac_control.errors import SostacError
from sostac_control.plan.load import load_plan

AS_OF = date(2026, 11, 21)

# The export format each channel's demo file is written in (and must load as).
REAL_FORMATS = {
    "facebook": {"meta_fb_posts", "meta_page_series"},
    "instagram": {"meta_ig_posts"},
    "x": {"x_content"},
    "website": {"ga4_csv"},
    "meta_ads": {"meta_ads_manager"},
    "linkedin": {"linkedin_page"},
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """The demo workspace for a fixed as-of date and the default seed."""
    folder = tmp_path_factory.mktemp("demo")
    return build_demo(folder / "sostac.duckdb", folder / "plan.yaml", as_of=AS_OF)


def test_every_demo_file_loads(demo: DemoResult) -> None:
    refused = [(r.file, r.message) for r in demo.results if r.status != "loaded"]
    assert refused == []
    assert all(r.rejected == 0 for r in demo.results), [r.errors for r in demo.results]


def test_demo_channels_load_from_their_platforms_real_formats(demo: DemoResult) -> None:
    formats_used: dict[str, set[str]] = {}
    with store.reader(demo.db) as con:
        for channel, fmt in con.execute("SELECT DISTINCT channel, format FROM loads").fetchall():
            formats_used.setdefault(channel, set()).add(fmt)
    for channel, expected in REAL_FORMATS.items():
        assert formats_used.get(channel) == expected, channel
    assert demo.fallbacks == {}  # no channel needed the tidy CSV fallback


def test_demo_files_have_the_platforms_byte_quirks(demo: DemoResult) -> None:
    files = {p.name: p for p in demo.exports.iterdir()}
    fb_posts = next(p for name, p in files.items() if name.startswith("facebook_posts_"))
    assert fb_posts.read_bytes().startswith(b'\xef\xbb\xbf"Post ID","Page ID","Page name"')
    series = next(p for name, p in files.items() if name.startswith("facebook_views_"))
    assert series.read_bytes().startswith(b"\xff\xfe" + "sep=,\n".encode("utf-16-le"))
    ga4 = next(p for name, p in files.items() if name.startswith("ga4_traffic_acquisition_"))
    data = ga4.read_bytes()
    assert data.startswith(b"# ----") and b"\r\n# Start date: " in data
    assert not data.endswith(b"\n")
    x_export = next(p for name, p in files.items() if name.startswith("account_analytics_"))
    assert x_export.read_text(encoding="utf-8").startswith("Post id,Date,Post text,Post Link,")
    linkedin = next(p for name, p in files.items() if name.endswith(".xlsx"))
    from openpyxl import load_workbook

    assert load_workbook(linkedin, read_only=True).sheetnames == ["Metrics", "All posts"]


def test_demo_covers_26_weeks_up_to_as_of(demo: DemoResult) -> None:
    with store.reader(demo.db) as con:
        first, last = con.execute("SELECT min(day), max(period_end) FROM metric_values").fetchone()  # type: ignore[misc]
    assert last == AS_OF
    assert (AS_OF - first).days == 26 * 7 - 1


def test_demo_plan_validates_and_covers_the_five_s(demo: DemoResult) -> None:
    plan = load_plan(demo.plan)
    assert 4 <= len(plan.objectives) <= 6
    assert {o.category for o in plan.objectives} == {"sell", "serve", "sizzle", "speak", "save"}
    kinds = {(k.metric, k.direction) for k in plan.kpis}
    assert ("engagement_rate", "up") in kinds
    assert ("cpa", "down") in kinds
    assert {b.channel for b in plan.budget} >= {"instagram", "facebook", "meta_ads"}
    assert all(b.hours and b.hourly_rate for b in plan.budget)


def test_demo_plan_shows_on_track_drifting_and_achieved_objectives(demo: DemoResult) -> None:
    from sostac_control.engine.status import evaluate_plan

    plan = load_plan(demo.plan)
    with store.reader(demo.db) as con:
        status = evaluate_plan(con, plan, AS_OF).to_dict()
    by_id = {o["id"]: o for o in status["objectives"]}
    assert by_id["awareness-instagram"]["status"] == "on_track"
    views = by_id["awareness-instagram"]["kpis"][0]
    assert any("still gathering views" in n for n in views["notes"])  # young posts, not a drop
    assert "pace fell" not in views["reason"]
    assert by_id["community-facebook"]["status"] == "off_track"
    assert "pace fell" in by_id["community-facebook"]["kpis"][0]["reason"]
    assert by_id["webshop-summer"]["status"] == "achieved"
    cpa = next(k for k in by_id["cheaper-customers"]["kpis"] if k["metric"] == "cpa")
    assert cpa["direction"] == "down" and cpa["status"] == "on_track"
    assert all(k["status"] != "no_data" for o in status["objectives"] for k in o["kpis"]), (
        "every demo KPI has data"
    )


def test_same_seed_and_as_of_give_the_same_numbers() -> None:
    first, second = generate(AS_OF, 7), generate(AS_OF, 7)
    assert first.instagram_posts.equals(second.instagram_posts)
    assert first.ads.equals(second.ads)
    other = generate(AS_OF, 8)
    assert not first.instagram_posts["views"].equals(other.instagram_posts["views"])


def test_demo_will_not_overwrite_a_users_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("version: 1\nname: My real plan\n", encoding="utf-8")
    with pytest.raises(SostacError, match="not a demo plan"):
        build_demo(tmp_path / "db.duckdb", plan, as_of=AS_OF)
    assert plan.read_text(encoding="utf-8").startswith("version: 1\nname: My real plan")
    assert not (tmp_path / "db.duckdb").exists()


def test_demo_command_run_again_changes_nothing_and_prints_json(demo: DemoResult) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sostac_control", "demo", "--db", str(demo.db), "--plan",
         str(demo.plan), "--as-of", AS_OF.isoformat(), "--exports", str(demo.exports), "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["as_of"] == AS_OF.isoformat()
    assert {f["status"] for f in document["files"]} == {"loaded"}
    assert sum(f["inserted"] + f["updated"] for f in document["files"]) == 0
    assert sum(f["unchanged"] for f in document["files"]) > 0


def test_demo_posts_are_as_young_as_the_engines_default_maturity_curve_expects() -> None:
    assert YOUNG_POST_SHARE.tolist() == DEFAULT_CURVE.tolist()
