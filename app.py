"""The dashboard's frame: page config, navigation and the sidebar. No logic lives here."""

from __future__ import annotations

import streamlit as st

from sostac_control import ui
from sostac_control.errors import SostacError
from sostac_control.i18n import _

# The language first: page titles, the sidebar and every page speak it.
ui.choose_language()

# No page_title here: each st.Page's title names the browser tab.
st.set_page_config(
    page_icon="📈",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on a phone, open on a wide screen
    menu_items={
        "About": _(
            "**sostac-control**: KPI tracking and Control-phase analytics for social "
            "media plans (SOSTAC). Local-first: your data stays in one DuckDB file."
        ),
    },
)

# Page icons are Material Symbols: they ship with Streamlit, where emoji need a font the
# machine may lack. Add your page as one more st.Page line (a plain list: tests read it).
pages = [
    st.Page(
        "app_pages/overview.py", title=_("Overview"), icon=":material/dashboard:", default=True
    ),
    st.Page(
        "app_pages/kpi.py", title=_("KPI detail"), icon=":material/query_stats:", url_path="kpi"
    ),
    st.Page(
        "app_pages/channels.py", title=_("Channels"), icon=":material/hub:", url_path="channels"
    ),
    st.Page("app_pages/roi.py", title=_("ROI"), icon=":material/euro:", url_path="roi"),
    st.Page(
        "app_pages/content.py", title=_("Content"), icon=":material/article:", url_path="content"
    ),
    st.Page(
        "app_pages/reports.py", title=_("Reports"), icon=":material/summarize:", url_path="reports"
    ),
    st.Page("app_pages/data.py", title=_("Data"), icon=":material/upload_file:", url_path="data"),
    st.Page("app_pages/status.py", title=_("Status"), icon=":material/traffic:", url_path="status"),
    st.Page("app_pages/plan.py", title=_("Plan"), icon=":material/flag:", url_path="plan"),
]
navigation = st.navigation(pages)
try:
    with ui.session():  # sign-in (when configured), the workspace, the user's role in it
        ui.sidebar()
        navigation.run()
except SostacError as exc:  # e.g. the database held by another program past the wait
    ui.show_error(exc)
