"""Young posts are not a drop: a maturity correction for KPIs read from per-post rows.

A post export books each post's lifetime figures on its publish day, and the newest posts are
still gathering views when the export is pulled, so the last days of a post-grain KPI always look
weak. The share of its lifetime figure a post has gathered by its age is the maturity curve:
- learned from successive exports of the same posts, which the versioned store keeps (every
  load's changed value of a post stays, current or not): for each post seen young (under 14
  days old) whose current value a later export saw at 14+ days (an export that found the value
  unchanged stores nothing new, so its coverage counts), young value / mature value by age;
  the curve is the median per age, made non-decreasing, with at least 20 such pairs;
- else the default curve, DEFAULT_CURVE: 45% on the publish day, 70% a day later, 82%, 89%,
  93%, 95%, 97%, 98%, 99%, and all of it from 9 days on (a typical organic post's decay).
A post's age is counted to the day its export was pulled, taken as the newest day the export
holds (never after the day it was loaded). The correction divides a day's value by the curve at
its age: the projection and the drift alarm see what the posts will have gathered, and the
reason says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, metric_words
from sostac_control.i18n import _, number

if TYPE_CHECKING:
    import duckdb

    from sostac_control.engine.status_judge import Series
    from sostac_control.plan.model import Kpi

DEFAULT_CURVE = np.array([0.45, 0.70, 0.82, 0.89, 0.93, 0.95, 0.97, 0.98, 0.99])
MATURE_DAYS = 14
MIN_PAIRS = 20


@dataclass
class Memo:
    """What one evaluation already asked the database: per KPI its posts' capture day (or None
    when it is not read from posts), per channel and metric its learned curve."""

    captures: dict[int, date | None] = field(default_factory=dict)
    curves: dict[tuple[str, str], np.ndarray | None] = field(default_factory=dict)
    posted: set[tuple[str, str]] | None = None  # (channel, metric) with current post rows

    def has_posts(self, con: duckdb.DuckDBPyConnection, channel: str, metric: str) -> bool:
        """Whether any current post row of `metric` is loaded for `channel` (one query for all
        KPIs): a KPI without one is not read from posts, and asks nothing more."""
        if self.posted is None:
            rows = con.execute(
                "SELECT DISTINCT channel, metric FROM observations "
                "WHERE is_current AND grain = 'post'"
            ).fetchall()
            self.posted = {(str(c), str(m)) for c, m in rows}
        if channel == ALL_CHANNELS:
            return any(m == metric for _, m in self.posted)
        return (channel, metric) in self.posted


@dataclass(frozen=True)
class Young:
    """A KPI's series with young posts' days corrected, and the note that says so ('' none)."""

    series: Series
    note: str = ""


def _channel_filter(channel: str) -> tuple[str, dict[str, object]]:
    if channel == ALL_CHANNELS:
        return "", {}
    return "AND o.channel = $channel", {"channel": channel}


def learned_curve(con: duckdb.DuckDBPyConnection, channel: str, metric: str) -> np.ndarray | None:
    """The maturity curve from re-exported posts of the channel; None with too few pairs."""
    where, params = _channel_filter(channel)
    rows = con.execute(
        f"""WITH seen AS (
              -- every live load's statement of a post's value, at the age it saw the post
              SELECT o.channel, o.account, o.item, o.period_start AS day, st.value,
                     date_diff('day', o.period_start,
                               least(l.last_day, l.loaded_at::DATE)) AS age
              FROM statements st JOIN observations o USING (key_id)
                   JOIN loads l ON l.load_id = st.load_id
              WHERE o.grain = 'post' AND o.metric = $metric AND l.status = 'loaded' {where}),
            covering AS (  -- the channel's loads of post values
              SELECT DISTINCT l.first_day, least(l.last_day, l.loaded_at::DATE) AS pulled
              FROM statements st JOIN observations o USING (key_id)
                   JOIN loads l ON l.load_id = st.load_id
              WHERE o.grain = 'post' AND o.metric = $metric AND l.status = 'loaded' {where}),
            mature AS (  -- the current value of a post that a load saw 14+ days old
              SELECT o.channel, o.account, o.item, o.value AS final
              FROM observations o
              WHERE o.is_current AND o.grain = 'post' AND o.metric = $metric {where}
                AND EXISTS (SELECT 1 FROM covering c WHERE o.period_start >= c.first_day
                            AND date_diff('day', o.period_start, c.pulled) >= {MATURE_DAYS}))
            SELECT s.age, median(s.value / m.final) AS share, count(*) AS posts
            FROM seen s JOIN mature m USING (channel, account, item)
            WHERE s.age BETWEEN 0 AND {MATURE_DAYS - 1} AND m.final > 0
            GROUP BY s.age ORDER BY s.age""",
        {"metric": metric, **params},
    ).fetchall()
    if sum(int(r[2]) for r in rows) < MIN_PAIRS:
        return None
    curve = np.ones(MATURE_DAYS)
    known = {int(age): float(share) for age, share, _ in rows}
    for age in range(MATURE_DAYS):
        curve[age] = known.get(age, np.nan)
    # Ages without pairs take the next known age's share; then never more at a younger age.
    curve = pd.Series(curve).bfill().fillna(1.0).to_numpy()
    curve = np.clip(np.minimum.accumulate(curve[::-1])[::-1], 0.05, 1.0)
    return curve


def _post_grain_capture(
    con: duckdb.DuckDBPyConnection, kpi: Kpi, start: date, as_of: date
) -> date | None:
    """The day the current post rows were pulled, when the KPI's values come from posts only."""
    where, params = _channel_filter(kpi.channel)
    if kpi.account is not None:
        where += " AND o.account = $account"
        params["account"] = kpi.account
    row = con.execute(
        f"""SELECT bool_and(o.grain = 'post'), max(least(l.last_day, l.loaded_at::DATE))
            FROM observations o JOIN loads l USING (load_id)
            WHERE o.is_current AND o.metric = $metric AND o.period_start BETWEEN $start AND $end
                  {where}""",
        {"metric": kpi.metric, "start": start, "end": as_of, **params},
    ).fetchone()
    if row is None or not row[0] or row[1] is None:
        return None
    return row[1]


def correct(
    con: duckdb.DuckDBPyConnection, kpi: Kpi, series: Series, as_of: date, memo: Memo | None = None
) -> Young:
    """The series with the values of young posts scaled up to what they will have gathered.

    The capture day is the pull of the KPI's current post rows over its whole period (a replay
    of an earlier day sees values pulled later, which are older than that day makes them look).
    """
    if kpi.kind != "sum" or as_of < kpi.start:
        return Young(series)
    memo = Memo() if memo is None else memo
    if id(kpi) not in memo.captures:
        memo.captures[id(kpi)] = (
            _post_grain_capture(con, kpi, kpi.start, kpi.end)
            if memo.has_posts(con, kpi.channel, kpi.metric)
            else None
        )
    capture = memo.captures[id(kpi)]
    if capture is None or (capture - min(as_of, kpi.end)).days >= MATURE_DAYS:
        return Young(series)
    key = (kpi.channel, kpi.metric)
    if key not in memo.curves:
        memo.curves[key] = learned_curve(con, kpi.channel, kpi.metric)
    curve = memo.curves[key]
    source = _("learned from re-exported posts")
    if curve is None:
        curve, source = DEFAULT_CURVE, _("default curve")
    period = series.period.copy()
    ages = np.array([(capture - d).days for d in period["day"]])
    young = (ages >= 0) & (ages < len(curve)) & period["value"].notna().to_numpy()
    if not young.any():
        return Young(series)
    share = np.where(young, curve[np.clip(ages, 0, len(curve) - 1)], 1.0)
    period["value"] = period["value"] / share
    period["numerator"] = period["value"]
    days = int(young.sum())
    added = float((period["value"] - series.period["value"]).where(young).sum())
    note = _(
        "posts of the last {days} days with data are still gathering {metric}: counted at "
        "what they will have gathered (+{added}; maturity {source})"
    ).format(days=days, metric=metric_words(kpi.metric), added=number(added), source=source)
    return Young(replace(series, period=period), note)
