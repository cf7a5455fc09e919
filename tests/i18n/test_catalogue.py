"""The Dutch catalogue holds every message of the code, translated, with the same fields."""

from __future__ import annotations

import re

import pytest

from sostac_control.i18n.extract import extract_messages, read_catalogue

FIELD = re.compile(r"\{(\w*)[^{}]*\}")


@pytest.fixture(scope="module")
def code_messages() -> dict[object, list[tuple[str, int]]]:
    """Every message the code and templates hold, with where it is used."""
    return {m.id: m.locations for m in extract_messages() if m.id}


@pytest.fixture(scope="module")
def dutch() -> dict[object, object]:
    """The Dutch catalogue's messages."""
    return {m.id: m for m in read_catalogue("nl") if m.id}


def test_the_code_has_its_messages_marked(code_messages: dict[object, object]) -> None:
    assert len(code_messages) > 300


def test_every_message_of_the_code_is_in_the_dutch_catalogue(
    code_messages: dict[object, list[tuple[str, int]]], dutch: dict[object, object]
) -> None:
    missing = [f"{locs[0][0]}: {mid!r}" for mid, locs in code_messages.items() if mid not in dutch]
    assert not missing, "run `make messages`, then translate:\n" + "\n".join(missing[:40])


def test_every_dutch_message_is_translated_and_not_fuzzy(dutch: dict[object, object]) -> None:
    bad = []
    for mid, message in dutch.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            bad.append(repr(mid))
    assert not bad, "untranslated or fuzzy:\n" + "\n".join(bad[:40])


def test_a_translation_keeps_the_fields_of_its_message(dutch: dict[object, object]) -> None:
    wrong = []
    for mid, message in dutch.items():
        ids = mid if isinstance(mid, tuple) else (mid,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(FIELD.findall(ids[-1]))
        for text in strings:
            if text and set(FIELD.findall(text)) != wanted:
                wrong.append(f"{mid!r} → {text!r}")
    assert not wrong, "\n".join(wrong[:40])


def test_the_catalogue_holds_nothing_the_code_no_longer_says(
    code_messages: dict[object, object], dutch: dict[object, object]
) -> None:
    stale = [repr(mid) for mid in dutch if mid not in code_messages]
    assert not stale, "run `make messages`:\n" + "\n".join(stale[:40])
