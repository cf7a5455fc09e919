"""One `alert` run: judge the plan, find what to announce, claim each alert, send, log.

Each alert is claimed in the sent-alert log (a short write transaction) before it is sent and
marked sent or failed after, so a second run, or one that overlaps, never sends it again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sostac_control import store
from sostac_control.alerts.events import (
    Event,
    due_digests,
    hold_events,
    holds,
    status_events,
)
from sostac_control.alerts.send import Message, SendError, deliver
from sostac_control.dbfile import StoreRef
from sostac_control.engine.status import evaluate_plan
from sostac_control.engine.status_words import status_words
from sostac_control.errors import SostacError
from sostac_control.i18n import _, date_short, day_month
from sostac_control.plan import Plan
from sostac_control.plan.alerts import AlertRule
from sostac_control.reports import Report
from sostac_control.reports.gather import weekly_digest
from sostac_control.reports.periods import period_words, report_period
from sostac_control.reports.render import html_to_pdf, weekly_html


@dataclass
class Outcome:
    """What happened to one alert for one destination in this run."""

    rule: str
    destination: str
    title: str
    status: str  # sent, failed, already_sent, would_send, held
    attempts: int = 0
    error: str = ""
    key: str = ""


@dataclass
class AlertRun:
    """A run's result: what was sent, held, muted or failed."""

    as_of: date
    dry_run: bool
    held: list[str] = field(default_factory=list)
    muted: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(o.status == "failed" for o in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "held": self.held,
            "muted": self.muted,
            "alerts": [asdict(o) for o in self.outcomes],
        }


def run_now(plan: Plan, as_of: date | None) -> datetime:
    """The run's moment as a local time of the plan: the end of --as-of, else now."""
    if as_of is not None:
        return datetime.combine(as_of, time(23, 59, 59))
    zone = ZoneInfo(plan.timezone) if plan.timezone else None
    return datetime.now(zone).replace(tzinfo=None)


def _digest_event(rule: AlertRule, moment: datetime, plan: Plan) -> Event:
    return Event(
        rule,
        "digest",
        "digest",
        moment.date().isoformat(),
        _("Weekly digest · {plan}").format(plan=plan.name),
        [],
        {"rule": rule.name, "event": "digest", "plan": plan.name},
    )


def _digest_message(db: StoreRef | str | None, plan: Plan, event: Event) -> Message:
    """The digest of the week before the rule's moment: HTML body (e-mail) with the PDF
    attached, and what needs attention and what changed as lines (chat and webhooks)."""
    day_before = date.fromisoformat(event.occasion) - timedelta(days=1)
    period = report_period("weekly", None, day_before)
    with store.reader(db) as con:
        digest = weekly_digest(con, plan, period)
    html = weekly_html(digest)
    filename = Report("weekly", period, "pdf", b"", html).filename
    attachments = []
    if event.rule.attach == "pdf":
        attachments.append((filename, html_to_pdf(html), "application/pdf"))
    lines = [f"{day_month(period.start)} – {date_short(period.end)}."]
    lines.append(
        _("Needs attention: {n} KPI(s).").format(n=len(digest.attention))
        if digest.attention
        else _("Nothing needs attention: every KPI that can be judged is on track or achieved.")
    )
    lines += [
        f"• {a['label']}: {status_words(a['status'])} — {a['reason']}" for a in digest.attention
    ]
    if digest.changes:
        lines.append(_("Changed this week:"))
        lines += [
            f"• {c['label']}: {status_words(c['before'])} → {status_words(c['after'])}"
            for c in digest.changes
        ]
    return Message(
        _("Weekly digest {period} · {plan}").format(
            period=period_words(period.label), plan=plan.name
        ),
        lines,
        {**event.facts, "period": period.label, "attention": digest.attention},
        html=html,
        attachments=attachments,
        event="digest",
    )


def run_alerts(
    db: StoreRef | str | None,
    plan: Plan,
    as_of: date | None = None,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> AlertRun:
    """Announce what changed per the plan's alert rules; each alert at most once."""
    settings = plan.alerts
    if not settings.rules:
        raise SostacError(
            "The plan has no alert rules.",
            hint="Add an `alerts:` section with destinations and rules (README: Reports and "
            "alerts), then check it with `sostac-control plan validate`.",
        )
    moment = now or run_now(plan, as_of)
    day = as_of or moment.date()
    result = AlertRun(day, dry_run)
    with store.reader(db) as con:
        status = evaluate_plan(con, plan, day)
        found = holds(con, plan, settings, day)
        events = status_events(con, plan, status, result.muted)
    events += [_digest_event(rule, m, plan) for rule, m in due_digests(plan, moment, day)]
    if found:
        result.held = [h.reason for h in found]
        for event in events:
            for name in event.rule.send_to:
                result.outcomes.append(Outcome(event.rule.name, name, event.title, "held"))
        events = hold_events(plan, found, day)
    messages: dict[int, Message] = {}
    for event in events:
        for claim in event.claims(day):
            outcome = Outcome(claim.rule, claim.destination, event.title, "", key=claim.key)
            result.outcomes.append(outcome)
            if dry_run:
                outcome.status = "already_sent" if _sent(db, claim.key) else "would_send"
                continue
            with store.connect(db) as con:
                before = store.claim_alert(con, claim, datetime.now())
            if before is None:
                outcome.status = "already_sent"
                continue
            error = ""
            try:
                if id(event) not in messages:
                    messages[id(event)] = (
                        _digest_message(db, plan, event)
                        if event.event == "digest"
                        else Message(event.title, event.lines, event.facts, event=event.event)
                    )
                outcome.attempts = deliver(
                    settings.destination(claim.destination), messages[id(event)], before
                )
            except SendError as exc:
                error = str(exc)
                outcome.attempts = before + exc.attempts
            except SostacError as exc:  # the digest could not be made
                error = exc.message
                outcome.attempts = before + 1
            outcome.status, outcome.error = ("failed", error) if error else ("sent", "")
            with store.connect(db) as con:
                store.finish_alert(con, claim.key, outcome.attempts, error or None, datetime.now())
    return result


def _sent(db: StoreRef | str | None, key: str) -> bool:
    with store.reader(db) as con:
        return store.alert_sent(con, key)
