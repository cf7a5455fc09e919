"""Statuses from a real DuckDB file: a drifting objective, a quiet one, replays, the CLI."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from sostac_control import store
from sostac_control.cli import main
from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.engine.status import STATUSES, evaluate_plan, history, kpi_path
from sostac_control.ingest import ingest_paths
from sostac_control.plan.load import parse_plan

START, END = date(2026, 7, 1), date(2026, 9, 29)  # 91 days
DROP = date(2026, 8, 1)
WEEK = [1.25, 1.3, 1.2, 1.2, 1.05, 0.5, 0.5]

PLAN = """version: 1
name: Test plan
currency: EUR
objectives:
  - id: awareness
    title: Grow awareness on Instagram
    category: sizzle
    owner: Social media manager
    start: 2026-07-01
    end: 2026-09-29
    kpis:
      - metric: impressions
        channel: instagram
        target: 455000
  - id: leads
    title: Leads from LinkedIn
    category: sell
    owner: Marketing lead
    start: 2026-07-01
    end: 2026-09-29
    kpis:
      - metric: leads
        channel: linkedin
        target: 1500
      - metric: ctr
        channel: linkedin
        target: 0.02
  - id: video
    title: Video on TikTok
    category: sizzle
    owner: Social media manager
    start: 2026-07-01
    end: 2026-09-29
    kpis:
      - metric: video_views
        channel: tiktok
        target: 10000
"""


def _rows(until: date) -> list[str]:
    rng = np.random.default_rng(42)
    rows = []
    day = START - timedelta(days=112)
    while day <= min(until, END):
        w = WEEK[day.weekday()]
        drop = 0.6 if day >= DROP else 1.0  # Instagram falls by 40% from 1 Aug
        rows.append(f"{day},instagram,impressions,{5000 * w * drop * rng.lognormal(0, 0.2):.0f}")
        rows.append(f"{day},linkedin,leads,{18 * w * rng.lognormal(0, 0.2):.0f}")
        impressions = 3000 * w * rng.lognormal(0, 0.15)
        rows.append(f"{day},linkedin,impressions,{impressions:.0f}")
        rows.append(f"{day},linkedin,clicks,{impressions * 0.024 * rng.lognormal(0, 0.1):.0f}")
        day += timedelta(days=1)
    return rows


def _database(folder: Path, until: date = END, db: StoreRef | None = None) -> StoreRef:
    csv = folder / f"data-{until}.csv"
    csv.write_text("date,channel,metric,value\n" + "\n".join(_rows(until)) + "\n")
    db = db or folder / f"status-{until}.duckdb"
    assert ingest_paths([csv], db)[0].status == "loaded"
    return db


@pytest.fixture(scope="module")
def workspace(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[StoreRef, Path]:
    """A database with 16 weeks of history and a quarter where Instagram drops on 1 Aug (a
    DuckLake store too, for tests marked both_backends)."""
    folder = tmp_path_factory.mktemp("status")
    plan = folder / "plan.yaml"
    plan.write_text(PLAN)
    lake = None
    if getattr(request, "param", "duckdb") == "ducklake":
        server = request.getfixturevalue("postgres_server")
        lake = LakeStore(server.create_database(f"status_{folder.name}"), f"{folder / 'lake'}/")
    return _database(folder, db=lake), plan


def _status(db: Path, as_of: date, only: str | None = None) -> dict:
    plan = parse_plan(PLAN)
    if only:
        plan.objectives = [o for o in plan.objectives if o.id == only]
    with store.reader(db) as con:
        return evaluate_plan(con, plan, as_of).to_dict()


def _objective(document: dict, objective_id: str) -> dict:
    return next(o for o in document["objectives"] if o["id"] == objective_id)


def test_the_document_keeps_the_designed_fields_and_only_adds_the_new_ones(workspace):
    document = _status(workspace[0], date(2026, 8, 10))
    assert set(document) == {"as_of", "objectives", "refresh"}
    objective = document["objectives"][0]
    assert set(objective) == {"id", "title", "status", "reason", "kpis", "crisis"}
    assert set(objective["kpis"][0]) == {
        "metric",
        "channel",
        "target",
        "direction",
        "actual",
        "expected_to_date",
        "projected",
        "probability",
        "status",
        "reason",
        "notes",
        "attribution",
        "last_data_day",
        "last_judged",
    }
    assert all(o["status"] in STATUSES and o["reason"] for o in document["objectives"])


@pytest.mark.both_backends
def test_the_drifting_objective_turns_within_three_weeks_and_says_why(workspace):
    before = _objective(_status(workspace[0], date(2026, 7, 28)), "awareness")
    assert before["status"] == "on_track", before["reason"]
    flagged = None
    for offset in range(22):
        day = DROP + timedelta(days=offset)
        objective = _objective(_status(workspace[0], day, "awareness"), "awareness")
        if objective["status"] in ("at_risk", "off_track"):
            flagged = (day, objective)
            break
    assert flagged is not None, "not flagged within three weeks of the drop"
    reason = flagged[1]["kpis"][0]["reason"]
    assert "of 455k" in reason and "chance" in reason
    late = _objective(_status(workspace[0], date(2026, 8, 25)), "awareness")["kpis"][0]
    assert late["status"] == "off_track"
    assert re.search(r"pace fell (3[5-9]|4[0-5])% after (31 Jul|[1-4] Aug)", late["reason"])


@pytest.mark.both_backends
def test_the_objectives_on_course_stay_quiet_through_the_quarter(workspace):
    with store.reader(workspace[0]) as con:
        replay = history(con, parse_plan(PLAN), END, every=7)
    leads = replay[replay["objective_id"] == "leads"]
    assert set(leads["objective_status"]) <= {"too_early", "on_track", "achieved"}
    assert replay["day"].nunique() == 14  # weekly from 1 Jul, and the last day


def test_before_the_period_nothing_is_judged_and_after_it_the_outcome_is_final(workspace):
    early = _status(workspace[0], date(2026, 6, 20))
    assert {o["status"] for o in early["objectives"]} == {"not_started"}
    final = _status(workspace[0], date(2026, 10, 5))
    assert _objective(final, "awareness")["status"] == "missed"
    assert _objective(final, "leads")["kpis"][0]["status"] == "achieved"


def test_a_kpi_without_any_data_is_no_data_and_says_so(workspace):
    video = _objective(_status(workspace[0], date(2026, 8, 10)), "video")
    assert video["status"] == "no_data"
    assert "no video views data for TikTok" in video["kpis"][0]["reason"]


def test_too_early_in_the_first_two_weeks(workspace):
    document = _status(workspace[0], date(2026, 7, 9))
    assert _objective(document, "awareness")["status"] == "too_early"
    assert "too early to judge until 14 Jul" in _objective(document, "awareness")["reason"]


def test_replaying_a_past_day_sees_only_the_data_up_to_that_day(workspace, tmp_path):
    as_of = date(2026, 8, 12)
    only_past = _database(tmp_path, until=as_of)
    assert _status(workspace[0], as_of) == _status(only_past, as_of)


def test_the_chart_path_runs_to_the_target_and_fans_out_after_today(workspace):
    with store.reader(workspace[0]) as con:
        kpi = parse_plan(PLAN).objectives[0].kpis[0]
        path = kpi_path(con, kpi, date(2026, 8, 20))
    assert list(path.columns) == [
        "day",
        "actual_cum",
        "expected_cum",
        "projected",
        "projected_low",
        "projected_high",
    ]
    assert len(path) == 91
    assert path["expected_cum"].iloc[-1] == pytest.approx(455000)
    today = path[path["day"] == date(2026, 8, 20)].index[0]
    assert path["actual_cum"].iloc[today + 1 :].isna().all()
    end = path.iloc[-1]
    assert end["projected_low"] < end["projected"] < end["projected_high"] < 455000


def test_cli_exit_codes_follow_fail_on(workspace, capsys):
    db, plan = workspace
    base = ["status", "--db", str(db), "--plan", str(plan), "--as-of", "2026-08-25"]
    assert main(base) == 0
    assert "Grow awareness on Instagram" in capsys.readouterr().out
    assert main([*base, "--fail-on", "off_track"]) == 1
    assert main([*base, "--fail-on", "at_risk"]) == 1
    quiet = ["status", "--db", str(db), "--plan", str(plan), "--as-of", "2026-07-20"]
    assert main([*quiet, "--fail-on", "at_risk"]) == 0
    capsys.readouterr()
    assert main([*quiet, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-07-20"


def test_cli_refuses_a_missing_plan_and_a_bad_date_with_exit_2(workspace, tmp_path, capsys):
    db, _ = workspace
    assert main(["status", "--db", str(db), "--plan", str(tmp_path / "nope.yaml")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["status", "--db", str(db), "--as-of", "25-08-2026"])
    assert exc.value.code == 2


def test_status_page_shows_chips_reasons_and_the_weekly_history(workspace, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db, plan = workspace
    monkeypatch.setenv("SOSTAC_DB", str(db))
    monkeypatch.setenv("SOSTAC_PLAN", str(plan))
    root = Path(__file__).resolve().parent.parent.parent
    at = AppTest.from_file(str(root / "app_pages" / "status.py"), default_timeout=120)
    at.run()  # as of today: after the period, so every outcome is final
    assert not at.exception
    assert at.title[0].value == "Status"
    text = " ".join(m.value for m in at.markdown)
    assert "Grow awareness on Instagram" in text and "✕ missed</span>" in text
    assert "ended at" in " ".join(c.value for c in at.caption)
    frames = [f.value for f in at.dataframe]
    history_of_objectives = frames[-2]
    assert list(history_of_objectives.columns)[-2:] == ["08 Jul", "01 Jul"]  # newest first
    awareness = history_of_objectives.loc["Grow awareness on Instagram"]
    assert awareness.iloc[-1] == "too_early"
    assert "off_track" in set(awareness)


def test_data_that_stops_is_stale_with_the_last_judgement_and_the_source_to_refresh(tmp_path):
    stopped = _database(tmp_path, until=date(2026, 8, 12))
    then = _objective(_status(stopped, date(2026, 8, 12), "leads"), "leads")["kpis"][0]
    soon = _objective(_status(stopped, date(2026, 8, 14), "leads"), "leads")["kpis"][0]
    later_doc = _status(stopped, date(2026, 8, 20), "leads")
    later = _objective(later_doc, "leads")["kpis"][0]
    assert then["status"] == soon["status"] == "on_track"  # two days late: the default allows 3
    assert "no data since 12 Aug (2 days)" in soon["reason"]
    assert later["status"] == "stale"
    assert later["reason"].startswith("no data since 12 Aug; last judged on track")
    assert later["last_judged"] == "on_track" and later["last_data_day"] == "2026-08-12"
    assert later["projected"] == pytest.approx(then["projected"], rel=0.02)  # not as zeros
    assert [r["channel"] for r in later_doc["refresh"]] == ["linkedin"]
    assert "data-2026-08-12.csv" in later_doc["refresh"][0]["text"]


def test_fail_on_stale_exits_1_for_data_that_stopped(tmp_path, capsys):
    stopped = _database(tmp_path, until=date(2026, 8, 12))
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    args = ["status", "--db", str(stopped), "--plan", str(plan), "--as-of", "2026-08-20"]
    assert main([*args, "--fail-on", "stale"]) == 1
    capsys.readouterr()
    assert main([*args[:-2], "--as-of", "2026-08-12", "--fail-on", "stale"]) == 0
