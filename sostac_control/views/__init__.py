"""Views: what each screen shows, gathered in one call per page and named after the page.

    overview.py    the Overview (objective cards, KPI tiles, what changed)
    kpi_detail.py  the KPI detail page
    channels.py    the Channels page
    roi.py         the ROI page (cost and return per channel and quarter)
    content.py     the Content page
    plan.py        the Plan page (the plan tree, SMART check, tables to edit)
    status.py      the Status page's tables (scorecard rows, week-by-week history)
    statuses.py    how a status looks: words, chip colours, cell colours (defined once)
    period.py      period choice (the sidebar's presets)
    tables.py      value formatting for tables (metric values, counts, rates, "—")
    safe_export.py cells made inert against formula injection in every CSV/XLSX written

A view takes a DuckDB connection (or paths) and returns plain dataclasses and frames; pages
only draw them. May import: engine, store, plan, catalog, errors. Never ui, cli or Streamlit.
"""
