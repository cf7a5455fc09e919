"""Editing the plan as tables: comments and key order survive, saves are checked and atomic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sostac_control.plan.edit import (
    apply_tables,
    plan_tables,
    save_plan_edits,
    save_plan_upload,
    write_new_plan,
    write_plan_text,
)
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.load import load_plan


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def end_comments(text: str) -> list[str]:
    return [line.split(" #", 1)[1].strip() for line in text.splitlines() if " #" in line]


def test_unchanged_tables_write_back_the_same_text() -> None:
    assert apply_tables(EXAMPLE_PLAN, plan_tables(EXAMPLE_PLAN)) == EXAMPLE_PLAN


def test_tables_hold_what_is_written_not_the_defaults() -> None:
    tables = plan_tables(EXAMPLE_PLAN)
    first = tables.kpis[0]
    assert first["objective"] == "awareness-instagram"
    assert (first["metric"], first["target"], first["baseline"]) == ("impressions", 450000, 300000)
    assert first["direction"] is None and first["start"] is None
    assert tables.objectives[0]["start"] == date(2026, 7, 1)
    assert tables.budget[2]["hourly_rate"] == 38


def test_editing_a_target_keeps_every_comment_and_the_key_order() -> None:
    tables = plan_tables(EXAMPLE_PLAN)
    tables.kpis[0]["target"] = 500000.0  # pandas gives floats
    tables.kpis[1]["target"] = 0.05
    edited = apply_tables(EXAMPLE_PLAN, tables)
    assert "        target: 500000\n" in edited
    assert "        target: 0.05                # 4.5%\n" in edited
    assert comment_lines(edited) == comment_lines(EXAMPLE_PLAN)
    assert end_comments(edited) == end_comments(EXAMPLE_PLAN)
    changed = [
        (a, b)
        for a, b in zip(EXAMPLE_PLAN.splitlines(), edited.splitlines(), strict=True)
        if a != b
    ]
    assert len(changed) == 2


def test_added_objective_and_kpi_land_in_file_order_before_the_next_section() -> None:
    tables = plan_tables(EXAMPLE_PLAN)
    tables.objectives.append(
        {
            "row": None,
            "id": "serve-faq",
            "title": "Answer questions",
            "category": "serve",
            "owner": "Barista",
            "start": "2026-10-01",
            "end": date(2026, 12, 31),
        }
    )
    tables.kpis.append(
        {
            "row": None,
            "objective": "serve-faq",
            "metric": "comments",
            "channel": "instagram",
            "account": None,
            "target": 300.0,
            "baseline": float("nan"),
            "denominator": None,
            "direction": None,
            "start": None,
            "end": None,
        }
    )
    edited = apply_tables(EXAMPLE_PLAN, tables)
    block = edited[edited.index("  - id: serve-faq") : edited.index("# The 3 M's")]
    assert block.split("\n")[:9] == [
        "  - id: serve-faq",
        "    title: Answer questions",
        "    category: serve",
        "    owner: Barista",
        "    start: 2026-10-01",
        "    end: 2026-12-31",
        "    kpis:",
        "      - metric: comments",
        "        channel: instagram",
    ]
    assert comment_lines(edited) == comment_lines(EXAMPLE_PLAN)


def test_blank_cell_removes_the_key_and_deleted_rows_remove_items(tmp_path: Path) -> None:
    tables = plan_tables(EXAMPLE_PLAN)
    tables.objectives[1]["owner"] = None
    tables.kpis = [k for k in tables.kpis if k["metric"] != "link_clicks"]
    tables.budget = tables.budget[:1]
    path = tmp_path / "plan.yaml"
    path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    assert save_plan_edits(path, tables) == []
    plan = load_plan(path)
    assert plan.objective("lunch-sales").owner is None
    assert [k.metric for k in plan.objective("lunch-sales").kpis] == ["conversions", "cpa"]
    assert len(plan.budget) == 1
    assert "# Optional. What makes a post promotional" in path.read_text(encoding="utf-8")


def test_kpi_moves_to_the_objective_its_row_names(tmp_path: Path) -> None:
    tables = plan_tables(EXAMPLE_PLAN)
    tables.kpis[0]["objective"] = "conversations-facebook"
    tables.kpis[0]["channel"] = "facebook"
    tables.kpis[0]["account"] = ""
    path = tmp_path / "plan.yaml"
    path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    assert save_plan_edits(path, tables) == []
    plan = load_plan(path)
    assert [k.metric for k in plan.objective("conversations-facebook").kpis] == [
        "impressions",  # in table order: the moved row came first
        "comments",
        "engagement_rate",
    ]
    assert len(plan.objective("awareness-instagram").kpis) == 2


def test_an_edit_that_breaks_the_plan_is_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    tables = plan_tables(EXAMPLE_PLAN)
    tables.kpis[1]["target"] = 4.5
    tables.objectives[0]["end"] = date(2026, 6, 1)
    problems = save_plan_edits(path, tables)
    assert {p.column for p in problems} >= {
        "objectives[0].end",
        "objectives[0].kpis[1].target",
    }
    assert path.read_text(encoding="utf-8") == EXAMPLE_PLAN
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]  # no temporary file left


def test_list_style_without_indent_is_kept() -> None:
    text = (
        "version: 1  # the format\nname: Compact\nobjectives:\n- id: a\n  title: A\n"
        "  start: 2026-07-01\n  end: 2026-09-30\n  kpis:\n  - metric: reach  # unique\n"
        "    channel: tiktok\n    target: 1000\n"
    )
    tables = plan_tables(text)
    tables.kpis[0]["target"] = 2000
    assert apply_tables(text, tables) == text.replace("target: 1000", "target: 2000")


def test_upload_replaces_the_plan_only_when_it_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(EXAMPLE_PLAN, encoding="utf-8")
    problems = save_plan_upload(path, b"version: 1\nname: x\nobjectives:\n  - id: a\n")
    assert problems and problems[0].line == 4
    assert path.read_text(encoding="utf-8") == EXAMPLE_PLAN
    assert save_plan_upload(path, b"\xff\xfe") != []
    new = EXAMPLE_PLAN.replace("Koffiebar Noord", "Koffiebar Zuid")
    assert save_plan_upload(path, new.encode("utf-8")) == []
    assert load_plan(path).name.startswith("Koffiebar Zuid")


def test_write_replaces_through_a_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("old\n", encoding="utf-8")
    write_plan_text(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]


def test_write_new_plan_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "plan.yaml"
    assert write_new_plan(path, "one\n") is True
    assert write_new_plan(path, "two\n") is False
    assert path.read_text(encoding="utf-8") == "one\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["plan.yaml"]


def test_kpi_row_naming_an_unknown_objective_is_refused() -> None:
    from sostac_control.plan.model import PlanError

    tables = plan_tables(EXAMPLE_PLAN)
    tables.kpis[0]["objective"] = "nope"
    with pytest.raises(PlanError, match="'nope'"):
        apply_tables(EXAMPLE_PLAN, tables)
