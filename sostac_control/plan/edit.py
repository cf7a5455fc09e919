"""Editing the plan file as tables while keeping the user's comments, key order and layout.

The Plan page edits three tables (objectives, KPIs, budget lines). `plan_tables` reads them
from the file as written (no defaults filled in); `apply_tables` writes edited tables back
through a round-trip YAML reader (ruamel.yaml), changing only the values that changed, so
comments and key order stay where the user put them. `save_plan_edits` checks the result
before it writes, and every write goes to a temporary file that then replaces the plan, so a
save never leaves a half-written file.
"""

from __future__ import annotations

import copy
import io
import json
import math
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from sostac_control import access
from sostac_control.errors import Problem
from sostac_control.plan.check import check_plan_text, read_plan_text
from sostac_control.plan.keys import BUDGET_KEYS, KPI_KEYS, OBJECTIVE_KEYS, PLAN_KEYS
from sostac_control.plan.model import PlanError

ROW = "row"  # hidden column: which item of the file a table row came from ("" for new rows)
OBJECTIVE_COLUMNS = ("id", "title", "category", "owner", "start", "end")
KPI_COLUMNS = ("objective", *KPI_KEYS.names)  # the table's rows: a KPI with its objective
BUDGET_COLUMNS = BUDGET_KEYS.names
DATE_FIELDS = frozenset({"start", "end"})
NUMBER_FIELDS = frozenset({"target", "baseline", "money", "hours", "hourly_rate"})


@dataclass
class PlanTables:
    """The plan's editable parts as rows of plain values (None for a field left out)."""

    objectives: list[dict[str, Any]]
    kpis: list[dict[str, Any]]
    budget: list[dict[str, Any]]


def plan_tables(text: str) -> PlanTables:
    """The objectives, KPIs and budget lines as written in the plan text."""
    doc = _load(text)
    objectives, kpis, budget = [], [], []
    for i, objective in enumerate(_seq(doc, "objectives")):
        objectives.append({ROW: str(i)} | {c: _plain(objective.get(c)) for c in OBJECTIVE_COLUMNS})
        for j, kpi in enumerate(_seq(objective, "kpis")):
            row = {c: _plain(kpi.get(c)) for c in KPI_COLUMNS if c != "objective"}
            kpis.append({ROW: f"{i}.{j}", "objective": _plain(objective.get("id"))} | row)
    for i, line in enumerate(_seq(doc, "budget")):
        budget.append({ROW: str(i)} | {c: _plain(line.get(c)) for c in BUDGET_COLUMNS})
    return PlanTables(objectives, kpis, budget)


def apply_tables(text: str, tables: PlanTables) -> str:
    """The plan text with the tables' values, keeping comments and order of what stays.

    Rows keep their item of the file through the hidden `row` column; rows without one are
    new items; items whose row is gone are removed. KPIs go to the objective their
    `objective` column names (by the new ids).
    """
    doc = _load(text)
    old_objectives = list(_seq(doc, "objectives"))
    old_kpis = {
        f"{i}.{j}": kpi
        for i, objective in enumerate(old_objectives)
        for j, kpi in enumerate(_seq(objective, "kpis"))
    }
    objectives: list[CommentedMap] = []
    for row in tables.objectives:
        objective = _item(old_objectives, row.get(ROW))
        _set_fields(objective, row, OBJECTIVE_COLUMNS, OBJECTIVE_KEYS.names)
        objectives.append(objective)
    by_id = {str(o.get("id")): o for o in objectives}
    kpis_of: dict[int, list[CommentedMap]] = {id(o): [] for o in objectives}
    for row in tables.kpis:
        owner = by_id.get(str(_value(row.get("objective"), "objective")))
        if owner is None:
            raise PlanError(
                f"A KPI row names the objective '{row.get('objective')}', which is not in the "
                "objectives table.",
                hint="Pick one of the objectives' ids in the KPI's objective column.",
            )
        kpi = old_kpis.get(str(row.get(ROW) or ""), CommentedMap())
        _set_fields(kpi, row, KPI_COLUMNS[1:], KPI_KEYS.names)
        kpis_of[id(owner)].append(kpi)
    for objective in objectives:
        items = kpis_of[id(objective)]
        if items or "kpis" in objective:
            _replace_items(objective, "kpis", items, OBJECTIVE_KEYS.names)
    _replace_items(doc, "objectives", objectives, PLAN_KEYS.names)
    old_budget = list(_seq(doc, "budget"))
    budget = []
    for row in tables.budget:
        line = _item(old_budget, row.get(ROW))
        _set_fields(line, row, BUDGET_COLUMNS, BUDGET_KEYS.names)
        budget.append(line)
    if budget or "budget" in doc:
        _replace_items(doc, "budget", budget, PLAN_KEYS.names)
    return _dump(doc, text)


def save_plan_edits(path: Path, tables: PlanTables) -> list[Problem]:
    """Write edited tables into the plan file when the result is a valid plan.

    Returns the problems of the edited plan; the file is written only when there are none.
    """
    access.require("edit the plan")
    old = read_plan_text(path)
    text = apply_tables(old, tables)
    _, problems = check_plan_text(text, str(path))
    if not problems:
        _require_for_alerts(old, text)
        write_plan_text(path, text)
    return problems


def save_plan_upload(path: Path, data: bytes) -> list[Problem]:
    """Replace the plan file with an uploaded one when it is a valid plan; its problems else."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [
            Problem(
                "The uploaded file is not UTF-8 text.",
                "Upload the plan's .yaml file itself, saved as UTF-8.",
                path.name,
            )
        ]
    access.require("edit the plan")
    _, problems = check_plan_text(text, path.name)
    if not problems:
        _require_for_alerts(read_plan_text(path) if path.exists() else "", text)
        write_plan_text(path, text)
    return problems


def alerts_changed(old_text: str, new_text: str) -> bool:
    """Whether the plan's `alerts:` section (its alert rules) differs between two texts."""

    def alerts(text: str) -> Any:
        try:
            section = _load(text).get("alerts") if text.strip() else None
            return json.dumps(section, default=str, sort_keys=True)
        except (YAMLError, PlanError, AttributeError):
            return None

    return bool(alerts(old_text) != alerts(new_text))


def _require_for_alerts(old_text: str, new_text: str) -> None:
    if alerts_changed(old_text, new_text):
        access.require("change alert rules")


def write_plan_text(path: Path, text: str) -> None:
    """Write the file through a temporary file and a rename: all of it or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_new_plan(path: Path, text: str) -> bool:
    """Create a plan file; False (and nothing written) when the path already exists."""
    access.require("edit the plan")
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.link(temporary, path)  # fails when the path appeared meanwhile: never overwrites
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


# -- round-trip YAML -----------------------------------------------------------------------------


def _yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long title onto a second line
    sequence, offset = _list_indent(text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _list_indent(text: str) -> tuple[int, int]:
    """The file's own list style: '- ' under a key indented by 2 (default), or not at all."""
    previous: tuple[int, str] | None = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if stripped.startswith("- ") and previous and previous[1].rstrip().endswith(":"):
            dash = max(indent - previous[0], 0)
            return dash + 2, dash
        previous = (indent, stripped.split(" #")[0])
    return 4, 2


def _load(text: str) -> CommentedMap:
    try:
        doc = _yaml(text).load(text)
    except YAMLError as exc:
        raise PlanError(
            f"The plan cannot be edited here: it is not valid YAML ({exc}).",
            hint="Fix the problems listed for the file first, or upload a corrected plan.",
        ) from exc
    if not isinstance(doc, CommentedMap):
        raise PlanError(
            "The plan cannot be edited here: it is not a set of 'key: value' lines.",
            hint="Start from `sostac-control plan init`, or upload a corrected plan.",
        )
    return doc


def _dump(doc: CommentedMap, text: str) -> str:
    out = io.StringIO()
    _yaml(text).dump(doc, out)
    return out.getvalue()


def _seq(parent: Any, key: str) -> Iterable[CommentedMap]:
    value = parent.get(key) if isinstance(parent, CommentedMap) else None
    if not isinstance(value, CommentedSeq):
        return []
    return [item for item in value if isinstance(item, CommentedMap)]


def _item(old: list[CommentedMap], row: Any) -> CommentedMap:
    text = "" if _blank(row) else str(row)
    return old[int(text)] if text.isdigit() and int(text) < len(old) else CommentedMap()


def _replace_items(
    parent: CommentedMap, key: str, items: list[CommentedMap], order: tuple[str, ...]
) -> None:
    seq = parent.get(key)
    if isinstance(seq, CommentedSeq):
        if len(seq) and items and seq[-1] is not items[-1]:
            _move_trailing_comment(seq[-1], items[-1])
        del seq[:]
        seq.extend(items)
    else:
        _put(parent, key, CommentedSeq(items), order)


def _last_slot(node: Any) -> tuple[Any, Any] | None:
    """The innermost last (container, key) of a node: where YAML keeps what follows it."""
    if isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        return _last_slot(node[key]) or (node, key)
    if isinstance(node, CommentedSeq) and len(node):
        return _last_slot(node[-1]) or (node, len(node) - 1)
    return None


def _move_trailing_comment(old_last: Any, new_last: Any) -> None:
    """Comment lines after a list's last item (e.g. the next section's heading) stay last.

    ruamel keeps them on the last value of the last item; when that item moves or goes, the
    lines go with it, so they are moved to the list's new last item. Its own end-of-line
    comment stays where it is.
    """
    source, target = _last_slot(old_last), _last_slot(new_last)
    if source is None or target is None:
        return
    container, key = source
    entry = container.ca.items.get(key)
    token = entry[2] if entry and len(entry) > 2 else None
    if token is None or "\n" not in token.value.rstrip("\n"):
        return
    own, _, rest = token.value.partition("\n")
    token.value = own + "\n"
    target_container, target_key = target
    target_entry = target_container.ca.items.setdefault(target_key, [None, None, None, None])
    while len(target_entry) < 3:
        target_entry.append(None)
    if target_entry[2] is None:
        moved = copy.copy(token)
        moved.value = "\n" + rest
        target_entry[2] = moved
    else:
        target_entry[2].value = target_entry[2].value.rstrip("\n") + "\n" + rest


def _set_fields(
    target: CommentedMap, row: dict[str, Any], columns: Iterable[str], order: tuple[str, ...]
) -> None:
    for column in columns:
        value = _value(row.get(column), column)
        if value is None:
            if column in target:
                del target[column]
        elif column not in target or not _same(target[column], value):
            _put(target, column, value, order)


def _put(target: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set a key; a new key goes where plan init would write it among the keys present."""
    if key in target:
        target[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = sum(1 for k in target if k in order and order.index(k) < rank)
    target.insert(position, key, value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    return bool(old == new)


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _value(value: Any, column: str) -> Any:
    """A table cell as the YAML value to write; None for an empty cell."""
    if _blank(value):
        return None
    if column in DATE_FIELDS:
        if isinstance(value, datetime) or hasattr(value, "to_pydatetime"):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return text  # the check after editing names the line and says how to write it
    if column in NUMBER_FIELDS:
        if isinstance(value, str):
            text = value.strip()
            if not re.fullmatch(r"-?\d+(\.\d+)?", text):
                return text  # the check names it and suggests the number meant
            value = float(text)
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return str(value).strip()


def _plain(value: Any) -> Any:
    """A YAML value as a table cell: plain str, int, float, date or None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, CommentedMap | CommentedSeq):
        return None
    return str(value)
