"""The plan's alert rules: where alerts go, which changes to announce, and what is muted.

Models only (the checks that build them are in plan_rules.py). Secrets are never part of a
rule: a destination names the environment variable (or `.streamlit/secrets.toml` key) that
holds its webhook URL or SMTP password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

DESTINATION_TYPES = ("email", "slack", "teams", "webhook")
# The changes a rule can announce. `recovered`: back on track after at risk, off track or stale.
# `stale` is a status; `crisis` is an objective's flag, announced once per crisis.
EVENTS = ("at_risk", "off_track", "stale", "crisis", "recovered", "achieved", "missed")
BAD_STATES = ("at_risk", "off_track", "stale")
LEVELS = ("objective", "kpi")
REPEATS = ("once", "every_run")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ATTACHMENTS = ("pdf", "none")
DEFAULT_SMTP_PORT = 587


@dataclass(frozen=True)
class Destination:
    """Where alerts go: an SMTP mailbox list, or a Slack, Teams or generic JSON webhook."""

    name: str
    type: str  # one of DESTINATION_TYPES
    url_env: str = ""  # webhooks: the variable holding the URL (a secret)
    smtp_host: str = ""
    smtp_port: int = DEFAULT_SMTP_PORT
    username: str = ""
    password_env: str = ""  # e-mail: the variable holding the SMTP password
    sender: str = ""
    to: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Schedule:
    """A weekly moment in the plan's time zone: "every monday 08:00"."""

    weekday: int  # 0 = Monday
    at: time

    def text(self) -> str:
        return f"every {WEEKDAY_NAMES[self.weekday].capitalize()} {self.at:%H:%M}"


@dataclass(frozen=True)
class AlertRule:
    """Announce some changes of objectives (or KPIs) to some destinations; or send a digest."""

    name: str
    send_to: tuple[str, ...]
    events: tuple[str, ...] = ()  # empty for a digest rule
    level: str = "objective"
    objectives: tuple[str, ...] = ()  # empty: every objective
    repeat: str = "once"
    digest: str = ""  # "weekly" for the weekly digest
    every: Schedule | None = None
    attach: str = "pdf"
    line: int | None = None

    @property
    def is_digest(self) -> bool:
        return bool(self.digest)


@dataclass(frozen=True)
class Mute:
    """No alerts about one objective (and its KPIs) until a day, that day included."""

    objective: str
    until: date
    line: int | None = None


@dataclass(frozen=True)
class AlertSettings:
    """The plan's `alerts:` section."""

    destinations: tuple[Destination, ...] = ()
    rules: tuple[AlertRule, ...] = ()
    mutes: tuple[Mute, ...] = ()
    stale_after_days: int | None = None  # None: each source's usual delay (engine/freshness)
    hold_on_refused_load: bool = True

    def destination(self, name: str) -> Destination:
        return next(d for d in self.destinations if d.name == name)

    def muted_until(self, objective_id: str, day: date) -> date | None:
        """The day alerts about this objective are muted until, if they are on `day`."""
        ends = [m.until for m in self.mutes if m.objective == objective_id and m.until >= day]
        return max(ends) if ends else None
