"""Status of every KPI and objective on a day: on track, at risk, off track, stale … and why.

The status document (KpiStatus, ObjectiveStatus, PlanStatus) is in status_document.py; the
rules are in status_rules.py (plain arrays, what `make eval` measures), the judging of one
KPI's series in status_judge.py, the words in status_words.py. This module puts them together
for a plan on an as-of day: the figures of DESIGN.md's status document, the reason, the notes
(a drift that does not threaten the target, a maturity correction), the `attribution` of a gap
(attribution.py), staleness (freshness.py) and each objective's `crisis` flag (crisis.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, CHANNEL_LABELS, METRICS, metric_words
from sostac_control.engine import attribution, crisis, freshness, maturity
from sostac_control.engine.metrics import KpiSeries, kpi_actual
from sostac_control.engine.money import use_plan_money
from sostac_control.engine.status_document import KpiStatus, ObjectiveStatus, PlanStatus
from sostac_control.engine.status_judge import HISTORY_DAYS, Series, judge, kpi_path, load_series
from sostac_control.engine.status_rules import (
    DEFAULT_STALE_DAYS,
    SEVERITY,
    STATUSES,
    apply_rules,
    too_early_days,
    worst,
)
from sostac_control.engine.status_words import (
    chance_text,
    compact,
    day_text,
    drift_note,
    drift_text,
    objective_reason,
    stale_text,
    versus,
)
from sostac_control.i18n import _

if TYPE_CHECKING:
    import duckdb

    from sostac_control.plan.model import BudgetLine, Kpi, Objective, Plan

__all__ = [
    "HISTORY_DAYS",
    "SEVERITY",
    "STATUSES",
    "KpiStatus",
    "ObjectiveStatus",
    "PlanStatus",
    "apply_rules",
    "compact",
    "evaluate_kpi",
    "evaluate_plan",
    "history",
    "kpi_path",
    "too_early_days",
    "worst",
]


@dataclass
class _Memo:
    """What one evaluation (a plan on a day, or a replay) already asked the database."""

    stale_after: dict[str, int] | None = None  # channel → days, read once for all channels
    crises: dict[str, crisis.Crisis | None] = field(default_factory=dict)  # channel → flag
    maturity: maturity.Memo = field(default_factory=maturity.Memo)
    loaded_channels: list[set[str]] = field(default_factory=list)  # read once, if "all" asks
    splits: set[tuple[str, str, str]] | None = None  # attribution's post/campaign splits
    statuses_only: bool = False  # no gap attribution (it never changes a status)

    def attribution_splits(self, con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
        if self.splits is None:
            self.splits = attribution.splits(con)
        return self.splits

    def stale_after_days(self, con: duckdb.DuckDBPyConnection, channel: str) -> int:
        if channel == ALL_CHANNELS:
            return freshness.stale_after_days(con, channel)
        if self.stale_after is None:
            self.stale_after = freshness.stale_after_by_channel(con)
        return self.stale_after.get(channel, DEFAULT_STALE_DAYS)


def _kpi_status(
    con: duckdb.DuckDBPyConnection,
    kpi: Kpi,
    as_of: date,
    series: Series,
    budget: Sequence[BudgetLine],
    currency: str,
    kpi_series: KpiSeries | None = None,
    memo: _Memo | None = None,
) -> KpiStatus:
    def fmt(v: float) -> str:
        return compact(v, kpi.metric, currency)

    def vs(v: float) -> str:
        return versus(v, kpi.target, kpi.metric, kpi.direction, currency)

    if as_of < kpi.start:
        starts = _("starts on {day}").format(day=f"{day_text(kpi.start)} {kpi.start.year}")
        return KpiStatus(kpi, "not_started", starts)
    value = kpi_actual(con, kpi, as_of, budget=budget, kpi_series=kpi_series)
    actual = value.value
    ended = as_of >= kpi.end
    index = (min(as_of, kpi.end) - kpi.start).days
    up = kpi.direction == "up"
    if actual is None or value.days_with_data == 0:
        channel = CHANNEL_LABELS.get(kpi.channel, kpi.channel)
        what = _("no {metric} data for {channel} in the period so far; load the exports").format(
            metric=METRICS[kpi.metric].label.lower(), channel=channel
        )
        return KpiStatus(kpi, "no_data", what, note=value.note)
    if ended:
        hit = actual >= kpi.target if up else actual <= kpi.target
        if hit:
            ended_text = _("reached {figures}") if up else _("stayed at {figures}")
        else:
            ended_text = _("ended at {figures}")
        return KpiStatus(
            kpi,
            "achieved" if hit else "missed",
            ended_text.format(figures=vs(actual)),
            actual=actual,
            expected_to_date=kpi.target,
            projected=actual,
            probability=1.0 if hit else 0.0,
            last_data_day=value.last_day,
            note=value.note,
        )

    memo = _Memo() if memo is None else memo
    young = maturity.correct(con, kpi, series, as_of, memo.maturity)
    judged = judge(young.series, kpi, index)
    pace = judged.pace
    status = judged.statuses[-1]
    alarm, began = judged.drift.at(index) if judged.drift is not None else (False, None)
    began_day = series.period["day"].iloc[began] if began is not None else None
    last_day = value.last_day
    if kpi.kind == "sum" and up and actual >= kpi.target:
        status = "achieved"

    notes: list[str] = []
    parts: list[str] = []
    if status == "achieved":
        parts.append(_("already {figures}").format(figures=vs(actual)))
    elif status == "too_early":
        judge_on = kpi.start + timedelta(days=too_early_days(kpi.days) - 1)
        parts.append(_("too early to judge until {day}").format(day=day_text(judge_on)))
        if kpi.kind in ("sum", "unique"):
            parts.append(
                _("{actual} so far, {expected} expected by now").format(
                    actual=fmt(actual), expected=fmt(pace.expected_to_date)
                )
            )
        else:
            parts.append(_("{actual} so far").format(actual=fmt(actual)))
    else:
        if math.isfinite(pace.projected):
            parts.append(_("projected {figures}").format(figures=vs(pace.projected)))
        if math.isfinite(pace.probability):
            parts.append(chance_text(pace.probability, kpi.direction))
    if alarm and began_day is not None and status not in ("too_early", "achieved"):
        if judged.drift_noted and kpi.target:
            notes.append(
                drift_note(
                    kpi.direction,
                    began_day,
                    judged.drift_change,
                    judged.recent_projected / kpi.target,
                )
            )
        else:
            parts.append(drift_text(kpi.direction, began_day, judged.drift_change))
    if young.note:
        notes.append(young.note)
    stale_days = (as_of - last_day).days if last_day is not None else 0
    last_judged = None
    if last_day is not None and stale_days > memo.stale_after_days(con, kpi.channel):
        if status != "achieved":
            last_index = (last_day - kpi.start).days
            last_judged = (
                judge(young.series, kpi, last_index).statuses[-1] if last_index >= 0 else "no_data"
            )
            status = "stale"
            parts.insert(0, stale_text(last_day, last_judged))
    elif pace.stale_days >= 1 and last_day is not None and stale_days >= 2:
        notes.append(
            _(
                "no data since {day} ({days} days): projected from the days before, not as zeros"
            ).format(day=day_text(last_day), days=stale_days)
        )
    gap = None
    if status in ("at_risk", "off_track") and not memo.statuses_only:
        split = memo.attribution_splits(con)
        gap = attribution.attribute(con, kpi, series, index, budget, since=began_day, split=split)
        if gap is not None:
            parts.append(gap.text)
    if kpi.kind == "unique" and "overstates" in value.note:
        parts.append(
            _("judged on the sum of daily values, which overstates unique {metric}").format(
                metric=metric_words(kpi.metric)
            )
        )
    reason = "; ".join([*parts, *notes])
    return KpiStatus(
        kpi,
        status,
        reason,
        actual=actual,
        expected_to_date=pace.expected_to_date,
        projected=pace.projected,
        projected_low=pace.projected_low,
        projected_high=pace.projected_high,
        probability=pace.probability,
        required_per_day=pace.required_per_day,
        drift_began=began_day if alarm else None,
        last_data_day=last_day,
        note=value.note,
        notes=notes,
        attribution=gap,
        last_judged=last_judged,
    )


def _objective_status(
    objective: Objective, kpis: list[KpiStatus], flag: crisis.Crisis | None = None
) -> ObjectiveStatus:
    status = worst([k.status for k in kpis]) if kpis else "no_data"
    ordered = [(k.label, k.status, k.reason) for k in kpis]
    return ObjectiveStatus(objective, status, objective_reason(status, ordered), kpis, flag)


def evaluate_plan(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    as_of: date,
    *,
    kpi_series: KpiSeries | None = None,
    statuses_only: bool = False,
) -> PlanStatus:
    """Every objective's and KPI's status as it stood at the end of `as_of` (from the screen's
    `kpi_series` where it holds them).

    `statuses_only`: the same statuses and figures, without what only explains them (the
    attribution of a gap, crisis flags, the sources to refresh): for a comparison of statuses,
    as the Overview's "a week ago"."""
    use_plan_money(con, plan.currency, plan.currency_rates)
    objectives = []
    memo = _Memo(statuses_only=statuses_only)
    if not statuses_only:
        memo.crises = crisis.plan_crises(con, plan.objectives, as_of, memo.loaded_channels)
    for objective in plan.objectives:
        kpis = [
            _kpi_status(
                con,
                k,
                as_of,
                load_series(con, k, plan.budget, kpi_series),
                plan.budget,
                plan.currency,
                kpi_series,
                memo,
            )
            for k in objective.kpis
        ]
        flag = (
            None
            if statuses_only
            else crisis.objective_crisis(con, objective, as_of, memo.crises, memo.loaded_channels)
        )
        objectives.append(_objective_status(objective, kpis, flag))
    stale_channels = sorted(
        {k.kpi.channel for o in objectives for k in o.kpis if k.status == "stale"}
    )
    refresh = [] if statuses_only else [freshness.newest_load(con, c) for c in stale_channels]
    return PlanStatus(as_of, objectives, refresh)


def evaluate_kpi(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    kpi: Kpi,
    as_of: date,
    *,
    kpi_series: KpiSeries | None = None,
) -> KpiStatus:
    """One KPI's status at the end of `as_of`."""
    use_plan_money(con, plan.currency, plan.currency_rates)
    series = load_series(con, kpi, plan.budget, kpi_series)
    return _kpi_status(con, kpi, as_of, series, plan.budget, plan.currency, kpi_series)


HISTORY_COLUMNS = [
    "day",
    "objective_id",
    "objective",
    "objective_status",
    "kpi",
    "status",
    "probability",
    "reason",
]


def history(
    con: duckdb.DuckDBPyConnection, plan: Plan, as_of: date, every: int = 7
) -> pd.DataFrame:
    """Statuses replayed every `every` days from the plan's start up to `as_of` (and on as_of).

    One row per (day, objective, KPI): day, objective_id, objective, objective_status, kpi,
    status, probability, reason. The data is read once per KPI; each day sees only its past.
    """
    use_plan_money(con, plan.currency, plan.currency_rates)
    start = min((o.start for o in plan.objectives), default=as_of)
    last = min(as_of, plan.end or as_of)
    days = [start + timedelta(days=k) for k in range(0, (last - start).days + 1, every)]
    if not days or days[-1] != last:
        days.append(last)
    series = {id(k): load_series(con, k, plan.budget) for k in plan.kpis}
    memo = _Memo()
    rows = []
    for day in days:
        for objective in plan.objectives:
            kpis = [
                _kpi_status(con, k, day, series[id(k)], plan.budget, plan.currency, memo=memo)
                for k in objective.kpis
            ]
            obj = _objective_status(objective, kpis)
            for k in kpis:
                rows.append(
                    {
                        "day": day,
                        "objective_id": objective.id,
                        "objective": objective.title,
                        "objective_status": obj.status,
                        "kpi": k.label,
                        "status": k.status,
                        "probability": k.probability,
                        "reason": k.reason,
                    }
                )
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)
