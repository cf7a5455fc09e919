"""Statuses a team can act on, from a real DuckDB file: the culprit of a gap, a crisis flag,
stale data with the source to refresh, a drift that is only a note, young posts corrected."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from sostac_control import store
from sostac_control.cli import main
from sostac_control.engine import freshness
from sostac_control.engine.attribution import attribute
from sostac_control.engine.crisis import crisis_path
from sostac_control.engine.maturity import DEFAULT_CURVE, learned_curve
from sostac_control.engine.status import evaluate_plan
from sostac_control.engine.status_judge import load_series
from sostac_control.ingest import ingest_paths
from sostac_control.plan.load import load_plan, parse_plan
from tests.support.status_workspace import build

AS_OF = date(2026, 12, 1)


@pytest.fixture(scope="module")
def flags(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The flags workspace judged on AS_OF, as `status --json` prints it."""
    db, plan = build(tmp_path_factory.mktemp("flags"), AS_OF)
    with store.reader(db) as con:
        document = evaluate_plan(con, load_plan(plan), AS_OF).to_dict()
    return {"db": db, "plan": plan, "doc": {o["id"]: o for o in document["objectives"]},
            "refresh": document["refresh"]}  # fmt: skip


def test_a_gap_names_the_account_that_explains_it(flags):
    kpi = flags["doc"]["reach"]["kpis"][0]
    assert kpi["status"] in ("at_risk", "off_track")
    culprit = kpi["attribution"]
    assert culprit["dimension"] == "account" and culprit["part"] == "shop"
    assert culprit["share_of_gap"] >= 0.8
    assert -0.8 < culprit["change"] < -0.6  # shop fell to 30%
    assert "account shop impressions fell 7" in kpi["reason"] and "of the gap" in kpi["reason"]


def test_an_unfollow_wave_raises_a_crisis_flag_with_its_start_and_size(flags):
    community = flags["doc"]["community"]
    assert community["status"] == "on_track"  # pacing is separate from the crisis
    crisis = community["crisis"]
    assert crisis["signal"] == "unfollows" and crisis["channel"] == "facebook"
    assert crisis["began"] == (AS_OF - timedelta(days=3)).isoformat()
    assert "followers" in crisis["size"] and "usually" in crisis["size"]
    assert all(flags["doc"][o]["crisis"] is None for o in ("reach", "web", "steady"))


def test_data_that_stopped_is_stale_and_the_source_to_refresh_is_named(flags):
    kpi = flags["doc"]["web"]["kpis"][0]
    assert flags["doc"]["web"]["status"] == kpi["status"] == "stale"
    assert kpi["reason"].startswith("no data since 21 Nov; last judged on track")
    assert [r["channel"] for r in flags["refresh"]] == ["website"]
    assert "newer than 21 Nov" in flags["refresh"][0]["text"]


def test_a_drift_with_a_comfortable_projection_is_a_note_not_a_status(flags):
    kpi = flags["doc"]["steady"]["kpis"][0]
    assert kpi["status"] == "on_track"
    (note,) = kpi["notes"]
    assert note.startswith("pace fell 2") and "; still projected 1" in note
    assert note in kpi["reason"]


def test_cli_prints_the_crisis_and_the_sources_and_fails_on_stale(flags, capsys):
    args = ["status", "--db", str(flags["db"]), "--plan", str(flags["plan"]), "--as-of",
            AS_OF.isoformat()]  # fmt: skip
    assert main([*args, "--fail-on", "stale"]) == 1
    out = capsys.readouterr().out
    assert "[crisis]" in out and "crisis on Facebook since 28 Nov" in out
    assert "Refresh these sources" in out and "Website (web analytics): load data" in out
    assert main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["refresh"][0]["channel"] == "website"


def test_crisis_alarm_ignores_a_viral_day_but_sees_a_pile_on():
    rng = np.random.default_rng(3)
    days = 140
    impressions = rng.lognormal(np.log(4000), 0.2, days)
    reactions = np.round(impressions * 0.03)
    comments = np.round(impressions * 0.003)
    net = rng.integers(5, 20, days).astype(float)
    viral = impressions.copy()
    viral[120] *= 8
    quiet = crisis_path(net, np.round(viral * 0.003), np.round(viral * 0.03), viral, 112)
    assert not quiet.alarm.any()
    comments[125:128] *= 6
    reactions[125:128] = np.round(reactions[125:128] * 0.5)
    loud = crisis_path(net, comments, reactions, impressions, 112)
    first = int(np.flatnonzero(loud.alarm)[0])
    assert first == 125 - 112 and loud.began[first] == first


POSTS_PLAN = """version: 1
name: Posts
objectives:
  - id: views
    title: Views on Instagram
    start: {start}
    end: {end}
    kpis:
      - metric: views
        channel: instagram
        target: {target}
"""


def _posts_csv(path: Path, as_of: date, shares: np.ndarray | None) -> Path:
    """A post export pulled on as_of: one post a day of 1000 views at maturity, the last days
    scaled by `shares` (None: all mature)."""
    lines = ["date,channel,metric,value,account,post_id"]
    start = as_of - timedelta(days=170)
    for k in range((as_of - start).days + 1):
        day = start + timedelta(days=k)
        age = (as_of - day).days
        share = shares[age] if shares is not None and age < len(shares) else 1.0
        lines.append(f"{day},instagram,views,{1000 * share:.0f},brand,p{day:%Y%m%d}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_young_posts_are_counted_at_maturity_and_the_reason_says_so(tmp_path):
    as_of = date(2026, 11, 20)
    db = tmp_path / "posts.duckdb"
    csv = _posts_csv(tmp_path / f"posts-{as_of}.csv", as_of, DEFAULT_CURVE)
    assert ingest_paths([csv], db)[0].status == "loaded"
    start = as_of - timedelta(days=50)
    plan = parse_plan(POSTS_PLAN.format(start=start, end=start + timedelta(days=90), target=91000))
    with store.reader(db) as con:
        kpi = evaluate_plan(con, plan, as_of).objectives[0].kpis[0]
    assert kpi.status == "on_track"
    assert kpi.drift_began is None  # the young posts are not a drop
    assert kpi.projected == pytest.approx(91000, rel=0.02)
    assert any("still gathering views" in n and "default curve" in n for n in kpi.notes)


def test_the_maturity_curve_is_learned_from_successive_exports_of_the_same_posts(tmp_path):
    db = tmp_path / "posts.duckdb"
    curve = np.array([0.3, 0.5, 0.65, 0.75, 0.82, 0.88, 0.92, 0.95, 0.97, 0.98, 0.99])
    first = date(2026, 10, 1)
    for k in range(4):  # a weekly export: each sees the last week's posts young
        as_of = first + timedelta(days=7 * k)
        csv = _posts_csv(tmp_path / f"posts-{as_of}.csv", as_of, curve)
        assert ingest_paths([csv], db)[0].status == "loaded"
    with store.reader(db) as con:
        learned = learned_curve(con, "instagram", "views")
    assert learned is not None
    assert learned[:7] == pytest.approx(curve[:7], abs=0.01)


def test_a_single_bad_day_is_named_when_it_explains_the_gap(tmp_path):
    as_of = date(2026, 11, 20)
    start = as_of - timedelta(days=50)
    rng = np.random.default_rng(4)
    lines = ["date,channel,metric,value"]
    outage = as_of - timedelta(days=12)
    for k in range(50 + 112 + 1):
        day = start - timedelta(days=112) + timedelta(days=k)
        value = 0 if day == outage else 500 * rng.lognormal(0, 0.03)
        lines.append(f"{day},website,sessions,{value:.0f}")
    csv = tmp_path / "sessions.csv"
    csv.write_text("\n".join(lines) + "\n")
    db = tmp_path / "sessions.duckdb"
    assert ingest_paths([csv], db)[0].status == "loaded"
    plan = parse_plan(
        f"version: 1\nname: Web\nobjectives:\n  - id: web\n    title: Web\n"
        f"    start: {start}\n    end: {start + timedelta(days=90)}\n    kpis:\n"
        f"      - metric: sessions\n        channel: website\n        target: 45500\n"
    )
    kpi = plan.objectives[0].kpis[0]
    with store.reader(db) as con:
        series = load_series(con, kpi, plan.budget)
        culprit = attribute(con, kpi, series, (as_of - start).days)
    assert culprit is not None and culprit.dimension == "day"
    assert culprit.part == outage.isoformat() and culprit.share_of_gap > 0.6
    assert culprit.text.startswith(f"{outage.day} {outage:%b} alone explains")


def test_a_channel_whose_loads_usually_lag_a_week_is_not_stale_after_six_days(tmp_path):
    today = date.today()
    db = tmp_path / "late.duckdb"
    for k in range(3):  # three routine loads, each ending six days before it was loaded
        last = today - timedelta(days=6)
        lines = ["date,channel,metric,value"]
        for d in range(200):
            day = last - timedelta(days=d)
            lines.append(f"{day},linkedin,clicks,{50 + k + (d % 7)}")
        csv = tmp_path / f"clicks-{k}.csv"
        csv.write_text("\n".join(lines) + "\n")
        assert ingest_paths([csv], db)[0].status == "loaded"
    start = today - timedelta(days=40)
    plan = parse_plan(
        f"version: 1\nname: Late\nobjectives:\n  - id: li\n    title: LinkedIn\n"
        f"    start: {start}\n    end: {start + timedelta(days=90)}\n    kpis:\n"
        f"      - metric: clicks\n        channel: linkedin\n        target: 4000\n"
    )
    with store.reader(db) as con:
        assert freshness.stale_after_by_channel(con) == {"linkedin": 8}
        on_time = evaluate_plan(con, plan, today).objectives[0].kpis[0]
        late = evaluate_plan(con, plan, today + timedelta(days=3)).objectives[0].kpis[0]
    assert on_time.status != "stale"  # 6 days old: as late as its loads usually are
    assert late.status == "stale"  # 9 days: later than usual + 2 days' grace
