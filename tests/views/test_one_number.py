"""One account, one currency, one number: the same KPI on the same day shows the same figures on
every screen and in the CLI, and the demo counts nothing twice."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sostac_control import store
from sostac_control.catalog import get_metric
from sostac_control.demo.build import DemoResult, build_demo
from sostac_control.demo.data import generate, tidy_rows
from sostac_control.engine.status import evaluate_plan
from sostac_control.plan.load import load_plan
from sostac_control.views.kpi_detail import kpi_detail
from sostac_control.views.overview import overview

AS_OF = date(2026, 12, 1)  # the day the review saw two figures for one KPI


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """The demo workspace for a fixed as-of date."""
    folder = tmp_path_factory.mktemp("demo")
    return build_demo(folder / "sostac.duckdb", folder / "plan.yaml", as_of=AS_OF)


def test_demo_kpi_actuals_equal_the_totals_of_its_generated_exports(demo: DemoResult) -> None:
    """Every sum KPI of the demo plan adds up to the numbers written into its export files:
    a page daily series beside the same page's posts is counted once."""
    plan = load_plan(demo.plan)
    tidy = tidy_rows(generate(AS_OF, 7))
    with store.reader(demo.db) as con:
        result = evaluate_plan(con, plan, AS_OF)
    checked = 0
    for obj in result.objectives:
        for k in obj.kpis:
            kpi = k.kpi
            if get_metric(kpi.metric).kind != "sum" or kpi.channel not in tidy:
                continue
            rows = tidy[kpi.channel]
            days = pd.to_datetime(rows["date"]).dt.date
            inside = (days >= kpi.start) & (days <= min(AS_OF, kpi.end))
            expected = rows.loc[inside & (rows["metric"] == kpi.metric), "value"].sum()
            # The generator's tidy numbers are rounded to whole units per day; the exports keep
            # cents: 0.1% apart at most, where a double count would be 25% or more.
            assert k.actual == pytest.approx(expected, rel=1e-3), (kpi.label, k.actual, expected)
            checked += 1
    assert checked >= 6


def test_demo_facebook_page_series_joins_the_named_account(demo: DemoResult) -> None:
    with store.reader(demo.db) as con:
        accounts = con.execute(
            "SELECT DISTINCT account FROM observations WHERE channel = 'facebook'"
        ).fetchall()
    assert accounts == [("Koffiebar Noord",)]
    series = [r for r in demo.results if r.format == "meta_page_series"]
    assert series and all("the only account already loaded" in r.message for r in series)


def test_same_kpi_same_day_same_figures_on_overview_status_kpi_page_and_cli(
    demo: DemoResult,
) -> None:
    plan = load_plan(demo.plan)
    with store.reader(demo.db) as con:
        status = evaluate_plan(con, plan, AS_OF)
        view = overview(con, plan, AS_OF)
        details = {
            (o.id, i): kpi_detail(con, plan, o.id, i, AS_OF)
            for o in plan.objectives
            for i in range(len(o.kpis))
        }
    cli = subprocess.run(
        [sys.executable, "-m", "sostac_control", "status", "--json", "--db", str(demo.db),
         "--plan", str(demo.plan), "--as-of", AS_OF.isoformat()],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    document = json.loads(cli.stdout)
    for obj, card, printed in zip(status.objectives, view.objectives, document["objectives"],
                                  strict=True):  # fmt: skip
        assert card.status == obj.status == printed["status"]
        for i, (k, tile, line) in enumerate(zip(obj.kpis, card.tiles, printed["kpis"],
                                                strict=True)):  # fmt: skip
            detail = details[(obj.objective.id, i)].status
            assert tile.status == k.status == line["status"] == detail.status
            assert tile.reason == k.reason == line["reason"] == detail.reason
            assert tile.actual == pytest.approx(k.actual)
            assert line["actual"] == pytest.approx(k.actual, rel=1e-5)  # JSON keeps 6 digits
            assert line["projected"] == pytest.approx(k.projected, rel=1e-5)
            assert line["probability"] == pytest.approx(k.probability, abs=1e-3)
            assert detail.projected == pytest.approx(k.projected)
            assert detail.probability == pytest.approx(k.probability)


def _tidy(path: Path, rows: list[str]) -> Path:
    path.write_text("date,channel,metric,value,account\n" + "\n".join(rows) + "\n")
    return path


def test_unnamed_series_matched_to_the_channels_only_account(tmp_path: Path) -> None:
    from sostac_control.ingest import ingest_paths

    db = tmp_path / "s.duckdb"
    ingest_paths([_tidy(tmp_path / "a.csv", ["2026-01-05,facebook,views,100,Page A"])], db)
    (result,) = ingest_paths([_tidy(tmp_path / "b.csv", ["2026-01-06,facebook,views,50,"])], db)
    assert result.status == "loaded" and result.account == "Page A"
    assert "the only account already loaded for facebook" in result.message
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations WHERE account = ''").fetchone() == (
            0,
        )


def test_unnamed_series_with_two_accounts_is_refused_then_remembered(tmp_path: Path) -> None:
    from sostac_control.formats import ReadOptions
    from sostac_control.ingest import ingest_paths

    db = tmp_path / "s.duckdb"
    named = ["2026-01-05,facebook,views,100,Page A", "2026-01-05,facebook,views,70,Page B"]
    ingest_paths([_tidy(tmp_path / "a.csv", named)], db)
    unnamed = _tidy(tmp_path / "b.csv", ["2026-01-06,facebook,views,50,"])
    (refused,) = ingest_paths([unnamed], db)
    assert refused.status == "refused"
    assert "Page A, Page B" in refused.message and "--account" in refused.hint
    (given,) = ingest_paths([unnamed], db, options=ReadOptions(account="Page B"))
    assert given.status == "loaded" and given.account == "Page B"
    later = _tidy(tmp_path / "c.csv", ["2026-01-07,facebook,views,30,"])
    (remembered,) = ingest_paths([later], db)
    assert remembered.status == "loaded" and remembered.account == "Page B"
    assert "gave this kind of facebook export before" in remembered.message


def test_kpi_never_adds_an_unnamed_series_to_a_named_one(tmp_path: Path) -> None:
    """Stored before any named account existed, the unnamed series stays out of the sums."""
    from sostac_control.engine.grains import metric_total
    from sostac_control.ingest import ingest_paths
    from sostac_control.store.accounts import unnamed_beside_named

    db = tmp_path / "s.duckdb"
    ingest_paths([_tidy(tmp_path / "a.csv", ["2026-01-05,facebook,views,100,"])], db)
    ingest_paths([_tidy(tmp_path / "b.csv", ["2026-01-05,facebook,views,40,Page A"])], db)
    with duckdb.connect(str(db), read_only=True) as con:
        total = metric_total(con, "views", "facebook", None, date(2026, 1, 1), date(2026, 1, 31))
        assert total.value == 40
        assert unnamed_beside_named(con) == [("facebook", ["Page A"], 1)]


def _ads_in_pesos(tmp_path: Path, demo: DemoResult) -> Path:
    source = next(demo.exports.glob("*-Ads-*.csv"))
    text = source.read_text(encoding="utf-8").replace("(EUR)", "(PHP)")
    path = tmp_path / "ads_php.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_money_in_another_currency_is_left_out_with_a_note_or_converted_by_plan_rates(
    tmp_path: Path, demo: DemoResult
) -> None:
    from sostac_control.engine.grains import metric_total
    from sostac_control.engine.money import money_left_out, use_plan_money
    from sostac_control.ingest import ingest_paths

    db = tmp_path / "s.duckdb"
    (loaded,) = ingest_paths([_ads_in_pesos(tmp_path, demo)], db)
    assert loaded.status == "loaded"
    start, end = AS_OF - timedelta(days=400), AS_OF  # every window whole
    with duckdb.connect(str(db), read_only=True) as con:
        stored = metric_total(con, "spend", "meta_ads", None, start, end).value
        assert stored and stored > 0
        use_plan_money(con, "EUR")
        assert metric_total(con, "spend", "meta_ads", None, start, end).value is None
        left_out = {m.metric: m for m in money_left_out(con)}
        assert set(left_out) == {"spend", "revenue"}
        assert left_out["spend"].currency == "PHP"
        assert left_out["spend"].total == pytest.approx(stored)
        assert "currency_rates: {PHP: …}" in left_out["spend"].sentence("EUR")
        use_plan_money(con, "EUR", {"PHP": 0.016})
        converted = metric_total(con, "spend", "meta_ads", None, start, end).value
        assert converted == pytest.approx(stored * 0.016)
        assert money_left_out(con) == []
