"""The plan: objectives with their KPI targets, budgets and content rules, and its file.

    model.py    the typed models (Plan, Objective, Kpi, BudgetLine, ContentRules), PlanError
    yaml.py     YAML text → values that remember their lines (fast for plain block YAML)
    limits.py   the bounds of a plan file (size, nesting, aliases, digits), checked first
    fields.py   one field at a time: text, choices, numbers, dates, with hints
    check.py    the plan's structure: every problem at once (with line numbers), then the models
    keys.py     what a plan file may say: the keys of each mapping and the allowed values
    load.py     the way in: load_plan (a file), parse_plan (text)
    smart.py    the SMART check of each objective (advice, not validation)
    schema.py   the JSON Schema for editors
    edit.py     table edits written back keeping comments; atomic saves
    example.py  the commented example plan of `plan init`

May import: catalog and errors only. The plan knows nothing of the store, the engine or pages.
"""

from __future__ import annotations

from sostac_control.plan.load import load_plan, parse_plan
from sostac_control.plan.model import (
    PLAN_VERSION,
    BudgetLine,
    ContentRules,
    Kpi,
    Objective,
    Plan,
    PlanError,
    PlanUnreadableError,
)

__all__ = [
    "PLAN_VERSION",
    "BudgetLine",
    "ContentRules",
    "Kpi",
    "Objective",
    "Plan",
    "PlanError",
    "PlanUnreadableError",
    "load_plan",
    "parse_plan",
]
