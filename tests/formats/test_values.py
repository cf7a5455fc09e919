"""Cell parsers: every number, date and duration style of FORMATS.md, and their properties."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sostac_control.formats.values import (
    MissingYearError,
    datetime_column,
    number_column,
    parse_date,
    parse_date_range,
    parse_datetime,
    parse_duration_seconds,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1,652,002.91", None, 1652002.91),
        ('"1,652,002.91"', None, 1652002.91),
        ("1.234,56", None, 1234.56),
        ("1.234,56", ",", 1234.56),
        ("1.234", ",", 1234.0),
        ("1,234", None, 1234.0),
        ("1,5", None, 1.5),
        ("0,123", None, 0.123),
        ("12,50", None, 12.5),
        ("1.234.567", None, 1234567.0),
        ("89.0", None, 89.0),
        ("12.5%", None, 0.125),
        ("1.16%", None, 0.0116),
        ("12,5%", ",", 0.125),
        ("< 10%", None, 0.10),
        ("> 90%", None, 0.90),
        ("-12", None, -12.0),
        ("(1,234.00)", None, -1234.0),
        ("€ 1.234,56", ",", 1234.56),
        ("1 234,5", ",", 1234.5),
        ("14.29", None, 14.29),
        ("1.20253E+17", None, 1.20253e17),
        (89, None, 89.0),
        (0.056, None, 0.056),
    ],
)
def test_number_styles(text: object, decimal: str | None, expected: float) -> None:
    assert parse_number(text, decimal) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text", ["", "-", "--", " --", "—", "n/a", "undefined", None, float("nan")]
)
def test_no_data_cells_are_none(text: object) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["abc", "12 apples", "1.2.3,4,5", "%", "1e", True])
def test_text_that_is_not_a_number_raises_value_error(text: object) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("8/19/2015", {}, datetime(2015, 8, 19)),
        ("02/14/2016 12:40:16 AM", {}, datetime(2016, 2, 14, 0, 40, 16)),
        ("02/14/2016 03:51:26 PM", {}, datetime(2016, 2, 14, 15, 51, 26)),
        ("09/01/2025 21:13", {}, datetime(2025, 9, 1, 21, 13)),
        ("2021-08-31 19:53 +0000", {}, datetime(2021, 8, 31, 19, 53)),
        ("2025-09-20T00:00:00", {}, datetime(2025, 9, 20)),
        ("2020-06-29T12:45:27.000", {}, datetime(2020, 6, 29, 12, 45, 27)),
        ("Sun, Nov 9, 2025", {}, datetime(2025, 11, 9)),
        ('"Jan 8, 2025"', {}, datetime(2025, 1, 8)),
        ("Mar 3, 2025", {}, datetime(2025, 3, 3)),
        ("May 5, 2025", {}, datetime(2025, 5, 5)),
        ("1 November 2025", {}, datetime(2025, 11, 1)),
        ("3 mrt. 2025", {}, datetime(2025, 3, 3)),
        ("zo 9 nov. 2025", {}, datetime(2025, 11, 9)),
        ("August 18", {"year": 2025}, datetime(2025, 8, 18)),
        ("03/04/2025", {"day_first": True}, datetime(2025, 4, 3)),
        ("15-03-2025 03:06", {"day_first": True}, datetime(2025, 3, 15, 3, 6)),
        ("20250920", {}, datetime(2025, 9, 20)),
        ("44008", {}, datetime(2020, 6, 26)),
        (44008.0, {}, datetime(2020, 6, 26)),
    ],
)
def test_date_styles(text: object, options: dict, expected: datetime) -> None:
    assert parse_datetime(text, **options) == expected


def test_date_without_year_asks_for_one() -> None:
    with pytest.raises(MissingYearError, match="--year"):
        parse_date("August 18")


def test_date_range_of_two_written_dates() -> None:
    assert parse_date_range("1 November 2025 - 30 April 2026") == (
        date(2025, 11, 1),
        date(2026, 4, 30),
    )
    assert parse_date_range("Jan 1, 2025 - Jan 31, 2025") == (date(2025, 1, 1), date(2025, 1, 31))


@pytest.mark.parametrize(
    ("text", "seconds"), [("1:02:03", 3723.0), ("02:03", 123.0), ("75", 75.0), ("-", None)]
)
def test_duration_styles(text: str, seconds: float | None) -> None:
    assert parse_duration_seconds(text) == seconds


def test_number_column_matches_the_cell_parser_and_marks_bad_cells() -> None:
    cells = pd.Series(["1", "2.5", "1,234", "x", "-", None, "12.5%", "1.234,56", " --"])
    values, bad = number_column(cells)
    assert values.tolist()[:3] == [1.0, 2.5, 1234.0]
    assert pd.isna(values[3]) and bad.tolist() == [False, False, False, True] + [False] * 5
    assert values[6] == 0.125 and values[7] == 1234.56
    dutch, _ = number_column(pd.Series(["1.234", "7", "0,5"]), ",")
    assert dutch.tolist() == [1234.0, 7.0, 0.5]


def test_datetime_column_keeps_each_cell_on_its_own_row() -> None:
    cells = pd.Series(["", "02/14/2016 12:40:16 AM", "-", "08/19/2015 03:51:26 PM"])
    values, _ = datetime_column(cells, formats=("%m/%d/%Y %I:%M:%S %p",))
    assert pd.isna(values[0]) and pd.isna(values[2])
    assert values[1] == pd.Timestamp(2016, 2, 14, 0, 40, 16)
    assert values[3] == pd.Timestamp(2015, 8, 19, 15, 51, 26)
    zoned, _ = datetime_column(
        pd.Series(["-", "2021-08-31 19:53 +0000"]), formats=("%Y-%m-%d %H:%M %z",)
    )
    assert zoned[1] == pd.Timestamp(2021, 8, 31, 19, 53)


def test_datetime_column_uses_patterns_then_the_cell_parser() -> None:
    cells = pd.Series(["03/15/2025 03:06", "Sun, Nov 9, 2025", "", "not a date"])
    values, bad = datetime_column(cells, formats=("%m/%d/%Y %H:%M",))
    assert values[0] == pd.Timestamp(2025, 3, 15, 3, 6)
    assert values[1] == pd.Timestamp(2025, 11, 9)
    assert pd.isna(values[2]) and bad.tolist() == [False, False, False, True]


# --- properties ----------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**12)
cents = st.integers(min_value=0, max_value=99)


@given(amounts)
def test_english_thousands_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}", ".") == n
    assert parse_number(f'"{n:,}"') == n


@given(amounts, cents)
def test_english_decimals_round_trip(n: int, c: int) -> None:
    assert parse_number(f"{n:,}.{c:02d}") == pytest.approx(n + c / 100)


@given(amounts, cents)
def test_dutch_decimals_round_trip(n: int, c: int) -> None:
    text = f"{n:,}".replace(",", ".") + f",{c:02d}"
    assert parse_number(text, ",") == pytest.approx(n + c / 100)
    if n >= 1000:  # both marks present: the style is known from the cell alone
        assert parse_number(text) == pytest.approx(n + c / 100)


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=3))
def test_percent_is_a_fraction(n: int, places: int) -> None:
    value = n / 10**places
    assert parse_number(f"{value:.{places}f}%") == pytest.approx(value / 100)


@given(st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_python_floats_written_out_read_back(x: float) -> None:
    assert parse_number(repr(float(x))) == pytest.approx(float(x))


@given(st.text(max_size=20))
@settings(max_examples=300)
def test_any_text_is_a_number_none_or_a_value_error(text: str) -> None:
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert value is None or isinstance(value, float)


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@given(days)
def test_every_date_style_round_trips(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.month}/{d.day}/{d.year}") == d
    assert parse_date(d.strftime("%m/%d/%Y %I:%M:%S %p")) == d
    assert parse_date(d.strftime("%d-%m-%Y"), day_first=True) == d
    assert parse_date(d.strftime("%b %d, %Y")) == d
    assert parse_date(d.strftime("%a, %b %d, %Y")) == d
    assert parse_date(d.strftime("%d %B %Y")) == d
    assert parse_date(d.strftime("%B %d"), year=d.year) == d
    assert parse_date(d.strftime("%Y%m%d")) == d
    assert parse_date(d.strftime("%Y-%m-%dT%H:%M:%S")) == d


@given(st.dates(min_value=date(1955, 1, 1), max_value=date(2118, 12, 31)))
def test_excel_serials_round_trip(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(serial) == d


@given(st.text(max_size=25))
@settings(max_examples=300)
def test_any_text_is_a_date_none_or_a_value_error(text: str) -> None:
    try:
        value = parse_datetime(text, year=2025)
    except ValueError:
        return
    assert value is None or isinstance(value, datetime)


@given(
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
)
def test_durations_round_trip(h: int, m: int, s: int) -> None:
    assert parse_duration_seconds(f"{h}:{m:02d}:{s:02d}") == h * 3600 + m * 60 + s
    assert parse_duration_seconds(f"{m}:{s:02d}") == m * 60 + s


@given(st.text(max_size=15))
def test_any_text_is_a_duration_none_or_a_value_error(text: str) -> None:
    try:
        value = parse_duration_seconds(text)
    except ValueError:
        return
    assert value is None or isinstance(value, float)
