"""What the Plan page shows, gathered in one call: the plan (or why it cannot be used), its
objective → KPI → target tree with formatted figures, the budget, the SMART check, and the
tables to edit. The page only draws this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sostac_control import store
from sostac_control.catalog import CATEGORIES, CHANNEL_LABELS, METRICS, format_value
from sostac_control.dbfile import StoreRef, store_exists
from sostac_control.engine.suggest import Suggestion, chance_percent, suggest_plan
from sostac_control.errors import Problem, SostacError
from sostac_control.i18n import N_, Labels, _
from sostac_control.plan.check import check_plan_text, read_plan_text
from sostac_control.plan.edit import (
    PlanTables,
    alerts_changed,
    plan_tables,
    save_plan_edits,
    save_plan_upload,
)
from sostac_control.plan.model import Plan
from sostac_control.plan.smart import CRITERIA, SmartFinding, smart_check

UNLIKELY = 0.2  # a target with a smaller chance on history and trend is named under Achievable

SMART_WORDS = Labels(
    {"ok": N_("ok"), "weak": N_("weak"), "missing": N_("missing"), "unchecked": N_("unchecked")}
)
SMART_SYMBOLS = {"ok": "✅", "weak": "⚠️", "missing": "❌", "unchecked": "➖"}


def smart_mark(status: str) -> str:
    """A SMART status as a mark with its word: "✅ ok", "❌ ontbreekt"."""
    return f"{SMART_SYMBOLS[status]} {SMART_WORDS[status]}"


@dataclass
class PlanView:
    """The plan file as the Plan page shows it."""

    path: Path
    exists: bool
    text: str = ""
    plan: Plan | None = None
    problems: list[Problem] = field(default_factory=list)
    error: SostacError | None = None  # the file cannot be read at all
    smart: list[SmartFinding] = field(default_factory=list)
    smart_note: str = ""  # why Measurable was not checked
    tables: PlanTables | None = None
    edit_error: SostacError | None = None  # why the tables cannot be edited
    suggestions: list[Suggestion] = field(default_factory=list)

    def suggestion_rows(self) -> list[dict[str, Any]]:
        """Per KPI: the plan's target beside the values history makes 50% and 80% likely."""
        currency = self.plan.currency if self.plan is not None else "EUR"

        def shown(value: float | None, metric: str) -> str:
            return "—" if value is None else format_value(value, metric, currency)

        return [
            {
                "objective": s.objective_id,
                "KPI": s.kpi.label,
                "target": shown(s.kpi.target, s.kpi.metric),
                "50% likely": shown(s.likely_50, s.kpi.metric),
                "80% likely": shown(s.likely_80, s.kpi.metric),
                "chance of the target": "—"
                if s.current_chance is None
                else chance_percent(s.current_chance),
                "basis": s.basis,
            }
            for s in self.suggestions
        ]

    def objective_rows(self) -> list[dict[str, Any]]:
        """One row per objective: id, title, category, owner, period, KPIs, SMART summary."""
        if self.plan is None:
            return []
        return [
            {
                "id": o.id,
                "title": o.title,
                "category": CATEGORIES[o.category].split(":")[0] if o.category else "—",
                "owner": o.owner or "—",
                "period": _period(o.start, o.end),
                "KPIs": len(o.kpis),
                "SMART": " ".join(
                    f"{CRITERIA[f.criterion][0]}{_mark(f.status)}"
                    for f in self.smart
                    if f.objective_id == o.id
                ),
            }
            for o in self.plan.objectives
        ]

    def kpi_rows(self, objective_id: str) -> list[dict[str, Any]]:
        """The KPIs of one objective with their targets formatted as a reader expects them."""
        assert self.plan is not None
        currency = self.plan.currency
        rows = []
        for kpi in self.plan.objective(objective_id).kpis:
            metric = METRICS[kpi.metric]
            rows.append(
                {
                    "KPI": kpi.label,
                    "target": format_value(kpi.target, kpi.metric, currency),
                    "baseline": format_value(kpi.baseline, kpi.metric, currency),
                    "direction": "↑ " + _("higher is better")
                    if kpi.direction == "up"
                    else "↓ " + _("lower is better"),
                    "period": _period(kpi.start, kpi.end),
                    "aggregation": metric.kind,
                    "definition": _definition(kpi.metric, kpi.denominator),
                    "line": kpi.line,
                }
            )
        return rows

    def budget_rows(self) -> list[dict[str, Any]]:
        """The budget lines with money, hours, rate and people cost in the plan's currency."""
        if self.plan is None:
            return []
        money = self.plan.currency

        def cash(value: float) -> str:
            return format_value(value, "spend", money)

        return [
            {
                "channel": CHANNEL_LABELS.get(b.channel, b.channel),
                "period": _period(b.start, b.end),
                "money": cash(b.money),
                "hours": f"{b.hours:,.0f} h",
                "hourly rate": cash(b.hourly_rate),
                "people cost": cash(b.people_cost),
                "total": cash(b.total_cost),
            }
            for b in self.plan.budget
        ]

    def budget_total(self) -> str:
        assert self.plan is not None
        total = sum(b.total_cost for b in self.plan.budget)
        return format_value(total, "spend", self.plan.currency)

    def smart_rows(self) -> list[dict[str, Any]]:
        """One row per objective with a mark per SMART criterion."""
        rows: dict[str, dict[str, Any]] = {}
        for f in self.smart:
            row = rows.setdefault(f.objective_id, {"objective": f.objective_id})
            row[CRITERIA[f.criterion]] = smart_mark(f.status)
        return list(rows.values())

    def smart_advice(self) -> list[dict[str, Any]]:
        """What is missing or weak, objective by objective; with data, Achievable also names
        each target that history and trend give under a 20% chance (suggested targets)."""
        rows = [
            {
                "objective": f.objective_id,
                "criterion": CRITERIA[f.criterion],
                "status": SMART_WORDS[f.status],
                "advice": f.message,
            }
            for f in self.smart
            if f.status in ("weak", "missing")
        ]
        currency = self.plan.currency if self.plan is not None else "EUR"
        for s in self.suggestions:
            if s.current_chance is None or s.likely_80 is None or s.current_chance >= UNLIKELY:
                continue
            k = s.kpi
            rows.append(
                {
                    "objective": s.objective_id,
                    "criterion": CRITERIA["achievable"],
                    "status": SMART_WORDS["weak"],
                    "advice": _(
                        "{kpi}: the target {target} has a {chance} chance on history and trend; "
                        "{likely} is 80% likely (see Suggested targets)."
                    ).format(
                        kpi=k.label,
                        target=format_value(k.target, k.metric, currency),
                        chance=chance_percent(s.current_chance),
                        likely=format_value(s.likely_80, k.metric, currency),
                    ),
                }
            )
        return rows


def plan_view(path: Path, db: StoreRef | None) -> PlanView:
    """Read, check and explain the plan file; the SMART check uses the database if it exists."""
    view = PlanView(path=path, exists=path.exists())
    if not view.exists:
        return view
    try:
        view.text = read_plan_text(path)
    except SostacError as exc:
        view.error = exc
        return view
    view.plan, view.problems = check_plan_text(view.text, str(path))
    if view.plan is not None:
        view.plan.path = path
        if db is not None and store_exists(db):
            try:
                with store.reader(db) as con:
                    view.smart = smart_check(view.plan, con)
                    view.suggestions = suggest_plan(con, view.plan)
            except SostacError as exc:
                view.smart_note = f"Measurable not checked: {exc.message}"
                view.smart = smart_check(view.plan)
        else:
            view.smart_note = f"Measurable not checked: there is no database at {db} yet."
            view.smart = smart_check(view.plan)
    try:
        view.tables = plan_tables(view.text)
    except SostacError as exc:
        view.edit_error = exc
    return view


def _period(start: Any, end: Any) -> str:
    days = (end - start).days + 1
    return f"{start:%d %b %Y} – {end:%d %b %Y} ({days} days)"


def _definition(metric_name: str, denominator: str | None) -> str:
    metric = METRICS[metric_name]
    if metric.is_ratio and denominator and denominator != metric.denominator:
        return f"{metric.definition} Here: per {METRICS[denominator].label.lower()}."
    return metric.definition


def _mark(status: str) -> str:
    return SMART_SYMBOLS[status]


def save_edits(path: Path, db: StoreRef, tables: PlanTables) -> list[Problem]:
    """Save edited plan tables (plan.edit checks the user's role) and note who did it in the
    workspace's change log; the problems of the edited plan (nothing saved then)."""
    before = read_plan_text(path)
    problems = save_plan_edits(path, tables)
    if not problems:
        _record(db, path, before, "edited the plan's tables")
    return problems


def save_upload(path: Path, db: StoreRef, data: bytes, name: str) -> list[Problem]:
    """Replace the plan with an uploaded file when it is valid, and note who did it."""
    before = read_plan_text(path) if path.exists() else ""
    problems = save_plan_upload(path, data)
    if not problems:
        _record(db, path, before, f"replaced the plan with {name}")
    return problems


def _record(db: StoreRef, path: Path, before: str, detail: str) -> None:
    after = read_plan_text(path)
    what = "alert rules" if alerts_changed(before, after) else "plan"
    store.record_change(db, what, f"{detail} ({path.name})")
