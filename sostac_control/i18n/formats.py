"""Numbers, money, percentages and dates as the current language writes them.

English is written exactly as the product always wrote it (`1,234,567`, `4.5%`, `€1,234.56`,
`01 Dec 2026`); Dutch follows nl-NL (Babel's CLDR data): `1.234.567`, `4,5%`, `€ 1.234,56`,
`1 december 2026`, `ma 30 nov`. Weeks are ISO weeks in both.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from sostac_control.i18n.language import is_dutch

LOCALE = "nl_NL"
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def number(value: float, decimals: int = 0, grouping: bool = True) -> str:
    """1,234.5 (English) or 1.234,5 (Dutch), with `decimals` places."""
    if not is_dutch():
        return f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")
    text = format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)
    return "0" if text == "-0" else text


def signed(value: float, decimals: int = 0) -> str:
    """+1,234 / −12 with an explicit sign (changes, deltas)."""
    text = number(abs(value), decimals)
    return ("+" if value >= 0 else "-") + text


def percent(ratio: float, decimals: int = 1, sign: bool = False) -> str:
    """0.045 → 4.5% (English) or 4,5% (Dutch); `sign` writes +4.5% / -4.5%."""
    value = ratio * 100
    text = signed(value, decimals) if sign else number(value, decimals)
    return f"{text}%"


def money(value: float, currency: str = "EUR", decimals: int = 2) -> str:
    """€1,234.56 / -€12.00 (English); € 1.234,56 / € -12,00 (Dutch, nl-NL)."""
    symbol = CURRENCY_SYMBOLS.get(currency)
    amount = number(abs(value), decimals)
    sign = "-" if value < 0 and amount.strip("0.,") else ""
    if is_dutch():
        return f"{symbol or currency} {sign}{amount}"
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{currency} {amount}"


def date_short(day: date) -> str:
    """01 Dec 2026 (English) or 1 dec 2026 (Dutch)."""
    return format_date(day, "d MMM y", locale=LOCALE) if is_dutch() else f"{day:%d %b %Y}"


def date_long(day: date) -> str:
    """1 December 2026 / 1 december 2026."""
    if is_dutch():
        return format_date(day, "d MMMM y", locale=LOCALE)
    return f"{day.day} {day:%B %Y}"


def weekday_date(day: date) -> str:
    """Tuesday 1 December 2026 / dinsdag 1 december 2026."""
    if is_dutch():
        return format_date(day, "EEEE d MMMM y", locale=LOCALE)
    return f"{day:%A} {day.day} {day:%B %Y}"


def day_month(day: date, padded: bool = False) -> str:
    """12 Nov / 12 nov; `padded` English keeps a leading zero (01 Jun), as tables align it."""
    if is_dutch():
        return format_date(day, "d MMM", locale=LOCALE)
    return f"{day:%d %b}" if padded else f"{day.day} {day:%b}"


def weekday_day(day: date) -> str:
    """Mon 30 Nov / ma 30 nov."""
    return format_date(day, "EEE d MMM", locale=LOCALE) if is_dutch() else f"{day:%a %d %b}"


def month_year(day: date) -> str:
    """Nov 2026 / nov 2026."""
    return format_date(day, "MMM y", locale=LOCALE) if is_dutch() else f"{day:%b %Y}"


def date_time(moment: datetime) -> str:
    """01 Dec 2026 14:05 / 1 dec 2026 14:05."""
    if is_dutch():
        return format_datetime(moment, "d MMM y HH:mm", locale=LOCALE)
    return f"{moment:%d %b %Y %H:%M}"


def plotly_separators() -> str:
    """Plotly's `separators` (decimal mark, then thousands): '.,' or ',.' for Dutch."""
    return ",." if is_dutch() else ".,"


def csv_dialect() -> tuple[str, str, str]:
    """(separator, decimal mark, encoding) of a downloaded CSV: Dutch Excel opens `;` with
    decimal commas and reads the BOM as UTF-8 ("€" intact); English keeps plain `,` CSV."""
    return (";", ",", "utf-8-sig") if is_dutch() else (",", ".", "utf-8")
