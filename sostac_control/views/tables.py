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

from sostac_control.catalog import format_value

MISSING = "—"  # a value the platform did not report


def styled_table(
    frame: pd.DataFrame, counts: Sequence[str] = (), percents: Sequence[str] = ()
) -> Styler:
    """A table for reading: counts with thousands separators, rates in %, "—" where missing.

    Counts become text: st.dataframe draws a missing number as "None" whatever its format.
    """
    frame = frame.copy()
    for column in (c for c in counts if c in frame.columns):
        frame[column] = [MISSING if pd.isna(v) else f"{v:,.0f}" for v in frame[column]]
    percents = [c for c in percents if c in frame.columns]
    styler = frame.style.format(na_rep=MISSING)
    if percents:
        styler = styler.format("{:.1%}", subset=percents, na_rep=MISSING)
    return styler


def styled_posts(posts: pd.DataFrame) -> Styler:
    """Posts for reading: a day-only publishing date without a made-up 00:00, no "unknown"."""
    styler = styled_table(
        posts,
        counts=("impressions", "reach", "engagements", "clicks"),
        percents=("engagement_rate",),
    )
    if "published_at" in posts.columns:
        timed = posts["has_time"].astype(bool) if "has_time" in posts.columns else True
        rows = pd.Series(timed, index=posts.index)
        with_time: Any = (rows[rows].index, ["published_at"])
        day_only: Any = (rows[~rows].index, ["published_at"])
        styler = styler.format("{:%d %b %Y %H:%M}", subset=with_time)
        styler = styler.format("{:%d %b %Y}", subset=day_only)
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
