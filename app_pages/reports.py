"""Reports: the quarterly review pack and the weekly digest, previewed and downloaded as HTML,
PDF and XLSX — the same files `sostac-control report` writes — and the sent-alert log."""

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from sostac_control import ui
from sostac_control.errors import SostacError
from sostac_control.i18n import _, bound
from sostac_control.reports import build_report
from sostac_control.store import alert_log

st.title(_("Reports"))
plan = ui.page_plan()
if plan is not None and ui.has_data():
    left, middle, right = st.columns([1, 1, 1])
    kind = left.radio(
        _("Report"),
        ["quarterly", "weekly"],
        format_func=bound(
            lambda k: {"quarterly": _("Quarterly review pack"), "weekly": _("Weekly digest")}[k]
        ),
        horizontal=True,
    )
    as_of = middle.date_input(_("As of"), value=ui.as_of_day(), format="YYYY-MM-DD")
    period = right.text_input(
        _("Period"),
        value="",
        placeholder="2026Q3" if kind == "quarterly" else "2026-W47",
        help="Empty: the quarter of the as-of day, or the last full week up to it.",
    )
    key = (kind, str(as_of), period.strip(), ui.data_version(ui.workspace().db))
    if st.button(_("Make the report"), type="primary") or st.session_state.get("report_key") == key:
        try:
            if st.session_state.get("report_key") != key:
                with st.spinner(_("Making the report (HTML, PDF and XLSX)…")):
                    db = ui.workspace().db
                    made = {
                        fmt: build_report(db, plan, kind, fmt, period=period or None, as_of=as_of)
                        for fmt in (
                            ("html", "pdf", "xlsx") if kind == "quarterly" else ("html", "pdf")
                        )
                    }
                st.session_state["report_key"], st.session_state["report_files"] = key, made
            files = st.session_state["report_files"]
        except SostacError as exc:
            ui.show_error(exc)
            st.stop()
        first = files["html"]
        span = first.period
        st.caption(
            f"{span.label}: {span.start.day} {span.start:%b %Y} – {span.end.day} {span.end:%b %Y}"
        )
        buttons = st.columns(len(files))
        labels = {"html": "Download HTML", "pdf": "Download PDF", "xlsx": "Download XLSX"}
        for column, (fmt, report) in zip(buttons, files.items(), strict=True):
            column.download_button(
                labels[fmt],
                report.data,
                file_name=report.filename,
                mime=report.mime,
                on_click="ignore",
                key=f"download-{fmt}",
            )
        components.html(first.html, height=900, scrolling=True)
    else:
        st.info(_("Choose a report and press **Make the report** to preview and download it."))

    with st.expander(_("Sent-alert log (`sostac-control alert`)")):
        entries = alert_log(ui.workspace().db, limit=100)
        if entries:
            ui.dataframe(pd.DataFrame(entries), hide_index=True)
        else:
            st.caption(
                _(
                    "No alerts sent yet. Add `alerts:` rules to the plan and run `sostac-control "
                    "alert` from cron or a systemd timer (README: Reports and alerts)."
                )
            )
