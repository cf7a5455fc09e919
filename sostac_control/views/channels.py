"""The channel comparison: each channel's reach, impressions, engagement, clicks, conversions
and spend side by side over a period, their trend, and paid versus organic.

One DuckDB query per table, with the metric engine's one-grain rule (grains.base_sql).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from sostac_control.catalog import CHANNEL_LABELS, CHANNELS, METRICS, PAID_CHANNELS, get_metric
from sostac_control.engine.grains import base_sql
from sostac_control.engine.money import money_left_out, use_plan_money
from sostac_control.engine.rollups import (
    Grain,
    bucket_label,
    last_year,
    previous_period,
)
from sostac_control.engine.status import evaluate_plan
from sostac_control.i18n import N_, Labels, percent
from sostac_control.plan.model import Plan
from sostac_control.views import quarter
from sostac_control.views.attention import pace_needed
from sostac_control.views.period import is_partial
from sostac_control.views.statuses import status_words
from sostac_control.views.tables import formatted, metric_columns

# The comparison's columns, in the order a reader scans them.
COMPARED = ("views", "reach", "impressions", "engagements", "clicks", "conversions", "spend")
TYPE_WORDS = Labels({"paid": N_("paid"), "organic": N_("organic")})  # a channel's type
COMPARISONS = (N_("previous period"), N_("same period last year"))  # shown through _()
# A channel whose export has no engagements total counts these (as the Content page does).
ENGAGEMENT_PARTS = ("reactions", "comments", "shares", "saves")
DEFINITIONS = Labels(
    {
        "reach": N_(
            "sum of daily reach per channel: overstates unique reach; never added over "
            "channels (paid versus organic shows none)"
        ),
        "followers": N_("the last value on or before the period's end"),
        "engagements": N_("the platform's total, else reactions + comments + shares + saves"),
        "engagement_rate": N_("engagements / impressions, ratio of the period's sums"),
    }
)


@dataclass
class ChannelComparison:
    """What the Channels page shows for one period."""

    start: date
    end: date
    table: pd.DataFrame  # one row per channel: channel, label, type, COMPARED…, engagement_rate
    by_type: pd.DataFrame  # paid vs organic: type, COMPARED…, engagement_rate
    trend: pd.DataFrame  # period, label, channel, metric, value, partial (long)
    notes: list[str] = field(default_factory=list)
    # channel, label, then each compared metric's relative change against `compared_with`
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    compared_with: tuple[date, date] | None = None
    # the plan's KPIs per channel: channel, kpi, metric, target, actual, status, pace
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)


def _channel_list(channels: Sequence[str] | None) -> list[str] | None:
    return list(channels) if channels else None


def channel_totals(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    channels: Sequence[str] | None = None,
    metrics: Sequence[str] = COMPARED,
) -> pd.DataFrame:
    """Per channel, each metric's total over [start, end] (wide; a missing metric is NaN)."""
    parts = ENGAGEMENT_PARTS if "engagements" in metrics else ()
    base = base_sql([*metrics, *parts], _channel_list(channels), None, "period", by_account=False)
    frame = con.execute(
        f"""WITH {base}
        SELECT channel, metric, sum(value) AS value FROM base
        WHERE day BETWEEN $start AND $end GROUP BY ALL""",
        {"start": start, "end": end},
    ).df()
    frame = _engagements_from_parts(frame)
    wide = frame.pivot_table(index="channel", columns="metric", values="value", aggfunc="sum")
    wide = wide.reindex(columns=list(metrics))
    wide.columns.name = None
    order = [c for c in CHANNELS if c in wide.index]
    return wide.loc[order].reset_index()


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    den = frame["impressions"].where(frame["impressions"] > 0)
    frame["engagement_rate"] = frame["engagements"] / den
    return frame


def channel_trend(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    grain: Grain = "week",
    channels: Sequence[str] | None = None,
    metrics: Sequence[str] = ("impressions", "engagements", "clicks", "conversions", "spend"),
) -> pd.DataFrame:
    """Per channel and ISO week (or day, month, quarter): period, label, channel, metric, value.

    Besides the asked metrics it adds `engagement_rate` (ratio of the bucket's sums) when both
    engagements and impressions are asked.
    """
    parts = ENGAGEMENT_PARTS if "engagements" in metrics else ()
    base = base_sql([*metrics, *parts], _channel_list(channels), None, grain, by_account=False)
    frame = con.execute(
        f"""WITH {base}
        SELECT day AS period, channel, metric,
               sum(value) AS value
        FROM base GROUP BY ALL ORDER BY period""",
        {"start": start, "end": end},
    ).df()
    if frame.empty:
        return pd.DataFrame(columns=["period", "label", "channel", "metric", "value", "partial"])
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    frame = _engagements_from_parts(frame)
    if {"engagements", "impressions"} <= set(metrics):
        wide = frame.pivot_table(
            index=["period", "channel"], columns="metric", values="value", aggfunc="sum"
        )
        if {"engagements", "impressions"} <= set(wide.columns):
            rate = wide["engagements"] / wide["impressions"].where(wide["impressions"] > 0)
            rates = rate.dropna().rename("value").reset_index()
            rates["metric"] = "engagement_rate"
            frame = pd.concat([frame, rates], ignore_index=True)
    frame["label"] = [bucket_label(p, grain) for p in frame["period"]]
    # A bucket the period cuts short (the current part-week) is marked, never drawn as a drop.
    frame["partial"] = [
        p < start or is_partial(p, end, grain) if grain != "day" else False for p in frame["period"]
    ]
    return frame[["period", "label", "channel", "metric", "value", "partial"]].sort_values(
        ["period", "channel", "metric"], ignore_index=True
    )


def _engagements_from_parts(frame: pd.DataFrame) -> pd.DataFrame:
    """Engagements where a channel reports no total (the Instagram post export): its
    reactions + comments + shares + saves, per bucket. The parts themselves are dropped."""
    parts = frame[frame["metric"].isin(ENGAGEMENT_PARTS)]
    rest = frame[~frame["metric"].isin(ENGAGEMENT_PARTS)]
    if parts.empty:
        return rest
    has_total = set(rest.loc[rest["metric"] == "engagements", "channel"])
    keys = [c for c in frame.columns if c not in ("metric", "value")]
    summed = (
        parts[~parts["channel"].isin(has_total)]
        .groupby(keys, as_index=False)["value"]
        .sum()
        .assign(metric="engagements")
    )
    return pd.concat([rest, summed], ignore_index=True)


def _followers(
    con: duckdb.DuckDBPyConnection, channels: Sequence[str], start: date, end: date
) -> dict[str, float | None]:
    """Each channel's followers at the period's end (a level metric: the last value of each
    account, summed), for every channel in one query (as metric_total gives it per channel)."""
    if not channels:
        return {}
    rows = con.execute(
        f"""WITH {base_sql(["followers"], list(channels), None)},
        last AS (SELECT channel, arg_max(value, day) AS value FROM base
                 WHERE day <= $end GROUP BY channel, account)
        SELECT channel, sum(value) FROM last GROUP BY channel""",
        {"start": start, "end": end},
    ).fetchall()
    found = {str(c): None if v is None else float(v) for c, v in rows}
    return {c: found.get(c) for c in channels}


def _targets(
    con: duckdb.DuckDBPyConnection, plan: Plan, channels: Sequence[str], as_of: date
) -> pd.DataFrame:
    """The plan's KPIs on these channels that run on `as_of`, with the pace each needs."""
    rows = []
    status = evaluate_plan(con, plan, as_of)
    for obj in status.objectives:
        for k in obj.kpis:
            kpi = k.kpi
            if kpi.channel not in channels or not (kpi.start <= as_of <= kpi.end):
                continue
            pace = pace_needed(k, as_of, plan.currency)
            rows.append(
                {
                    "channel": kpi.channel,
                    "label": CHANNEL_LABELS.get(kpi.channel, kpi.channel),
                    "objective": obj.objective.title,
                    "metric": kpi.metric,
                    "target": kpi.target,
                    "actual": k.actual,
                    "status": k.status,
                    "needed_per_week": pace.needed_per_week,
                    "now_per_week": None if pace.now_per_day is None else pace.now_per_day * 7,
                    "pace": pace.sentence,
                }
            )
    columns = ["channel", "label", "objective", "metric", "target", "actual", "status",
               "needed_per_week", "now_per_week", "pace"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def compare_channels(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    channels: Sequence[str] | None = None,
    grain: Grain = "week",
    plan: Plan | None = None,
    as_of: date | None = None,
    compare: str = "previous period",
) -> ChannelComparison:
    """The Channels page in one call: the side-by-side table against the plan (its KPIs on
    each channel with the weekly pace they need), the change against the previous period or
    the same period last year, paid vs organic, and the trend.

    One query for the period: the table is the trend's buckets added up (every compared
    metric is a sum, or reach, whose total is the flagged sum of daily values either way).
    """
    if plan is not None:
        use_plan_money(con, plan.currency, plan.currency_rates)
    trend = channel_trend(con, start, end, grain, channels, COMPARED)
    sums = trend[trend["metric"] != "engagement_rate"]
    wide = sums.pivot_table(index="channel", columns="metric", values="value", aggfunc="sum")
    wide = wide.reindex(columns=list(COMPARED))
    wide.columns.name = None
    table = wide.loc[[c for c in CHANNELS if c in wide.index]].reset_index()
    table = _with_rates(table)
    table["followers"] = table["channel"].map(_followers(con, list(table["channel"]), start, end))
    table.insert(1, "label", [CHANNEL_LABELS.get(c, c) for c in table["channel"]])
    table.insert(2, "type", ["paid" if c in PAID_CHANNELS else "organic" for c in table["channel"]])
    by_type = table.groupby("type")[list(COMPARED)].sum(min_count=1).reset_index()
    by_type["reach"] = float("nan")  # reach is unique per platform: never added over channels
    # A group's engagement rate counts only the channels that report both of its parts: a
    # channel with engagements but no impressions (Facebook reports views) would inflate it.
    both = table["engagements"].notna() & (table["impressions"] > 0)
    parts = table[both].groupby("type")[["engagements", "impressions"]].sum()
    rate = parts["engagements"] / parts["impressions"]
    by_type["engagement_rate"] = by_type["type"].map(rate)
    notes = [f"{get_metric(m).label}: {text}" for m, text in DEFINITIONS.items() if m in METRICS]
    before = previous_period(start, end) if compare == COMPARISONS[0] else last_year(start, end)
    earlier = channel_totals(con, *before, list(table["channel"]) or None)
    if len(earlier):
        earlier["followers"] = earlier["channel"].map(
            _followers(con, list(earlier["channel"]), *before)
        )
    changes = quarter.changes(table, earlier, [*COMPARED, "followers"])
    targets = (
        _targets(con, plan, list(table["channel"]), as_of or end)
        if plan is not None
        else pd.DataFrame()
    )
    if plan is not None:
        notes += [m.sentence(plan.currency) for m in money_left_out(con)]
    return ChannelComparison(start, end, table, by_type, trend, notes, changes, before, targets)


def comparison_table(frame: pd.DataFrame, currency: str, first: dict[str, str]) -> pd.DataFrame:
    """A comparison for reading: the `first` columns (renamed), then every compared metric and
    the engagement rate formatted, "—" where missing."""
    shown = pd.DataFrame({new: frame[old] for old, new in first.items()})
    if "type" in shown:
        shown["type"] = [TYPE_WORDS.get(t, t) for t in shown["type"]]
    wanted = [*COMPARED, "followers", "engagement_rate"]
    for column, values in metric_columns(
        frame, [c for c in wanted if c in frame], currency
    ).items():
        shown[column] = values
    return shown


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes for reading: "+12.3%", "—" where there is nothing to compare."""
    shown = pd.DataFrame({"channel": changes["label"]})
    for metric in (*COMPARED, "followers"):
        if metric in changes:
            shown[metric] = [
                percent(v, 1, sign=True) if pd.notna(v) else "—" for v in changes[metric]
            ]
    return shown


def targets_table(targets: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The plan's KPIs per channel for reading: target, actual, status, weekly pace."""
    metrics = targets["metric"]
    return pd.DataFrame(
        {
            "channel": targets["label"],
            "KPI": [get_metric(m).label for m in metrics],
            "target": formatted(targets["target"], metrics, currency),
            "actual so far": formatted(targets["actual"], metrics, currency),
            "status": [status_words(s) for s in targets["status"]],
            "needed per week": formatted(targets["needed_per_week"], metrics, currency),
            "now per week": formatted(targets["now_per_week"], metrics, currency),
            "objective": targets["objective"],
        }
    )
