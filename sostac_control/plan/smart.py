"""The SMART check: for each objective, is it Specific, Measurable, Achievable, Relevant and
Time-bound, and if not, what is missing or weak?

Advice, not validation: a plan with weak parts is still a valid plan. Measurable needs the
database (is there data for the KPI's metric on its channel?); without one it says "unchecked".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sostac_control.catalog import ALL_CHANNELS, CATEGORIES, METRICS
from sostac_control.plan.model import Kpi, Objective, Plan

SmartStatus = Literal["ok", "weak", "missing", "unchecked"]
CRITERIA: dict[str, str] = {
    "specific": "Specific",
    "measurable": "Measurable",
    "achievable": "Achievable",
    "relevant": "Relevant",
    "time_bound": "Time-bound",
}
# How bad a status is, for an objective's worst KPI and for sorting.
SEVERITY: dict[str, int] = {"ok": 0, "unchecked": 1, "weak": 2, "missing": 3}
AMBITION_LIMIT = 3.0  # a target more than 3x its baseline (or under a third, going down)
LONGEST_PERIOD_DAYS = 366


@dataclass(frozen=True)
class SmartFinding:
    """One SMART criterion of one objective: its status and a sentence saying why."""

    objective_id: str
    criterion: str  # specific | measurable | achievable | relevant | time_bound
    status: SmartStatus
    message: str
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective_id,
            "criterion": self.criterion,
            "status": self.status,
            "message": self.message,
            "line": self.line,
        }


@dataclass(frozen=True)
class DataCoverage:
    """Which (channel, account, metric) the database holds current values for, and when."""

    spans: dict[tuple[str, str, str], tuple[date, date]]

    def span(self, metric: str, channel: str, account: str | None) -> tuple[date, date] | None:
        """The first and last day of data for a metric on a channel (any, for 'all')."""
        found = [
            days
            for (c, a, m), days in self.spans.items()
            if m == metric
            and (channel == ALL_CHANNELS or c == channel)
            and (account is None or a == account)
        ]
        if not found:
            return None
        return min(d[0] for d in found), max(d[1] for d in found)


def data_coverage(con: Any) -> DataCoverage:
    """What the database holds, in one small query over the current observations."""
    rows = con.execute(
        """SELECT channel, account, metric, min(period_start), max(period_end)
           FROM observations WHERE is_current GROUP BY channel, account, metric"""
    ).fetchall()
    return DataCoverage({(c, a, m): (first, last) for c, a, m, first, last in rows})


def smart_check(plan: Plan, con: Any = None) -> list[SmartFinding]:
    """Five findings per objective, in plan order; `con` (a DuckDB connection) for Measurable."""
    coverage = data_coverage(con) if con is not None else None
    findings: list[SmartFinding] = []
    for objective in plan.objectives:
        findings += [
            _specific(objective),
            _measurable(objective, plan, coverage),
            _achievable(objective),
            _relevant(objective),
            _time_bound(objective),
        ]
    return findings


def _finding(
    objective: Objective, criterion: str, status: SmartStatus, message: str
) -> SmartFinding:
    return SmartFinding(objective.id, criterion, status, message, objective.line)


def _specific(objective: Objective) -> SmartFinding:
    if not objective.kpis:
        return _finding(
            objective, "specific", "missing", "No KPIs: name the metric and channel to improve."
        )
    broad = [k for k in objective.kpis if k.channel == ALL_CHANNELS]
    if broad:
        return _finding(
            objective,
            "specific",
            "weak",
            f"{_names(broad)}: counted over every channel; say which channels should deliver, "
            "unless the total is what counts.",
        )
    return _finding(
        objective, "specific", "ok", f"{_count(objective.kpis)} with a metric and a channel."
    )


def _measurable(objective: Objective, plan: Plan, coverage: DataCoverage | None) -> SmartFinding:
    if not objective.kpis:
        return _finding(objective, "measurable", "missing", "No KPIs: nothing to measure.")
    if coverage is None:
        return _finding(
            objective, "measurable", "unchecked", "Not checked: no database to look for data in."
        )
    lacking: list[str] = []
    for kpi in objective.kpis:
        absent = [
            m
            for m in _needed_metrics(kpi, plan)
            if coverage.span(m, kpi.channel, kpi.account) is None
        ]
        if absent:
            lacking.append(f"{kpi.label} (no {', '.join(absent)})")
    if lacking:
        return _finding(
            objective,
            "measurable",
            "missing",
            "No data yet for " + "; ".join(lacking) + ". Load an export that has it.",
        )
    return _finding(objective, "measurable", "ok", f"Data found for {_count(objective.kpis)}.")


def _needed_metrics(kpi: Kpi, plan: Plan) -> list[str]:
    """The stored metrics a KPI is computed from: itself, or a ratio's two sides."""
    metric = METRICS[kpi.metric]
    if not metric.is_ratio:
        return [kpi.metric]
    needed = [metric.numerator or kpi.metric]
    denominator = kpi.denominator or metric.denominator
    if denominator == "cost":  # ROI: spend plus people cost from the budget
        has_budget = any(
            b.people_cost > 0 and kpi.channel in (b.channel, ALL_CHANNELS) for b in plan.budget
        )
        return needed if has_budget else [*needed, "spend"]
    return [*needed, denominator] if denominator else needed


def _achievable(objective: Objective) -> SmartFinding:
    if not objective.kpis:
        return _finding(objective, "achievable", "missing", "No KPIs: no target to judge.")
    without = [k for k in objective.kpis if k.baseline is None]
    concerns = [c for c in (_ambition(k) for k in objective.kpis) if c]
    if len(without) == len(objective.kpis):
        return _finding(
            objective,
            "achievable",
            "missing",
            "No baseline: add each KPI's value in a comparable earlier period to judge the target.",
        )
    if concerns or without:
        parts = concerns + ([f"no baseline for {_names(without)}"] if without else [])
        return _finding(objective, "achievable", "weak", _sentence("; ".join(parts)))
    return _finding(
        objective,
        "achievable",
        "ok",
        f"Every target is within {AMBITION_LIMIT:g}× of its baseline, in the intended direction.",
    )


def _ambition(kpi: Kpi) -> str:
    """Why a target looks unachievable or pointless next to its baseline; '' when it does not."""
    if kpi.baseline is None:
        return ""
    base, target = kpi.baseline, kpi.target
    if kpi.direction == "up":
        if target < base:
            return f"{kpi.label}: target {target:g} is below the baseline {base:g} for an increase"
        if base > 0 and target > AMBITION_LIMIT * base:
            return f"{kpi.label}: target is {target / base:.1f}× the baseline {base:g}"
        if base == 0 and target > 0:
            return f"{kpi.label}: a baseline of 0 says nothing about what is achievable"
    else:
        if target > base:
            return f"{kpi.label}: target {target:g} is above the baseline {base:g} for a decrease"
        if target > 0 and base > AMBITION_LIMIT * target:
            return f"{kpi.label}: target is {base / target:.1f}× lower than the baseline {base:g}"
    return ""


def _relevant(objective: Objective) -> SmartFinding:
    if objective.category is None:
        return _finding(
            objective,
            "relevant",
            "missing",
            "No category: say which of the 5 S's it serves (sell, serve, sizzle, speak, save).",
        )
    return _finding(objective, "relevant", "ok", CATEGORIES[objective.category] + ".")


def _time_bound(objective: Objective) -> SmartFinding:
    days = (objective.end - objective.start).days + 1
    period = f"{objective.start.isoformat()} to {objective.end.isoformat()} ({days} days)"
    outside = [k for k in objective.kpis if k.start < objective.start or k.end > objective.end]
    if days > LONGEST_PERIOD_DAYS:
        return _finding(
            objective,
            "time_bound",
            "weak",
            f"{period}: longer than a year; set a nearer milestone to steer by.",
        )
    if outside:
        return _finding(
            objective,
            "time_bound",
            "weak",
            f"{period}; {_names(outside)} runs outside the objective's period.",
        )
    return _finding(objective, "time_bound", "ok", period + ".")


def _names(kpis: list[Kpi]) -> str:
    return ", ".join(k.label for k in kpis)


def _count(kpis: list[Kpi]) -> str:
    return f"{len(kpis)} KPI" + ("" if len(kpis) == 1 else "s")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def worst(findings: list[SmartFinding]) -> SmartStatus:
    """The worst status among findings ('ok' when there are none)."""
    return max((f.status for f in findings), key=SEVERITY.__getitem__, default="ok")
