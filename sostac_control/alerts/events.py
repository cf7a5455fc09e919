"""What one `alert` run should announce: status changes per rule, digests that are due, holds.

A rule announces a subject (an objective, or a KPI with `level: kpi`) when its status enters
one of the rule's events and differs from what the rule last announced about it; `recovered`
is a return to on track after at risk, off track, stale or crisis. `repeat: every_run` repeats
the announcement once per day while the status lasts. A digest is due from its weekly moment
("every monday 08:00", in the plan's time zone) until it has been sent for that week.

All alerts are held while a source the plan's running KPIs read has no data for longer than
its usual delay (as the status rules learn it from the load history, engine/freshness.py; or
the plan's `stale_after_days`), or while the newest file loaded was refused; rules that
announce `stale` then say that once per hold instead. A crisis flag of an objective is
announced once per crisis (its channel and first day), apart from the status changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb

from sostac_control import store
from sostac_control.catalog import ALL_CHANNELS, CHANNEL_LABELS
from sostac_control.engine import freshness
from sostac_control.engine.status import PlanStatus
from sostac_control.engine.status_rules import DEFAULT_STALE_DAYS
from sostac_control.engine.status_words import status_words
from sostac_control.i18n import _, date_short, date_time, day_month
from sostac_control.plan import Plan
from sostac_control.plan.alerts import BAD_STATES, AlertRule, AlertSettings

ENDED_LONG_AGO = timedelta(days=7)  # achieved/missed this long after the end is history


@dataclass
class Event:
    """One thing to announce (before it is split per destination)."""

    rule: AlertRule
    subject: str
    event: str
    occasion: str
    title: str
    lines: list[str]
    facts: dict[str, object] = field(default_factory=dict)

    def claims(self, as_of: date) -> list[store.AlertClaim]:
        stem = f"{self.rule.name}|{self.subject}|{self.event}|{self.occasion}"
        return [
            store.AlertClaim(
                f"{stem}|{name}",
                self.rule.name,
                self.subject,
                self.event,
                self.occasion,
                name,
                as_of,
                self.title,
            )
            for name in self.rule.send_to
        ]


@dataclass(frozen=True)
class Hold:
    """Why alerts are held: a stale source or a refused load."""

    key: str  # stable while the cause lasts (one `stale` notice per hold)
    reason: str


def holds(
    con: duckdb.DuckDBPyConnection, plan: Plan, settings: AlertSettings, as_of: date
) -> list[Hold]:
    """The reasons to hold alerts on `as_of` (none: send)."""
    found: list[Hold] = []
    running = [k for k in plan.kpis if k.start <= as_of <= k.end]
    channels = sorted({k.channel for k in running})
    usual = freshness.stale_after_by_channel(con) if settings.stale_after_days is None else {}
    for channel in channels:
        last = store.channel_last_day(con, None if channel == ALL_CHANNELS else channel, as_of)
        label = CHANNEL_LABELS.get(channel, channel)
        if last is None:
            continue  # no data at all: the KPIs say no_data; nothing stopped
        last = min(last, as_of)
        gap = (as_of - last).days
        limit = settings.stale_after_days or usual.get(channel, DEFAULT_STALE_DAYS)
        if gap > limit:
            found.append(
                Hold(
                    f"stale:{channel}:{last.isoformat()}",
                    _(
                        "{channel} has no data after {last} ({gap} days before {day}; more "
                        "than {limit} days): load its newest export"
                    ).format(
                        channel=label,
                        last=date_short(last),
                        gap=gap,
                        day=day_month(as_of),
                        limit=limit,
                    ),
                )
            )
    refused = store.refusal_after_last_load(con) if settings.hold_on_refused_load else None
    if refused is not None:
        refused_at, source, message = refused
        found.append(
            Hold(
                f"refused:{source}:{refused_at:%Y%m%dT%H%M%S}",
                _(
                    "the newest file loaded, {file} ({moment}), was refused: {message} Load a "
                    "good export to release the alerts"
                ).format(file=source, moment=date_time(refused_at), message=message),
            )
        )
    return found


def _event_words(event: str) -> str:
    """An alert's event in words: a status (off track / uit koers), recovered, crisis."""
    if event == "recovered":
        return _("recovered")
    return _("crisis") if event == "crisis" else status_words(event)


def _subjects(
    status: PlanStatus, rule: AlertRule
) -> Iterator[tuple[str, str, str, str, str, date]]:
    """(subject key, objective, label, status, reason, end day) for the rule's level."""
    for o in status.objectives:
        if rule.objectives and o.objective.id not in rule.objectives:
            continue
        if rule.level == "objective":
            yield (
                f"objective:{o.objective.id}",
                o.objective.id,
                o.objective.title,
                o.status,
                o.reason,
                o.objective.end,
            )
            continue
        for n, k in enumerate(o.kpis):
            yield (
                f"kpi:{o.objective.id}#{n + 1}",
                o.objective.id,
                f"{k.label} ({o.objective.id})",
                k.status,
                k.reason,
                k.kpi.end,
            )


def status_events(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    status: PlanStatus,
    muted: list[str],
) -> list[Event]:
    """The status changes each (non-digest) rule should announce on the status's day."""
    as_of = status.as_of
    settings = plan.alerts
    events: list[Event] = []
    for rule in settings.rules:
        if rule.is_digest:
            continue
        for subject, objective_id, label, state, reason, end in _subjects(status, rule):
            last = store.announced(con, rule.name, subject)
            event = state
            if state == "on_track" and last.event in BAD_STATES:
                event = "recovered"
            if event not in rule.events:
                continue
            if event in ("achieved", "missed") and as_of - end > ENDED_LONG_AGO:
                continue
            occasion = as_of.isoformat() if rule.repeat == "every_run" else f"#{last.episodes + 1}"
            if rule.repeat == "once" and event == last.event:
                if not last.unfinished:
                    continue
                occasion = last.occasion  # a send failed: claim the same alert again
            until = settings.muted_until(objective_id, as_of)
            if until is not None:
                muted.append(
                    _("{label}: {event} (muted until {day})").format(
                        label=label, event=_event_words(event), day=date_short(until)
                    )
                )
                continue
            words = _event_words(event)
            events.append(
                Event(
                    rule,
                    subject,
                    event,
                    occasion,
                    f"{label}: {words}",
                    [reason] if reason else [],
                    {
                        "rule": rule.name,
                        "event": event,
                        "subject": subject,
                        "objective": objective_id,
                        "label": label,
                        "status": state,
                        "reason": reason,
                        "as_of": as_of.isoformat(),
                        "plan": plan.name,
                    },
                )
            )
    return events + crisis_events(con, plan, status, muted)


def crisis_events(
    con: duckdb.DuckDBPyConnection, plan: Plan, status: PlanStatus, muted: list[str]
) -> list[Event]:
    """Each objective's crisis flag, once per crisis (channel and first day), to the rules that
    announce `crisis`."""
    as_of = status.as_of
    events: list[Event] = []
    for rule in plan.alerts.rules:
        if rule.is_digest or "crisis" not in rule.events:
            continue
        for o in status.objectives:
            flag = o.crisis
            if flag is None or (rule.objectives and o.objective.id not in rule.objectives):
                continue
            subject = f"crisis:{o.objective.id}"
            occasion = f"{flag.channel}:{flag.began.isoformat()}"
            last = store.announced(con, rule.name, subject)
            if last.occasion == occasion and not last.unfinished:
                continue
            channel = CHANNEL_LABELS.get(flag.channel, flag.channel)
            until = plan.alerts.muted_until(o.objective.id, as_of)
            if until is not None:
                muted.append(
                    _("{label}: {event} (muted until {day})").format(
                        label=o.objective.title, event=_("crisis"), day=date_short(until)
                    )
                )
                continue
            events.append(
                Event(
                    rule,
                    subject,
                    "crisis",
                    occasion,
                    _("{objective}: crisis on {channel} since {day}").format(
                        objective=o.objective.title, channel=channel, day=day_month(flag.began)
                    ),
                    [flag.size],
                    {
                        "rule": rule.name,
                        "event": "crisis",
                        "subject": subject,
                        "objective": o.objective.id,
                        "label": o.objective.title,
                        "status": o.status,
                        "reason": flag.size,
                        "crisis": flag.to_dict(),
                        "as_of": as_of.isoformat(),
                        "plan": plan.name,
                    },
                )
            )
    return events


def hold_events(plan: Plan, found: list[Hold], as_of: date) -> list[Event]:
    """Rules that announce `stale` say once per hold that alerts are held, and why."""
    if not found:
        return []
    key = "+".join(sorted(h.key for h in found))
    reasons = [h.reason for h in found]
    events = []
    for rule in plan.alerts.rules:
        if rule.is_digest or "stale" not in rule.events:
            continue
        events.append(
            Event(
                rule,
                "data",
                "held",
                key,
                _("{plan}: alerts held").format(plan=plan.name),
                [_("Alerts are held because:"), *(f"• {reason}." for reason in reasons)],
                {
                    "rule": rule.name,
                    "event": "held",
                    "subject": "data",
                    "reasons": reasons,
                    "as_of": as_of.isoformat(),
                    "plan": plan.name,
                },
            )
        )
    return events


def digest_moment(rule: AlertRule, now: datetime) -> datetime | None:
    """The newest scheduled moment of a digest rule at or before `now` (a naive local time)."""
    if rule.every is None:
        return None
    days_back = (now.weekday() - rule.every.weekday) % 7
    moment = datetime.combine(now.date() - timedelta(days=days_back), rule.every.at)
    return moment if moment <= now else moment - timedelta(days=7)


def due_digests(plan: Plan, now: datetime, as_of: date) -> list[tuple[AlertRule, datetime]]:
    """Digest rules whose weekly moment has come (whether sent is settled by the claim)."""
    due = []
    for rule in plan.alerts.rules:
        moment = digest_moment(rule, now) if rule.is_digest else None
        if moment is not None and moment.date() <= as_of:
            due.append((rule, moment))
    return due
