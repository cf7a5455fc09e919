"""Cost and return per channel and quarter: spend, people cost, ROI, ROAS, CPA, CPC, CPM, and
budget versus actual spend.

Cost is media spend (from ads data) plus people cost (hours × hourly rate from the plan's budget
lines, pro rata by the days of each line that fall in the period). Planned money is pro-rated
the same way. Revenue is what the channel's own data calls revenue or conversion value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd

from sostac_control.catalog import CHANNEL_LABELS, CHANNELS, PAID_CHANNELS, short_label
from sostac_control.engine.grains import base_sql
from sostac_control.engine.metrics import KpiSeries, kpi_actual
from sostac_control.engine.money import money_left_out, use_plan_money
from sostac_control.engine.rollups import bucket_label, bucket_start
from sostac_control.engine.series import read_kpi_series
from sostac_control.i18n import N_, Labels, _, day_month
from sostac_control.plan.model import BudgetLine, Plan
from sostac_control.views.period import is_partial
from sostac_control.views.tables import formatted, metric_columns

COST_METRICS = ("spend", "revenue", "conversions", "clicks", "link_clicks", "impressions")
COST_KPI_METRICS = ("roi", "roas", "cpa", "cpc", "cpm", "spend", "revenue", "conversions")
DEFINITIONS = Labels(
    {
        "cost": N_(
            "spend + people cost (hours × hourly rate from the plan's budget, pro rata by days)"
        ),
        "roi": N_("(revenue − cost) / cost"),
        "roas": N_("revenue / spend"),
        "cpa": N_("spend / conversions"),
        "cpc": N_("spend / clicks (link clicks for an ads channel whose data has no clicks)"),
        "cpm": N_("spend / impressions × 1,000"),
        "budget_used": N_("spend / planned money for the same days"),
    }
)


@dataclass
class RoiReport:
    """What the ROI page shows: per channel and quarter, per channel, and the cost KPIs."""

    start: date
    end: date
    currency: str
    by_quarter: pd.DataFrame
    by_channel: pd.DataFrame
    targets: pd.DataFrame  # kpi, metric, channel, actual, target, direction, note
    notes: list[str] = field(default_factory=list)


def _overlap_share(line: BudgetLine, start: date, end: date) -> float:
    days = (line.end - line.start).days + 1
    lo, hi = max(line.start, start), min(line.end, end)
    return max((hi - lo).days + 1, 0) / days if days > 0 else 0.0


def planned(
    budget: Sequence[BudgetLine], channel: str, start: date, end: date
) -> tuple[float, float]:
    """(planned money, people cost) of a channel's budget lines over [start, end], pro rata."""
    money = people = 0.0
    for line in budget:
        if line.channel != channel:
            continue
        share = _overlap_share(line, start, end)
        money += float(line.money or 0) * share
        people += float(line.people_cost or 0) * share
    return money, people


def _quarters(start: date, end: date) -> list[tuple[date, date]]:
    out = []
    q = bucket_start(start, "quarter")
    while q <= end:
        nxt = date(q.year + (q.month + 2) // 12, (q.month + 2) % 12 + 1, 1)
        out.append((max(q, start), min(nxt - timedelta(days=1), end)))
        q = nxt
    return out


def _covers(start: date, end: date) -> str:
    """ "whole quarter", or "part: 03 Jun – 30 Jun" when the period cuts the quarter short."""
    if start == bucket_start(start, "quarter") and not is_partial(start, end, "quarter"):
        return _("whole quarter")
    return _("part: {first} – {last}").format(
        first=day_month(start, padded=True), last=day_month(end, padded=True)
    )


def _ratios(frame: pd.DataFrame) -> pd.DataFrame:
    def per(num: str, den: str, scale: float = 1.0) -> pd.Series:
        return frame[num] / frame[den].where(frame[den] > 0) * scale

    frame["cost"] = frame["spend"].fillna(0) + frame["people_cost"].fillna(0)
    # No revenue loaded for a channel means its return is unknown, not −100%.
    frame["roi"] = (frame["revenue"] - frame["cost"]) / frame["cost"].where(frame["cost"] > 0)
    frame["roas"] = per("revenue", "spend")
    frame["cpa"] = per("spend", "conversions")
    # Ads exports (Meta Ads Manager) often give link clicks only; the catalogue allows them
    # as cpc's denominator. cpc_clicks says which one a row used.
    by_link = (
        frame["channel"].isin(PAID_CHANNELS) & frame["clicks"].isna() & (frame["link_clicks"] > 0)
    )
    frame["cpc_clicks"] = ["link_clicks" if b else "clicks" for b in by_link]
    frame["cpc"] = per("spend", "clicks").where(~by_link, per("spend", "link_clicks"))
    frame["cpm"] = per("spend", "impressions", 1000.0)
    frame["budget_used"] = per("spend", "planned_money")
    return frame


def roi_report(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    start: date,
    end: date,
    channels: Sequence[str] | None = None,
) -> RoiReport:
    """Cost and return per channel and quarter of [start, end], and the plan's cost KPIs."""
    use_plan_money(con, plan.currency, plan.currency_rates)
    sums = con.execute(
        f"""WITH {
            base_sql(
                list(COST_METRICS),
                list(channels) if channels else None,
                None,
                "quarter",
                by_account=False,
            )
        }
        SELECT channel, day AS quarter, metric, sum(value) AS value
        FROM base GROUP BY ALL""",
        {"start": start, "end": end},
    ).df()
    wide = (
        sums.pivot_table(
            index=["channel", "quarter"], columns="metric", values="value", aggfunc="sum"
        )
        if not sums.empty
        else pd.DataFrame()
    )
    wide = wide.reindex(columns=list(COST_METRICS))
    found: dict[tuple[str, date], dict[str, float]] = {
        (str(key[0]), pd.Timestamp(key[1]).date()): row.to_dict()
        for key, row in wide.iterrows()
        if isinstance(key, tuple)
    }
    budget_channels = {line.channel for line in plan.budget}
    wanted = [
        c
        for c in CHANNELS
        if (c in budget_channels or any(c == f[0] for f in found))
        and (not channels or c in channels)
    ]
    rows = []
    for channel in wanted:
        for q_start, q_end in _quarters(start, end):
            money, people = planned(plan.budget, channel, q_start, q_end)
            values = found.get((channel, bucket_start(q_start, "quarter")), {})
            if not values and not money and not people:
                continue
            rows.append(
                {
                    "channel": channel,
                    "label": CHANNEL_LABELS.get(channel, channel),
                    "quarter": bucket_label(q_start, "quarter"),
                    "covers": _covers(q_start, q_end),
                    "start": q_start,
                    "end": q_end,
                    **{m: values.get(m, float("nan")) for m in COST_METRICS},
                    "people_cost": people,
                    "planned_money": money,
                }
            )
    columns = [
        "channel",
        "label",
        "quarter",
        "covers",
        "start",
        "end",
        *COST_METRICS,
        "people_cost",
        "planned_money",
    ]
    by_quarter = _ratios(pd.DataFrame(rows, columns=columns))
    summed = [
        "spend",
        "revenue",
        "conversions",
        "clicks",
        "link_clicks",
        "impressions",
        "people_cost",
        "planned_money",
    ]
    by_channel = (
        by_quarter.groupby(["channel", "label"], sort=False)[summed].sum(min_count=1).reset_index()
    )
    by_channel = _ratios(by_channel)
    notes = [f"{k}: {v}" for k, v in DEFINITIONS.items()]
    notes += [m.sentence(plan.currency) for m in money_left_out(con)]
    by_link = by_channel.loc[by_channel["cpc_clicks"] == "link_clicks", "label"].tolist()
    if by_link:
        notes.append(
            _("cpc of {channels}: spend / link clicks (no clicks loaded)").format(
                channels=", ".join(by_link)
            )
        )
    return RoiReport(
        start, end, plan.currency, by_quarter, by_channel, cost_kpis(con, plan, end), notes
    )


def cost_kpis(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: date) -> pd.DataFrame:
    """The plan's cost and return KPIs (ROI, ROAS, CPA, …) with their actual so far."""
    kpis = [k for k in plan.kpis if k.metric in COST_KPI_METRICS and k.start <= as_of]
    reads = KpiSeries()
    if kpis:  # one read for all of them
        end = min(max(k.end for k in kpis), as_of)
        reads = read_kpi_series(con, kpis, min(k.start for k in kpis), end, budget=plan.budget)
    rows = []
    for objective in plan.objectives:
        for kpi in objective.kpis:
            if kpi.metric not in COST_KPI_METRICS:
                continue
            value = kpi_actual(con, kpi, as_of, budget=plan.budget, kpi_series=reads)
            rows.append(
                {
                    "objective": objective.id,
                    "kpi": kpi.label,
                    "metric": kpi.metric,
                    "channel": kpi.channel,
                    "actual": value.value,
                    "target": kpi.target,
                    "direction": kpi.direction,
                    "note": value.note,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "objective",
            "kpi",
            "metric",
            "channel",
            "actual",
            "target",
            "direction",
            "note",
        ],
    )


ROI_COLUMNS = ("spend", "people_cost", "cost", "planned_money", "budget_used", "revenue",
               "conversions", "roi", "roas", "cpa", "cpc", "cpm")  # fmt: skip
# Columns that are not metrics take the format of one: money like spend, a share like ROI.
ROI_FORMATS = {"people_cost": "spend", "cost": "spend", "planned_money": "spend",
               "budget_used": "roi"}  # fmt: skip


def roi_period(plan: Plan, as_of: date, sidebar: tuple[date, date] | None) -> tuple[date, date]:
    """The days the ROI screen covers: the sidebar's period when chosen, else the plan's period
    (from 1 January of the status day's year when the plan has none) up to the status day.

    Never backwards: a plan that starts after the status day shows its year up to that day.
    """
    if sidebar is not None:
        return sidebar
    start = plan.start or date(as_of.year, 1, 1)
    end = min(plan.end or as_of, as_of)
    if end < start:
        start = date(end.year, 1, 1)
    return start, end


def roi_table(frame: pd.DataFrame, first: list[str], currency: str) -> pd.DataFrame:
    """A per-channel (and quarter) table for reading: short channel labels, amounts formatted."""
    out = frame[first].rename(columns={"label": "channel"})
    out["channel"] = [short_label(c) for c in frame["channel"]]
    for column, values in metric_columns(frame, ROI_COLUMNS, currency, ROI_FORMATS).items():
        out[column] = values
    return out


def cost_per_quarter(report: RoiReport) -> pd.DataFrame:
    """Media spend and people cost per channel and quarter, long: label, quarter, cost, amount.

    A quarter the period cuts short is labelled "(part)", so its lower bar is not read as a drop.
    """
    return (
        charted_quarters(report.by_quarter)
        .melt(
            id_vars=["label", "quarter"],
            value_vars=["spend", "people_cost"],
            var_name="cost",
            value_name="amount",
        )
        .dropna()
    )


def charted_quarters(frame: pd.DataFrame) -> pd.DataFrame:
    """by_quarter with each cut-short quarter's label marked "(part)" for charts."""
    out = frame.copy()
    part = out["covers"] != _("whole quarter")
    out.loc[part, "quarter"] = out.loc[part, "quarter"] + " " + _("(part)")
    return out


def budget_vs_spend(report: RoiReport) -> pd.DataFrame:
    """Planned money and actual spend of the channels with a money budget (label, amount, value)."""
    budget = report.by_channel[report.by_channel["planned_money"] > 0]
    return budget.melt(
        id_vars=["label"],
        value_vars=["planned_money", "spend"],
        var_name="amount",
        value_name="value",
    )


def targets_table(targets: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The plan's cost targets for reading: actual and target formatted, direction in words."""
    return pd.DataFrame(
        {
            "objective": targets["objective"],
            "KPI": targets["kpi"],
            "actual": formatted(targets["actual"], targets["metric"], currency),
            "target": formatted(targets["target"], targets["metric"], currency),
            "direction": targets["direction"].map(
                {"up": _("higher is better"), "down": _("lower is better")}
            ),
            "definition": targets["note"],
        }
    )
