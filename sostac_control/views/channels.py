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
from sostac_control.engine.rollups import Grain, bucket_label
from sostac_control.views.tables import metric_columns

# The comparison's columns, in the order a reader scans them.
COMPARED = ("reach", "impressions", "engagements", "clicks", "conversions", "spend")
DEFINITIONS = {
    "reach": "sum of daily reach per channel: overstates unique reach",
    "engagement_rate": "engagements / impressions, ratio of the period's sums",
}


@dataclass
class ChannelComparison:
    """What the Channels page shows for one period."""

    start: date
    end: date
    table: pd.DataFrame  # one row per channel: channel, label, type, COMPARED…, engagement_rate
    by_type: pd.DataFrame  # paid vs organic: type, COMPARED…, engagement_rate
    trend: pd.DataFrame  # period, label, channel, metric, value (long)
    notes: list[str] = field(default_factory=list)


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
    frame = con.execute(
        f"""WITH {base_sql(list(metrics), _channel_list(channels), None, "period")}
        SELECT channel, metric, sum(value) AS value FROM base
        WHERE day BETWEEN $start AND $end GROUP BY ALL""",
        {"start": start, "end": end},
    ).df()
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
    frame = con.execute(
        f"""WITH {base_sql(list(metrics), _channel_list(channels), None, grain)}
        SELECT day AS period, channel, metric,
               sum(value) AS value
        FROM base GROUP BY ALL ORDER BY period""",
        {"start": start, "end": end},
    ).df()
    if frame.empty:
        return pd.DataFrame(columns=["period", "label", "channel", "metric", "value"])
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
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
    return frame[["period", "label", "channel", "metric", "value"]].sort_values(
        ["period", "channel", "metric"], ignore_index=True
    )


def compare_channels(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    channels: Sequence[str] | None = None,
    grain: Grain = "week",
) -> ChannelComparison:
    """The Channels page in one call: the side-by-side table, paid vs organic, and the trend.

    One query: the table is the trend's buckets added up (every compared metric is a sum, or
    reach, whose total is the flagged sum of daily values either way).
    """
    trend = channel_trend(con, start, end, grain, channels, COMPARED)
    sums = trend[trend["metric"] != "engagement_rate"]
    wide = sums.pivot_table(index="channel", columns="metric", values="value", aggfunc="sum")
    wide = wide.reindex(columns=list(COMPARED))
    wide.columns.name = None
    table = wide.loc[[c for c in CHANNELS if c in wide.index]].reset_index()
    table = _with_rates(table)
    table.insert(1, "label", [CHANNEL_LABELS.get(c, c) for c in table["channel"]])
    table.insert(2, "type", ["paid" if c in PAID_CHANNELS else "organic" for c in table["channel"]])
    by_type = table.groupby("type")[list(COMPARED)].sum(min_count=1).reset_index()
    # A group's engagement rate counts only the channels that report both of its parts: a
    # channel with engagements but no impressions (Facebook reports views) would inflate it.
    both = table["engagements"].notna() & (table["impressions"] > 0)
    parts = table[both].groupby("type")[["engagements", "impressions"]].sum()
    rate = parts["engagements"] / parts["impressions"]
    by_type["engagement_rate"] = by_type["type"].map(rate)
    notes = [f"{get_metric(m).label}: {text}" for m, text in DEFINITIONS.items() if m in METRICS]
    return ChannelComparison(start, end, table, by_type, trend, notes)


def comparison_table(frame: pd.DataFrame, currency: str, first: dict[str, str]) -> pd.DataFrame:
    """A comparison for reading: the `first` columns (renamed), then every compared metric and
    the engagement rate formatted, "—" where missing."""
    shown = pd.DataFrame({new: frame[old] for old, new in first.items()})
    for column, values in metric_columns(frame, [*COMPARED, "engagement_rate"], currency).items():
        shown[column] = values
    return shown
