"""The engine: numbers from the store's observations, and what they mean against the plan.

    grains.py   one grain per metric: the SQL every read starts from (base_sql)
    metrics.py  a KPI's daily series and period value (ratio of sums, one grain, one account);
                KpiSeries, the series a screen read, passed on explicitly (`kpi_series=`)
    series.py   read_kpi_series: a screen's KPI series in one query
    rollups.py  rollups by week, month, quarter; comparisons; splits by channel, account, post type
    pacing.py   expected path, projection and probability of reaching a target
    ratio_pace.py     ratio KPIs paced: a ratio of sums (bootstrap), a sum over a level
    level_line.py     a level's straight line (Theil–Sen), for ratios over a level and suggestions
    drift.py    the drift alarm on a KPI's daily values
    status.py   a plan's statuses on a day: the status document, reasons, notes, flags
    status_document.py  KpiStatus, ObjectiveStatus, PlanStatus: the `status --json` document
    status_rules.py   the status rules on plain arrays (what `make eval` measures)
    status_codes.py   the status codes and their order (no numpy: a cached `status` reads them)
    status_judge.py   one KPI's series judged day by day; the KPI chart's path
    status_words.py   figures and reasons in words
    recent_pace.py    the recent pace: since a drift began, else the last four weeks
    level_pace.py     followers paced as the sum of their daily net changes
    attribution.py    the culprit of a gap: account, post type, campaign, weekday or day
    crisis.py         the crisis alarm on daily negative signals
    freshness.py      stale data: a channel's usual delay, the source to refresh
    maturity.py       young posts' maturity correction
    suggest.py        suggested targets, 50% and 80% likely

May import: plan (models only), catalog, errors, and a DuckDB connection handed in. Never the
store's writers, ingest, api, views, ui or cli; never Streamlit.
"""
