"""What the Overview (the Monday screen) shows, in one call.

Every objective with its status (status.evaluate_plan), a tile per KPI (actual, target, % of
target, change versus the previous period of the same length, a weekly sparkline) and what
changed since last week (the last 7 days against the 7 before, and statuses that moved).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, CATEGORY_WORDS
from sostac_control.engine import status as status_engine
from sostac_control.engine.metrics import KpiSeries, kpi_daily, kpi_period
from sostac_control.engine.money import money_left_out, use_plan_money
from sostac_control.engine.rollups import (
    aggregate,
    last_year,
    previous_period,
    relative_change,
    rollup,
)
from sostac_control.engine.series import read_kpi_series
from sostac_control.i18n import _, date_short, day_month, percent
from sostac_control.plan.model import Objective, Plan
from sostac_control.views.attention import AttentionItem, attention
from sostac_control.views.statuses import status_words
from sostac_control.views.tables import formatted


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
    compared_with: str = "previous period"  # or "same period last year"

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
    attention: list[AttentionItem] = field(default_factory=list)  # what needs a look, first
    money_notes: list[str] = field(default_factory=list)  # money left out of sums
    channels: tuple[str, ...] = ()  # the sidebar's channel filter ((): all)
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
    return _("previous period only partly loaded ({had} of {has} days have data)").format(
        had=had, has=has
    )


def _tile(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    objective: Objective,
    index: int,
    kpi_status: status_engine.KpiStatus,
    as_of: date,
    kpi_series: KpiSeries,
    compare: str = "previous period",
) -> tuple[KpiTile, dict[str, Any]]:
    """A KPI's tile and its line of "what changed since last week", from one daily series;
    the tile compares with the previous period or the same period last year (`compare`)."""
    kpi = kpi_status.kpi
    period = kpi_period(kpi, as_of)
    previous = change = None
    sparkline: list[float] = []
    last7 = (as_of - timedelta(days=6), as_of)
    prev7 = (as_of - timedelta(days=13), as_of - timedelta(days=7))
    recent = earlier = None
    previous_note = weekly_note = ""
    if period is not None:
        earlier_days = last_year if compare == "same period last year" else previous_period
        prev_start, prev_end = earlier_days(*period)
        daily = kpi_daily(
            con,
            kpi,
            min(prev_start, prev7[0]),
            period[1],
            budget=plan.budget,
            kpi_series=kpi_series,
        )
        previous = _between(daily, kpi.metric, prev_start, prev_end)
        # A previous period that is only partly loaded makes any change look like growth.
        previous_note = _partial_note(daily, period, (prev_start, prev_end))
        if not previous_note:
            change = relative_change(kpi_status.actual, previous)
        sparkline = full_weeks(daily, kpi.metric, period[0], min(as_of, period[1]))
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
        previous_note=previous_note.replace(_("previous period"), _(compare)),
        compared_with=compare,
    )
    line = {
        "objective": objective.id,
        "kpi": kpi.label,
        "metric": kpi.metric,
        "last_7_days": _finite(recent),
        "previous_7_days": _finite(earlier),
        "change": None if weekly_note else _finite(relative_change(recent, earlier)),
        "change_note": weekly_note.replace(_("previous period"), _("the 7 days before")),
        "status": kpi_status.status,
        "reason": kpi_status.reason,
    }
    return tile, line


def full_weeks(daily: pd.DataFrame, metric: str, start: date, end: date) -> list[float]:
    """Weekly values (ISO weeks, Monday–Sunday) of [start, end], whole weeks only.

    A part-week at either end is left out rather than drawn as a drop; its days still count in
    the tile's actual.
    """
    first = start if start.weekday() == 0 else start + timedelta(days=7 - start.weekday())
    last = end if end.weekday() == 6 else end - timedelta(days=end.weekday() + 1)
    if last < first:
        return []
    weekly = rollup(daily[(daily["day"] >= first) & (daily["day"] <= last)], metric, "week")
    return [float(v) for v in weekly["value"].fillna(0.0)]


def plan_for_channels(plan: Plan, channels: Sequence[str]) -> Plan:
    """The plan seen through the sidebar's channel filter: the KPIs on those channels (a KPI
    on "all" channels always stays), the objectives that keep a KPI. No filter: the plan."""
    if not channels:
        return plan
    wanted = {*channels, ALL_CHANNELS}
    objectives = []
    for objective in plan.objectives:
        kpis = [k for k in objective.kpis if k.channel in wanted]
        if kpis:
            objectives.append(replace(objective, kpis=kpis))
    return replace(plan, objectives=objectives)


def overview(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    as_of: date,
    channels: Sequence[str] = (),
    compare: str = "previous period",
) -> Overview:
    """Objectives with status, KPI tiles and what changed since last week, on `as_of`.

    Tiles compare with the previous period of the same length, from daily sums (a unique
    metric's previous value is then the flagged sum of daily values).
    """
    use_plan_money(con, plan.currency, plan.currency_rates)
    plan = plan_for_channels(plan, channels)
    kpis = plan.kpis
    kpi_series = KpiSeries()
    if kpis:
        # One read for the KPIs' history, periods and the tiles' previous periods.
        history = timedelta(days=status_engine.HISTORY_DAYS)
        longest = max(k.end - k.start for k in kpis) + timedelta(days=1)
        start = min(k.start for k in kpis) - max(history, longest, timedelta(days=14))
        end = max(k.end for k in kpis)
        kpi_series = read_kpi_series(con, kpis, start, end, budget=plan.budget)
    now = status_engine.evaluate_plan(con, plan, as_of, kpi_series=kpi_series)
    week_ago = status_engine.evaluate_plan(  # only its statuses are compared (attention)
        con, plan, as_of - timedelta(days=7), kpi_series=kpi_series, statuses_only=True
    )
    cards, changes = [], []
    for obj_status in now.objectives:
        obj = obj_status.objective
        card = ObjectiveCard(
            obj.id,
            obj.title,
            CATEGORY_WORDS[obj.category] if obj.category else None,
            obj.owner,
            obj.start,
            obj.end,
            obj_status.status,
            obj_status.reason,
            crisis=obj_status.crisis.text if obj_status.crisis is not None else "",
        )
        for index, kpi_status in enumerate(obj_status.kpis):
            tile, line = _tile(con, plan, obj, index, kpi_status, as_of, kpi_series, compare)
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
    return Overview(
        plan.name,
        plan.currency,
        as_of,
        cards,
        frame,
        attention(now, week_ago, plan.currency),
        [m.sentence(plan.currency) for m in money_left_out(con)],
        channels=tuple(channels),
        refresh=[r.text for r in now.refresh],
    )


def objectives_table(view: Overview) -> pd.DataFrame:
    """The scorecard as a table (the Overview's CSV): objective, category, owner, period,
    status in words and why."""
    return pd.DataFrame(
        [
            {
                _("objective"): card.title,
                _("category"): card.category or "",
                _("owner"): card.owner or "",
                _("period"): f"{day_month(card.start)} – {date_short(card.end)}",
                _("status"): status_words(card.status),
                _("why"): card.reason,
            }
            for card in view.objectives
        ]
    )


def changes_table(view: Overview) -> pd.DataFrame:
    """What changed since last week, for reading: values formatted, status in words."""
    changes = view.changes
    return pd.DataFrame(
        {
            _("KPI"): changes["kpi"],
            _("last 7 days"): formatted(changes["last_7_days"], changes["metric"], view.currency),
            _("7 days before"): formatted(
                changes["previous_7_days"], changes["metric"], view.currency
            ),
            _("change"): [
                percent(v, 1, sign=True) if pd.notna(v) else f"— {note}".strip()
                for v, note in zip(changes["change"], changes["change_note"], strict=True)
            ],
            _("status"): [status_words(s) for s in changes["status"]],
        }
    )  # the why is on the objective's line and in "What needs attention": a phone fits this
