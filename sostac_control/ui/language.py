"""The dashboard's language: the person's choice (sidebar or `?lang=`), else the plan's
`language:`, else SOSTAC_LANG, else English; remembered in the session and the URL.

`choose_language()` runs first in every script run (app.py), before any text is written, so
page titles, the sidebar and the page all speak the chosen language.
"""

from __future__ import annotations

import contextlib

import streamlit as st

from sostac_control.errors import SostacError
from sostac_control.i18n import current_language, pick_language, set_language
from sostac_control.i18n.language import LANGUAGE_NAMES, LANGUAGES, normalise
from sostac_control.ui.caching import cached_plan
from sostac_control.ui.workspace import chosen

CHOSEN = "sostac_lang"  # session state: the person's own choice, when they made one
WIDGET = "sostac_lang_widget"


def _plan_language() -> str | None:
    """The chosen workspace's plan's `language:` (None before sign-in or without a plan)."""
    with contextlib.suppress(SostacError):
        entry = chosen()
        if entry is not None and entry.plan.exists():
            return cached_plan(entry.plan).language
    return None


def choose_language() -> str:
    """Set this run's language and return it. A `?lang=` in the URL is a choice (a shared
    link opens in its language); a choice is kept in the session and written into the URL."""
    from_url = normalise(st.query_params.get("lang"))
    if from_url is not None:
        st.session_state[CHOSEN] = from_url
    chosen = st.session_state.get(CHOSEN)
    language = set_language(pick_language(chosen, _plan_language()))
    if chosen is not None and st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    return language


def _chosen() -> None:
    value = st.session_state.get(WIDGET)
    if value in LANGUAGES:
        st.session_state[CHOSEN] = value
        st.query_params["lang"] = value


def language_picker() -> None:
    """The sidebar's language choice, labelled in both languages so anyone finds it."""
    st.session_state[WIDGET] = current_language()
    st.radio(
        "Taal · Language",
        LANGUAGES[::-1],
        key=WIDGET,
        format_func=lambda code: LANGUAGE_NAMES.get(code, code),
        on_change=_chosen,
        horizontal=True,
    )
