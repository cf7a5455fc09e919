"""The status document: a KPI's, an objective's and a plan's status on a day, as `status --json`
writes it (DESIGN.md's keys, then added ones). status.py fills it; views and reports read it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sostac_control.engine.attribution import Attribution
from sostac_control.engine.crisis import Crisis
from sostac_control.engine.freshness import Refresh
from sostac_control.engine.status_rules import worst

if TYPE_CHECKING:
    from sostac_control.plan.model import Kpi, Objective


def _clean(value: float | None, digits: int = 6) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits) if abs(value) < 1e15 else float(value)


@dataclass
class KpiStatus:
    """One KPI on the as-of day: figures for DESIGN.md's status document plus chart details."""

    kpi: Kpi
    status: str
    reason: str
    actual: float | None = None
    expected_to_date: float | None = None
    projected: float | None = None
    projected_low: float | None = None
    projected_high: float | None = None
    probability: float | None = None
    required_per_day: float | None = None
    drift_began: date | None = None
    last_data_day: date | None = None
    note: str = ""  # the value's definition note (metrics.py)
    notes: list[str] = field(default_factory=list)  # things worth knowing that set no status
    attribution: Attribution | None = None
    last_judged: str | None = None  # stale: the status on the last day with data

    @property
    def label(self) -> str:
        return self.kpi.label

    def to_dict(self) -> dict[str, Any]:
        """The KPI entry of `status --json` (DESIGN.md's keys, then added ones)."""
        return {
            "metric": self.kpi.metric,
            "channel": self.kpi.channel,
            "target": self.kpi.target,
            "direction": self.kpi.direction,
            "actual": _clean(self.actual),
            "expected_to_date": _clean(self.expected_to_date),
            "projected": _clean(self.projected),
            "probability": _clean(self.probability, 3),
            "status": self.status,
            "reason": self.reason,
            "notes": list(self.notes),
            "attribution": None if self.attribution is None else self.attribution.to_dict(),
            "last_data_day": None if self.last_data_day is None else self.last_data_day.isoformat(),
            "last_judged": self.last_judged,
        }


@dataclass
class ObjectiveStatus:
    """An objective on the as-of day: its worst KPI's status, why, and any crisis flag."""

    objective: Objective
    status: str
    reason: str
    kpis: list[KpiStatus] = field(default_factory=list)
    crisis: Crisis | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.objective.id,
            "title": self.objective.title,
            "status": self.status,
            "reason": self.reason,
            "kpis": [k.to_dict() for k in self.kpis],
            "crisis": None if self.crisis is None else self.crisis.to_dict(),
        }


@dataclass
class PlanStatus:
    """Every objective's status on one day, and the sources to refresh for stale KPIs."""

    as_of: date
    objectives: list[ObjectiveStatus]
    refresh: list[Refresh] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md's `status --json` document (plus `refresh`)."""
        return {
            "as_of": self.as_of.isoformat(),
            "objectives": [o.to_dict() for o in self.objectives],
            "refresh": [
                {
                    "channel": r.channel,
                    "last_day": None if r.last_day is None else r.last_day.isoformat(),
                    "source": r.source,
                    "text": r.text,
                }
                for r in self.refresh
            ],
        }

    def worst(self) -> str:
        return worst([o.status for o in self.objectives])
