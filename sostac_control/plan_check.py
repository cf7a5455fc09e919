"""Reading a plan file: YAML nodes → Plan, collecting every problem with its line and a hint.

The YAML is composed into nodes (safe loader; nothing is ever constructed from a tag), so each
value keeps its line. The checks walk the nodes once and keep going after a problem, so the user
sees every problem in one pass, like a linter; the models are built only when there are none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sostac_control.catalog import ALL_CHANNELS, CATEGORIES, CHANNELS, METRICS, closest
from sostac_control.errors import Problem
from sostac_control.plan import (
    PLAN_VERSION,
    BudgetLine,
    ContentRules,
    Kpi,
    Objective,
    Plan,
    PlanError,
)

# The keys each mapping may hold: key → required. Order is the order plan init writes them.
PLAN_KEYS = {
    "version": True,
    "name": True,
    "currency": False,
    "timezone": False,
    "objectives": True,
    "budget": False,
    "content": False,
}
OBJECTIVE_KEYS = {
    "id": True,
    "title": True,
    "category": False,
    "owner": False,
    "start": True,
    "end": True,
    "kpis": False,
}
KPI_KEYS = {
    "metric": True,
    "channel": True,
    "account": False,
    "target": True,
    "baseline": False,
    "denominator": False,
    "direction": False,
    "start": False,
    "end": False,
}
BUDGET_KEYS = {
    "channel": True,
    "start": True,
    "end": True,
    "money": False,
    "hours": False,
    "hourly_rate": False,
}
CONTENT_KEYS = {"promotional": False}
PROMOTIONAL_KEYS = {"hashtags": False, "keywords": False, "labels": False}

KPI_CHANNELS = (*CHANNELS, ALL_CHANNELS)
DIRECTIONS = ("up", "down")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# ROI is a ratio that may well exceed 1 (150 % return); the other rates cannot sensibly.
NOT_A_FRACTION_CHECK = frozenset({"roi"})
SAFE_TAGS = frozenset(
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")
)


class PlanUnreadableError(PlanError):
    """The plan file cannot be read at all (missing, a folder, not text): exit code 2."""


def check_plan_file(path: Path) -> tuple[Plan | None, list[Problem]]:
    """The plan in a file and every problem in it; PlanUnreadableError when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise PlanUnreadableError(
            f"There is no plan file at {path}.",
            hint=f"Create one with `sostac-control plan init {path}`, or point --plan "
            "(or SOSTAC_PLAN) at your plan.",
        ) from exc
    except IsADirectoryError as exc:
        raise PlanUnreadableError(
            f"{path} is a folder, not a plan file.", hint="Name the plan's YAML file itself."
        ) from exc
    except UnicodeDecodeError as exc:
        raise PlanUnreadableError(
            f"{path} is not a text file in UTF-8 (byte {exc.start} cannot be read).",
            hint="Save the plan as UTF-8 text (any code editor can), or start from "
            "`sostac-control plan init`.",
        ) from exc
    except OSError as exc:
        raise PlanUnreadableError(
            f"Could not read the plan file {path}: {exc.strerror}.",
            hint="Check the path and that you may read the file.",
        ) from exc
    plan, problems = check_plan_text(text, str(path))
    if plan is not None:
        plan.path = path
    return plan, problems


def check_plan_text(text: str, source: str = "plan") -> tuple[Plan | None, list[Problem]]:
    """The plan in YAML text and every problem in it; the plan is None when there are problems."""
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    reader = _Reader(source, loader)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, source)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"This is not valid YAML: {exc}", _SYNTAX_HINT, source)]
    finally:
        loader.dispose()
    if root is None:
        return None, [
            Problem(
                "The plan file is empty.",
                "Start from the example: `sostac-control plan init PATH`.",
                source,
                line=1,
            )
        ]
    plan = reader.plan(root)
    return (plan if not reader.problems else None), reader.problems


_SYNTAX_HINT = (
    "Check the indentation (spaces, not tabs; items of a list start with '- ' at the same "
    "depth) and put text containing ': ' or '#' in quotes."
)


def _syntax_problem(exc: yaml.MarkedYAMLError, source: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "cannot be read"
    hint = _SYNTAX_HINT
    if "'\\t'" in what or "\t" in what:
        hint = "Indent with spaces, not tabs."
    elif "mapping values are not allowed" in what:
        hint = "A value contains ': ' — put the whole value in quotes, or fix the indentation."
    elif "could not find expected ':'" in what:
        hint = "A line misses the ':' between key and value, or a quote is not closed."
    return Problem(
        f"YAML syntax error: {what}" + (f" ({exc.context})" if exc.context else ""),
        hint,
        source,
        line=mark.line + 1 if mark else None,
        column=f"column {mark.column + 1}" if mark else "",
    )


@dataclass
class _Fields:
    """A mapping's known keys → value nodes, with the mapping's own node for its line."""

    node: Node
    path: str
    values: dict[str, Node]

    def get(self, key: str) -> Node | None:
        return self.values.get(key)

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key


class _Reader:
    """Walks the YAML nodes of one plan, collecting problems and building the models."""

    def __init__(self, source: str, loader: Any) -> None:
        self.source = source
        self.loader = loader
        self.problems: list[Problem] = []

    # -- problems and primitive values ---------------------------------------------------------

    def problem(self, node: Node | None, path: str, message: str, hint: str = "") -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(message, hint, self.source, line=line, column=path))

    def value(self, node: Node, path: str) -> Any:
        """A scalar's Python value (str, int, float, bool, None, date); None plus a problem else."""
        if node.tag not in SAFE_TAGS:
            self.problem(
                node,
                path,
                f"The YAML tag {node.tag} is not allowed in a plan.",
                "Remove the tag (the '!…' before the value); a plan holds plain text, "
                "numbers and dates only.",
            )
            return None
        if not isinstance(node, ScalarNode):
            return node
        try:
            return self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError):
            return node.value  # e.g. 2026-13-01 looks like a date but is not one

    def mapping(self, node: Node, path: str, keys: dict[str, bool], what: str) -> _Fields | None:
        if node.tag not in SAFE_TAGS:
            self.value(node, path)  # reports the tag
            return None
        if not isinstance(node, MappingNode):
            self.problem(
                node,
                path,
                f"{what} should be a set of 'key: value' lines.",
                f"Write it as {', '.join(k + ': …' for k in list(keys)[:3])} on separate lines.",
            )
            return None
        self.loader.flatten_mapping(node)  # resolves '<<: *anchor' merges
        fields = _Fields(node, path, {})
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
            if key in fields.values:
                self.problem(
                    key_node,
                    fields.at(key),
                    f"'{key}' appears twice in {what}; YAML would silently keep the last one.",
                    f"Keep one '{key}' line.",
                )
            elif key not in keys:
                self.problem(key_node, fields.at(key), *_unknown_key(key, keys, what))
            else:
                fields.values[key] = value_node
        for key, required in keys.items():
            if required and key not in fields.values:
                self.problem(
                    node,
                    fields.at(key),
                    f"{what} has no '{key}'.",
                    f"Add a '{key}:' line to {what}." + _KEY_HELP.get(key, ""),
                )
        return fields

    def sequence(self, node: Node, path: str, what: str) -> list[Node]:
        if isinstance(node, SequenceNode) and node.tag in SAFE_TAGS:
            return list(node.value)
        if isinstance(node, ScalarNode) and self.value(node, path) is None:
            return []  # `kpis:` with nothing under it
        self.problem(
            node,
            path,
            f"{what} should be a list (each item on a line starting with '- ').",
            f"Write each of the {what} as an item starting with '- '.",
        )
        return []

    def text(self, fields: _Fields, key: str) -> str | None:
        node = fields.get(key)
        if node is None:
            return None
        value = self.value(node, fields.at(key))
        if value is None or isinstance(value, Node):
            if isinstance(value, Node):
                self.problem(
                    node,
                    fields.at(key),
                    f"'{key}' should be a single value.",
                    "Write it on one line.",
                )
            return None
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = value.isoformat() if isinstance(value, date) else str(value)
        return text.strip() or None

    def choice(self, fields: _Fields, key: str, choices: tuple[str, ...], what: str) -> str | None:
        text = self.text(fields, key)
        if text is None:
            return None
        if text in choices:
            return text
        if text.lower() in choices:
            self.problem(
                fields.get(key),
                fields.at(key),
                f"{what} '{text}' should be written in lower case.",
                f"Write '{text.lower()}'.",
            )
            return None
        near = closest(text.lower(), choices)
        hint = f"Did you mean {_quoted(near)}? " if near else ""
        self.problem(
            fields.get(key),
            fields.at(key),
            f"'{text}' is not a known {what}.",
            hint + f"Known: {', '.join(choices)}.",
        )
        return None

    def number(self, fields: _Fields, key: str, minimum: float | None = 0.0) -> float | None:
        node = fields.get(key)
        if node is None:
            return None
        value = self.value(node, fields.at(key))
        if value is None:
            self.problem(
                node, fields.at(key), f"'{key}' is empty.", f"Write a number after '{key}:'."
            )
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(
                node,
                fields.at(key),
                f"'{key}' should be a number, not '{_shown(value)}'.",
                _number_hint(value),
            )
            return None
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            self.problem(
                node, fields.at(key), f"'{key}' should be a finite number.", "Write a number."
            )
            return None
        if minimum is not None and number < minimum:
            self.problem(
                node,
                fields.at(key),
                f"'{key}' is {number:g}; it cannot be negative.",
                f"Write a number of at least {minimum:g}.",
            )
            return None
        return number

    def day(self, fields: _Fields, key: str) -> date | None:
        node = fields.get(key)
        if node is None:
            return None
        value = self.value(node, fields.at(key))
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(
            node,
            fields.at(key),
            f"'{key}' should be a date, not '{_shown(value)}'.",
            _date_hint(value),
        )
        return None

    def words(self, fields: _Fields, key: str) -> tuple[str, ...]:
        node = fields.get(key)
        if node is None:
            return ()
        found: list[str] = []
        for i, item in enumerate(self.sequence(node, fields.at(key), key)):
            value = self.value(item, f"{fields.at(key)}[{i}]")
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                found.append(str(value).strip())
            else:
                self.problem(
                    item,
                    f"{fields.at(key)}[{i}]",
                    f"Each of the {key} should be a word.",
                    "Write one word or phrase per '- ' line; put '#tags' in quotes.",
                )
        return tuple(word for word in found if word)

    def period(self, fields: _Fields, start: date | None, end: date | None, what: str) -> bool:
        """False (and a problem) when the period ends before it starts."""
        if start is None or end is None or end >= start:
            return True
        self.problem(
            fields.get("end") or fields.node,
            fields.at("end"),
            f"{what} ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
            "Swap start and end, or correct the year.",
        )
        return False

    # -- the plan's parts ---------------------------------------------------------------------

    def plan(self, root: Node) -> Plan | None:
        fields = self.mapping(root, "", PLAN_KEYS, "The plan")
        if fields is None:
            return None
        version = fields.get("version")
        if version is not None:
            value = self.value(version, "version")
            if value != PLAN_VERSION or isinstance(value, bool):
                self.problem(
                    version,
                    "version",
                    f"Plan file version '{_shown(value)}' is not supported.",
                    f"This sostac-control reads version {PLAN_VERSION}: write 'version: 1'.",
                )
        name = self.text(fields, "name")
        currency = self.text(fields, "currency") or "EUR"
        if not re.fullmatch(r"[A-Z]{3}", currency):
            self.problem(
                fields.get("currency"),
                "currency",
                f"'{currency}' is not a currency code.",
                "Write a three-letter ISO code in capitals, such as EUR, USD or GBP."
                + (f" Did you mean '{currency.upper()}'?" if len(currency) == 3 else ""),
            )
        timezone = self.text(fields, "timezone")
        if timezone is not None:
            self.check_timezone(fields, timezone)
        objectives = self.objectives(fields)
        budget = self.budget(fields)
        content = self.content(fields)
        if name is None and "name" in fields.values:
            self.problem(
                fields.get("name"), "name", "The plan's name is empty.", "Give the plan a name."
            )
        return Plan(
            name=name or "",
            currency=currency,
            timezone=timezone,
            objectives=objectives,
            budget=budget,
            content=content,
        )

    def check_timezone(self, fields: _Fields, timezone: str) -> None:
        try:
            ZoneInfo(timezone)
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            near = closest(timezone, sorted(available_timezones()))
            self.problem(
                fields.get("timezone"),
                "timezone",
                f"'{timezone}' is not a known time zone.",
                (f"Did you mean {_quoted(near)}? " if near else "")
                + "Write an IANA name such as Europe/Amsterdam, or leave the line out.",
            )

    def objectives(self, fields: _Fields) -> list[Objective]:
        node = fields.get("objectives")
        if node is None:
            return []
        items = self.sequence(node, "objectives", "objectives")
        if not items and (isinstance(node, SequenceNode) or self.value(node, "objectives") is None):
            self.problem(
                node,
                "objectives",
                "The plan has no objectives.",
                "Add at least one objective with id, title, start, end and its kpis.",
            )
        found: list[Objective] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            objective = self.objective(item, f"objectives[{i}]", seen)
            if objective is not None:
                found.append(objective)
        return found

    def objective(self, node: Node, path: str, seen: dict[str, int]) -> Objective | None:
        fields = self.mapping(node, path, OBJECTIVE_KEYS, f"Objective {path}")
        if fields is None:
            return None
        oid = self.text(fields, "id")
        if oid is not None:
            if not ID_PATTERN.match(oid):
                slug = re.sub(r"[^a-z0-9]+", "-", oid.lower()).strip("-") or "objective-1"
                self.problem(
                    fields.get("id"),
                    fields.at("id"),
                    f"The id '{oid}' has spaces or signs.",
                    "Ids are used in links and commands: use letters, digits and '-', "
                    f"e.g. '{slug}'.",
                )
            elif oid in seen:
                self.problem(
                    fields.get("id"),
                    fields.at("id"),
                    f"The id '{oid}' is used twice.",
                    f"It is also the id of the objective on line {seen[oid]}; give each "
                    "objective its own id.",
                )
            else:
                seen[oid] = node.start_mark.line + 1
        title = self.text(fields, "title")
        category = self.choice(fields, "category", tuple(CATEGORIES), "category (the 5 S's)")
        owner = self.text(fields, "owner")
        start, end = self.day(fields, "start"), self.day(fields, "end")
        ok = self.period(fields, start, end, f"Objective '{oid or path}'")
        kpis: list[Kpi] = []
        kpis_node = fields.get("kpis")
        if kpis_node is not None:
            seen_kpis: dict[tuple[Any, ...], int] = {}
            for j, item in enumerate(self.sequence(kpis_node, fields.at("kpis"), "kpis")):
                kpi = self.kpi(item, f"{path}.kpis[{j}]", oid or "", start, end, ok)
                if kpi is None:
                    continue
                key = (kpi.metric, kpi.channel, kpi.account, kpi.denominator, kpi.start, kpi.end)
                if key in seen_kpis:
                    self.problem(
                        item,
                        f"{path}.kpis[{j}]",
                        f"This KPI ({kpi.label}) is listed twice.",
                        f"The same KPI is on line {seen_kpis[key]}; remove one of them.",
                    )
                seen_kpis[key] = item.start_mark.line + 1
                kpis.append(kpi)
        if oid is None or title is None or start is None or end is None or not ok:
            return None
        return Objective(oid, title, category, owner, start, end, kpis, node.start_mark.line + 1)

    def kpi(
        self, node: Node, path: str, oid: str, start: date | None, end: date | None, ok: bool
    ) -> Kpi | None:
        fields = self.mapping(node, path, KPI_KEYS, f"KPI {path}")
        if fields is None:
            return None
        name = self.choice(fields, "metric", tuple(METRICS), "metric")
        channel = self.choice(fields, "channel", KPI_CHANNELS, "channel")
        account = self.text(fields, "account")
        if account is not None and channel == ALL_CHANNELS:
            self.problem(
                fields.get("account"),
                fields.at("account"),
                f"The account '{account}' is named for channel 'all'.",
                "An account belongs to one channel: name that channel, or remove the account.",
            )
        target = self.target(fields, "target", name)
        baseline = self.target(fields, "baseline", name) if "baseline" in fields.values else None
        metric = METRICS.get(name) if name else None
        denominator = self.denominator(fields, metric.name if metric else None)
        direction = self.choice(fields, "direction", DIRECTIONS, "direction (up or down)")
        own_start, own_end = self.day(fields, "start"), self.day(fields, "end")
        kpi_start, kpi_end = own_start or start, own_end or end
        period_ok = self.period(fields, kpi_start, kpi_end, f"KPI {path}") if ok else False
        if (
            metric is None
            or channel is None
            or target is None
            or kpi_start is None
            or kpi_end is None
            or not period_ok
            or ("baseline" in fields.values and baseline is None)
            or ("direction" in fields.values and direction is None)
            or ("denominator" in fields.values and denominator is None)
        ):
            return None
        return Kpi(
            metric=metric.name,
            channel=channel,
            account=account,
            target=target,
            baseline=baseline,
            denominator=denominator or metric.denominator,
            direction=direction or metric.direction,  # type: ignore[arg-type]
            start=kpi_start,
            end=kpi_end,
            line=node.start_mark.line + 1,
            objective_id=oid,
        )

    def target(self, fields: _Fields, key: str, metric_name: str | None) -> float | None:
        allow_negative = metric_name == "roi"
        number = self.number(fields, key, minimum=None if allow_negative else 0.0)
        metric = METRICS.get(metric_name or "")
        if number is None or metric is None:
            return number
        if metric.is_fraction and metric.name not in NOT_A_FRACTION_CHECK and number > 1:
            self.problem(
                fields.get(key),
                fields.at(key),
                f"{key} {number:g} for {metric.name} reads as {number:g} times 100%: "
                f"{metric.label.lower()} is a fraction.",
                f"For {number:g}% write {number / 100:g}.",
            )
            return None
        return number

    def denominator(self, fields: _Fields, metric_name: str | None) -> str | None:
        if "denominator" not in fields.values:
            return None
        text = self.text(fields, "denominator")
        metric = METRICS.get(metric_name or "")
        if text is None or metric is None:
            return None
        if not metric.is_ratio:
            self.problem(
                fields.get("denominator"),
                fields.at("denominator"),
                f"{metric.name} is not a ratio, so it has no denominator.",
                "Remove the 'denominator' line; it applies to ratio metrics such as "
                "engagement_rate.",
            )
            return None
        if text not in metric.allowed_denominators:
            self.problem(
                fields.get("denominator"),
                fields.at("denominator"),
                f"'{text}' is not a denominator of {metric.name}.",
                f"Write one of: {', '.join(metric.allowed_denominators)} "
                f"(default {metric.denominator}).",
            )
            return None
        return text

    def budget(self, fields: _Fields) -> list[BudgetLine]:
        node = fields.get("budget")
        if node is None:
            return []
        lines: list[BudgetLine] = []
        for i, item in enumerate(self.sequence(node, "budget", "budget lines")):
            path = f"budget[{i}]"
            line = self.mapping(item, path, BUDGET_KEYS, f"Budget line {path}")
            if line is None:
                continue
            channel = self.choice(line, "channel", KPI_CHANNELS, "channel")
            start, end = self.day(line, "start"), self.day(line, "end")
            ok = self.period(line, start, end, f"Budget line {path}")
            money = self.number(line, "money")
            hours = self.number(line, "hours")
            rate = self.number(line, "hourly_rate")
            if channel is None or start is None or end is None or not ok:
                continue
            lines.append(
                BudgetLine(
                    channel,
                    start,
                    end,
                    money or 0.0,
                    hours or 0.0,
                    rate or 0.0,
                    item.start_mark.line + 1,
                )
            )
        return lines

    def content(self, fields: _Fields) -> ContentRules:
        node = fields.get("content")
        if node is None:
            return ContentRules()
        content = self.mapping(node, "content", CONTENT_KEYS, "The content section")
        promo_node = content.get("promotional") if content else None
        if promo_node is None:
            return ContentRules()
        promo = self.mapping(promo_node, "content.promotional", PROMOTIONAL_KEYS, "promotional")
        if promo is None:
            return ContentRules()
        return ContentRules(
            promotional_hashtags=tuple(
                w.lstrip("#").lower() for w in self.words(promo, "hashtags")
            ),
            promotional_keywords=tuple(w.lower() for w in self.words(promo, "keywords")),
            promotional_labels=self.words(promo, "labels"),
        )


_KEY_HELP = {
    "version": " It is 1.",
    "id": " A short unique name like 'awareness-instagram'.",
    "start": " Write the date as YYYY-MM-DD.",
    "end": " Write the date as YYYY-MM-DD.",
    "metric": " For example impressions, engagement_rate or followers.",
    "channel": " For example instagram, facebook or all.",
    "target": " The number to reach over the period.",
}


def _unknown_key(key: str, keys: dict[str, bool], what: str) -> tuple[str, str]:
    near = closest(key.lower(), tuple(keys))
    hint = f"Did you mean '{near[0]}'? " if near else ""
    return f"'{key}' is not a key of {what}.", hint + f"Valid keys here: {', '.join(keys)}."


def _quoted(words: list[str]) -> str:
    return " or ".join(f"'{w}'" for w in words)


def _shown(value: Any) -> str:
    if isinstance(value, Node):
        return "a list" if isinstance(value, SequenceNode) else "a set of keys"
    return str(value)


def _number_hint(value: Any) -> str:
    if not isinstance(value, str):
        return "Write a plain number, such as 450000 or 0.045."
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
        return "Write a plain number, such as 450000 or 0.045, without units or words."
    if percent:
        return f"Write percentages as fractions: {number / 100:g} for {number:g}%."
    return (
        f"Write {number:g}: a plain number with a decimal point, without thousands "
        "separators or currency signs."
    )


def _date_hint(value: Any) -> str:
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*", value)
        if match:
            d, m, y = (int(g) for g in match.groups())
            try:
                return f"Write dates as YYYY-MM-DD: {date(y, m, d).isoformat()}."
            except ValueError:
                pass
    return "Write the date as YYYY-MM-DD, for example 2026-07-01."
