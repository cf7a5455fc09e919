"""Messages: gettext catalogues (`locale/<lang>/LC_MESSAGES/messages.po`) read at run time.

The `.po` file is the one place a translation lives; it is parsed by Babel once per process
(no compiled `.mo` to keep in step). A message without a translation, or a fuzzy one, stays
English (tests/i18n/test_catalogue.py fails on both before they ship).

Write messages whole, with named fields: `_("{n} files loaded").format(n=3)`; never glue
sentences from parts, since Dutch orders them differently. `N_()` marks a message for
extraction where the text is stored (a label table) and translated where it is shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from sostac_control.i18n.language import current_language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def catalogue_path(language: str) -> Path:
    """Where the `.po` catalogue of `language` lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=4)
def translations(language: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """{msgid: msgstr} (plural: {(singular, plural): forms}) of `language`, translated
    entries only; {} for English or a language without a catalogue."""
    path = catalogue_path(language)
    if language == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    table: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(message.string or ())
            if forms and all(forms):
                table[(message.id[0], message.id[1])] = forms
        elif isinstance(message.string, str) and message.string:
            table[str(message.id)] = message.string
    return table


def _(message: str) -> str:
    """`message` in the current language (English when it has no translation)."""
    if not message:
        return message
    found = translations(current_language()).get(message)
    return found if isinstance(found, str) else message


def gettext(message: str) -> str:
    """The same as `_`."""
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language (Dutch and English both:
    one for 1, the plural for anything else)."""
    found = translations(current_language()).get((singular, plural))
    if isinstance(found, tuple) and len(found) == 2:
        return found[0] if n == 1 else found[1]
    return singular if n == 1 else plural


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated later, where it is shown, by `_()`."""
    return message


class Labels(Mapping[str, str]):
    """A table of labels (code → English words, each marked with `N_`) that answers in the
    current language: `CHANNEL_LABELS["website"]` is "Website (webanalyse)" in Dutch."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = dict(labels)

    def __getitem__(self, key: str) -> str:
        return _(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def english(self, key: str) -> str:
        """The label in English, whatever the current language."""
        return self._labels[key]
