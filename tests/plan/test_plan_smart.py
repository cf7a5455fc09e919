"""The SMART check: what is missing or weak in each objective, and why."""

from __future__ import annotations

from pathlib import Path

from sostac_control import store
from sostac_control.ingest import ingest_paths
from sostac_control.plan.load import load_plan, parse_plan
from sostac_control.plan.smart import SmartFinding, smart_check, worst

HEAD = "version: 1\nname: Koffiebar Noord\nobjectives:\n"


def plan_with(kpis: str, extra: str = "category: sizzle\n", start="2026-07-01", end="2026-09-30"):
    text = HEAD + (
        f"  - id: obj\n    title: Grow\n{'    ' + extra if extra else ''}"
        f"    start: {start}\n    end: {end}\n" + (f"    kpis:\n{kpis}" if kpis else "")
    )
    return parse_plan(text)


def kpi(metric="impressions", channel="instagram", target="450000", **more: str) -> str:
    lines = [f"metric: {metric}", f"channel: {channel}", f"target: {target}"]
    lines += [f"{k}: {v}" for k, v in more.items()]
    return "      - " + "\n        ".join(lines) + "\n"


def finding(findings: list[SmartFinding], criterion: str) -> SmartFinding:
    return next(f for f in findings if f.criterion == criterion)


def test_a_smart_objective_is_ok_on_all_but_measurable_without_a_database() -> None:
    findings = smart_check(plan_with(kpi(baseline="300000")))
    assert [f.criterion for f in findings] == [
        "specific",
        "measurable",
        "achievable",
        "relevant",
        "time_bound",
    ]
    assert {f.criterion: f.status for f in findings} == {
        "specific": "ok",
        "measurable": "unchecked",
        "achievable": "ok",
        "relevant": "ok",
        "time_bound": "ok",
    }
    assert findings[0].line == 4


def test_target_above_three_times_baseline_is_weak() -> None:
    found = finding(smart_check(plan_with(kpi(target="1000000", baseline="300000"))), "achievable")
    assert found.status == "weak"
    assert "3.3× the baseline" in found.message


def test_target_below_baseline_for_an_increase_is_weak() -> None:
    found = finding(smart_check(plan_with(kpi(target="200000", baseline="300000"))), "achievable")
    assert found.status == "weak"
    assert "below the baseline" in found.message


def test_lower_is_better_mirrors_the_achievable_rules() -> None:
    above = plan_with(kpi(metric="cpa", channel="meta_ads", target="30", baseline="25"))
    assert "above the baseline" in finding(smart_check(above), "achievable").message
    steep = plan_with(kpi(metric="cpa", channel="meta_ads", target="5", baseline="25"))
    assert "5.0× lower" in finding(smart_check(steep), "achievable").message
    fine = plan_with(kpi(metric="cpa", channel="meta_ads", target="20", baseline="25"))
    assert finding(smart_check(fine), "achievable").status == "ok"


def test_no_baseline_at_all_is_missing_and_some_missing_is_weak() -> None:
    assert finding(smart_check(plan_with(kpi())), "achievable").status == "missing"
    some = plan_with(kpi(baseline="300000") + kpi(metric="comments", target="50"))
    found = finding(smart_check(some), "achievable")
    assert found.status == "weak" and "Comments · Instagram" in found.message


def test_objective_without_category_is_not_relevant() -> None:
    found = finding(smart_check(plan_with(kpi(), extra="")), "relevant")
    assert found.status == "missing" and "5 S's" in found.message


def test_objective_without_kpis_is_not_specific_nor_measurable() -> None:
    findings = smart_check(plan_with(""))
    assert finding(findings, "specific").status == "missing"
    assert finding(findings, "measurable").status == "missing"
    assert worst(findings) == "missing"


def test_kpi_on_all_channels_is_weakly_specific() -> None:
    found = finding(smart_check(plan_with(kpi(channel="all"))), "specific")
    assert found.status == "weak" and "every channel" in found.message


def test_period_longer_than_a_year_is_weakly_time_bound() -> None:
    found = finding(smart_check(plan_with(kpi(), end="2027-12-31")), "time_bound")
    assert found.status == "weak" and "longer than a year" in found.message


def test_measurable_looks_for_the_metric_and_a_ratios_two_sides(write_tidy, db: Path) -> None:
    rows = [("2026-07-01", "instagram", "impressions", 1000, "koffiebarnoord")]
    rows += [("2026-07-01", "facebook", "engagements", 30, "koffiebarnoord")]
    ingest_paths([write_tidy(rows)], db)
    plan = plan_with(
        kpi()
        + kpi(metric="engagement_rate", target="0.04")
        + kpi(metric="impressions", channel="all")
        + kpi(metric="impressions", account="someone-else")
    )
    with store.reader(db) as con:
        found = finding(smart_check(plan, con), "measurable")
    assert found.status == "missing"
    assert "Engagement rate · Instagram (no engagements)" in found.message
    assert "@someone-else (no impressions)" in found.message
    assert "Impressions · Instagram;" not in found.message
    assert "All channels" not in found.message


def test_demo_plan_validates_and_its_kpis_have_data(demo_workspace) -> None:
    plan = load_plan(demo_workspace.plan)
    with store.reader(demo_workspace.db) as con:
        findings = smart_check(plan, con)
    assert plan.kpis
    assert {f.status for f in findings if f.criterion == "measurable"} == {"ok"}
