"""A screen's shared KPI series (`kpi_series=`) gives the numbers each KPI read alone gives."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from sostac_control import store
from sostac_control.engine.series import read_kpi_series
from sostac_control.engine.status import HISTORY_DAYS, PlanStatus, evaluate_plan
from sostac_control.plan import load_plan

FIGURES = ("actual", "expected_to_date", "projected", "projected_low", "projected_high")


def _same(a: float | None, b: float | None) -> bool:
    a_none, b_none = a is None or math.isnan(a), b is None or math.isnan(b)
    if a_none or b_none:
        return a_none == b_none
    assert a is not None and b is not None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _differences(alone: PlanStatus, shared: PlanStatus) -> list[str]:
    pairs = [
        (a, b)
        for oa, ob in zip(alone.objectives, shared.objectives, strict=True)
        for a, b in zip(oa.kpis, ob.kpis, strict=True)
    ]
    assert pairs
    found = [
        f"{a.label} {name}: {getattr(a, name)} alone, {getattr(b, name)} shared"
        for a, b in pairs
        for name in FIGURES
        if not _same(getattr(a, name), getattr(b, name))
    ]
    return found + [
        f"{a.label}: {a.status} vs {b.status}" for a, b in pairs if a.status != b.status
    ]


@pytest.mark.parametrize("reach", ["status", "overview"])
def test_every_demo_kpi_is_judged_the_same_with_and_without_a_shared_read(
    demo_workspace, reach: str
) -> None:
    plan = load_plan(demo_workspace.plan)
    as_of = demo_workspace.as_of
    before = timedelta(days=HISTORY_DAYS)
    if reach == "overview":  # history, periods and the tiles' previous periods in one read
        before = max(before, max(k.end - k.start for k in plan.kpis) + timedelta(days=1))
    start = min(k.start for k in plan.kpis) - before
    end = max(k.end for k in plan.kpis)
    with store.reader(demo_workspace.db) as con:
        series = read_kpi_series(con, plan.kpis, start, end, budget=plan.budget)
        assert series.read_at_once >= 2
        for day in (as_of, as_of - timedelta(days=7), as_of - timedelta(days=45)):
            alone = evaluate_plan(con, plan, day)
            shared = evaluate_plan(con, plan, day, kpi_series=series)
            assert _differences(alone, shared) == [], day


def test_statuses_only_gives_the_same_statuses_and_figures(demo_workspace) -> None:
    """The Overview's week-ago evaluation skips what only explains a status (attribution,
    crisis flags, refresh): every status and figure stays the same."""
    plan = load_plan(demo_workspace.plan)
    with store.reader(demo_workspace.db) as con:
        for back in (0, 7, 45):
            day = demo_workspace.as_of - timedelta(days=back)
            full = evaluate_plan(con, plan, day)
            brief = evaluate_plan(con, plan, day, statuses_only=True)
            assert _differences(full, brief) == [], day
            assert [o.status for o in full.objectives] == [o.status for o in brief.objectives]
            assert all(k.attribution is None for o in brief.objectives for k in o.kpis)
