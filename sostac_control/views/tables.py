"""Tables for reading: counts with thousands separators, rates in %, "—" where missing.

Pandas only (no Streamlit), so every page formats values the same way: `formatted` and
`metric_columns` write metric values as text, `styled_table` and `styled_posts` style tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from sostac_control.catalog import METRIC_WORDS, format_value
from sostac_control.i18n import N_, Labels, date_short, date_time, is_dutch, number, percent

MISSING = "—"  # a value the platform did not report

# Column names as the tables carry them, in words where a page shows them (through _()).
COLUMN_WORDS = Labels(
    {
        "50% likely": N_("50% likely"),
        "7 days before": N_("7 days before"),
        "80% likely": N_("80% likely"),
        "account": N_("account"),
        "Achievable": N_("Achievable"),
        "actual": N_("actual"),
        "actual so far": N_("actual so far"),
        "advice": N_("advice"),
        "aggregation": N_("aggregation"),
        "baseline": N_("baseline"),
        "basis": N_("basis"),
        "budget used": N_("budget used"),
        "category": N_("category"),
        "chance": N_("chance"),
        "chance of the target": N_("chance of the target"),
        "change": N_("change"),
        "channel": N_("channel"),
        "channel_label": N_("channel_label"),
        "clicks": N_("clicks"),
        "column": N_("column"),
        "command": N_("command"),
        "conversions": N_("conversions"),
        "cost": N_("cost"),
        "cost of its channels": N_("cost of its channels"),
        "covers": N_("covers"),
        "cpa": N_("cpa"),
        "cpc": N_("cpc"),
        "cpm": N_("cpm"),
        "credited to": N_("credited to"),
        "criterion": N_("criterion"),
        "culprit": N_("culprit"),
        "day": N_("day"),
        "days": N_("days"),
        "definition": N_("definition"),
        "denominator": N_("denominator"),
        "destination": N_("destination"),
        "difference": N_("difference"),
        "direction": N_("direction"),
        "end": N_("end"),
        "ended": N_("ended"),
        "engagement rate": N_("engagement rate"),
        "engagement_rate": N_("engagement_rate"),
        "engagements": N_("engagements"),
        "errors": N_("errors"),
        "event": N_("event"),
        "export": N_("export"),
        "field": N_("field"),
        "file": N_("file"),
        "file total": N_("file total"),
        "files": N_("files"),
        "first_day": N_("first_day"),
        "followers": N_("followers"),
        "format": N_("format"),
        "freshness": N_("freshness"),
        "grains": N_("grains"),
        "has_time": N_("has_time"),
        "hint": N_("hint"),
        "hour": N_("hour"),
        "hourly rate": N_("hourly rate"),
        "hourly_rate": N_("hourly_rate"),
        "hours": N_("hours"),
        "hours worked": N_("hours worked"),
        "id": N_("id"),
        "impressions": N_("impressions"),
        "inserted": N_("inserted"),
        "kpi": N_("kpi"),
        "KPI": N_("KPI"),
        "label": N_("label"),
        "last 7 days": N_("last 7 days"),
        "last_day": N_("last_day"),
        "line": N_("line"),
        "link": N_("link"),
        "load_id": N_("load_id"),
        "loaded_at": N_("loaded_at"),
        "loaded_up_to": N_("loaded_up_to"),
        "Measurable": N_("Measurable"),
        "message": N_("message"),
        "metric": N_("metric"),
        "money": N_("money"),
        "needed per week": N_("needed per week"),
        "needed_for": N_("needed_for"),
        "now per week": N_("now per week"),
        "objective": N_("objective"),
        "objective_id": N_("objective_id"),
        "of target": N_("of target"),
        "open": N_("open"),
        "owner": N_("owner"),
        "people cost": N_("people cost"),
        "people cost worked": N_("people cost worked"),
        "period": N_("period"),
        "permalink": N_("permalink"),
        "planned hours": N_("planned hours"),
        "planned money": N_("planned money"),
        "planned people cost": N_("planned people cost"),
        "platform": N_("platform"),
        "post type": N_("post type"),
        "post_id": N_("post_id"),
        "post_type": N_("post_type"),
        "posts": N_("posts"),
        "problem": N_("problem"),
        "promotional": N_("promotional"),
        "CPA": N_("CPA"),
        "ROAS": N_("ROAS"),
        "actual (cumulative for sums)": N_("actual (cumulative for sums)"),
        "change vs last year": N_("change vs last year"),
        "hours (plan)": N_("hours (plan)"),
        "last year": N_("last year"),
        "last year loaded": N_("last year loaded"),
        "objective status": N_("objective status"),
        "objective title": N_("objective title"),
        "previous": N_("previous"),
        "previous loaded": N_("previous loaded"),
        "projected": N_("projected"),
        "reason": N_("reason"),
        "target path": N_("target path"),
        "this quarter": N_("this quarter"),
        "total cost": N_("total cost"),
        "published": N_("published"),
        "needed for": N_("needed for"),
        "loaded up to": N_("loaded up to"),
        "first day": N_("first day"),
        "last day": N_("last day"),
        "published_at": N_("published_at"),
        "quarter": N_("quarter"),
        "reach": N_("reach"),
        "read": N_("read"),
        "rejected": N_("rejected"),
        "Relevant": N_("Relevant"),
        "result": N_("result"),
        "revenue": N_("revenue"),
        "roas": N_("roas"),
        "roi": N_("roi"),
        "ROI": N_("ROI"),
        "row": N_("row"),
        "rows_read": N_("rows_read"),
        "rule": N_("rule"),
        "section": N_("section"),
        "sent_at": N_("sent_at"),
        "sessions": N_("sessions"),
        "skipped": N_("skipped"),
        "source": N_("source"),
        "sources": N_("sources"),
        "span_days": N_("span_days"),
        "Specific": N_("Specific"),
        "spend": N_("spend"),
        "start": N_("start"),
        "status": N_("status"),
        "stored": N_("stored"),
        "target": N_("target"),
        "text": N_("text"),
        "Time-bound": N_("Time-bound"),
        "title": N_("title"),
        "total": N_("total"),
        "type": N_("type"),
        "unchanged": N_("unchanged"),
        "updated": N_("updated"),
        "value": N_("value"),
        "views": N_("views"),
        "week of": N_("week of"),
        "weekday": N_("weekday"),
        "where": N_("where"),
        "why": N_("why"),
    }
)


def column_words(name: object) -> object:
    """A column's name in the current language; names without words (a week, a date) stay."""
    if not isinstance(name, str):
        return name
    if name in COLUMN_WORDS:
        return COLUMN_WORDS[name]
    return METRIC_WORDS[name] if name in METRIC_WORDS and is_dutch() else name


def in_words(table: Any) -> Any:
    """A table (DataFrame, Styler or list of rows) with its column names in the current
    language; the values are left as they are."""
    if isinstance(table, Styler):
        columns = table.data.columns  # type: ignore[attr-defined]
        return table.relabel_index([str(column_words(c)) for c in columns], axis="columns")
    if isinstance(table, pd.DataFrame):
        return table.rename(columns=column_words)
    if isinstance(table, list) and table and all(isinstance(row, Mapping) for row in table):
        return [{column_words(k): v for k, v in row.items()} for row in table]
    return table


def styled_table(
    frame: pd.DataFrame, counts: Sequence[str] = (), percents: Sequence[str] = ()
) -> Styler:
    """A table for reading: counts with thousands separators, rates in %, "—" where missing.

    Counts become text: st.dataframe draws a missing number as "None" whatever its format.
    """
    frame = frame.copy()
    for column in (c for c in counts if c in frame.columns):
        frame[column] = [MISSING if pd.isna(v) else number(v) for v in frame[column]]
    percents = [c for c in percents if c in frame.columns]
    styler = frame.style.format(na_rep=MISSING)
    if percents:
        styler = styler.format(_percent_cell, subset=percents, na_rep=MISSING)
    return styler


def _percent_cell(value: Any) -> str:
    return percent(float(value), 1)


def _moment_cell(value: Any) -> str:
    return date_time(value)


def _day_cell(value: Any) -> str:
    return date_short(value)


def styled_posts(posts: pd.DataFrame) -> Styler:
    """Posts for reading: a day-only publishing date without a made-up 00:00, no "unknown"."""
    styler = styled_table(
        posts,
        counts=("views", "impressions", "reach", "engagements", "clicks"),
        percents=("engagement_rate",),
    )
    if "published_at" in posts.columns:
        timed = posts["has_time"].astype(bool) if "has_time" in posts.columns else True
        rows = pd.Series(timed, index=posts.index)
        with_time: Any = (rows[rows].index, ["published_at"])
        day_only: Any = (rows[~rows].index, ["published_at"])
        styler = styler.format(_moment_cell, subset=with_time)
        styler = styler.format(_day_cell, subset=day_only)
    if "post_type" in posts.columns:
        styler = styler.format(
            lambda v: MISSING if v in (None, "unknown") else str(v), subset=["post_type"]
        )
    return styler


def formatted(
    values: Iterable[float | None], metrics: str | Iterable[str], currency: str
) -> list[str]:
    """Values as the product writes them (format_value), "—" where a value is missing.

    `metrics` is one metric for every value, or one metric per value.
    """
    names = repeat(metrics) if isinstance(metrics, str) else metrics
    return [
        MISSING if v is None or pd.isna(v) else format_value(v, m, currency)
        for v, m in zip(values, names, strict=False)
    ]


def metric_columns(
    frame: pd.DataFrame,
    columns: Sequence[str],
    currency: str,
    metric_of: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """{column in words: formatted values} for metric columns of a frame.

    `metric_of` names the metric whose format a column takes when the column is not a metric
    itself (people_cost is money like spend).
    """
    metric_of = metric_of or {}
    return {
        column.replace("_", " "): formatted(frame[column], metric_of.get(column, column), currency)
        for column in columns
    }
