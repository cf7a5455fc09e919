"""A screen's KPI series in one explicit call: read once, then passed to whoever computes.

`read_kpi_series` reads the daily series of many KPIs in one DuckDB query (sum metrics and ratios
of sums without an account filter) and returns a `metrics.KpiSeries`; the screen passes it to
the status rules, tiles and rollups (`kpi_series=`), which read nothing they already hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import duckdb
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, get_metric
from sostac_control.engine.grains import base_sql, params
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
    rows = con.execute(
        f"""WITH {base_sql(metrics, channel, None)}
        SELECT channel, metric, day, sum(value) AS value, string_agg(DISTINCT rule, ',') AS rules,
               bool_or(rule = 'post') AS from_posts
        FROM base GROUP BY ALL""",
        params(start, end),
    ).df()
    rows["day"] = pd.to_datetime(rows["day"]).dt.date
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    for kpi, names in chosen:
        mine = rows if kpi.channel == ALL_CHANNELS else rows[rows["channel"] == kpi.channel]
        series: dict[str, pd.Series] = {}
        rules: set[str] = set()
        for name in names:
            part = mine[mine["metric"] == name]
            rules |= {r for text in part["rules"] for r in str(text).split(",")}
            by_day = part.groupby("day")["value"].sum().reindex(days)
            posted = part.loc[part["from_posts"], "day"]
            if len(posted):  # days without a post between posts count 0 (as _daily_many)
                gap = (
                    by_day.isna() & (by_day.index >= posted.min()) & (by_day.index <= posted.max())
                )
                by_day[gap] = 0.0
            series[name] = by_day.reset_index(drop=True)
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
