"""Numbers and dates as each language writes them; English exactly as before."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sostac_control import i18n
from sostac_control.catalog import format_value


@pytest.fixture
def dutch() -> object:
    """The block runs in Dutch."""
    with i18n.use_language("nl"):
        yield


def test_dutch_numbers_money_and_percentages(dutch: object) -> None:
    assert i18n.number(1234567) == "1.234.567"
    assert i18n.percent(0.045) == "4,5%"
    assert i18n.money(1234.56) == "€ 1.234,56"
    assert i18n.money(-12, "EUR") == "€ -12,00"
    assert format_value(1234.5, "spend") == "€ 1.234,50"
    assert format_value(0.0452, "engagement_rate") == "4,52%"
    assert format_value(12345, "impressions") == "12.345"


def test_dutch_dates(dutch: object) -> None:
    assert i18n.date_long(date(2026, 12, 1)) == "1 december 2026"
    assert i18n.weekday_day(date(2026, 11, 30)) == "ma 30 nov"
    assert i18n.date_short(date(2026, 12, 1)) == "1 dec 2026"
    assert i18n.date_time(datetime(2026, 12, 1, 14, 5)) == "1 dec 2026 14:05"
    assert i18n.plotly_separators() == ",."
    assert i18n.csv_dialect() == (";", ",", "utf-8-sig")


def test_english_is_written_as_it_always_was() -> None:
    with i18n.use_language("en"):
        assert i18n.number(1234567) == "1,234,567"
        assert i18n.money(-1234.5) == "-€1,234.50"
        assert i18n.date_short(date(2026, 12, 1)) == "01 Dec 2026"
        assert format_value(0.0452, "engagement_rate") == "4.52%"
        assert i18n.plotly_separators() == ".,"


def test_the_language_comes_from_the_choice_then_the_plan_then_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOSTAC_LANG", "nl")
    assert i18n.pick_language(None, None) == "nl"
    assert i18n.pick_language("en", "nl") == "en"
    assert i18n.pick_language("xx", "nl-BE") == "nl"
    monkeypatch.delenv("SOSTAC_LANG")
    assert i18n.pick_language(None) == "en"


def test_a_message_without_translation_stays_english(dutch: object) -> None:
    assert i18n._("a sentence no catalogue has") == "a sentence no catalogue has"
    assert i18n.ngettext("{n} file", "{n} files", 2) == "{n} files"
