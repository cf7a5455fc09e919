"""What the KPI detail page shows for one KPI, in one call.

The cumulative actual against the target and the expected path with its projection band
(status.kpi_path), daily and weekly values, the metric's definition, and the contribution by
channel (or account) and by post type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, CHANNEL_LABELS, get_metric
from sostac_control.engine import status as status_engine
from sostac_control.engine.crisis import objective_crisis
from sostac_control.engine.metrics import KpiSeries, kpi_daily, kpi_period, value_between
from sostac_control.engine.rollups import breakdown, metric_by_post_type, rollup
from sostac_control.i18n import N_
from sostac_control.plan.model import Kpi, Objective, Plan
from sostac_control.views.attention import Pace, pace_needed
from sostac_control.views.period import is_partial


@dataclass
class KpiDetail:
    """One KPI in depth."""

    objective: Objective
    kpi: Kpi
    index: int
    status: status_engine.KpiStatus
    path: pd.DataFrame  # day, actual_cum, expected_cum, projected, projected_low/high
    daily: pd.DataFrame  # day, value, numerator, denominator
    weekly: pd.DataFrame  # start, label, value, numerator, denominator, days, partial
    definition: str
    note: str
    by_part: pd.DataFrame  # part (channel or account), value
    part_kind: str  # "channel" or "account"
    by_post_type: pd.DataFrame  # post_type, posts, value
    pace: Pace | None = None  # what the KPI needs from the status day on
    crisis: str = ""  # the objective's crisis flag, '' without one


def find_kpi(plan: Plan, objective_id: str, index: int) -> tuple[Objective, Kpi]:
    """The KPI at position `index` of an objective (IndexError/KeyError when there is none)."""
    objective = plan.objective(objective_id)
    return objective, objective.kpis[index]


def _contributions(
    con: duckdb.DuckDBPyConnection, plan: Plan, kpi: Kpi, start: date, end: date
) -> tuple[pd.DataFrame, str]:
    by = N_("channel") if kpi.channel == ALL_CHANNELS else N_("account")  # shown through _()
    frame = breakdown(con, kpi, start, end, by, budget=plan.budget)
    if by == "channel":
        frame["part"] = [CHANNEL_LABELS.get(c, c) for c in frame["part"]]
    else:
        frame["part"] = [a or "(unnamed account)" for a in frame["part"]]
    return frame, by


def kpi_detail(
    con: duckdb.DuckDBPyConnection, plan: Plan, objective_id: str, index: int, as_of: date
) -> KpiDetail:
    """Everything the KPI detail page draws for one KPI on `as_of`.

    The KPI's daily series is read once (its history before the period and the period) and
    passed to the status, the path, the bars and the period's value.
    """
    objective, kpi = find_kpi(plan, objective_id, index)
    reads = KpiSeries()
    kpi_status = status_engine.evaluate_kpi(con, plan, kpi, as_of, kpi_series=reads)
    path = status_engine.kpi_path(con, kpi, as_of, plan.budget, kpi_series=reads)
    daily = kpi_daily(con, kpi, budget=plan.budget, kpi_series=reads)
    shown = daily[daily["day"] <= as_of]
    weekly = rollup(shown, kpi.metric, "week")
    # A week the period or the status day cuts short is marked partial, never read as a drop.
    weekly["partial"] = [
        start < kpi.start or is_partial(start, min(as_of, kpi.end), "week")
        for start in weekly["start"]
    ]
    period = kpi_period(kpi, as_of) or (kpi.start, kpi.start)
    current = value_between(con, kpi, *period, budget=plan.budget, kpi_series=reads)
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
        pace=pace_needed(kpi_status, as_of, plan.currency),
        crisis=flag.text if flag is not None else "",
    )
