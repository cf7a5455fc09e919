"""A report's figures, gathered from the same functions the pages use (never recomputed).

Statuses: status.evaluate_plan and status.history; KPI charts: status.kpi_path; channels:
channels.compare_channels and channel_totals; content: content.content_report; cost and
return: costs.roi_report. The quarterly pack and the weekly digest are two selections of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from sostac_control import store
from sostac_control.catalog import CHANNEL_LABELS, METRICS
from sostac_control.engine.rollups import last_year, previous_period, relative_change
from sostac_control.engine.status import PlanStatus, evaluate_plan, history, kpi_path
from sostac_control.plan import Plan
from sostac_control.reports.periods import ReportPeriod
from sostac_control.views.channels import (
    COMPARED,
    ChannelComparison,
    channel_totals,
    compare_channels,
)
from sostac_control.views.channels import DEFINITIONS as CHANNEL_DEFINITIONS
from sostac_control.views.content import ER_DEFINITION, ContentReport, content_report
from sostac_control.views.roi import DEFINITIONS as COST_DEFINITIONS
from sostac_control.views.roi import RoiReport, roi_report

ATTENTION = ("at_risk", "off_track", "missed", "stale", "no_data", "crisis")
TREND_METRICS = ("impressions", "views", "reach", "engagements", "clicks", "conversions", "spend")


@dataclass
class KpiChart:
    """One KPI's cumulative actual against the target path (status.kpi_path)."""

    objective_id: str
    label: str
    metric: str
    path: pd.DataFrame


@dataclass
class Comparison:
    """Per channel and metric: this period, the one before and the same days a year earlier."""

    table: pd.DataFrame  # channel, label, metric, now, previous, change_previous, last_year, …
    previous: tuple[date, date]
    year_before: tuple[date, date]


@dataclass
class Coverage:
    """Where the period's numbers came from, and what could not be used."""

    sources: pd.DataFrame  # source, format, channel, account, first_day, last_day, rows, rejected
    refused: pd.DataFrame  # refused_at, source, message
    definitions: list[tuple[str, str]]


@dataclass
class QuarterlyPack:
    """Everything in the quarterly review pack."""

    plan: Plan
    period: ReportPeriod
    as_of: date
    status: PlanStatus
    charts: list[KpiChart]
    channels: ChannelComparison
    comparison: Comparison
    content: ContentReport
    roi: RoiReport
    hours: dict[str, float]  # planned hours per channel over the period
    drift: pd.DataFrame  # day, objective_id, kpi, before, after, reason
    coverage: Coverage
    notes: list[str] = field(default_factory=list)

    @property
    def judged_on(self) -> date:
        return self.period.judged_on(self.as_of)


@dataclass
class WeeklyDigest:
    """Last week per channel against the week before, what changed, what needs attention."""

    plan: Plan
    period: ReportPeriod
    status: PlanStatus
    channels: pd.DataFrame  # channel, label, metric, now, previous, change_previous
    changes: list[dict[str, Any]]  # label, objective, before, after, reason
    attention: list[dict[str, Any]]  # label, objective, status, reason


def _compare_channels(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    metrics: tuple[str, ...],
) -> Comparison:
    """A change is shown only when the channel's data covers the whole earlier period (like the
    Overview's tiles, no change against a partly loaded period); otherwise the row says from
    when its data was loaded."""
    periods = {"now": (start, end), "previous": previous_period(start, end)}
    periods["last_year"] = last_year(start, end)
    frames = {
        name: channel_totals(con, s, e, metrics=metrics).set_index("channel")
        for name, (s, e) in periods.items()
    }
    spans = store.channel_spans(con)
    rows = []
    for channel in frames["now"].index:
        first = spans[channel][0] if channel in spans else end
        notes = {
            name: (
                f"data from {first.day} {first:%b %Y}" if first <= periods[name][1] else "no data"
            )
            for name in ("previous", "last_year")
            if first > periods[name][0]
        }
        for metric in metrics:
            now = _value(frames["now"], channel, metric)
            if now is None:
                continue
            before = _value(frames["previous"], channel, metric)
            a_year = _value(frames["last_year"], channel, metric)
            rows.append(
                {
                    "channel": channel,
                    "label": CHANNEL_LABELS.get(channel, channel),
                    "metric": metric,
                    "now": now,
                    "previous": before,
                    "change_previous": None
                    if "previous" in notes
                    else relative_change(now, before),
                    "previous_note": notes.get("previous", ""),
                    "last_year": a_year,
                    "change_last_year": None
                    if "last_year" in notes
                    else relative_change(now, a_year),
                    "last_year_note": notes.get("last_year", ""),
                }
            )
    columns = ["channel", "label", "metric", "now", "previous", "change_previous"]
    columns += ["previous_note", "last_year", "change_last_year", "last_year_note"]
    return Comparison(
        pd.DataFrame(rows, columns=columns), periods["previous"], periods["last_year"]
    )


def _value(frame: pd.DataFrame, channel: str, metric: str) -> float | None:
    if channel not in frame.index or metric not in frame.columns:
        return None
    value = frame.at[channel, metric]
    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]


def _drift(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: date, start: date) -> pd.DataFrame:
    """Each KPI's status changes (weekly replay, as the Status page shows) within the period."""
    replay = history(con, plan, as_of, every=7)
    rows = []
    for (objective_id, kpi), group in replay.groupby(["objective_id", "kpi"], sort=False):
        before = None
        for day, status, reason in zip(group["day"], group["status"], group["reason"], strict=True):
            # Leaving "too early" for on track is the judgement starting, not a drift.
            starting = before in ("not_started", "too_early") and status == "on_track"
            if before is not None and status != before and day >= start and not starting:
                rows.append(
                    {
                        "day": day,
                        "objective_id": objective_id,
                        "kpi": kpi,
                        "before": before,
                        "after": status,
                        "reason": reason,
                    }
                )
            before = status
    frame = pd.DataFrame(rows, columns=["day", "objective_id", "kpi", "before", "after", "reason"])
    return frame.sort_values("day", ignore_index=True)


def _coverage(con: duckdb.DuckDBPyConnection, plan: Plan, start: date, end: date) -> Coverage:
    sources = store.loads_covering(con, start, end)
    refused = store.refusals_between(con, start, end)
    used = list(dict.fromkeys([k.metric for k in plan.kpis] + list(COMPARED)))
    definitions = [(METRICS[m].label, METRICS[m].definition) for m in used if m in METRICS]
    definitions += [
        (f"{METRICS[m].label} (channels)", text) for m, text in CHANNEL_DEFINITIONS.items()
    ]
    definitions += [("Engagement rate of a post", ER_DEFINITION)]
    definitions += [(term(name), text) for name, text in COST_DEFINITIONS.items()]
    return Coverage(sources, refused, definitions)


def term(name: str) -> str:
    """A cost term as a reader writes it: ROI, CPA, "CPC of Meta Ads", Budget used."""
    first, _, rest = name.partition(" ")
    if first in ("roi", "roas", "cpa", "cpc", "cpm"):
        first = first.upper()
    else:
        first = first.replace("_", " ")
        first = first[:1].upper() + first[1:]
    return f"{first} {rest}" if rest else first


def _planned_hours(plan: Plan, start: date, end: date) -> dict[str, float]:
    """Planned hours per channel over [start, end], pro rata by days like the money."""
    hours: dict[str, float] = {}
    for line in plan.budget:
        days = (line.end - line.start).days + 1
        overlap = (min(line.end, end) - max(line.start, start)).days + 1
        if days > 0 and overlap > 0:
            hours[line.channel] = hours.get(line.channel, 0.0) + line.hours * overlap / days
    return hours


def quarterly_pack(
    con: duckdb.DuckDBPyConnection, plan: Plan, period: ReportPeriod, as_of: date
) -> QuarterlyPack:
    """The quarterly review pack's figures, as they stood at the end of `as_of`."""
    day = period.judged_on(as_of)
    status = evaluate_plan(con, plan, day)
    charts = [
        KpiChart(o.objective.id, k.label, k.kpi.metric, kpi_path(con, k.kpi, day, plan.budget))
        for o in status.objectives
        for k in o.kpis
        if k.kpi.start <= day and k.kpi.end >= period.start and k.actual is not None
    ]
    return QuarterlyPack(
        plan=plan,
        period=period,
        as_of=as_of,
        status=status,
        charts=charts,
        channels=compare_channels(con, period.start, day),
        comparison=_compare_channels(con, period.start, day, COMPARED),
        content=content_report(con, period.start, day, plan.content),
        roi=roi_report(con, plan, period.start, day),
        hours=_planned_hours(plan, period.start, day),
        drift=_drift(con, plan, day, period.start),
        coverage=_coverage(con, plan, period.start, day),
    )


def weekly_digest(con: duckdb.DuckDBPyConnection, plan: Plan, period: ReportPeriod) -> WeeklyDigest:
    """The weekly digest of `period` (a Monday–Sunday week)."""
    status = evaluate_plan(con, plan, period.end)
    before = evaluate_plan(con, plan, period.start - timedelta(days=1))
    was = {(o.objective.id, k.label): k.status for o in before.objectives for k in o.kpis}
    changes, attention = [], []
    for o in status.objectives:
        for k in o.kpis:
            old = was.get((o.objective.id, k.label))
            if old is not None and old != k.status:
                changes.append(
                    {
                        "label": k.label,
                        "objective": o.objective.title,
                        "before": old,
                        "after": k.status,
                        "reason": k.reason,
                    }
                )
            if k.status in ATTENTION:
                attention.append(
                    {
                        "label": k.label,
                        "objective": o.objective.title,
                        "status": k.status,
                        "reason": k.reason,
                    }
                )
    table = _compare_channels(con, period.start, period.end, TREND_METRICS).table
    return WeeklyDigest(plan, period, status, table, changes, attention)
