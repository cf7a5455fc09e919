"""The "Fetch from APIs" panel of the Data page: per configured source, Fetch now and its result.

Not a page of its own: app_pages/data.py calls render_fetch_panel(workspace) inside an expander.
"""

from __future__ import annotations

import streamlit as st

from sostac_control import store
from sostac_control.api.fetch import FetchResult, fetch
from sostac_control.api.sources import SourceConfig, default_sources_path, load_sources
from sostac_control.errors import SostacError
from sostac_control.i18n import _, number
from sostac_control.ui.problems import show_error, show_problem
from sostac_control.ui.tables import dataframe
from sostac_control.ui.widgets import waiting_for_database
from sostac_control.ui.workspace import Workspace

EXAMPLE = """sources:
  - name: koffiebar-facebook
    type: meta_page            # meta_page, meta_posts, instagram, meta_ads, youtube, json
    id: "104729384756"
    account: koffiebarnoord    # the account name your exports use
    token_env: META_PAGE_TOKEN # set this variable, or the key in .streamlit/secrets.toml
"""


def render_fetch_panel(workspace: Workspace) -> None:
    """Per configured API source: what it is, when it was last fetched, and a Fetch now button."""
    path = workspace.sources or default_sources_path()
    if not path.exists():
        st.info(
            _(
                "No API sources configured yet. Write `{path}` (or point SOSTAC_SOURCES at a "
                "file) to pull metrics from the Meta Graph API, YouTube Analytics or any JSON "
                "API; tokens stay in environment variables or `.streamlit/secrets.toml`."
            ).format(path=path)
        )
        st.code(EXAMPLE, language="yaml")
        return
    try:
        sources = load_sources(path)
    except SostacError as exc:
        show_error(exc)
        return
    st.caption(
        _(
            "Sources from `{path}`. Without a start date a fetch begins at the last day loaded "
            "from the source minus its look-back days, so fetching again is cheap and changes "
            "nothing twice."
        ).format(path=path)
    )
    for source in sources:
        facts = source.describe()
        with st.container(border=True):
            text, action = st.columns([5, 1])
            text.markdown(
                f"**{source.name}** · {source.type} · {facts['channel']} / {facts['account']}"
            )
            last_day = text.empty()  # filled after a fetch this run may do
            if not facts["token_set"] and source.token_env:
                text.warning(
                    _(
                        "No token: set the environment variable `{name}` or the key of that "
                        "name in `.streamlit/secrets.toml`, then restart the app."
                    ).format(name=source.token_env)
                )
            clicked = action.button(
                _("Fetch now"),
                key=f"fetch-{source.name}",
                disabled=bool(source.token_env) and not facts["token_set"],
            )
            if clicked:
                fetched = _fetch_with_status(source, workspace)
                if fetched is not None:
                    st.session_state[f"fetch-result-{source.name}"] = fetched
            try:
                last = store.last_fetched_day(workspace.db, source.name)
            except SostacError:
                last = None
            last_day.caption(
                _("Last day loaded: {day} · look-back {days} days · {url}").format(
                    day=last or _("never fetched"), days=source.lookback_days, url=facts["base_url"]
                )
            )
            result = st.session_state.get(f"fetch-result-{source.name}")
            if isinstance(result, FetchResult):
                _show_result(result)


def _fetch_with_status(source: SourceConfig, workspace: Workspace) -> FetchResult | None:
    """Fetch with progress lines in an st.status box; None when it could not start."""
    with st.status(_("Fetching {source}…").format(source=source.name), expanded=True) as status:
        try:
            with waiting_for_database():
                result = fetch(source, db=workspace.db, progress=status.write, command="app fetch")
        except SostacError as exc:
            status.update(
                label=_("{source}: not fetched").format(source=source.name), state="error"
            )
            show_error(exc)
            return None
        done = result.status == "loaded"
        status.update(
            label=_("{source}: {new} new, {updated} updated, {unchanged} unchanged").format(
                source=source.name,
                new=number(result.inserted),
                updated=number(result.updated),
                unchanged=number(result.unchanged),
            )
            if done
            else _("{source}: fetch failed").format(source=source.name),
            state="complete" if done else "error",
            expanded=False,
        )
    return result


def _show_result(result: FetchResult) -> None:
    if result.status == "loaded":
        st.success(
            _(
                "Fetched {first} to {last}: {records} records in {requests} requests; {new} new, "
                "{updated} updated, {unchanged} unchanged values."
            ).format(
                first=result.since,
                last=result.until,
                records=number(result.rows_read),
                requests=number(result.requests),
                new=number(result.inserted),
                updated=number(result.updated),
                unchanged=number(result.unchanged),
            )
            + (f" {result.message}" if result.message else "")
        )
    else:
        show_problem(result.message, result.hint)
    if result.metrics:
        dataframe(result.metric_rows(), hide_index=True)
