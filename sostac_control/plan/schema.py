"""The plan file's JSON Schema, for editors that check and complete YAML as you type.

Built from the same key lists and catalogue the checks use, so the schema cannot drift from
what `plan validate` accepts. Editors see YAML dates as text, hence `format: date`.
"""

from __future__ import annotations

from typing import Any

from sostac_control.catalog import CATEGORIES, CHANNEL_LABELS, METRICS
from sostac_control.plan.alerts_check import alerts_schema
from sostac_control.plan.fields import Keys
from sostac_control.plan.keys import (
    BUDGET_KEYS,
    DIRECTIONS,
    ID_PATTERN,
    KPI_CHANNELS,
    KPI_KEYS,
    NOT_A_FRACTION_CHECK,
    OBJECTIVE_KEYS,
    PLAN_KEYS,
    PROMOTIONAL_KEYS,
)
from sostac_control.plan.model import PLAN_VERSION


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plan file version 1."""
    day = {"type": "string", "format": "date", "description": "A date: YYYY-MM-DD."}
    channel = {
        "enum": list(KPI_CHANNELS),
        "description": "Channel: "
        + "; ".join(f"{name} ({label})" for name, label in CHANNEL_LABELS.items()),
    }
    amount = {"type": "number", "minimum": 0}
    kpi = _object(
        KPI_KEYS,
        "A KPI: a metric on a channel with a target over the objective's period (or its own).",
        metric={
            "enum": list(METRICS),
            "description": "Metric: "
            + "; ".join(f"{m.name} ({m.kind}): {m.definition}" for m in METRICS.values()),
        },
        channel=channel,
        account={"type": "string", "description": "One account of the channel; default all."},
        target={
            "type": "number",
            "description": "Sum metrics: the total over the period; level metrics: the value "
            "on the last day; ratios: the ratio of the period's sums (0.045 means 4.5%).",
        },
        baseline={
            "type": "number",
            "description": "The value of a comparable earlier period (for the SMART check).",
        },
        denominator={
            "enum": sorted({d for m in METRICS.values() for d in m.allowed_denominators}),
            "description": "Ratio metrics only: what the ratio divides by.",
        },
        direction={"enum": list(DIRECTIONS), "description": "up: higher is better; down: lower."},
        start=day,
        end=day,
    )
    kpi["allOf"] = _kpi_rules()
    objective = _object(
        OBJECTIVE_KEYS,
        "A SOSTAC objective measured by KPIs.",
        id={
            "type": "string",
            "pattern": ID_PATTERN.pattern,
            "description": "Unique; used in links and commands.",
        },
        title={"type": "string", "minLength": 1},
        category={
            "enum": list(CATEGORIES),
            "description": "The 5 S's: " + "; ".join(CATEGORIES.values()),
        },
        owner={"type": "string", "description": "Who answers for it (SOSTAC Action)."},
        start=day,
        end=day,
        kpis={"type": ["array", "null"], "items": {"$ref": "#/$defs/kpi"}},
    )
    budget_line = _object(
        BUDGET_KEYS,
        "The 3 M's for one channel and period.",
        channel=channel,
        start=day,
        end=day,
        money=amount | {"description": "Planned media spend."},
        hours=amount | {"description": "Planned people time in hours."},
        hourly_rate=amount | {"description": "Cost of one hour of people time."},
    )
    words = {"type": "array", "items": {"type": "string"}}
    promotional = _object(
        PROMOTIONAL_KEYS,
        "What marks a post as promotional (the 3-S model's 1-in-10 guideline).",
        hashtags=words,
        keywords=words,
        labels=words,
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sostac-control plan file, version 1",
        **_object(
            PLAN_KEYS,
            "A social media plan: objectives with KPI targets, budget, content rules.",
            version={"const": PLAN_VERSION},
            name={"type": "string", "minLength": 1},
            currency={"type": "string", "pattern": "^[A-Z]{3}$", "default": "EUR"},
            currency_rates={
                "type": "object",
                "description": "Converts money in other currencies: {USD: 0.92} means 1 USD is "
                "0.92 of the plan's currency. Money in a currency without a rate is left out.",
                "propertyNames": {"pattern": "^[A-Z]{3}$"},
                "additionalProperties": {"type": "number", "exclusiveMinimum": 0},
            },
            timezone={"type": "string", "description": "An IANA time zone: Europe/Amsterdam."},
            language={
                "enum": ["nl", "en"],
                "description": "The default interface and report language: nl (Dutch) or en.",
            },
            objectives={
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/objective"},
            },
            budget={"type": "array", "items": {"$ref": "#/$defs/budget_line"}},
            content={
                "type": "object",
                "additionalProperties": False,
                "properties": {"promotional": {"$ref": "#/$defs/promotional"}},
            },
            alerts=alerts_schema(day, _object),
        ),
        "$defs": {
            "objective": objective,
            "kpi": kpi,
            "budget_line": budget_line,
            "promotional": promotional,
        },
    }


def _object(keys: Keys, description: str, **properties: dict[str, Any]) -> dict[str, Any]:
    assert set(properties) == set(keys.names), "the schema must cover every key"
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "required": [name for name in keys.names if name in keys.required],
        "properties": {name: properties[name] for name in keys.names},
    }


def _kpi_rules() -> list[dict[str, Any]]:
    """Per-metric rules: fraction targets at most 1, and which denominators apply."""
    fractions = [
        m.name for m in METRICS.values() if m.is_fraction and m.name not in NOT_A_FRACTION_CHECK
    ]
    rules: list[dict[str, Any]] = [
        {
            "if": {"properties": {"metric": {"enum": fractions}}, "required": ["metric"]},
            "then": {
                "properties": {"target": {"maximum": 1}, "baseline": {"maximum": 1}},
            },
        },
        {
            "if": {
                "properties": {
                    "metric": {"enum": [m.name for m in METRICS.values() if not m.is_ratio]}
                },
                "required": ["metric"],
            },
            "then": {"not": {"required": ["denominator"]}},
        },
    ]
    for metric in METRICS.values():
        if metric.is_ratio:
            rules.append(
                {
                    "if": {
                        "properties": {"metric": {"const": metric.name}},
                        "required": ["metric"],
                    },
                    "then": {
                        "properties": {"denominator": {"enum": list(metric.allowed_denominators)}}
                    },
                }
            )
    return rules
