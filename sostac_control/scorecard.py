"""What the Overview (the Monday screen) and the KPI detail page show, each in one call.

The Overview: every objective with its status (status.evaluate_plan), a tile per KPI (actual,
target, % of target, change versus the previous period of the same length, a weekly
sparkline) and what changed since last week (the last 7 days against the 7 before, and
statuses that moved). The KPI detail: the cumulative actual against the target and the
expected path with its projection band (status.kpi_path), daily and weekly values, the
metric's definition, and the contribution by channel (or account) and by post type.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from sostac_control import status as status_engine
from sostac_control.catalog import ALL_CHANNELS, CHANNEL_LABELS, get_metric
from sostac_control.content import metric_by_post_type
from sostac_control.crisis import objective_crisis
from sostac_control.metrics import kpi_daily, kpi_period, prefetch, shared_reads, value_between
from sostac_control.plan import Kpi, Objective, Plan
from sostac_control.rollups import aggregate, breakdown, previous_period, relative_change, rollup


@dataclass
class KpiTile:
    """One KPI on the Overview."""

    objective_id: str
    index: int  # the KPI's position in its objective: ?objective=ID&kpi=N
    label: str
    metric: str
    status: str
    reason: str
    actual: float | None
    target: float
    direction: str
    previous: float | None
    change_vs_previous: float | None
    sparkline: list[float]
    note: str = ""
    previous_note: str = ""  # why the change is not shown: "previous period only partly loaded"

    @property
    def pct_of_target(self) -> float | None:
        if self.actual is None or not self.target:
            return None
        return self.actual / self.target


@dataclass
class ObjectiveCard:
    """An objective on the Overview: its status, why, and its KPI tiles."""

    id: str
    title: str
    category: str | None
    owner: str | None
    start: date
    end: date
    status: str
    reason: str
    tiles: list[KpiTile] = field(default_factory=list)
    crisis: str = ""  # "crisis on Instagram since 12 Nov: net −140 followers …"; '' none


@dataclass
class Overview:
    """The Monday screen."""

    plan_name: str
    currency: str
    as_of: date
    objectives: list[ObjectiveCard]
    # objective, kpi, metric, last_7_days, previous_7_days, change, change_note, status, reason
    changes: pd.DataFrame
    refresh: list[str] = field(default_factory=list)  # sources to refresh for stale KPIs


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _between(daily: pd.DataFrame, metric: str, start: date, end: date) -> float | None:
    return aggregate(daily[(daily["day"] >= start) & (daily["day"] <= end)], metric)


def _days_with_data(daily: pd.DataFrame, start: date, end: date) -> int:
    inside = daily[(daily["day"] >= start) & (daily["day"] <= end)]
    return int(inside["numerator"].notna().sum())


def _partial_note(daily: pd.DataFrame, now: tuple[date, date], before: tuple[date, date]) -> str:
    """A note when the earlier period has data on fewer days than the later one, else ""."""
    had, has = _days_with_data(daily, *before), _days_with_data(daily, *now)
    if had >= has:
        return ""
    return f"previous period only partly loaded ({had} of {has} days have data)"


def _tile(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    objective: Objective,
    index: int,
    kpi_status: status_engine.KpiStatus,
    as_of: date,
) -> tuple[KpiTile, dict[str, Any]]:
    """A KPI's tile and its line of "what changed since last week", from one daily series."""
    kpi = kpi_status.kpi
    period = kpi_period(kpi, as_of)
    previous = change = None
    sparkline: list[float] = []
    last7 = (as_of - timedelta(days=6), as_of)
    prev7 = (as_of - timedelta(days=13), as_of - timedelta(days=7))
    recent = earlier = None
    previous_note = weekly_note = ""
    if period is not None:
        prev_start, prev_end = previous_period(*period)
        daily = kpi_daily(con, kpi, min(prev_start, prev7[0]), period[1], budget=plan.budget)
        previous = _between(daily, kpi.metric, prev_start, prev_end)
        # A previous period that is only partly loaded makes any change look like growth.
        previous_note = _partial_note(daily, period, (prev_start, prev_end))
        if not previous_note:
            change = relative_change(kpi_status.actual, previous)
        weekly = rollup(daily[daily["day"] >= period[0]], kpi.metric, "week")
        sparkline = [float(v) for v in weekly["value"].fillna(0.0)]
        recent = _between(daily, kpi.metric, *last7)
        earlier = _between(daily, kpi.metric, *prev7)
        weekly_note = _partial_note(daily, last7, prev7)
    tile = KpiTile(
        objective_id=objective.id,
        index=index,
        label=kpi.label,
        metric=kpi.metric,
        status=kpi_status.status,
        reason=kpi_status.reason,
        actual=_finite(kpi_status.actual),
        target=kpi.target,
        direction=kpi.direction,
        previous=_finite(previous),
        change_vs_previous=_finite(change),
        sparkline=sparkline,
        note=kpi_status.note,
        previous_note=previous_note,
    )
    line = {
        "objective": objective.id,
        "kpi": kpi.label,
        "metric": kpi.metric,
        "last_7_days": _finite(recent),
        "previous_7_days": _finite(earlier),
        "change": None if weekly_note else _finite(relative_change(recent, earlier)),
        "change_note": weekly_note.replace("previous period", "the 7 days before"),
        "status": kpi_status.status,
        "reason": kpi_status.reason,
    }
    return tile, line


def overview(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: date) -> Overview:
    """Objectives with status, KPI tiles and what changed since last week, on `as_of`.

    Tiles compare with the previous period of the same length, from daily sums (a unique
    metric's previous value is then the flagged sum of daily values).
    """
    with shared_reads():
        return _overview(con, plan, as_of)


def _overview(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: date) -> Overview:
    kpis = plan.kpis
    if kpis:
        # One read for the KPIs' history, periods and the tiles' previous periods.
        history = timedelta(days=status_engine.HISTORY_DAYS)
        longest = max(k.end - k.start for k in kpis) + timedelta(days=1)
        start = min(k.start for k in kpis) - max(history, longest, timedelta(days=14))
        prefetch(con, kpis, start, max(k.end for k in kpis), budget=plan.budget)
    now = status_engine.evaluate_plan(con, plan, as_of)
    cards, changes = [], []
    for obj_status in now.objectives:
        obj = obj_status.objective
        card = ObjectiveCard(
            obj.id,
            obj.title,
            obj.category,
            obj.owner,
            obj.start,
            obj.end,
            obj_status.status,
            obj_status.reason,
            crisis=obj_status.crisis.text if obj_status.crisis is not None else "",
        )
        for index, kpi_status in enumerate(obj_status.kpis):
            tile, line = _tile(con, plan, obj, index, kpi_status, as_of)
            card.tiles.append(tile)
            changes.append(line)
        cards.append(card)
    frame = pd.DataFrame(
        changes,
        columns=[
            "objective",
            "kpi",
            "metric",
            "last_7_days",
            "previous_7_days",
            "change",
            "change_note",
            "status",
            "reason",
        ],
    )
    return Overview(plan.name, plan.currency, as_of, cards, frame, [r.text for r in now.refresh])


@dataclass
class KpiDetail:
    """One KPI in depth."""

    objective: Objective
    kpi: Kpi
    index: int
    status: status_engine.KpiStatus
    path: pd.DataFrame  # day, actual_cum, expected_cum, projected, projected_low/high
    daily: pd.DataFrame  # day, value, numerator, denominator
    weekly: pd.DataFrame  # start, label, value, numerator, denominator, days
    definition: str
    note: str
    by_part: pd.DataFrame  # part (channel or account), value
    part_kind: str  # "channel" or "account"
    by_post_type: pd.DataFrame  # post_type, posts, value
    crisis: str = ""  # the objective's crisis flag, '' without one


def find_kpi(plan: Plan, objective_id: str, index: int) -> tuple[Objective, Kpi]:
    """The KPI at position `index` of an objective (IndexError/KeyError when there is none)."""
    objective = plan.objective(objective_id)
    return objective, objective.kpis[index]


def _contributions(
    con: duckdb.DuckDBPyConnection, plan: Plan, kpi: Kpi, start: date, end: date
) -> tuple[pd.DataFrame, str]:
    by = "channel" if kpi.channel == ALL_CHANNELS else "account"
    frame = breakdown(con, kpi, start, end, by, budget=plan.budget)
    if by == "channel":
        frame["part"] = [CHANNEL_LABELS.get(c, c) for c in frame["part"]]
    else:
        frame["part"] = [a or "(unnamed account)" for a in frame["part"]]
    return frame, by


def kpi_detail(
    con: duckdb.DuckDBPyConnection, plan: Plan, objective_id: str, index: int, as_of: date
) -> KpiDetail:
    """Everything the KPI detail page draws for one KPI on `as_of`."""
    with shared_reads():
        return _kpi_detail(con, plan, objective_id, index, as_of)


def _kpi_detail(
    con: duckdb.DuckDBPyConnection, plan: Plan, objective_id: str, index: int, as_of: date
) -> KpiDetail:
    objective, kpi = find_kpi(plan, objective_id, index)
    kpi_status = status_engine.evaluate_kpi(con, plan, kpi, as_of)
    path = status_engine.kpi_path(con, kpi, as_of, plan.budget)
    daily = kpi_daily(con, kpi, budget=plan.budget)
    shown = daily[daily["day"] <= as_of]
    weekly = rollup(shown, kpi.metric, "week")
    period = kpi_period(kpi, as_of) or (kpi.start, kpi.start)
    current = value_between(con, kpi, *period, budget=plan.budget)
    by_part, part_kind = _contributions(con, plan, kpi, *period)
    by_type = metric_by_post_type(con, kpi, *period)
    flag = objective_crisis(con, objective, as_of)
    return KpiDetail(
        objective=objective,
        kpi=kpi,
        index=index,
        status=kpi_status,
        path=path,
        daily=shown.reset_index(drop=True),
        weekly=weekly,
        definition=get_metric(kpi.metric).definition,
        note=current.note,
        by_part=by_part,
        part_kind=part_kind,
        by_post_type=by_type,
        crisis=flag.text if flag is not None else "",
    )
