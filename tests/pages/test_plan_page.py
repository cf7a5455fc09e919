"""The Plan page (AppTest): the tree, the SMART check, problems with lines, create and save."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sostac_control.ingest import ingest_paths
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.load import load_plan

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def plan_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SOSTAC_PLAN and SOSTAC_DB pointed into tmp_path; the plan file is not written yet."""
    path = tmp_path / "plan.yaml"
    monkeypatch.setenv("SOSTAC_PLAN", str(path))
    monkeypatch.setenv("SOSTAC_DB", str(tmp_path / "sostac.duckdb"))
    return path


def run_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / "plan.py"), default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_valid_plan_shows_objectives_kpis_targets_and_budget(plan_path: Path) -> None:
    plan_path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    at = run_page()
    assert at.title[0].value == "Plan"
    assert at.subheader[0].value == "Koffiebar Noord social media plan H2 2026"
    assert [m.value for m in at.metric] == ["3", "8", "€23,400.00"]
    markdown = texts(at.markdown)
    assert "Grow awareness among young professionals on Instagram" in markdown
    assert "`lunch-sales`" in markdown
    assert "owner: Marketing lead" in texts(at.caption)
    kpis = at.dataframe[0].value
    assert list(kpis["KPI"])[:2] == [
        "Impressions · Instagram @koffiebarnoord",
        "Engagement rate · Instagram",
    ]
    assert list(kpis["target"])[:2] == ["450,000", "4.50%"]
    cpa = at.dataframe[1].value
    assert "€12.50" in list(cpa["target"]) and "↓ lower is better" in list(cpa["direction"])
    budget = next(d.value for d in at.dataframe if "people cost" in d.value.columns)
    assert list(budget["people cost"]) == ["€5,400.00", "€1,800.00", "€5,700.00"]


def test_smart_check_says_what_is_weak_and_that_measurable_needs_data(
    plan_path: Path, write_tidy
) -> None:
    plan_path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    at = run_page()
    assert "Measurable not checked: there is no database" in texts(at.caption)
    grid = next(d.value for d in at.dataframe if "Time-bound" in d.value.columns)
    assert list(grid["objective"]) == [
        "awareness-instagram",
        "lunch-sales",
        "conversations-facebook",
    ]
    assert set(grid["Measurable"]) == {"➖ unchecked"}
    advice = next(d.value for d in at.dataframe if "advice" in d.value.columns)
    assert "No baseline for Link clicks · All channels." in list(advice["advice"])

    rows = [("2026-07-01", "instagram", "impressions", 1000, "koffiebarnoord")]
    ingest_paths([write_tidy(rows)], plan_path.parent / "sostac.duckdb")
    at = run_page()
    grid = next(d.value for d in at.dataframe if "Time-bound" in d.value.columns)
    assert set(grid["Measurable"]) == {"❌ missing"}


def test_invalid_plan_shows_each_problem_with_its_line_and_hint(plan_path: Path) -> None:
    text = EXAMPLE_PLAN.replace("target: 0.045", "target: 4.5").replace("cpa  ", "cpaa ")
    plan_path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    expected = [lines.index(n) + 1 for n in lines if "target: 4.5" in n or "cpaa" in n]
    at = run_page()
    assert "The plan has 2 problems" in at.error[0].value
    problems = at.table[0].value
    assert list(problems.columns) == ["field", "problem", "hint"]
    assert list(problems.index) == expected
    assert "write 0.045" in problems["hint"].iloc[0]
    assert "Did you mean 'cpa'" in problems["hint"].iloc[1]


def test_missing_plan_offers_the_example_plan(plan_path: Path) -> None:
    at = run_page()
    assert "There is no plan" in at.info[0].value
    at.button[0].click().run()
    assert plan_path.read_text(encoding="utf-8") == EXAMPLE_PLAN
    assert at.subheader[0].value == "Koffiebar Noord social media plan H2 2026"


def test_saving_the_tables_keeps_the_file_and_says_so(plan_path: Path) -> None:
    plan_path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    at = run_page()
    save = next(b for b in at.button if b.label == "Check and save the plan")
    save.click().run()
    assert not at.exception
    assert "Plan saved." in texts(at.success)
    assert plan_path.read_text(encoding="utf-8") == EXAMPLE_PLAN
    assert len(load_plan(plan_path).kpis) == 8


def test_suggested_targets_show_what_history_makes_50_and_80_percent_likely(
    plan_path: Path, tmp_path: Path
) -> None:
    plan = load_plan_text_with_history(plan_path, tmp_path)
    at = run_page()
    assert "Suggested targets" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "50% likely" in d.value.columns)
    leads = table[table["KPI"] == "Leads · LinkedIn"].iloc[0]
    assert leads["50% likely"] == "9,100" and leads["target"] == "9,100"
    assert float(leads["80% likely"].replace(",", "")) < 9100
    assert "weeks before 1 Jul 2026" in leads["basis"]
    assert plan.objectives[0].kpis[0].metric == "leads"


def load_plan_text_with_history(plan_path: Path, tmp_path: Path):
    """A one-KPI plan from 1 Jul 2026 and 26 weeks of about 100 leads a day before it."""
    start = date(2026, 7, 1)
    plan_path.write_text(
        "version: 1\nname: Leads\nobjectives:\n  - id: leads\n    title: Leads\n"
        f"    start: {start}\n    end: {start + timedelta(days=90)}\n    kpis:\n"
        "      - metric: leads\n        channel: linkedin\n        target: 9100\n",
        encoding="utf-8",
    )
    lines = ["date,channel,metric,value"]
    for k in range(1, 26 * 7 + 1):
        lines.append(f"{start - timedelta(days=k)},linkedin,leads,{100 + (k % 3) - 1}")
    csv = tmp_path / "leads.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_paths([csv], tmp_path / "sostac.duckdb")[0].status == "loaded"
    return load_plan(plan_path)


def test_smart_achievable_names_a_target_that_history_makes_unlikely(
    plan_path: Path, tmp_path: Path
) -> None:
    load_plan_text_with_history(plan_path, tmp_path)
    plan_path.write_text(
        plan_path.read_text(encoding="utf-8").replace("target: 9100", "target: 12000"),
        encoding="utf-8",
    )
    at = run_page()
    advice = next(d.value for d in at.dataframe if "advice" in d.value.columns)
    row = advice[advice["advice"].str.startswith("Leads · LinkedIn: the target 12,000")].iloc[0]
    assert row["criterion"] == "Achievable" and "<1% chance on history and trend" in row["advice"]
