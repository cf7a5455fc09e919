"""What needs attention on Monday: per objective that is not on course, its status, why, the
pace it needs from now on, and whether its status moved since last week.

The pace is computed here from the KPI's target, its actual so far and the days left, so the
Overview and the Channels page say the same thing: "3,100 views a day needed, now 1,600".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sostac_control.catalog import format_value, get_metric
from sostac_control.engine.status import KpiStatus, ObjectiveStatus, PlanStatus
from sostac_control.i18n import _, ngettext
from sostac_control.views.statuses import status_words

# Statuses that ask for a look, worst first; the others are shown only when they moved.
NEEDS_ATTENTION = ("off_track", "missed", "stale", "at_risk", "no_data")


@dataclass(frozen=True)
class Pace:
    """What a KPI needs from the as-of day to the end of its period, against its pace so far."""

    needed_per_day: float | None  # to reach (or stay under) the target
    now_per_day: float | None  # the actual so far over the days gone
    days_left: int
    sentence: str

    @property
    def needed_per_week(self) -> float | None:
        return None if self.needed_per_day is None else self.needed_per_day * 7


def pace_needed(k: KpiStatus, as_of: date, currency: str) -> Pace:
    """The pace a KPI needs from the day after `as_of` to its end, in words."""
    kpi = k.kpi
    m = get_metric(kpi.metric)
    days_left = max((kpi.end - as_of).days, 0)
    # The pace so far runs to the last day with data: days not loaded yet are not zeros.
    seen = min(as_of, k.last_data_day) if k.last_data_day is not None else as_of
    gone = max(min((seen - kpi.start).days + 1, (kpi.end - kpi.start).days + 1), 0)
    unit = m.label.lower()

    def fmt(value: float) -> str:
        # A pace of 71.8 a day reads as 72: whole units from 10 up.
        whole = m.unit == "count" and abs(value) >= 10
        return format_value(round(value) if whole else value, kpi.metric, currency)

    if k.actual is None or days_left == 0 or gone == 0:
        return Pace(None, None, days_left, "")
    if m.kind == "sum":
        now = k.actual / gone
        left = kpi.target - k.actual
        needed = left / days_left
        if kpi.direction == "down":
            if left <= 0:
                text = _("already over the ceiling by {amount}").format(amount=fmt(-left))
                return Pace(0.0, now, days_left, text)
            text = _("at most {pace} {unit} a day, now {now}").format(
                pace=fmt(needed), unit=unit, now=fmt(now)
            )
            return Pace(needed, now, days_left, text)
        if left <= 0:
            return Pace(0.0, now, days_left, _("target reached; keep it up"))
        text = ngettext(
            "{pace} {unit} a day needed for {days} more day, now {now}",
            "{pace} {unit} a day needed for {days} more days, now {now}",
            days_left,
        ).format(pace=fmt(needed), unit=unit, days=days_left, now=fmt(now))
        return Pace(needed, now, days_left, text)
    if m.kind == "level":
        gain = kpi.target - k.actual
        if gain <= 0:
            return Pace(0.0, None, days_left, _("target reached"))
        per_week = gain / days_left * 7
        text = _("{pace} more {unit} a week needed").format(pace=fmt(per_week), unit=unit)
        return Pace(gain / days_left, None, days_left, text)
    if kpi.direction == "down":
        text = _("at most {target} over the {days} days left, now {now}")
    else:
        text = _("at least {target} over the {days} days left, now {now}")
    return Pace(
        None,
        None,
        days_left,
        text.format(target=fmt(kpi.target), days=days_left, now=fmt(k.actual)),
    )


@dataclass(frozen=True)
class AttentionItem:
    """One objective on the Overview's first screen."""

    objective_id: str
    title: str
    status: str
    status_before: str | None  # a week earlier; None when it did not move
    kpi_index: int
    kpi_label: str
    reason: str
    cause: str  # the attribution of the gap, when the status rules give one
    pace: str
    crisis: str = ""  # the status rules' crisis flag (a spike of negative signals), in words

    @property
    def moved(self) -> str:
        if self.status_before is None:
            return ""
        return f"{status_words(self.status_before)} → {status_words(self.status)}"


def _cause(k: KpiStatus) -> str:
    """The status rules' attribution of the gap (the culprit), in words, where they give one."""
    return k.attribution.text if k.attribution is not None else ""


def _crisis(objective: ObjectiveStatus) -> str:
    """The objective's crisis flag in words, where the status rules raise one."""
    return objective.crisis.text if objective.crisis is not None else ""


def attention(now: PlanStatus, week_ago: PlanStatus | None, currency: str) -> list[AttentionItem]:
    """Objectives that need a look (worst first), then those whose status moved this week."""
    before = {}
    if week_ago is not None:
        before = {o.objective.id: o.status for o in week_ago.objectives}
    items = []
    for obj in now.objectives:
        moved = before.get(obj.objective.id)
        moved = moved if moved is not None and moved != obj.status else None
        crisis = _crisis(obj)
        if obj.status not in NEEDS_ATTENTION and moved is None and not crisis:
            continue
        index, worst = next(
            ((i, k) for i, k in enumerate(obj.kpis) if k.status == obj.status),
            (0, obj.kpis[0]) if obj.kpis else (0, None),
        )
        if worst is None:
            continue
        items.append(
            AttentionItem(
                obj.objective.id,
                obj.objective.title,
                obj.status,
                moved,
                index,
                worst.label,
                worst.reason,
                _cause(worst),
                pace_needed(worst, now.as_of, currency).sentence,
                crisis,
            )
        )
    order = {s: i for i, s in enumerate(NEEDS_ATTENTION)}
    items.sort(key=lambda a: (not a.crisis, order.get(a.status, len(order))))
    return items
