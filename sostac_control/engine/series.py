"""A screen's KPI series in one explicit call: read once, then passed to whoever computes.

`read_kpi_series` reads the daily series of many KPIs in one DuckDB query (sum metrics and ratios
of sums without an account filter) and returns a `metrics.KpiSeries`; the screen passes it to
the status rules, tiles and rollups (`kpi_series=`), which read nothing they already hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, get_metric
from sostac_control.engine.grains import RULES, base_sql, params, post_spans_sql
from sostac_control.engine.metrics import (
    DAILY_COLUMNS,
    BudgetLike,
    KpiLike,
    KpiSeries,
    parts,
    people_cost_daily,
    ratio_values,
)


def read_kpi_series(
    con: duckdb.DuckDBPyConnection,
    kpis: Sequence[KpiLike],
    start: date,
    end: date,
    *,
    budget: Sequence[BudgetLike] = (),
) -> KpiSeries:
    """The daily series of a screen's KPIs over [start, end], read in one query where it can.

    Covers KPIs of sum metrics and ratios of sums without an account filter (the others are
    read one by one on first use); `read_at_once` says how many the one query covered.
    """
    reads = KpiSeries()
    chosen: list[tuple[KpiLike, list[str]]] = []
    for kpi in kpis:
        m = get_metric(kpi.metric)
        if m.kind == "ratio":
            _, num_name, den_name = parts(kpi)
            names = [num_name, "spend" if den_name == "cost" else den_name]
        else:
            names = [kpi.metric]
        if kpi.account is None and all(get_metric(n).kind == "sum" for n in names):
            chosen.append((kpi, names))
    if len(chosen) < 2:
        return reads
    metrics = sorted({n for _, names in chosen for n in names})
    channels = {k.channel for k, _ in chosen}
    channel = None if ALL_CHANNELS in channels else sorted(channels)
    # Accounts are summed inside DuckDB (each still on its own grain): a few thousand rows per
    # metric come back, as numpy arrays, never a row per account and day.
    rows = con.execute(
        f"""WITH {base_sql(metrics, channel, None, by_account=False)},
        {post_spans_sql(metrics, channel, None)}
        SELECT b.channel, b.metric, date_diff('day', $start::DATE, b.day) AS i,
               sum(b.value) AS value, bit_or({_RULE_BITS}) AS rules,
               bool_or(b.rule = 'post') AS from_posts,
               date_diff('day', $start::DATE, any_value(s.first_post)) AS first_post,
               date_diff('day', $start::DATE, any_value(s.last_post)) AS last_post
        FROM base b LEFT JOIN spans s USING (channel, metric) GROUP BY ALL""",
        params(start, end),
    ).fetchnumpy()
    n_days = (end - start).days + 1
    days = [start + timedelta(days=i) for i in range(n_days)]
    parts_read = _by_channel_metric(rows, n_days)
    for kpi, names in chosen:
        series: dict[str, pd.Series] = {}
        rules: set[str] = set()
        for name in names:
            held = [
                part
                for (c, m), part in parts_read.items()
                if m == name and (kpi.channel == ALL_CHANNELS or c == kpi.channel)
            ]
            by_day = np.full(n_days, np.nan)
            posted: list[tuple[int, int]] = []
            for part in held:
                rules |= part.rules
                present = ~np.isnan(part.values)
                by_day[present] = np.nan_to_num(by_day[present]) + part.values[present]
                posted += part.posted
            if posted:  # days without a post between posts count 0 (as daily_many)
                first, last = min(p[0] for p in posted), max(p[1] for p in posted)
                index = np.arange(n_days)
                by_day[np.isnan(by_day) & (index >= first) & (index <= last)] = 0.0
            series[name] = pd.Series(by_day)
        frame = pd.DataFrame({"day": days})
        if get_metric(kpi.metric).kind != "ratio":
            frame["value"] = frame["numerator"] = series[names[0]]
            frame["denominator"] = float("nan")
        else:
            m, _, den_name = parts(kpi)
            num, den = series[names[0]], series[names[1]]
            if den_name == "cost":
                people = people_cost_daily(budget, kpi.channel, start, end).to_numpy()
                spend = den
                den = spend.fillna(0) + people
                den[spend.isna() & (people == 0)] = float("nan")
            frame["numerator"], frame["denominator"] = num, den
            frame["value"] = ratio_values(m, num, den)
        frame["rules"] = ",".join(sorted(rules)) if rules else None
        reads.keep(kpi, budget, start, end, frame[[*DAILY_COLUMNS, "rules"]])
    reads.read_at_once = len(chosen)
    return reads


_RULE_BITS = (
    "CASE b.rule " + " ".join(f"WHEN '{r}' THEN {1 << i}" for i, r in enumerate(RULES)) + " END"
)


@dataclass
class _Part:
    """One channel's metric per day of the read range (NaN: no row that day)."""

    values: np.ndarray
    rules: set[str] = field(default_factory=set)
    posted: list[tuple[int, int]] = field(default_factory=list)  # (first, last) post day index


def _by_channel_metric(rows: Mapping[str, Any], n_days: int) -> dict[tuple[str, str], _Part]:
    """The query's rows (channel, metric, day index i, value, rule bits, post span) as one
    array per (channel, metric)."""
    channels = np.asarray(rows["channel"], dtype=str)
    metrics = np.asarray(rows["metric"], dtype=str)
    keys, inverse = np.unique(
        np.char.add(np.char.add(channels, "\t"), metrics), return_inverse=True
    )
    day = np.asarray(rows["i"], dtype=np.int64)
    value = np.asarray(rows["value"], dtype=float)
    bits = np.asarray(rows["rules"], dtype=np.int64)
    from_posts = np.asarray(rows["from_posts"], dtype=bool)
    first = np.ma.filled(np.ma.asarray(rows["first_post"], dtype=float), np.nan)
    last = np.ma.filled(np.ma.asarray(rows["last_post"], dtype=float), np.nan)
    out: dict[tuple[str, str], _Part] = {}
    for j, key in enumerate(keys):
        mine = inverse == j
        values = np.full(n_days, np.nan)
        values[day[mine]] = value[mine]  # one row per day: the query grouped by day
        mask = int(np.bitwise_or.reduce(bits[mine]))
        part = _Part(values, {r for i, r in enumerate(RULES) if mask & (1 << i)})
        spans = mine & from_posts & ~np.isnan(first)
        if spans.any():
            part.posted.append((int(first[spans].min()), int(last[spans].max())))
        channel, metric = str(key).split("\t")
        out[(channel, metric)] = part
    return out
