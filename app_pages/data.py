"""Data: load platform exports (several at once), see what each file gave, undo a load."""

from __future__ import annotations

from datetime import date

import streamlit as st

from sostac_control import ui
from sostac_control.errors import SostacError
from sostac_control.formats import ReadOptions
from sostac_control.ingest import IngestResult, ingest_bytes, not_tried
from sostac_control.reconcile import reconciliation_rows, set_aside_sentence
from sostac_control.store import load_history, load_preview, load_rejects, undo_load
from sostac_control.ui.fetch_panel import render_fetch_panel

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xls", "xml", "zip"]
SUMMARY_KEYS = ["file", "status", "platform", "format", "grain", "account", "first_day",
                "last_day", "rows_read", "rows_loaded", "skipped", "rejected", "values",
                "inserted", "updated", "unchanged", "duplicates"]  # fmt: skip
HISTORY_KEYS = ["load_id", "loaded_at", "source", "platform", "format", "account", "first_day",
                "last_day", "inserted", "updated", "unchanged", "skipped", "rejected", "status",
                "command"]  # fmt: skip

ws = ui.workspace()
limit_mb = st.get_option("server.maxUploadSize")

st.title("Data")
st.write(
    "Load the exports you downloaded from Meta Business Suite, X, LinkedIn, TikTok, YouTube, "
    "Google Analytics and the ads managers, or a tidy CSV (`date,channel,metric,value`). "
    "Each file is recognised by its columns; loading the same file again changes nothing, and "
    "a newer export replaces the values of an older one for the same days and posts."
)
st.caption(
    f"CSV, XLSX, XLS, SpreadsheetML (.xml) or a ZIP of exports; up to {limit_mb} MB per file "
    "(`server.maxUploadSize` in .streamlit/config.toml). Database: "
    f"`{ws.db}`."
)

with st.form("upload", clear_on_submit=True):
    files = st.file_uploader(
        "Export files",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        help="Select several files at once, or a ZIP archive of a month's exports.",
    )
    left, right = st.columns(2)
    account = left.text_input(
        "Account",
        placeholder="only when the export does not name one",
        help="Page-level series and some daily exports do not say which account they are.",
    )
    this_year = date.today().year
    year = right.selectbox(
        "Year for dates written without one",
        [None, *range(this_year, this_year - 6, -1)],
        format_func=lambda y: "ask me (refuse such files)" if y is None else str(y),
        help="TikTok and some follower exports write 'August 18' without a year.",
    )
    submitted = st.form_submit_button("Load files", type="primary")

if submitted and files:
    options = ReadOptions(account=account.strip() or None, year=year)
    results: list[IngestResult] = []
    progress = st.progress(0.0, text="Loading…")
    with ui.waiting_for_database(progress):
        for number, upload in enumerate(files):
            stopped = next((r for r in results if r.database_failed), None)
            if stopped is not None:  # the database is not usable: say so for each file left
                results.append(not_tried(upload.name, stopped))
                continue
            progress.progress(
                number / len(files), text=f"Loading {upload.name} ({number + 1} of {len(files)})…"
            )
            results.extend(
                ingest_bytes(
                    upload.name, upload.getvalue(), ws.db, options=options, command="app upload"
                )
            )
    progress.progress(1.0, text=f"Done: {len(files)} file(s).")
    st.session_state["data_results"] = results
elif submitted:
    st.warning("Choose one or more files first.")

results = st.session_state.get("data_results") or []
if results:
    st.subheader("What the files gave")
    loaded = [r for r in results if r.status == "loaded"]
    st.write(f"{len(loaded)} of {len(results)} file(s) loaded.")
    st.dataframe([{k: r.as_dict()[k] for k in SUMMARY_KEYS} for r in results], hide_index=True)
    for r in results:
        if r.status != "loaded":
            reason = r.message.removeprefix(f"{r.file}:").strip()
            said = {"not_tried": "was not tried", "skipped": "was skipped"}
            ui.show_problem(f"**{r.file}** {said.get(r.status, 'was refused')}. {reason}", r.hint)
            continue
        with st.expander(f"{r.file}: {r.platform}, {r.format} ({r.first_day} to {r.last_day})"):
            if r.message:
                st.caption(r.message)
            if r.reconciled:
                st.write(
                    "Reconciliation: what the file's data rows add up to, and what the load stored:"
                )
                st.dataframe(reconciliation_rows(r.reconciled), hide_index=True)
            if r.set_aside:
                st.caption(set_aside_sentence(r.set_aside))
            if r.errors:
                st.write(f"{r.rejected} row(s) rejected:")
                st.dataframe(r.errors, hide_index=True)
            if r.load_id is not None:
                st.write("Stored (current values of this load):")
                try:
                    st.dataframe(load_preview(ws.db, r.load_id), hide_index=True)
                except SostacError as exc:  # e.g. another program is writing right now
                    ui.show_error(exc)

st.subheader("Ingest history")
try:
    history = load_history(ws.db, limit=200)
except SostacError as exc:
    ui.show_error(exc)
    history = []
if not history:
    st.info("Nothing loaded yet. Upload exports above, or run `sostac-control ingest FILE...`.")
else:
    st.dataframe([{k: h[k] for k in HISTORY_KEYS} for h in history], hide_index=True)
    st.caption("Undo removes what a load wrote and brings back the values it had replaced.")
    for h in [h for h in history if h["status"] == "loaded"][:15]:
        text, action = st.columns([5, 1])
        text.write(
            f"#{h['load_id']} · {h['source']} · {h['format']} · {h['first_day']} to "
            f"{h['last_day']} · {h['inserted']:,} new, {h['updated']:,} replaced"
        )
        if action.button("Undo", key=f"undo-{h['load_id']}"):
            try:
                with ui.waiting_for_database():
                    removed = undo_load(ws.db, h["load_id"])
            except SostacError as exc:
                ui.show_error(exc)
                st.stop()
            st.session_state["data_results"] = []
            st.session_state["data_undone"] = f"Load #{h['load_id']} removed ({removed:,} values)."
            st.rerun()
    if st.session_state.get("data_undone"):
        st.success(st.session_state.pop("data_undone"))
    rejected = [h for h in history if h["rejected"] and h["status"] == "loaded"]
    if rejected:
        choice = st.selectbox(
            "Rejected rows of a load",
            [h["load_id"] for h in rejected],
            format_func=lambda i: next(
                f"#{h['load_id']} {h['source']}" for h in rejected if h["load_id"] == i
            ),
        )
        try:
            st.dataframe(load_rejects(ws.db, int(choice)), hide_index=True)
        except SostacError as exc:
            ui.show_error(exc)

with st.expander("Fetch from APIs", expanded=False):
    render_fetch_panel(ws)
