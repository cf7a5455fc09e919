"""The plan's typed models: objectives with their KPI targets, budget lines, content rules.

A plan is YAML, version 1 (DESIGN.md, "Plan file"). The models are plain dataclasses built by
`plan.check`; `plan.load` is the way in (`load_plan` a file, `parse_plan` text).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sostac_control.catalog import CHANNEL_LABELS, METRICS, AggregationKind, Direction
from sostac_control.errors import Problem, SostacError
from sostac_control.plan.alerts import AlertSettings

PLAN_VERSION = 1
DEFAULT_PLAN = Path("data/plan.yaml")


def default_plan_path() -> Path:
    """The plan path: SOSTAC_PLAN, else data/plan.yaml."""
    return Path(os.environ.get("SOSTAC_PLAN") or DEFAULT_PLAN)


@dataclass(frozen=True)
class Kpi:
    """One measurable target: a metric on a channel (optionally one account) over a period."""

    metric: str
    channel: str
    account: str | None
    target: float
    baseline: float | None
    denominator: str | None  # ratio metrics: the denominator metric (default from the catalogue)
    direction: Direction
    start: date
    end: date
    line: int | None = None  # 1-based line of the KPI in the plan file
    objective_id: str = ""

    @property
    def kind(self) -> AggregationKind:
        """The metric's aggregation kind: sum, level, unique or ratio."""
        return METRICS[self.metric].kind

    @property
    def label(self) -> str:
        """How a reader names the KPI: "Engagement rate (per reach) · Instagram @koffiebarnoord"."""
        metric = METRICS[self.metric]
        text = metric.label
        if metric.is_ratio and self.denominator and self.denominator != metric.denominator:
            text += f" (per {METRICS[self.denominator].label.lower()})"
        text += f" · {CHANNEL_LABELS.get(self.channel, self.channel)}"
        if self.account:
            text += f" @{self.account}"
        return text

    @property
    def days(self) -> int:
        """Calendar days in the KPI's period, both ends included."""
        return (self.end - self.start).days + 1


@dataclass
class Objective:
    """A SOSTAC objective: what should improve, who answers for it, when, measured by KPIs."""

    id: str
    title: str
    category: str | None  # the 5 S's: sell, serve, sizzle, speak, save
    owner: str | None
    start: date
    end: date
    kpis: list[Kpi] = field(default_factory=list)
    line: int | None = None


@dataclass(frozen=True)
class BudgetLine:
    """The 3 M's for one channel and period: money (media spend), hours and their rate."""

    channel: str
    start: date
    end: date
    money: float = 0.0
    hours: float = 0.0
    hourly_rate: float = 0.0
    line: int | None = None

    @property
    def people_cost(self) -> float:
        """Planned hours times the hourly rate."""
        return self.hours * self.hourly_rate

    @property
    def total_cost(self) -> float:
        """Media money plus people cost."""
        return self.money + self.people_cost


@dataclass(frozen=True)
class ContentRules:
    """What marks a post as promotional, for the 3-S model's 1-in-10 guideline."""

    promotional_hashtags: tuple[str, ...] = ()
    promotional_keywords: tuple[str, ...] = ()
    promotional_labels: tuple[str, ...] = ()


@dataclass
class Plan:
    """A social media plan's objectives, budget and content rules, read from one YAML file."""

    name: str
    currency: str
    timezone: str | None
    objectives: list[Objective]
    budget: list[BudgetLine] = field(default_factory=list)
    content: ContentRules = field(default_factory=ContentRules)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    path: Path | None = None
    currency_rates: dict[str, float] = field(default_factory=dict)  # 1 CODE = rate × currency
    language: str | None = None  # the default interface and report language: "nl" or "en"

    @property
    def kpis(self) -> list[Kpi]:
        """Every KPI of every objective, in file order."""
        return [kpi for objective in self.objectives for kpi in objective.kpis]

    def objective(self, objective_id: str) -> Objective:
        """The objective with this id; KeyError when there is none."""
        for objective in self.objectives:
            if objective.id == objective_id:
                return objective
        raise KeyError(objective_id)

    @property
    def start(self) -> date | None:
        """The first day of any objective or budget line."""
        days = [o.start for o in self.objectives] + [b.start for b in self.budget]
        return min(days) if days else None

    @property
    def end(self) -> date | None:
        """The last day of any objective or budget line."""
        days = [o.end for o in self.objectives] + [b.end for b in self.budget]
        return max(days) if days else None


class PlanError(SostacError):
    """A plan file that cannot be used; `problems` holds every problem found, with its line."""


class PlanUnreadableError(PlanError):
    """The plan file cannot be read at all (missing, a folder, not text): exit code 2."""


def read_plan_text(path: Path) -> str:
    """The plan file's text; PlanUnreadableError that says why when there is none."""
    try:
        return path.read_text(encoding="utf-8-sig")
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


def plan_error(path: Path, problems: list[Problem]) -> PlanError:
    """The error for a plan with these problems: a count, the first few lines, and a hint."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    lines = sorted({p.line for p in problems if p.line})
    shown = ", ".join(str(n) for n in lines[:5]) + (", …" if len(lines) > 5 else "")
    where = f" ({'line' if len(lines) == 1 else 'lines'} {shown})"
    return PlanError(
        f"{path} has {count} {noun}{where if lines else ''}.",
        hint="Fix each problem listed (line, field, hint), then check again with "
        f"`sostac-control plan validate {path}`.",
        problems=problems,
    )
