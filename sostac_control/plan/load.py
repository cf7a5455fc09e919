"""Load a plan: read and check a plan file (or text) into the models, or fail with every problem."""

from __future__ import annotations

from pathlib import Path

from sostac_control.plan.check import check_plan_file, check_plan_text
from sostac_control.plan.model import Plan, plan_error


def load_plan(path: Path | str) -> Plan:
    """Read and check a plan file; PlanError with every problem when it is not usable."""
    plan, problems = check_plan_file(Path(path))
    if problems or plan is None:
        raise plan_error(Path(path), problems)
    return plan


def parse_plan(text: str, source: str = "plan text") -> Plan:
    """Read and check plan text (an upload, a test); PlanError with every problem."""
    plan, problems = check_plan_text(text, source)
    if problems or plan is None:
        raise plan_error(Path(source), problems)
    return plan
