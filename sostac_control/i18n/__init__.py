"""The product in Dutch or English: the current language, messages, and formats.

    language.py   the current language (a context the CLI and the dashboard set per run),
                  and how it is chosen: explicit choice, the plan's `language:`, SOSTAC_LANG
    messages.py   `_()`, `ngettext()` and `N_()`: gettext messages from the `.po` catalogues
                  in `locale/`, read at run time (no compiled `.mo` is committed)
    formats.py    numbers, money, percentages, dates and weeks as the language writes them
                  (Babel's CLDR data for Dutch), plotly separators, CSV in the Dutch flavour

English is the source language: the messages in the code are English, and English output is
exactly what the code writes. JSON keys and status codes never change with the language.

May import: nothing of the package (every layer may import it).
"""

from __future__ import annotations

from sostac_control.i18n.formats import (
    csv_dialect,
    date_long,
    date_short,
    date_time,
    day_month,
    money,
    month_year,
    number,
    percent,
    plotly_separators,
    signed,
    weekday_date,
    weekday_day,
)
from sostac_control.i18n.language import (
    LANGUAGES,
    bound,
    current_language,
    default_language,
    is_dutch,
    pick_language,
    set_language,
    use_language,
)
from sostac_control.i18n.messages import N_, Labels, _, ngettext

__all__ = [
    "LANGUAGES",
    "N_",
    "Labels",
    "_",
    "bound",
    "csv_dialect",
    "current_language",
    "date_long",
    "date_short",
    "date_time",
    "day_month",
    "default_language",
    "is_dutch",
    "money",
    "month_year",
    "ngettext",
    "number",
    "percent",
    "pick_language",
    "plotly_separators",
    "set_language",
    "signed",
    "use_language",
    "weekday_date",
    "weekday_day",
]
