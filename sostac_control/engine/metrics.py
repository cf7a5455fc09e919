"""KPI values and daily series over a period, computed in DuckDB SQL.

The declared rules (DESIGN.md, "Numbers are right before they are pretty"):

- One grain per metric: for each (channel, account, metric) the engine uses day totals if any
  exist in the range; else day breakdown rows summed (never for unique metrics); else window
  totals (then window breakdowns, never for unique metrics) spread evenly over their days; else
  post rows on their publish day. Two grains of the same thing are never added up.
- A window's value is spread evenly over its days; a period that covers a window whole counts
  it whole.
- sum metrics add up; level metrics (followers) take the last value on or before the day, and
  over channels and accounts the sum of each one's last value; unique metrics (reach, users) use
  the platform's own figure for exactly the period where one is loaded, else the sum of daily
  values, flagged as an upper bound; ratio metrics are the ratio of the period's sums.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

import duckdb
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, Metric, get_metric, metric_words
from sostac_control.engine.grains import (
    LEVEL_METRICS,
    RULE_TEXT,
    Total,
    daily_many,
    metric_daily,
    metric_total,
)
from sostac_control.i18n import _, date_short, number


class KpiLike(Protocol):
    """What the engine needs of a plan's KPI (sostac_control.plan.Kpi)."""

    @property
    def metric(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def account(self) -> str | None: ...
    @property
    def denominator(self) -> str | None: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


class BudgetLike(Protocol):
    """What the engine needs of a plan's budget line (sostac_control.plan.BudgetLine)."""

    @property
    def channel(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def people_cost(self) -> float: ...


@dataclass(frozen=True)
class KpiValue:
    """A KPI's value over a period, with its parts and what it rests on."""

    value: float | None
    numerator: float | None
    denominator: float | None
    days_with_data: int
    last_day: date | None
    note: str = ""


def people_cost_daily(
    budget: Sequence[BudgetLike], channel: str, start: date, end: date
) -> pd.Series:
    """People cost (hours × hourly rate) per day of [start, end], pro rata by days of each line."""
    index = pd.Index([start + timedelta(days=i) for i in range((end - start).days + 1)])
    cost = pd.Series(0.0, index=index)
    for line in budget:
        if channel not in (ALL_CHANNELS, line.channel):
            continue
        days = (line.end - line.start).days + 1
        if days <= 0 or not line.people_cost:
            continue
        per_day = float(line.people_cost) / days
        lo, hi = max(line.start, start), min(line.end, end)
        if lo > hi:
            continue
        cost[[lo <= d <= hi for d in index]] += per_day
    return cost


def people_cost(budget: Sequence[BudgetLike], channel: str, start: date, end: date) -> float:
    """People cost of the budget lines of `channel` overlapping [start, end], pro rata by days."""
    return float(people_cost_daily(budget, channel, start, end).sum()) if end >= start else 0.0


def parts(kpi: KpiLike) -> tuple[Metric, str, str]:
    m = get_metric(kpi.metric)
    assert m.numerator and m.denominator
    return m, m.numerator, kpi.denominator or m.denominator


DAILY_COLUMNS = ["day", "value", "numerator", "denominator"]


@dataclass
class KpiSeries:
    """The daily series of a screen's KPIs, read once and passed explicitly to whoever needs them.

    A screen makes one call (`engine.series.read_kpi_series`) for the KPIs it shows and hands
    the result to kpi_daily, kpi_actual, value_between and the status rules (`kpi_series=`).
    A KPI it does not hold yet is read on first use and kept, so several overlapping ranges of
    one KPI cost one read. Valid for one unchanging connection (one script run).
    """

    frames: dict[tuple[Any, ...], tuple[date, date, pd.DataFrame]] = field(default_factory=dict)
    read_at_once: int = 0  # KPIs read in the one bulk query

    @staticmethod
    def key(kpi: KpiLike, budget: Sequence[BudgetLike]) -> tuple[Any, ...]:
        people = tuple((b.channel, b.start, b.end, b.people_cost) for b in budget)
        return (kpi.metric, kpi.channel, kpi.account, kpi.denominator, people)

    def keep(
        self,
        kpi: KpiLike,
        budget: Sequence[BudgetLike],
        start: date,
        end: date,
        frame: pd.DataFrame,
    ) -> None:
        """Hold `frame` (DAILY_COLUMNS and rules) as the KPI's series over [start, end]."""
        self.frames[self.key(kpi, budget)] = (start, end, frame)

    def daily(
        self,
        con: duckdb.DuckDBPyConnection,
        kpi: KpiLike,
        start: date,
        end: date,
        budget: Sequence[BudgetLike],
    ) -> pd.DataFrame:
        """The KPI's daily series over [start, end], read (widened) only when not yet held."""
        key = self.key(kpi, budget)
        held = self.frames.get(key)
        if held is None or start < held[0] or end > held[1]:
            lo = start if held is None else min(start, held[0])
            hi = end if held is None else max(end, held[1])
            held = (lo, hi, _kpi_daily(con, kpi, lo, hi, budget))
            self.frames[key] = held
        return _days_of(held, start, end)[DAILY_COLUMNS].reset_index(drop=True)

    def totals(
        self, kpi: KpiLike, start: date, end: date, budget: Sequence[BudgetLike]
    ) -> tuple[Total, Total] | None:
        """(numerator, denominator) totals from a held series, for sum metrics and ratios of
        sums (level and unique metrics always ask the database); None when not held."""
        m = get_metric(kpi.metric)
        if m.kind == "ratio":
            _metric, num_name, den_name = parts(kpi)
            names = [num_name, "spend" if den_name == "cost" else den_name]
            if any(get_metric(n).kind != "sum" for n in names):
                return None
        elif m.kind != "sum":
            return None
        held = self.frames.get(self.key(kpi, budget))
        if held is None or start < held[0] or end > held[1] or "rules" not in held[2]:
            return None
        frame = _days_of(held, start, end)
        rules = tuple(sorted({r for text in frame["rules"].dropna() for r in str(text).split(",")}))

        def total(column: str) -> Total:
            present = frame[column].notna()
            value = frame[column].sum(min_count=1)
            last = frame.loc[present, "day"].max() if present.any() else None
            return Total(None if pd.isna(value) else float(value), int(present.sum()), last, rules)

        return total("numerator"), total("denominator")


def _days_of(held: tuple[date, date, pd.DataFrame], start: date, end: date) -> pd.DataFrame:
    """The rows of [start, end] of a held series: by position when it holds one row per day
    of its range (as every reader returns it), else by comparing days."""
    first, last, frame = held
    if len(frame) == (last - first).days + 1:
        stop = max((end - first).days + 1, 0)
        return frame.iloc[min(max((start - first).days, 0), stop) : stop]
    return frame[(frame["day"] >= start) & (frame["day"] <= end)]


def kpi_daily(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    start: date | None = None,
    end: date | None = None,
    *,
    budget: Sequence[BudgetLike] = (),
    kpi_series: KpiSeries | None = None,
) -> pd.DataFrame:
    """One row per calendar day: day, value, numerator, denominator (NaN on days without data).

    Ratio KPIs: numerator and denominator per day and their ratio; sum metrics: numerator =
    value. ROI's denominator is the day's cost: spend plus the plan's people cost (`budget`).
    With `kpi_series` the series comes from (or is kept in) the screen's reads.
    """
    start = start or kpi.start
    end = end or kpi.end
    if kpi_series is not None:
        return kpi_series.daily(con, kpi, start, end, budget)
    return _kpi_daily(con, kpi, start, end, budget)[DAILY_COLUMNS]


def _kpi_daily(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    start: date,
    end: date,
    budget: Sequence[BudgetLike],
) -> pd.DataFrame:
    m = get_metric(kpi.metric)
    if m.kind != "ratio":
        frame = metric_daily(con, kpi.metric, kpi.channel, kpi.account, start, end)
        frame["numerator"] = frame["value"]
        frame["denominator"] = float("nan")
        return frame[[c for c in (*DAILY_COLUMNS, "rules") if c in frame.columns]]
    m, num_name, den_name = parts(kpi)
    wanted = [num_name, "spend" if den_name == "cost" else den_name]
    if not any(p in LEVEL_METRICS for p in wanted):
        both = daily_many(con, wanted, kpi.channel, kpi.account, start, end)
        num = both[["day", num_name]].rename(columns={num_name: "value"})
        den = both[wanted[1]]
        if den_name == "cost":
            people = people_cost_daily(budget, kpi.channel, start, end).to_numpy()
            spend = den
            den = spend.fillna(0) + people
            den[spend.isna() & (people == 0)] = float("nan")
        frame = pd.DataFrame({"day": num["day"], "numerator": num["value"], "denominator": den})
        frame["value"] = ratio_values(m, frame["numerator"], frame["denominator"])
        frame["rules"] = both["rules"]
        return frame[[*DAILY_COLUMNS, "rules"]]
    num = metric_daily(con, num_name, kpi.channel, kpi.account, start, end)
    if den_name == "cost":
        spend = metric_daily(con, "spend", kpi.channel, kpi.account, start, end)["value"]
        people = people_cost_daily(budget, kpi.channel, start, end).to_numpy()
        den = spend.fillna(0) + people
        den[spend.isna() & (people == 0)] = float("nan")
    else:
        den = metric_daily(con, den_name, kpi.channel, kpi.account, start, end)["value"]
    frame = pd.DataFrame({"day": num["day"], "numerator": num["value"], "denominator": den})
    frame["value"] = ratio_values(m, frame["numerator"], frame["denominator"])
    return frame[["day", "value", "numerator", "denominator"]]


def ratio_values(m: Metric, num: pd.Series, den: pd.Series) -> pd.Series:
    safe = den.where(den != 0)
    if m.name == "roi":
        return (num.fillna(0) - safe) / safe
    return num / safe * m.scale


def _ratio_value(m: Metric, num: float | None, den: float | None) -> float | None:
    if den is None or den == 0 or (isinstance(den, float) and math.isnan(den)):
        return None
    if m.name == "roi":
        return ((num or 0.0) - den) / den
    if num is None:
        return None
    return num / den * m.scale


def _rules_note(rules: tuple[str, ...]) -> str:
    unusual = [RULE_TEXT[r] for r in rules if r and r != "day_total"]
    return _("from {rules}").format(rules=_(" and ").join(unusual)) if unusual else ""


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def kpi_period(kpi: KpiLike, as_of: date) -> tuple[date, date] | None:
    """The part of the KPI's period up to as_of (the whole period once it ended); None before."""
    if as_of < kpi.start:
        return None
    return kpi.start, min(as_of, kpi.end)


def kpi_actual(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    as_of: date,
    *,
    budget: Sequence[BudgetLike] = (),
    kpi_series: KpiSeries | None = None,
) -> KpiValue:
    """The KPI's value over its period up to as_of, with the metric's own aggregation."""
    period = kpi_period(kpi, as_of)
    if period is None:
        return KpiValue(None, None, None, 0, None, _("the period has not started"))
    return value_between(con, kpi, period[0], period[1], budget=budget, kpi_series=kpi_series)


def value_between(
    con: duckdb.DuckDBPyConnection,
    kpi: KpiLike,
    start: date,
    end: date,
    *,
    budget: Sequence[BudgetLike] = (),
    kpi_series: KpiSeries | None = None,
) -> KpiValue:
    """The KPI's metric over any [start, end] (for comparisons with earlier periods)."""
    m = get_metric(kpi.metric)
    shared = kpi_series.totals(kpi, start, end, budget) if kpi_series is not None else None
    if m.kind != "ratio":
        t = (
            shared[0]
            if shared
            else metric_total(con, kpi.metric, kpi.channel, kpi.account, start, end)
        )
        notes = [_rules_note(t.rules)]
        if m.kind == "level" and t.last_day is not None:
            notes.append(
                _("{metric} on {day} (last value, never a sum)").format(
                    metric=m.label.lower(), day=date_short(t.last_day)
                )
            )
        name = metric_words(m.name)
        if m.kind == "unique" and t.summed_keys:
            notes.append(_("sum of daily {metric}, overstates unique {metric}").format(metric=name))
        elif m.kind == "unique" and t.exact_windows > 1:
            notes.append(
                _("sum of {n} accounts' own {metric}: overlap counted twice").format(
                    n=t.exact_windows, metric=name
                )
            )
        elif m.kind == "unique" and t.exact_windows:
            notes.append(_("the platform's own {metric} figure for the period").format(metric=name))
        return KpiValue(t.value, t.value, None, t.days_with_data, t.last_day, _join(*notes))
    m, num_name, den_name = parts(kpi)
    num = shared[0] if shared else metric_total(con, num_name, kpi.channel, kpi.account, start, end)
    denominator = (
        _("cost (spend + people cost)")
        if den_name == "cost"
        else get_metric(den_name).label.lower()
    )
    notes = [
        _("{numerator} / {denominator}, ratio of the period's sums").format(
            numerator=get_metric(num_name).label.lower(),
            denominator=denominator + (" × " + number(1000) if m.scale != 1 else ""),
        )
    ]
    if den_name == "cost":
        people = people_cost(budget, kpi.channel, start, end)
        if shared:
            spend, den_value = shared[1], shared[1].value
        else:
            spend = metric_total(con, "spend", kpi.channel, kpi.account, start, end)
            den_value = (spend.value or 0.0) + people
            if spend.value is None and not people:
                den_value = None
        notes.append(
            _("people cost {amount} from the plan's budget").format(amount=number(people))
            if people
            else _("no people cost in the plan's budget")
        )
        den_rules = spend.rules
    else:
        den = (
            shared[1]
            if shared
            else metric_total(con, den_name, kpi.channel, kpi.account, start, end)
        )
        den_value = den.value
        den_rules = den.rules
        if den_name == "followers":
            notes.append(_("followers at the period's end as denominator"))
        if get_metric(den_name).kind == "unique" and den.summed_keys:
            notes.append(
                _("denominator is the sum of daily {metric}").format(metric=metric_words(den_name))
            )
    notes.append(_rules_note(tuple(sorted(set(num.rules) | set(den_rules)))))
    value = _ratio_value(m, num.value, den_value)
    return KpiValue(value, num.value, den_value, num.days_with_data, num.last_day, _join(*notes))
