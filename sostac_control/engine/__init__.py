"""The engine: numbers from the store's observations, and what they mean against the plan.

    grains.py   one grain per metric: the SQL every read starts from (base_sql)
    metrics.py  a KPI's daily series and period value (ratio of sums, one grain, one account);
                KpiSeries, the series a screen read, passed on explicitly (`kpi_series=`)
    series.py   read_kpi_series: a screen's KPI series in one query
    rollups.py  rollups by week, month, quarter; comparisons; splits by channel, account, post type
    pacing.py   expected path, projection and probability of reaching a target
    drift.py    the drift alarm on a KPI's daily values
    status.py   the status rules: on track, at risk, off track … and why (split by issue 14)

May import: plan (models only), catalog, errors, and a DuckDB connection handed in. Never the
store's writers, ingest, api, views, ui or cli; never Streamlit.
"""
