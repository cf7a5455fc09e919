"""The only Streamlit glue in the package: what pages (app_pages/) and app.py import.

    workspace.py    which workspace the dashboard shows (registry, URL, chooser) and who is
                    looking (st.login when [auth] is configured; roles via access.py)
    caching.py      query results cached per data version; the plan cached per file time
    sidebar.py      the global filters and the workspace facts
    problems.py     product errors: message, hint and the table of problems (one widget)
    tables.py       tables with their column names in the current language
    widgets.py      status chips, KPI tiles, charts with their CSV
    language.py     the language: the person's choice (sidebar, ?lang=), the plan's, the server's
    fetch_panel.py  the Data page's "Fetch from APIs" panel
    first_run.py    an empty workspace: "create the demo", "start my plan", exports to load

May import: everything below it (views, engine, store, ingest, api, demo, plan, formats,
catalog, errors). Nothing else in the package imports Streamlit or `ui`.
"""

from __future__ import annotations

from sostac_control.ui.caching import cached_plan, data_version, query
from sostac_control.ui.language import choose_language, language_picker
from sostac_control.ui.problems import show_error, show_problem, show_problem_table
from sostac_control.ui.sidebar import (
    Filters,
    as_of_day,
    get_filters,
    page_period,
    sidebar,
    workspace_facts,
)
from sostac_control.ui.tables import dataframe
from sostac_control.ui.widgets import (
    chart,
    download_csv,
    has_data,
    kpi_tile,
    open_kpi,
    page_plan,
    status_text,
    waiting_for_database,
)
from sostac_control.ui.workspace import (
    Workspace,
    login_configured,
    session,
    shown_path,
    signed_in_email,
    workspace,
)
from sostac_control.views.tables import MISSING, styled_posts, styled_table

__all__ = [
    "MISSING",
    "Filters",
    "Workspace",
    "as_of_day",
    "cached_plan",
    "chart",
    "choose_language",
    "data_version",
    "dataframe",
    "download_csv",
    "get_filters",
    "has_data",
    "kpi_tile",
    "language_picker",
    "login_configured",
    "open_kpi",
    "page_period",
    "page_plan",
    "query",
    "session",
    "show_error",
    "show_problem",
    "show_problem_table",
    "shown_path",
    "sidebar",
    "signed_in_email",
    "status_text",
    "styled_posts",
    "styled_table",
    "waiting_for_database",
    "workspace",
    "workspace_facts",
]
