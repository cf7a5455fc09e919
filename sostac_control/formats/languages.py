"""The languages exports are written in: what each says for a month, a weekday, "lifetime" and
"no data", which way round it writes dates and which decimal mark it uses.

The header vocabularies per platform family are in `headers.py`, one table per family; this
module holds what every family shares. Adding a language is adding entries here and there,
never code: the readers ask for the names of a concept in every language at once.
"""

from __future__ import annotations

# The interface languages whose exports are read. Dutch first: the product's users.
LANGUAGES = ("en", "nl", "pt", "es", "de", "fr", "ja")
LANGUAGE_NAMES = {
    "en": "English",
    "nl": "Dutch",
    "pt": "Portuguese",
    "es": "Spanish",
    "de": "German",
    "fr": "French",
    "ja": "Japanese",
}

# Languages whose interfaces write 1.234,56 and put the day before the month (03-04-2025 is
# 3 April); English writes 1,234.56 and month first; Japanese writes 2025/04/03 and 1,234.56.
DECIMAL_COMMA = frozenset({"nl", "pt", "es", "de", "fr"})
DAY_FIRST = frozenset({"nl", "pt", "es", "de", "fr"})

# Month names and abbreviations (lower case, without a trailing dot), January first.
MONTHS: dict[str, list[tuple[str, ...]]] = {
    "en": [
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
        ("dec", "december"),
    ],
    "nl": [
        ("januari",), ("februari",), ("maart", "mrt"), ("april",), ("mei",), ("juni",),
        ("juli",), ("augustus",), ("september",), ("oktober", "okt"), ("november",),
        ("december",),
    ],
    "pt": [
        ("janeiro",), ("fev", "fevereiro"), ("março", "marco"), ("abr", "abril"),
        ("mai", "maio"), ("junho",), ("julho",), ("ago", "agosto"), ("set", "setembro"),
        ("out", "outubro"), ("novembro",), ("dez", "dezembro"),
    ],
    "es": [
        ("ene", "enero"), ("febrero",), ("marzo",), ("abril",), ("mayo",), ("junio",),
        ("julio",), ("agosto",), ("septiembre", "setiembre"), ("octubre",), ("noviembre",),
        ("dic", "diciembre"),
    ],
    "de": [
        ("januar", "jän", "jänner"), ("februar",), ("mär", "märz", "maerz"), ("april",),
        ("mai",), ("juni",), ("juli",), ("august",), ("september",), ("oktober",),
        ("november",), ("dez", "dezember"),
    ],
    "fr": [
        ("janv", "janvier"), ("févr", "fevr", "février"), ("mars",), ("avr", "avril"),
        ("mai",), ("juin",), ("juil", "juillet"), ("août", "aout"), ("sept", "septembre"),
        ("oct", "octobre"), ("nov", "novembre"), ("déc", "dec", "décembre"),
    ],
}  # fmt: skip
# Japanese writes months as numbers: 3月 (see values.py).

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "pt": ("seg", "ter", "qua", "qui", "sex", "sáb", "sab", "dom"),
    "es": ("lun", "mar", "mié", "mie", "jue", "vie", "sáb", "sab", "dom"),
    "de": ("mo", "di", "mi", "do", "fr", "sa", "so"),
    "fr": ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
}

# What a Business Suite export writes in its Date column for lifetime values.
LIFETIME: dict[str, tuple[str, ...]] = {
    "en": ("lifetime", "total"),
    "nl": ("totaal", "levensduur", "hele periode"),
    "pt": ("vitalício", "vitalicio", "todo o período"),
    "es": ("de por vida", "total", "todo el período"),
    "de": ("gesamte laufzeit", "lebenszeit", "gesamt"),
    "fr": ("à vie", "durée de vie", "total"),
    "ja": ("全期間", "生涯"),
}


def month_numbers() -> dict[str, int]:
    """Every month name of every language → its number (1–12)."""
    found: dict[str, int] = {}
    for months in MONTHS.values():
        for number, names in enumerate(months, start=1):
            for name in names:
                found.setdefault(name, number)
    return found


def weekday_words() -> tuple[str, ...]:
    """Every weekday abbreviation of every language, longest first (for a regex)."""
    words = {w for names in WEEKDAYS.values() for w in names}
    return tuple(sorted(words, key=len, reverse=True))


def lifetime_words() -> frozenset[str]:
    return frozenset(w for words in LIFETIME.values() for w in words)
