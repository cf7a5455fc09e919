"""Checking a plan file and building the models, collecting every problem with line and hint.

The text is read into values that remember their lines (plan/yaml.py); the checks walk them
once and keep going after a problem, so the user sees every problem in one pass, like a
linter. The models are returned only when there is none.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from sostac_control.catalog import CATEGORIES, closest
from sostac_control.errors import Problem
from sostac_control.i18n import N_, _
from sostac_control.plan.model import (
    PLAN_VERSION,
    BudgetLine,
    ContentRules,
    Kpi,
    Objective,
    Plan,
    PlanUnreadableError,
    read_plan_text,
)

__all__ = ["PlanUnreadableError", "check_plan_file", "check_plan_text", "read_plan_text"]
from sostac_control.i18n.language import LANGUAGES
from sostac_control.plan.alerts_check import check_alerts
from sostac_control.plan.fields import (
    Keys,
    Problems,
    Section,
    item_section,
    list_items,
    quoted,
    shown,
)
from sostac_control.plan.keys import (
    BUDGET_KEYS,
    CONTENT_KEYS,
    ID_PATTERN,
    KPI_CHANNELS,
    KPI_KEYS,
    OBJECTIVE_KEYS,
    PLAN_KEYS,
    PROMOTIONAL_KEYS,
)
from sostac_control.plan.kpi_check import check_kpi
from sostac_control.plan.yaml import YamlMap, YamlSyntaxError, read_yaml

SYNTAX_HINT = N_(
    "Check the indentation (spaces, not tabs; items of a list start with '- ' at the same "
    "depth) and put text containing ': ' or ' #' in quotes."
)


def check_plan_file(path: Path) -> tuple[Plan | None, list[Problem]]:
    """The plan in a file and every problem in it; PlanUnreadableError when it cannot be read."""
    plan, problems = check_plan_text(read_plan_text(path), str(path))
    if plan is not None:
        plan.path = path
    return plan, problems


def check_plan_text(text: str, source: str = "plan") -> tuple[Plan | None, list[Problem]]:
    """The plan in YAML text and every problem in it; the plan is None when there are problems."""
    try:
        root = read_yaml(text)
    except YamlSyntaxError as exc:
        return None, [_syntax_problem(exc, source)]
    problems = Problems(source)
    if root is None:
        problems.add(1, "", "The plan file is empty.", "Start from `sostac-control plan init`.")
        return None, problems.found
    if not isinstance(root, YamlMap):
        problems.add(
            getattr(root, "line", 1),
            "",
            _("The plan should be a set of 'key: value' lines (version, name, objectives, …)."),
            _("Start from the example: `sostac-control plan init PATH`."),
        )
        return None, problems.found
    plan = _plan(Section(root, "", problems, PLAN_KEYS, _("The plan")))
    found = problems.sorted()
    return (plan if not found else None), found


def _syntax_problem(exc: YamlSyntaxError, source: str) -> Problem:
    if exc.hint:  # beyond a bound (plan/limits.py): the message names it
        return Problem(exc.message, exc.hint, source, line=exc.line)
    hint = _(SYNTAX_HINT)
    if "tab" in exc.message:
        hint = _("Indent with spaces, not tabs.")
    elif "mapping values are not allowed" in exc.message:
        hint = _("A value contains ': ' — put the whole value in quotes, or fix the indentation.")
    elif "could not find expected ':'" in exc.message:
        hint = _("A line misses the ':' between key and value, or a quote is not closed.")
    context = f" ({exc.context})" if exc.context else ""
    message = _("YAML syntax error: {error}").format(error=exc.message + context)
    return Problem(message, hint, source, line=exc.line)


def _plan(section: Section) -> Plan:
    if section.has("version"):
        version = section.raw("version")
        if version != PLAN_VERSION or isinstance(version, bool):
            section.problem(
                "version",
                _("Plan file version '{version}' is not supported.").format(version=shown(version)),
                _("This sostac-control reads version {version}: write 'version: 1'.").format(
                    version=PLAN_VERSION
                ),
            )
    name = section.text("name")
    if name is None and section.has("name"):
        section.problem("name", "The plan's name is empty.", "Give the plan a name.")
    currency = section.text("currency") or "EUR"
    if not re.fullmatch(r"[A-Z]{3}", currency):
        section.problem(
            "currency",
            _("'{code}' is not a currency code.").format(code=currency),
            _("Write a three-letter ISO code in capitals, such as EUR, USD or GBP.")
            + (
                " " + _("Did you mean '{near}'?").format(near=currency.upper())
                if len(currency) == 3
                else ""
            ),
        )
    timezone = section.text("timezone")
    if timezone is not None:
        _check_timezone(section, timezone)
    language = section.text("language")
    if language is not None and language not in LANGUAGES:
        section.problem(
            "language",
            _("'{language}' is not a language sostac-control speaks.").format(language=language),
            _("Write 'language: nl' (Dutch) or 'language: en' (English), or leave the line out."),
        )
        language = None
    objectives = _objectives(section)
    return Plan(
        name=name or "",
        currency=currency,
        currency_rates=_currency_rates(section, currency),
        timezone=timezone,
        language=language,
        objectives=objectives,
        budget=_budget(section),
        content=_content(section),
        alerts=check_alerts(section, {o.id for o in objectives}),
    )


def _currency_rates(section: Section, currency: str) -> dict[str, float]:
    """`currency_rates: {USD: 0.92}`: what one unit of each currency is worth in `currency`."""
    value = section.raw("currency_rates")
    if value is None:
        return {}
    if not isinstance(value, YamlMap):
        section.problem(
            "currency_rates",
            _("currency_rates should be a set of 'CODE: rate' pairs."),
            _(
                "Write for example 'currency_rates: {{USD: 0.92}}': 1 USD is 0.92 {currency}."
            ).format(currency=currency),
        )
        return {}
    codes = [str(code) for code in value]
    rates = Section(value, "currency_rates", section.problems, Keys(*codes), "currency_rates")
    found: dict[str, float] = {}
    for code in codes:
        if not re.fullmatch(r"[A-Z]{3}", str(code)):
            rates.problem(
                code,
                _("'{code}' is not a currency code.").format(code=code),
                _("Write a three-letter ISO code in capitals, such as USD, GBP or PHP."),
            )
            continue
        rate = rates.number(code)
        if rate is not None and rate <= 0:
            rates.problem(
                code,
                _("The rate for {code} is {rate}; a rate must be above 0.").format(
                    code=code, rate=f"{rate:g}"
                ),
                _("Write what 1 {code} is worth in {currency}, such as 0.92.").format(
                    code=code, currency=currency
                ),
            )
        elif rate is not None:
            found[str(code)] = rate
    return found


def _check_timezone(section: Section, timezone: str) -> None:
    try:
        ZoneInfo(timezone)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        near = closest(timezone, sorted(available_timezones()))
        section.problem(
            "timezone",
            _("'{zone}' is not a known time zone.").format(zone=timezone),
            (_("Did you mean {near}?").format(near=quoted(near)) + " " if near else "")
            + _("Write an IANA name such as Europe/Amsterdam, or leave the line out."),
        )


def _objectives(section: Section) -> list[Objective]:
    items = list_items(section, "objectives", "objectives")
    if section.has("objectives") and section.raw("objectives") in (None, []):
        section.problem(
            "objectives",
            _("The plan has no objectives."),
            _("Add at least one objective with id, title, start, end and its kpis."),
        )
    found: list[Objective] = []
    seen: dict[str, int] = {}
    for item, line, path in items:
        what = _("Objective {path}").format(path=path)
        fields = item_section(section, item, line, path, OBJECTIVE_KEYS, what)
        objective = _objective(fields, line, seen) if fields else None
        if objective is not None:
            found.append(objective)
    return found


def _objective(section: Section, line: int, seen: dict[str, int]) -> Objective | None:
    oid = section.text("id")
    if oid is not None:
        if not ID_PATTERN.match(oid):
            slug = re.sub(r"[^a-z0-9]+", "-", oid.lower()).strip("-") or "objective-1"
            section.problem(
                "id",
                _("The id '{id}' has spaces or signs.").format(id=oid),
                _(
                    "Ids are used in links and commands: use letters, digits and '-', e.g. "
                    "'{slug}'."
                ).format(slug=slug),
            )
        elif oid in seen:
            section.problem(
                "id",
                _("The id '{id}' is used twice.").format(id=oid),
                _(
                    "It is also the id of the objective on line {line}; give each objective its "
                    "own id."
                ).format(line=seen[oid]),
            )
        else:
            seen[oid] = line
    title = section.text("title")
    category = section.choice("category", tuple(CATEGORIES), _("category (the 5 S's)"))
    owner = section.text("owner")
    start, end = section.day("start"), section.day("end")
    ok = section.period_ok(start, end, _("Objective '{id}'").format(id=oid or section.path))
    kpis: list[Kpi] = []
    seen_kpis: dict[tuple[Any, ...], int] = {}
    for item, kpi_line, path in list_items(section, "kpis", "kpis"):
        fields = item_section(section, item, kpi_line, path, KPI_KEYS, f"KPI {path}")
        kpi = check_kpi(fields, kpi_line, oid or "", start, end, ok) if fields else None
        if kpi is None:
            continue
        key = (kpi.metric, kpi.channel, kpi.account, kpi.denominator, kpi.start, kpi.end)
        if key in seen_kpis:
            section.problems.add(
                kpi_line,
                path,
                _("This KPI ({kpi}) is listed twice.").format(kpi=kpi.label),
                _("The same KPI is on line {line}; remove one of them.").format(
                    line=seen_kpis[key]
                ),
            )
        seen_kpis[key] = kpi_line
        kpis.append(kpi)
    if oid is None or title is None or start is None or end is None or not ok:
        return None
    return Objective(oid, title, category, owner, start, end, kpis, line)


def _budget(section: Section) -> list[BudgetLine]:
    lines: list[BudgetLine] = []
    for item, line, path in list_items(section, "budget", _("budget lines")):
        what = _("Budget line {path}").format(path=path)
        fields = item_section(section, item, line, path, BUDGET_KEYS, what)
        if fields is None:
            continue
        channel = fields.choice("channel", KPI_CHANNELS, "channel")
        start, end = fields.day("start"), fields.day("end")
        ok = fields.period_ok(start, end, what)
        money = fields.number("money")
        hours = fields.number("hours")
        rate = fields.number("hourly_rate")
        if channel is None or start is None or end is None or not ok:
            continue
        lines.append(BudgetLine(channel, start, end, money or 0.0, hours or 0.0, rate or 0.0, line))
    return lines


def _content(section: Section) -> ContentRules:
    value = section.raw("content")
    if value is None:
        return ContentRules()
    content = item_section(
        section, value, section.line("content"), "content", CONTENT_KEYS, "The content section"
    )
    promo_value = content.raw("promotional") if content else None
    if content is None or promo_value is None:
        return ContentRules()
    promo = item_section(
        content,
        promo_value,
        content.line("promotional"),
        "content.promotional",
        PROMOTIONAL_KEYS,
        "content.promotional",
    )
    if promo is None:
        return ContentRules()
    return ContentRules(
        promotional_hashtags=tuple(w.lstrip("#").lower() for w in promo.words("hashtags")),
        promotional_keywords=tuple(w.lower() for w in promo.words("keywords")),
        promotional_labels=promo.words("labels"),
    )
