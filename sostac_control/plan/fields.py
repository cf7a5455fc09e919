"""The plan file's fields, one value at a time: text, choices, numbers, dates, word lists.

Each reader returns the value, or None after noting a problem that names the line, the field
path (objectives[0].kpis[1].target) and how to write it. The plan's structure is checked in
plan/check.py, on top of these.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sostac_control.catalog import closest
from sostac_control.errors import Problem
from sostac_control.i18n import N_, _
from sostac_control.plan.yaml import UnsafeTag, YamlList, YamlMap


class Problems:
    """Every problem found in one plan, at most one per field."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[Problem] = []
        self._paths: set[str] = set()

    def add(self, line: int | None, path: str, message: str, hint: str = "") -> None:
        if path in self._paths:
            return  # one problem per field is enough (a bad tag, then an empty value)
        self._paths.add(path)
        self.found.append(Problem(message, hint, self.source, line=line, column=path))

    def sorted(self) -> list[Problem]:
        return sorted(self.found, key=lambda p: p.line or 0)


class Keys:
    """The keys a mapping may hold, in the order plan init writes them, and those it must."""

    def __init__(self, *names: str, required: tuple[str, ...] = ()) -> None:
        self.names = names
        self.known = frozenset(names)
        self.required = frozenset(required)


class Section:
    """One mapping of the plan (the plan itself, an objective, a KPI, a budget line)."""

    def __init__(
        self, values: YamlMap, path: str, problems: Problems, keys: Keys, what: str
    ) -> None:
        self.values = values
        self.path = path
        self.problems = problems
        self.what = what
        for key, line in values.duplicates:
            problems.add(
                line,
                self.at(key),
                _("'{key}' appears twice in {what}; YAML would silently keep the last one.").format(
                    key=key, what=what
                ),
                _("Keep one '{key}' line.").format(key=key),
            )
        for key in values.keys() - keys.known:
            near = closest(key.lower(), keys.names)
            problems.add(
                values.key_lines.get(key, values.line),
                self.at(key),
                _("'{key}' is not a key of {what}.").format(key=key, what=what),
                (_("Did you mean '{near}'?").format(near=near[0]) + " " if near else "")
                + _("Valid keys here: {keys}.").format(keys=", ".join(keys.names)),
            )
        for key in keys.required - values.keys():
            problems.add(
                values.line,
                self.at(key),
                _("{what} has no '{key}'.").format(what=what, key=key),
                _("Add the line '{key}: …' to {what}.").format(key=key, what=what)
                + (" " + _(KEY_HELP[key]) if key in KEY_HELP else ""),
            )

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def line(self, key: str) -> int:
        return self.values.key_lines.get(key, self.values.line)

    def has(self, key: str) -> bool:
        return key in self.values

    def problem(self, key: str, message: str, hint: str = "") -> None:
        self.problems.add(self.line(key), self.at(key), message, hint)

    def raw(self, key: str) -> Any:
        """The value as YAML made it; None (and a problem) for a tagged value."""
        value = self.values.get(key)
        if isinstance(value, UnsafeTag):
            self.problem(key, *tag_problem(value))
            return None
        return value

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if type(value) is str:  # the common cases first: plans are read by the megabyte
            return value.strip() or None
        if value is None:
            return None
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, YamlMap | YamlList):
            self.problem(
                key,
                _("'{key}' should be a single value.").format(key=key),
                _("Write it on one line."),
            )
            return None
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = value.isoformat() if isinstance(value, date) else str(value)
        return text.strip() or None

    def choice(self, key: str, choices: tuple[str, ...] | dict[str, Any], what: str) -> str | None:
        value = self.values.get(key)
        if type(value) is str and value in choices:
            return value
        text = self.text(key)
        if text is None or text in choices:
            return text
        names = tuple(choices)
        if text.lower() in choices:
            self.problem(
                key,
                _("{what} '{text}' should be written in lower case.").format(what=what, text=text),
                _("Write '{text}'.").format(text=text.lower()),
            )
            return None
        near = closest(text.lower(), names)
        self.problem(
            key,
            _("'{text}' is not a known {what}.").format(text=text, what=what),
            " ".join(
                ([_("Did you mean {near}?").format(near=quoted(near))] if near else [])
                + (
                    []
                    if near and len(names) > 15
                    else [_("Known: {names}.").format(names=", ".join(names))]
                )
            ),
        )
        return None

    def number(self, key: str, minimum: float | None = 0.0) -> float | None:
        value = self.values.get(key)
        if value is None and key not in self.values:
            return None
        if type(value) is int or type(value) is float:
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                self.problem(
                    key,
                    _("'{key}' should be a finite number.").format(key=key),
                    _("Write a number."),
                )
                return None
            if minimum is not None and number < minimum:
                self.problem(
                    key,
                    _("'{key}' is {number}; it cannot be negative.").format(
                        key=key, number=f"{number:g}"
                    ),
                    _("Write a number of at least {minimum}.").format(minimum=f"{minimum:g}"),
                )
                return None
            return number
        if isinstance(value, UnsafeTag):
            self.raw(key)
        elif value is None:
            self.problem(
                key,
                _("'{key}' is empty.").format(key=key),
                _("Write a number after '{key}:'.").format(key=key),
            )
        else:
            self.problem(
                key,
                _("'{key}' should be a number, not '{value}'.").format(key=key, value=shown(value)),
                number_hint(value),
            )
        return None

    def day(self, key: str) -> date | None:
        value = self.values.get(key)
        if type(value) is date:
            return value
        if value is None and key not in self.values:
            return None
        value = self.raw(key)
        if isinstance(value, datetime):
            return value.date()
        if value is None and key not in self.values:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(
            key,
            _("'{key}' should be a date, not '{value}'.").format(key=key, value=shown(value)),
            date_hint(value),
        )
        return None

    def words(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            value = [value] if isinstance(value, str) else None
        if value is None:
            self.problem(
                key,
                _("The {key} should be a list.").format(key=key),
                _("Write {key}: [word, other word].").format(key=key),
            )
            return ()
        found: list[str] = []
        for word in value:
            if isinstance(word, str | int | float) and not isinstance(word, bool):
                if str(word).strip():
                    found.append(str(word).strip())
            else:
                self.problem(
                    key,
                    _("Each of the {key} should be a word or phrase.").format(key=key),
                    _("Write {key}: [word, other word]; put '#tags' in quotes.").format(key=key),
                )
        return tuple(found)

    def period_ok(self, start: date | None, end: date | None, what: str) -> bool:
        """False (and a problem) when the period ends before it starts."""
        if start is None or end is None or end >= start:
            return True
        self.problem(
            "end",
            _("{what} ends ({end}) before it starts ({start}).").format(
                what=what, end=end.isoformat(), start=start.isoformat()
            ),
            _("Swap start and end, or correct the year."),
        )
        return False


def list_items(section: Section, key: str, what: str) -> list[tuple[Any, int, str]]:
    """The items of a list field as (value, line, path); a problem when it is not a list."""
    value = section.raw(key)
    if value is None:
        return []
    if not isinstance(value, list):
        section.problem(
            key,
            _("The {what} should be a list (each item on a line starting with '- ').").format(
                what=what
            ),
            _("Write each of the {what} as an item starting with '- ' under '{key}:'.").format(
                what=what, key=key
            ),
        )
        return []
    path = section.at(key)
    # A one-line [a, b] list has no lines of its own: its items are on the key's line.
    lines = value.item_lines if isinstance(value, YamlList) else [section.line(key)] * len(value)
    return [(item, lines[i], f"{path}[{i}]") for i, item in enumerate(value)]


def item_section(
    section: Section, item: Any, line: int, path: str, keys: Keys, what: str
) -> Section | None:
    if isinstance(item, YamlMap):
        return Section(item, path, section.problems, keys, what)
    message, hint = (
        tag_problem(item)
        if isinstance(item, UnsafeTag)
        else (
            _("{what} should be a set of 'key: value' lines.").format(what=what),
            _("Write it as {keys} on separate lines.").format(
                keys=", ".join(k + ": …" for k in keys.names[:3])
            ),
        )
    )
    section.problems.add(line, path, message, hint)
    return None


KEY_HELP = {
    "version": N_("It is 1."),
    "id": N_("A short unique name like 'awareness-instagram'."),
    "start": N_("Write the date as YYYY-MM-DD."),
    "end": N_("Write the date as YYYY-MM-DD."),
    "metric": N_("For example impressions, engagement_rate or followers."),
    "channel": N_("For example instagram, facebook or all."),
    "target": N_("The number to reach over the period."),
}


def tag_problem(value: UnsafeTag) -> tuple[str, str]:
    return (
        _("The YAML tag {tag} is not allowed in a plan.").format(tag=value.tag),
        _(
            "Remove the tag (the '!…' before the value); a plan holds plain text, numbers and "
            "dates only."
        ),
    )


def quoted(words: list[str]) -> str:
    return _(" or ").join(f"'{w}'" for w in words)


def shown(value: Any) -> str:
    if isinstance(value, YamlList):
        return _("a list")
    if isinstance(value, YamlMap):
        return _("a set of keys")
    return str(value)


def number_hint(value: Any) -> str:
    """How to write a value that was meant as a number: 4,5% → 0.045; 1.234,5 → 1234.5."""
    if not isinstance(value, str):
        return _("Write a plain number, such as 450000 or 0.045.")
    text = value.strip()
    for sign in ("€", "$", "£", "EUR", "USD", "GBP"):
        text = text.replace(sign, "")
    text = text.replace(" ", "").replace("\u00a0", "")
    percent = text.endswith("%")
    text = text.rstrip("%")
    if "," in text and "." in text:  # 1.234,5 (Dutch) or 1,234.5 (English)
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    elif re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+", text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return _("Write a plain number, such as 450000 or 0.045, without units or words.")
    if percent:
        return _("Write percentages as fractions: {fraction} for {percent}%.").format(
            fraction=f"{number / 100:.10g}", percent=f"{number:.10g}"
        )
    return _(
        "Write {number}: a plain number with a decimal point, without thousands separators or "
        "currency signs."
    ).format(number=f"{number:.10g}")


def date_hint(value: Any) -> str:
    """How to write a date: 1-7-2026 → 2026-07-01."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*", value)
        if match:
            d, m, y = (int(g) for g in match.groups())
            try:
                return _("Write dates as YYYY-MM-DD: {day}.").format(day=date(y, m, d).isoformat())
            except ValueError:
                pass
    return _("Write the date as YYYY-MM-DD, for example 2026-07-01.")
