"""Checking the plan's `alerts:` section, every problem with its line, field and a fix.

alerts:
  destinations:
    - {name: team-slack, type: slack, url_env: SLACK_WEBHOOK_URL}
    - name: lead-mail
      type: email
      smtp_host: smtp.example.com
      smtp_port: 587            # STARTTLS is always used
      username: alerts@example.com
      password_env: SMTP_PASSWORD
      from: alerts@example.com
      to: [lead@example.com]
  rules:
    - {name: drifting, announce: [at_risk, off_track, recovered], send_to: [team-slack]}
    - {name: monday-digest, digest: weekly, every: monday 08:00, send_to: [lead-mail]}
  mute:
    - {objective: engagement-facebook, until: 2026-12-15}
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from sostac_control.plan.alerts import (
    ATTACHMENTS,
    DEFAULT_SMTP_PORT,
    DESTINATION_TYPES,
    EVENTS,
    LEVELS,
    REPEATS,
    WEEKDAY_NAMES,
    AlertRule,
    AlertSettings,
    Destination,
    Mute,
    Schedule,
)
from sostac_control.plan.fields import Keys, Section, item_section, list_items, quoted
from sostac_control.plan.yaml import YamlMap

ALERTS_KEYS = Keys("destinations", "rules", "mute", "stale_after_days", "hold_on_refused_load")
DESTINATION_KEYS = Keys(
    "name",
    "type",
    "url_env",
    "smtp_host",
    "smtp_port",
    "username",
    "password_env",
    "from",
    "to",
    required=("name", "type"),
)
RULE_KEYS = Keys(
    "name",
    "announce",
    "level",
    "objectives",
    "repeat",
    "digest",
    "every",
    "attach",
    "send_to",
    required=("name", "send_to"),
)
MUTE_KEYS = Keys("objective", "until", required=("objective", "until"))
ANY_KEYS = Keys(
    *DESTINATION_KEYS.names, "url", "webhook", "webhook_url", "password", "smtp_password"
)
SECRET_KEYS = {"url": "url_env", "webhook": "url_env", "webhook_url": "url_env"}
SECRET_KEYS |= {"password": "password_env", "smtp_password": "password_env"}
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SCHEDULE = re.compile(r"^(?:every\s+)?([a-z]+)\s+(\d{1,2}):(\d{2})$")
DIGESTS = ("weekly",)


def check_alerts(section: Section, objective_ids: set[str]) -> AlertSettings:
    """The `alerts:` section of the plan as settings; problems go to the section's list."""
    value = section.raw("alerts")
    if value is None:
        return AlertSettings()
    alerts = item_section(
        section, value, section.line("alerts"), "alerts", ALERTS_KEYS, "The alerts section"
    )
    if alerts is None:
        return AlertSettings()
    destinations = [
        d
        for item, line, path in list_items(alerts, "destinations", "destinations")
        if (d := _destination(alerts, item, line, path)) is not None
    ]
    _unique(alerts, [(d.name, d.line) for d in destinations], "destinations", "destination")
    names = {d.name for d in destinations}
    rules = [
        r
        for item, line, path in list_items(alerts, "rules", "rules")
        if (r := _rule(alerts, item, line, path, names, objective_ids)) is not None
    ]
    _unique(alerts, [(r.name, r.line) for r in rules], "rules", "rule")
    mutes = [
        m
        for item, line, path in list_items(alerts, "mute", "mutes")
        if (m := _mute(alerts, item, line, path, objective_ids)) is not None
    ]
    stale = alerts.number("stale_after_days", minimum=1)
    hold = alerts.raw("hold_on_refused_load")
    if hold is not None and not isinstance(hold, bool):
        alerts.problem(
            "hold_on_refused_load", "'hold_on_refused_load' should be true or false.", ""
        )
    return AlertSettings(
        destinations=tuple(destinations),
        rules=tuple(rules),
        mutes=tuple(mutes),
        stale_after_days=int(stale) if stale else None,
        hold_on_refused_load=hold if isinstance(hold, bool) else True,
    )


def _unique(section: Section, found: list[tuple[str, int | None]], key: str, what: str) -> None:
    seen: set[str] = set()
    for name, line in found:
        if name in seen:
            section.problems.add(
                line,
                f"{section.at(key)}.{name}",
                f"Two {what}s are named '{name}'.",
                f"Give each {what} its own name.",
            )
        seen.add(name)


def _secret_keys(section: Section, item: YamlMap, path: str) -> None:
    """A secret written in the plan is refused (before the unknown-key check names it)."""
    for key, instead in SECRET_KEYS.items():
        if key in item:
            section.problems.add(
                item.key_lines.get(key, item.line),
                f"{path}.{key}",
                f"'{key}' would put a secret in the plan file.",
                f"Put it in an environment variable (or a key of .streamlit/secrets.toml) and "
                f"name that here: {instead}: NAME.",
            )


def _env_name(fields: Section, key: str, required: bool, kind: str) -> str:
    name = fields.text(key) or ""
    if not name:
        if required:
            fields.problem(
                key,
                f"This {kind} needs '{key}': the environment variable holding its secret.",
                f"Write {key}: A_NAME and set A_NAME in the environment or in "
                ".streamlit/secrets.toml.",
            )
        return ""
    if not ENV_NAME.match(name):
        fields.problem(
            key,
            f"'{key}' should name an environment variable, like SLACK_WEBHOOK_URL.",
            "Write the variable's name (letters, digits, _), never the secret itself.",
        )
        return ""
    return name


def _destination(section: Section, item: Any, line: int, path: str) -> Destination | None:
    if isinstance(item, YamlMap):
        _secret_keys(section, item, path)
    fields = item_section(section, item, line, path, DESTINATION_KEYS, f"Destination {path}")
    if fields is None:
        return None
    name = fields.text("name")
    kind = fields.choice("type", DESTINATION_TYPES, "destination type")
    if name is None or kind is None:
        return None
    if kind != "email":
        url_env = _env_name(fields, "url_env", True, f"{kind} destination")
        return Destination(name, kind, url_env=url_env, line=line)
    host = fields.text("smtp_host")
    if host is None:
        fields.problem(
            "smtp_host", "An e-mail destination needs 'smtp_host'.", "Write smtp_host: smtp.…"
        )
    port = fields.number("smtp_port", minimum=1)
    sender = fields.text("from")
    recipients = fields.words("to")
    for address, key in [(sender, "from")] + [(a, "to") for a in recipients]:
        if address is not None and not EMAIL.match(address):
            fields.problem(key, f"'{address}' is not an e-mail address.", "Write name@domain.")
    if sender is None:
        fields.problem("from", "An e-mail destination needs 'from'.", "Write from: name@domain.")
    if not recipients:
        fields.problem("to", "An e-mail destination needs 'to'.", "Write to: [name@domain].")
    username = fields.text("username") or ""
    password_env = _env_name(fields, "password_env", bool(username), "e-mail destination")
    return Destination(
        name,
        kind,
        smtp_host=host or "",
        smtp_port=int(port) if port else DEFAULT_SMTP_PORT,
        username=username,
        password_env=password_env,
        sender=sender or "",
        to=recipients,
        line=line,
    )


def parse_schedule(text: str) -> Schedule | None:
    """ "monday 08:00" (or "every Monday 8:00") as a Schedule; None when it is not one."""
    match = SCHEDULE.match(text.strip().lower())
    if not match:
        return None
    day, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    days = [d for d in WEEKDAY_NAMES if d.startswith(day)] if len(day) >= 3 else []
    if len(days) != 1 or hour > 23 or minute > 59:
        return None
    return Schedule(WEEKDAY_NAMES.index(days[0]), time(hour, minute))


def _rule(
    section: Section, item: Any, line: int, path: str, names: set[str], objective_ids: set[str]
) -> AlertRule | None:
    fields = item_section(section, item, line, path, RULE_KEYS, f"Rule {path}")
    if fields is None:
        return None
    name = fields.text("name")
    send_to = fields.words("send_to")
    for target in send_to:
        if target not in names:
            fields.problem(
                "send_to",
                f"'{target}' is not one of the alerts' destinations.",
                f"Known destinations: {', '.join(sorted(names)) or 'none yet'}; add it under "
                "alerts: destinations:.",
            )
    digest = fields.choice("digest", DIGESTS, "digest") or ""
    events = fields.words("announce")
    for event in events:
        if event not in EVENTS:
            fields.problem(
                "announce",
                f"'{event}' is not a change an alert can announce.",
                _known(EVENTS),
            )
    if not digest and not events:
        fields.problem(
            "announce",
            f"Rule {path} announces nothing: it has neither 'announce' nor 'digest'.",
            "Write announce: [at_risk, off_track, recovered] or digest: weekly.",
        )
    if digest and fields.has("announce"):
        fields.problem(
            "announce",
            "A digest rule sends the digest; it announces nothing else.",
            "Remove 'announce', or make it a rule of its own.",
        )
    schedule = None
    every = fields.text("every")
    if every is not None:
        schedule = parse_schedule(every)
        if schedule is None:
            fields.problem(
                "every",
                f"'{every}' is not a weekly moment.",
                "Write a weekday and a time, like: every: monday 08:00.",
            )
        elif not digest:
            fields.problem("every", "Only a digest rule has a schedule.", "Add digest: weekly.")
    objectives = fields.words("objectives")
    for objective in objectives:
        if objective not in objective_ids:
            fields.problem(
                "objectives", f"The plan has no objective '{objective}'.", _known(objective_ids)
            )
    level = fields.choice("level", LEVELS, "level") or "objective"
    repeat = fields.choice("repeat", REPEATS, "repeat") or "once"
    attach = fields.choice("attach", ATTACHMENTS, "attachment") or "pdf"
    if name is None or not send_to:
        return None
    return AlertRule(
        name=name,
        send_to=send_to,
        events=tuple(e for e in events if e in EVENTS),
        level=level,
        objectives=objectives,
        repeat=repeat,
        digest=digest,
        every=schedule or (parse_schedule("monday 08:00") if digest else None),
        attach=attach,
        line=line,
    )


def _mute(
    section: Section, item: Any, line: int, path: str, objective_ids: set[str]
) -> Mute | None:
    fields = item_section(section, item, line, path, MUTE_KEYS, f"Mute {path}")
    if fields is None:
        return None
    objective = fields.text("objective")
    until = fields.day("until")
    if objective is not None and objective not in objective_ids:
        fields.problem(
            "objective", f"The plan has no objective '{objective}'.", _known(objective_ids)
        )
    if objective is None or until is None:
        return None
    return Mute(objective, until, line)


def _known(names: set[str] | tuple[str, ...]) -> str:
    ordered = names if isinstance(names, tuple) else tuple(sorted(names))
    return f"Known: {quoted(list(ordered))}." if ordered else ""


def alerts_schema(day: dict[str, Any], obj: Any) -> dict[str, Any]:
    """The JSON Schema of the `alerts:` section (`obj` builds an object from a Keys list)."""
    words = {"type": "array", "items": {"type": "string"}}
    env = {"type": "string", "pattern": ENV_NAME.pattern}
    destination = obj(
        DESTINATION_KEYS,
        "Where alerts go. Secrets are named by their environment variable (or secrets.toml "
        "key), never written here.",
        name={"type": "string", "minLength": 1},
        type={"enum": list(DESTINATION_TYPES)},
        url_env=env | {"description": "Slack, Teams, webhook: the variable with the URL."},
        smtp_host={"type": "string"},
        smtp_port={"type": "integer", "minimum": 1, "default": DEFAULT_SMTP_PORT},
        username={"type": "string"},
        password_env=env | {"description": "E-mail: the variable with the SMTP password."},
        **{"from": {"type": "string", "format": "email"}},
        to={"type": "array", "items": {"type": "string", "format": "email"}},
    )
    rule = obj(
        RULE_KEYS,
        "Announce status changes, or send the weekly digest, to some destinations.",
        name={"type": "string", "minLength": 1},
        announce={"type": "array", "items": {"enum": list(EVENTS)}},
        level={"enum": list(LEVELS), "default": "objective"},
        objectives=words | {"description": "Objective ids; default every objective."},
        repeat={"enum": list(REPEATS), "default": "once"},
        digest={"enum": list(DIGESTS)},
        every={"type": "string", "description": "A weekday and time: monday 08:00."},
        attach={"enum": list(ATTACHMENTS), "default": "pdf"},
        send_to=words | {"description": "Destination names."},
    )
    mute = obj(
        MUTE_KEYS,
        "No alerts about an objective until a day.",
        objective={"type": "string"},
        until=day,
    )
    return obj(
        ALERTS_KEYS,
        "Alert rules for `sostac-control alert`.",
        destinations={"type": "array", "items": destination},
        rules={"type": "array", "items": rule},
        mute={"type": "array", "items": mute},
        stale_after_days={
            "type": "integer",
            "minimum": 1,
            "description": "Hold alerts when a source's newest data is older than this; "
            "default: the source's usual delay, learned from the load history.",
        },
        hold_on_refused_load={"type": "boolean", "default": True},
    )
