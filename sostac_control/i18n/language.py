"""The current language: set once per command run or dashboard script run, read everywhere.

A context variable, so two people on one dashboard server (each script run in its own thread)
never see each other's language. The choice, first that is given: the person's own (`--lang`,
the sidebar, `?lang=`), the plan's `language:`, the server's SOSTAC_LANG, English.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

LANGUAGES = ("en", "nl")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}

_current: ContextVar[str | None] = ContextVar("sostac_language", default=None)


def normalise(value: object) -> str | None:
    """'nl', 'NL', 'nl_NL', 'nl-BE' → 'nl'; None for anything that is not a known language."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("-", "_").split("_")[0]
    return code if code in LANGUAGES else None


def pick_language(*choices: object) -> str:
    """The first known language among `choices`, else SOSTAC_LANG, else English."""
    for choice in (*choices, os.environ.get("SOSTAC_LANG")):
        code = normalise(choice)
        if code is not None:
            return code
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language set for this run; SOSTAC_LANG or English when nothing set one."""
    return _current.get() or pick_language()


def is_dutch() -> bool:
    """Whether the current language is Dutch (formats use it to pick separators)."""
    return current_language() == "nl"


def set_language(language: str | None) -> str:
    """Set the language of this run (None: back to SOSTAC_LANG or English); returns it."""
    code = normalise(language)
    _current.set(code)
    return current_language()


def default_language(language: str | None) -> str:
    """Take `language` (a plan's `language:`) unless this run has one already (a person's
    `--lang`, or SOSTAC_LANG); returns the language of the run."""
    if _current.get() is None and normalise(os.environ.get("SOSTAC_LANG")) is None:
        _current.set(normalise(language))
    return current_language()


def bound(func: Callable[[Any], str]) -> Callable[[Any], str]:
    """`func` fixed to the language current now: a widget's format_func is called later,
    from other threads (and by Streamlit's AppTest), and must answer in the page's language."""
    language = current_language()

    def in_language(value: Any) -> str:
        token = _current.set(language)
        try:
            return func(value)
        finally:
            _current.reset(token)

    return in_language


@contextmanager
def language_scope(language: str | None) -> Iterator[None]:
    """The block runs with `language` chosen (None: none chosen, so SOSTAC_LANG or a plan's
    language: decides); whatever the block sets is undone after it (a command run)."""
    token = _current.set(normalise(language))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """The block runs in `language` (a report in Dutch while the run is in English)."""
    token = _current.set(normalise(language) or current_language())
    try:
        yield current_language()
    finally:
        _current.reset(token)
