"""Suggested targets: the values that history and trend make 50% and 80% likely."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from sostac_control import store
from sostac_control.cli import main
from sostac_control.engine.suggest import suggest_plan
from sostac_control.ingest import ingest_paths
from sostac_control.plan.load import parse_plan

START, END = date(2026, 7, 1), date(2026, 9, 29)  # 91 days

PLAN = f"""version: 1
name: Suggest plan
objectives:
  - id: grow
    title: Grow
    start: {START}
    end: {END}
    kpis:
      - metric: leads
        channel: linkedin
        target: 9100
      - metric: impressions
        channel: instagram
        target: 100000
      - metric: cpa
        channel: meta_ads
        target: 20
      - metric: views
        channel: tiktok
        target: 5000
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """26 weeks before the period: steady leads (100 a day), impressions growing 1% a week,
    a steady €20 CPA; TikTok views only for the last 3 weeks."""
    folder = tmp_path_factory.mktemp("suggest")
    rng = np.random.default_rng(8)
    lines = ["date,channel,metric,value"]
    for k in range(26 * 7):
        day = START - timedelta(days=26 * 7 - k)
        lines.append(f"{day},linkedin,leads,{100 * rng.lognormal(0, 0.15):.0f}")
        lines.append(
            f"{day},instagram,impressions,{1000 * 1.01 ** (k / 7) * rng.lognormal(0, 0.1):.0f}"
        )
        spend = 200 * rng.lognormal(0, 0.1)
        lines.append(f"{day},meta_ads,spend,{spend:.2f}")
        lines.append(f"{day},meta_ads,conversions,{rng.poisson(spend / 20)}")
        if k >= 26 * 7 - 21:
            lines.append(f"{day},tiktok,views,{rng.poisson(60)}")
    csv = folder / "history.csv"
    csv.write_text("\n".join(lines) + "\n")
    db = folder / "suggest.duckdb"
    assert ingest_paths([csv], db)[0].status == "loaded"
    plan = folder / "plan.yaml"
    plan.write_text(PLAN)
    return db, plan


def _suggestions(db: Path) -> dict:
    with store.reader(db) as con:
        return {s.kpi.metric: s for s in suggest_plan(con, parse_plan(PLAN))}


def test_a_steady_kpi_suggests_its_pace_with_even_odds_and_a_safer_80_percent(workspace):
    leads = _suggestions(workspace[0])["leads"]
    assert leads.likely_50 == pytest.approx(91 * 100, rel=0.05)
    assert 0.85 * leads.likely_50 < leads.likely_80 < leads.likely_50
    assert 0.3 < leads.current_chance < 0.7  # the target is the steady pace


def test_a_trend_is_carried_forward_damped_by_half(workspace):
    impressions = _suggestions(workspace[0])["impressions"]
    last_week = 1000 * 1.01**26 * 7
    flat = last_week * 13
    full_trend = sum(last_week * 1.01**j for j in range(1, 14))
    assert flat < impressions.likely_50 < full_trend * 1.01
    assert re.search(r"trend \+(0\.[89]|1\.[0-2])% a week, damped by half", impressions.basis)


def test_lower_is_better_suggests_a_ceiling_kept_four_times_in_five(workspace):
    cpa = _suggestions(workspace[0])["cpa"]
    assert cpa.likely_50 == pytest.approx(20, rel=0.05)
    assert cpa.likely_80 > cpa.likely_50


def test_too_little_history_gives_no_suggestion_and_says_why(workspace):
    views = _suggestions(workspace[0])["views"]
    assert views.likely_50 is None and views.likely_80 is None
    assert views.basis.startswith("needs 6 weeks with data before 01 Jul 2026; has 3")


def test_plan_suggest_prints_json_for_scripts(workspace, capsys):
    db, plan = workspace
    assert main(["plan", "suggest", str(plan), "--db", str(db), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    first = document["suggestions"][0]
    assert set(first) == {
        "objective", "metric", "channel", "direction", "target", "likely_50", "likely_80",
        "current_target_chance", "basis",
    }  # fmt: skip
    assert main(["plan", "suggest", str(plan), "--db", str(db)]) == 0
    assert "50% likely: at least" in capsys.readouterr().out
