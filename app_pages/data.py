"""Data: load platform exports (several at once), a readable line per file (refused first),
what is loaded per channel and account and how fresh, the month's export checklist, undo."""

from __future__ import annotations

from datetime import date

import streamlit as st

from sostac_control import access, i18n, ui
from sostac_control.errors import SostacError
from sostac_control.formats import ReadOptions
from sostac_control.i18n import _, bound
from sostac_control.ingest import IngestResult, ingest_bytes, not_tried
from sostac_control.reconcile import reconciliation_rows, set_aside_sentence
from sostac_control.store import (
    change_history,
    load_history,
    load_preview,
    load_rejects,
    undo_load,
)
from sostac_control.ui.fetch_panel import render_fetch_panel
from sostac_control.views import data as data_view

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xls", "xml", "zip"]
HISTORY_KEYS = ["load_id", "loaded_at", "source", "platform", "format", "account", "first_day",
                "last_day", "inserted", "updated", "unchanged", "skipped", "rejected", "status",
                "command", "actor"]  # fmt: skip

ws = ui.workspace()
this_year = date.today().year
limit_mb = st.get_option("server.maxUploadSize")

st.title(_("Data"))
st.write(
    _(
        "Load the exports you downloaded from Meta Business Suite, X, LinkedIn, TikTok, YouTube, "
        "Google Analytics and the ads managers, or a tidy CSV (`date,channel,metric,value`). "
        "Each file is recognised by its columns; loading the same file again changes nothing, and "
        "a newer export replaces the values of an older one for the same days and posts."
    )
)
st.caption(
    _(
        "CSV, XLSX, XLS, SpreadsheetML (.xml) or a ZIP of exports; up to {limit} MB per file "
        "(`server.maxUploadSize` in .streamlit/config.toml). Database: `{db}`."
    ).format(limit=limit_mb, db=ws.db)
)

may_load = access.may("load files")  # the check itself is in ingest (access.require)
if not may_load:
    st.info("Your role in this workspace is viewer: you see its data; loading files, fetching "
            "and undo need the editor role.")  # fmt: skip
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader(
        _("Export files"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        disabled=not may_load,
        help="Select several files at once, or a ZIP archive of a month's exports.",
    )
    left, right = st.columns(2)
    account = left.text_input(
        _("Account"),
        placeholder="only when the export does not name one",
        help="Page-level series and some daily exports do not say which account they are.",
    )
    year = right.selectbox(
        _("Year for dates written without one"),
        [None, *range(this_year, this_year - 6, -1)],
        format_func=bound(lambda y: _("ask me (refuse such files)") if y is None else str(y)),
        help="TikTok and some follower exports write 'August 18' without a year.",
    )
    submitted = st.form_submit_button(_("Load files"), type="primary", disabled=not may_load)


def load_uploads(uploads: list[tuple[str, bytes]], options: ReadOptions) -> list[IngestResult]:
    """Load files with a progress bar; keep the bytes of refused ones to retry them."""
    results: list[IngestResult] = []
    progress = st.progress(0.0, text=_("Loading…"))
    with ui.waiting_for_database(progress):
        for number, (name, data) in enumerate(uploads):
            stopped = next((r for r in results if r.database_failed), None)
            if stopped is not None:  # the database is not usable: say so for each file left
                results.append(not_tried(name, stopped))
                continue
            progress.progress(
                number / len(uploads), text=f"Loading {name} ({number + 1} of {len(uploads)})…"
            )
            got = ingest_bytes(name, data, ws.db, options=options, command="app upload")
            results.extend(got)
            if any(r.status != "loaded" for r in got):
                st.session_state.setdefault("data_refused_bytes", {})[name] = data
    progress.progress(1.0, text=f"Done: {len(uploads)} file(s).")
    return results


if submitted and files:
    options = ReadOptions(account=account.strip() or None, year=year)
    st.session_state["data_refused_bytes"] = {}
    st.session_state["data_results"] = load_uploads(
        [(f.name, f.getvalue()) for f in files], options
    )
elif submitted:
    st.warning(_("Choose one or more files first."))

results: list[IngestResult] = st.session_state.get("data_results") or []
if results:
    st.subheader(_("What the files gave"))
    ids = tuple(r.load_id for r in results if r.load_id is not None)
    currencies: dict = {}
    try:
        currencies = ui.query(data_view.load_currencies, ids) if ids else {}
    except SostacError as exc:  # e.g. another program is writing right now
        ui.show_error(exc)
    lines = data_view.file_lines(results, currencies)
    counts = {v: sum(1 for f in lines if f.verdict == v) for v in ("refused", "warning", "loaded")}
    st.write(
        _("{loaded} of {files} file(s) loaded").format(
            loaded=counts["loaded"] + counts["warning"], files=len(lines)
        )
        + (", " + _("{n} with warnings").format(n=counts["warning"]) if counts["warning"] else "")
        + ("; " + _("{n} refused").format(n=counts["refused"]) if counts["refused"] else "")
        + "."
    )
    kept: dict[str, bytes] = st.session_state.get("data_refused_bytes", {})
    for number, line in enumerate(lines):
        r = line.result
        assert r is not None
        said = f"{line.symbol} **{line.file}** — {line.verdict}: {line.line}"
        if line.verdict == "refused":
            ui.show_problem(said, r.hint, r.errors, where="row", compact=True)
            data = kept.get(line.file.split("/")[0])
            if data is not None:
                with st.form(f"retry-{number}"):
                    st.caption(_("Set the account or year for this file only and load it again."))
                    a, y, b = st.columns([2, 2, 1])
                    file_account = a.text_input(_("Account"), key=f"retry-account-{number}")
                    file_year = y.selectbox(
                        _("Year"), [None, *range(this_year, this_year - 6, -1)],
                        key=f"retry-year-{number}",
                    )  # fmt: skip
                    if b.form_submit_button(_("Load again")):
                        upload = line.file.split("/")[0]  # a ZIP's members load again with it
                        again = load_uploads(
                            [(upload, data)],
                            ReadOptions(account=file_account.strip() or None, year=file_year),
                        )
                        others = [x for x in results if x.file.split("/")[0] != upload]
                        st.session_state["data_results"] = others + again
                        st.rerun()
            continue
        (st.warning if line.verdict == "warning" else st.success)(said)
        for warning in line.warnings:
            st.caption(f"▲ {warning}")
        with st.expander(_("Details of {file}").format(file=line.file)):
            if r.message:
                st.caption(r.message)
            if r.reconciled:
                st.write(
                    _(
                        "Reconciliation: what the file's data rows add up to, and what the load "
                        "stored:"
                    )
                )
                ui.dataframe(reconciliation_rows(r.reconciled), hide_index=True)
            if r.set_aside:
                st.caption(set_aside_sentence(r.set_aside))
            if r.errors:
                st.write(_("{n} row(s) rejected:").format(n=r.rejected))
                ui.show_problem_table(r.errors, where="row")
            if r.load_id is not None:
                st.write(_("Stored (current values of this load):"))
                try:
                    ui.dataframe(load_preview(ws.db, r.load_id), hide_index=True)
                except SostacError as exc:  # e.g. another program is writing right now
                    ui.show_error(exc)

try:
    plan = ui.cached_plan(ws.plan) if ws.plan.exists() else None
except SostacError:
    plan = None  # the Plan page shows what is wrong; the checklist waits for a valid plan
try:
    has_data = bool(ui.data_version(ws.db))
except SostacError as exc:  # e.g. another program is writing right now
    ui.show_error(exc)
    has_data = False
if has_data:
    try:
        seen = ui.query(data_view.coverage, plan, ui.as_of_day())
    except SostacError as exc:
        ui.show_error(exc)
    else:
        st.subheader(_("The month's exports"))
        for sentence in seen.unnamed:
            st.warning(sentence)
        if seen.checklist.empty:
            st.caption(_("The plan has no KPI running now, so no export is due."))
        else:
            st.caption(
                _(
                    "What the plan's KPIs need on {day}, and where on each platform to download it."
                ).format(day=i18n.date_short(seen.as_of))
            )
            ui.dataframe(
                seen.checklist[
                    ["label", "status", "loaded_up_to", "needed_for", "export", "where", "link"]
                ],
                hide_index=True,
                width="stretch",
                column_config={
                    "label": st.column_config.TextColumn("channel", width="medium"),
                    "needed_for": "needed for",
                    "link": st.column_config.LinkColumn("open", display_text=_("open")),
                    "loaded_up_to": st.column_config.DateColumn(
                        "loaded up to", format="DD MMM YYYY"
                    ),
                },
            )
        st.subheader(_("Coverage"))
        st.caption(
            _(
                "Per channel and account: the days loaded, from how many files, and how fresh "
                "the newest day is on the status day (fresh: at most {days} days old)."
            ).format(days=data_view.USUAL_DELAY_DAYS)
        )
        ui.dataframe(
            seen.table[["label", "account", "grains", "first_day", "last_day", "days",
                        "span_days", "freshness", "files", "sources"]],
            hide_index=True,
            width="stretch",
            column_config={
                "label": st.column_config.TextColumn("channel", width="medium"),
                "span_days": "days in span",
                "days": "days with data",
                "first_day": st.column_config.DateColumn("first day", format="DD MMM YYYY"),
                "last_day": st.column_config.DateColumn("last day", format="DD MMM YYYY"),
            },
        )  # fmt: skip

st.subheader(_("Ingest history"))
try:
    history = load_history(ws.db, limit=200)
except SostacError as exc:
    ui.show_error(exc)
    history = []
if not history:
    st.info(_("Nothing loaded yet. Upload exports above, or run `sostac-control ingest FILE...`."))
else:
    ui.dataframe([{k: h[k] for k in HISTORY_KEYS} for h in history], hide_index=True)
    st.caption(_("Undo removes a load as if it had never happened; values other loads state stay."))
    for h in [h for h in history if h["status"] == "loaded"][:15]:
        text, action = st.columns([5, 1])
        text.write(
            f"#{h['load_id']} · {h['source']} · {h['format']} · "
            + _("{first} to {last}").format(first=h["first_day"], last=h["last_day"])
            + " · "
            + _("{new} new, {replaced} replaced").format(
                new=i18n.number(h["inserted"]), replaced=i18n.number(h["updated"])
            )
        )
        if action.button(_("Undo"), key=f"undo-{h['load_id']}", disabled=not may_load):
            st.session_state["data_confirm_undo"] = h["load_id"]
        if st.session_state.get("data_confirm_undo") == h["load_id"]:
            st.warning(
                _(
                    "Remove load #{load} ({file})? Its {new} new values go, and the {replaced} "
                    "values it replaced come back. You can load the file again later."
                ).format(
                    load=h["load_id"],
                    file=h["source"],
                    new=i18n.number(h["inserted"]),
                    replaced=i18n.number(h["updated"]),
                )
            )
            yes, no, _rest = st.columns([1, 1, 4])
            if yes.button(_("Yes, remove it"), key=f"undo-yes-{h['load_id']}", type="primary"):
                removed = undo_load(ws.db, h["load_id"])
                st.session_state["data_results"] = []
                st.session_state.pop("data_confirm_undo", None)
                st.session_state["data_undone"] = _("Load #{load} removed ({n} values).").format(
                    load=h["load_id"], n=i18n.number(removed)
                )
                st.rerun()
            if no.button(_("Cancel"), key=f"undo-no-{h['load_id']}"):
                st.session_state.pop("data_confirm_undo", None)
                st.rerun()
    if st.session_state.get("data_undone"):
        st.success(st.session_state.pop("data_undone"))
    with st.expander("Plan and alert-rule changes: who changed what"):
        changes = change_history(ws.db, limit=100)
        if changes:
            st.dataframe(changes, hide_index=True)
        else:
            st.caption("No plan or alert-rule changes recorded yet.")
    rejected = [h for h in history if h["rejected"] and h["status"] == "loaded"]
    if rejected:
        choice = st.selectbox(
            _("Rejected rows of a load"),
            [h["load_id"] for h in rejected],
            format_func=lambda i: next(
                f"#{h['load_id']} {h['source']}" for h in rejected if h["load_id"] == i
            ),
        )
        try:
            ui.dataframe(load_rejects(ws.db, int(choice)), hide_index=True)
        except SostacError as exc:
            ui.show_error(exc)

with st.expander(_("Fetch from APIs"), expanded=False):
    render_fetch_panel(ws)
