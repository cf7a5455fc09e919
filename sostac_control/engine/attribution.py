"""Attribution of a gap: which account, post type, campaign, weekday or single day explains
why a KPI is behind its expected path.

Over the window since the drift alarm's change began (else since the period began) up to the
as-of day, the gap is what the plan's expected path asked minus what came in. Each part of a
dimension is expected its baseline share (its share of the KPI over the 16 weeks before the
period) of that expected amount; its contribution is its own expected minus actual, as a share
of the whole gap. Weekdays are expected by the KPI's weekday weights; a single day by its
expected day. The part with the largest share (at least 40% of the gap) is the culprit:
"Reels views fell 42% after 23 Nov and explain 80% of the gap". Sum metrics only: a ratio's
gap has two sides (numerator and denominator) and is not split this way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, CHANNEL_LABELS, METRICS
from sostac_control.engine import pacing
from sostac_control.engine.grains import base_sql
from sostac_control.engine.status_words import day_text
from sostac_control.i18n import _, percent

if TYPE_CHECKING:
    import duckdb

    from sostac_control.engine.status_judge import Series
    from sostac_control.plan.model import BudgetLine, Kpi

MIN_SHARE = 0.40
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


@dataclass(frozen=True)
class Attribution:
    """The part that explains most of a KPI's gap against its expected path."""

    dimension: str  # account, post_type, campaign, channel, weekday, day
    part: str
    share_of_gap: float  # 0..1+: this part's shortfall / the whole shortfall
    change: float  # the part's daily rate in the window against its baseline, − 1 (NaN: n/a)
    since: date
    gap: float  # the whole shortfall in the window, in the metric's unit
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "part": self.part,
            "share_of_gap": round(self.share_of_gap, 3),
            "change": None if not math.isfinite(self.change) else round(self.change, 3),
            "since": self.since.isoformat(),
            "gap": round(self.gap, 3),
            "text": self.text,
        }


def _parts_daily(
    con: duckdb.DuckDBPyConnection, kpi: Kpi, dimension: str, start: date, end: date
) -> pd.DataFrame:
    """part, day, value of the KPI's metric by one dimension over [start, end]."""
    params: dict[str, object] = {"start": start, "end": end, "metric": kpi.metric}
    where = "o.is_current AND o.metric = $metric AND o.period_start BETWEEN $start AND $end"
    if kpi.channel != ALL_CHANNELS:
        where += " AND o.channel = $channel"
        params["channel"] = kpi.channel
    if kpi.account is not None:
        where += " AND o.account = $account"
        params["account"] = kpi.account
    if dimension in ("account", "channel"):
        sql = f"""WITH {base_sql([kpi.metric], kpi.channel, kpi.account)}
                  SELECT {dimension} AS part, day, sum(value) AS value FROM base GROUP BY ALL"""
        frame = con.execute(sql, {"start": start, "end": end}).df()
    elif dimension == "post_type":
        frame = con.execute(
            f"""SELECT coalesce(nullif(p.post_type, ''), 'other posts') AS part,
                       o.period_start AS day, sum(o.value) AS value
                FROM observations o LEFT JOIN posts p ON p.is_current AND p.channel = o.channel
                     AND p.account = o.account AND p.post_id = o.item
                WHERE {where} AND o.grain = 'post' GROUP BY ALL""",
            params,
        ).df()
    else:  # campaign: day rows broken down by campaign
        frame = con.execute(
            f"""SELECT o.item AS part, o.period_start AS day, sum(o.value) AS value
                FROM observations o WHERE {where} AND o.grain = 'day'
                     AND o.dimension = 'campaign' GROUP BY ALL""",
            params,
        ).df()
    if not frame.empty:
        frame["day"] = pd.to_datetime(frame["day"]).dt.date
    return frame


def splits(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
    """(channel, metric, post_type | campaign) that have current post rows or campaign rows."""
    found: set[tuple[str, str, str]] = set()
    # Two plain filters (not one OR): DuckDB then skips every block that holds neither.
    for split, where in (
        ("post_type", "grain = 'post'"),
        ("campaign", "grain = 'day' AND dimension = 'campaign'"),
    ):
        rows = con.execute(
            f"SELECT DISTINCT channel, metric FROM observations WHERE is_current AND {where}"
        ).fetchall()
        found |= {(str(c), str(m), split) for c, m in rows}
    return found


def _has_split(split: set[tuple[str, str, str]], kpi: Kpi, dimension: str) -> bool:
    if dimension not in ("post_type", "campaign"):
        return True
    if kpi.channel == ALL_CHANNELS:
        return any(m == kpi.metric and d == dimension for _, m, d in split)
    return (kpi.channel, kpi.metric, dimension) in split


def _categorical(
    frame: pd.DataFrame, since: date, as_of: date, hist_start: date, expected: float, gap: float
) -> tuple[str, float, float] | None:
    """(part, share of the gap, change) of the largest contributor; None with one part."""
    if frame.empty or frame["part"].nunique() < 2:
        return None
    hist = frame[(frame["day"] >= hist_start) & (frame["day"] < since)]
    now = frame[(frame["day"] >= since) & (frame["day"] <= as_of)]
    base = hist.groupby("part")["value"].sum()
    if base.sum() <= 0:
        return None
    share = base / base.sum()
    actual = now.groupby("part")["value"].sum().reindex(share.index, fill_value=0.0)
    shortfall = share * expected - actual
    behind = float(shortfall.clip(lower=0).sum())
    if behind <= 0:
        return None
    # Of what the parts that are behind fell short (parts ahead do not dilute the share).
    contribution = shortfall / behind
    part = str(contribution.idxmax())
    days_hist = max((since - hist_start).days, 1)
    days_now = (as_of - since).days + 1
    change = (
        (actual[part] / days_now) / (base[part] / days_hist) - 1 if base[part] > 0 else math.nan
    )
    return part, float(contribution[part]), float(change)


def attribute(
    con: duckdb.DuckDBPyConnection,
    kpi: Kpi,
    series: Series,
    index: int,
    budget: Sequence[BudgetLine] = (),
    since: date | None = None,
    split: set[tuple[str, str, str]] | None = None,
) -> Attribution | None:
    """The culprit of a sum KPI's gap up to period day `index`; None when nothing stands out.

    `split` (from `splits`, read once per evaluation) names the (channel, metric, dimension)
    with post or campaign rows; a dimension the KPI has no rows of is not asked for.
    """
    if kpi.kind != "sum" or kpi.direction != "up":
        return None
    per, hist = series.period, series.history
    as_of = kpi.start + timedelta(days=index)
    since = max(since or kpi.start, kpi.start)
    w_dow = pacing.dow_weights(
        hist["value"].to_numpy(float), np.array([d.weekday() for d in hist["day"]])
    )
    w = w_dow[[d.weekday() for d in per["day"]]]
    expected_day = kpi.target * w / w.sum()
    window = ((per["day"] >= since) & (per["day"] <= as_of)).to_numpy()
    values = per["value"].to_numpy(float)
    observed = window & ~np.isnan(values)
    # Missing days are not a shortfall (they are imputed, never zeros): compare observed days.
    expected = float(expected_day[observed].sum())
    gap = expected - float(np.nansum(values[observed]))
    if gap <= 0 or not observed.any():
        return None
    best: tuple[str, str, float, float] | None = None
    hist_start = kpi.start - timedelta(days=16 * 7)
    dims = ["account", "post_type", "campaign"]
    if kpi.channel == ALL_CHANNELS:
        dims.insert(0, "channel")
    for dimension in dims:
        if split is not None and not _has_split(split, kpi, dimension):
            continue  # no rows of that split: _categorical would find nothing
        found = _categorical(
            _parts_daily(con, kpi, dimension, hist_start, as_of),
            since,
            as_of,
            hist_start,
            expected,
            gap,
        )
        if found and (best is None or found[1] > best[2]):
            best = (dimension, *found)
    short_day = np.where(observed, expected_day - np.nan_to_num(values), 0.0)
    shortfall = short_day / max(float(short_day.clip(min=0).sum()), 1e-9)
    weekday_share = np.array(
        [shortfall[[d.weekday() == k for d in per["day"]]].sum() for k in range(7)]
    )
    k = int(weekday_share.argmax())
    day_i = int(shortfall.argmax())
    # A weekday whose shortfall is mostly one of its days is that day; a weekday or a day names
    # the culprit only when no part of the data explains clearly less.
    timing = ("weekday", WEEKDAYS[k], float(weekday_share[k]))
    if shortfall[day_i] >= 0.75 * weekday_share[k]:
        timing = ("day", per["day"].iloc[day_i].isoformat(), float(shortfall[day_i]))
    dimension, part, share = timing
    if share >= 0.6 and (best is None or share > best[2] + 0.2) and shortfall.any():
        best = (dimension, part, share, math.nan)
    if best is None or best[2] < MIN_SHARE:
        return None
    dimension, part, share, change = best
    return Attribution(
        dimension,
        part,
        share,
        change,
        since,
        gap,
        _text(kpi, dimension, part, share, change, since),
    )


def _text(kpi: Kpi, dimension: str, part: str, share: float, change: float, since: date) -> str:
    metric = METRICS[kpi.metric].label.lower()
    pct = percent(min(share, 9.99), 0)
    if dimension == "weekday":
        return _("{weekdays} explain {share} of the gap").format(weekdays=part, share=pct)
    if dimension == "day":
        return _("{day} alone explains {share} of the gap").format(
            day=day_text(date.fromisoformat(part)), share=pct
        )
    name = CHANNEL_LABELS.get(part, part) if dimension == "channel" else part
    if dimension == "account":
        name = (
            _("account {account}").format(account=part)
            if part
            else _("rows without an account name")
        )
    if math.isfinite(change) and change < -0.005:
        moved = _("fell {change}").format(change=percent(-change, 0))
    elif math.isfinite(change) and change > 0.005:
        moved = _("rose only {change}").format(change=percent(change, 0))
    else:
        moved = _("held level")
    return _("{part} {metric} {moved} after {day} and explain {share} of the gap").format(
        part=name, metric=metric, moved=moved, day=day_text(since), share=pct
    )
