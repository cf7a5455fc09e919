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
from sostac_control.i18n import N_, Labels, _, ngettext
from sostac_control.plan.model import Kpi, Objective, Plan

SmartStatus = Literal["ok", "weak", "missing", "unchecked"]
CRITERIA = Labels(
    {
        "specific": N_("Specific"),
        "measurable": N_("Measurable"),
        "achievable": N_("Achievable"),
        "relevant": N_("Relevant"),
        "time_bound": N_("Time-bound"),
    }
)
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
            objective,
            "specific",
            "missing",
            _("No KPIs: name the metric and channel to improve."),
        )
    broad = [k for k in objective.kpis if k.channel == ALL_CHANNELS]
    if broad:
        return _finding(
            objective,
            "specific",
            "weak",
            _(
                "{kpis}: counted over every channel; say which channels should deliver, unless "
                "the total is what counts."
            ).format(kpis=_names(broad)),
        )
    return _finding(
        objective,
        "specific",
        "ok",
        _("{kpis} with a metric and a channel.").format(kpis=_count(objective.kpis)),
    )


def _measurable(objective: Objective, plan: Plan, coverage: DataCoverage | None) -> SmartFinding:
    if not objective.kpis:
        return _finding(objective, "measurable", "missing", _("No KPIs: nothing to measure."))
    if coverage is None:
        return _finding(
            objective,
            "measurable",
            "unchecked",
            _("Not checked: no database to look for data in."),
        )
    lacking: list[str] = []
    for kpi in objective.kpis:
        absent = [
            m
            for m in _needed_metrics(kpi, plan)
            if coverage.span(m, kpi.channel, kpi.account) is None
        ]
        if absent:
            lacking.append(
                _("{kpi} (no {metrics})").format(kpi=kpi.label, metrics=", ".join(absent))
            )
    if lacking:
        return _finding(
            objective,
            "measurable",
            "missing",
            _("No data yet for {kpis}. Load an export that has it.").format(
                kpis="; ".join(lacking)
            ),
        )
    found = _("Data found for {kpis}.").format(kpis=_count(objective.kpis))
    return _finding(objective, "measurable", "ok", found)


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
        return _finding(objective, "achievable", "missing", _("No KPIs: no target to judge."))
    without = [k for k in objective.kpis if k.baseline is None]
    concerns = [c for c in (_ambition(k) for k in objective.kpis) if c]
    if len(without) == len(objective.kpis):
        return _finding(
            objective,
            "achievable",
            "missing",
            _(
                "No baseline: add each KPI's value in a comparable earlier period to judge the "
                "target."
            ),
        )
    if concerns or without:
        parts = concerns + (
            [_("no baseline for {kpis}").format(kpis=_names(without))] if without else []
        )
        return _finding(objective, "achievable", "weak", _sentence("; ".join(parts)))
    return _finding(
        objective,
        "achievable",
        "ok",
        _("Every target is within {limit}× of its baseline, in the intended direction.").format(
            limit=f"{AMBITION_LIMIT:g}"
        ),
    )


def _ambition(kpi: Kpi) -> str:
    """Why a target looks unachievable or pointless next to its baseline; '' when it does not."""
    if kpi.baseline is None:
        return ""
    base, target = kpi.baseline, kpi.target
    if kpi.direction == "up":
        if target < base:
            text = _("{kpi}: target {target} is below the baseline {base} for an increase")
            return text.format(kpi=kpi.label, target=f"{target:g}", base=f"{base:g}")
        if base > 0 and target > AMBITION_LIMIT * base:
            text = _("{kpi}: target is {times}× the baseline {base}")
            return text.format(kpi=kpi.label, times=f"{target / base:.1f}", base=f"{base:g}")
        if base == 0 and target > 0:
            text = _("{kpi}: a baseline of 0 says nothing about what is achievable")
            return text.format(kpi=kpi.label)
    else:
        if target > base:
            text = _("{kpi}: target {target} is above the baseline {base} for a decrease")
            return text.format(kpi=kpi.label, target=f"{target:g}", base=f"{base:g}")
        if target > 0 and base > AMBITION_LIMIT * target:
            text = _("{kpi}: target is {times}× lower than the baseline {base}")
            return text.format(kpi=kpi.label, times=f"{base / target:.1f}", base=f"{base:g}")
    return ""


def _relevant(objective: Objective) -> SmartFinding:
    if objective.category is None:
        return _finding(
            objective,
            "relevant",
            "missing",
            _("No category: say which of the 5 S's it serves (sell, serve, sizzle, speak, save)."),
        )
    return _finding(objective, "relevant", "ok", CATEGORIES[objective.category] + ".")


def _time_bound(objective: Objective) -> SmartFinding:
    days = (objective.end - objective.start).days + 1
    period = _("{start} to {end} ({days} days)").format(
        start=objective.start.isoformat(), end=objective.end.isoformat(), days=days
    )
    outside = [k for k in objective.kpis if k.start < objective.start or k.end > objective.end]
    if days > LONGEST_PERIOD_DAYS:
        return _finding(
            objective,
            "time_bound",
            "weak",
            _("{period}: longer than a year; set a nearer milestone to steer by.").format(
                period=period
            ),
        )
    if outside:
        return _finding(
            objective,
            "time_bound",
            "weak",
            _("{period}; {kpis} runs outside the objective's period.").format(
                period=period, kpis=_names(outside)
            ),
        )
    return _finding(objective, "time_bound", "ok", period + ".")


def _names(kpis: list[Kpi]) -> str:
    return ", ".join(k.label for k in kpis)


def _count(kpis: list[Kpi]) -> str:
    return ngettext("{n} KPI", "{n} KPIs", len(kpis)).format(n=len(kpis))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def worst(findings: list[SmartFinding]) -> SmartStatus:
    """The worst status among findings ('ok' when there are none)."""
    return max((f.status for f in findings), key=SEVERITY.__getitem__, default="ok")
