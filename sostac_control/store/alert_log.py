"""The sent-alert log in the database: an alert is claimed before it is sent, so never twice.

A claim is an INSERT of the alert's key (its primary key) inside a transaction. Two runs that
overlap compute the same key; the second one's insert finds the key taken and skips the alert.
A send that failed stays in the log as `failed` and is claimed again by the next run; a claim
left `sending` by a run that died is taken over after CLAIM_EXPIRES.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from sostac_control.dbfile import StoreRef, store_exists, store_ref
from sostac_control.store.connect import reader, transaction

CLAIM_EXPIRES = timedelta(minutes=15)
LOG_COLUMNS = [
    "alert_key", "rule", "subject", "event", "occasion", "destination", "as_of", "title",
    "status", "attempts", "claimed_at", "sent_at", "last_error",
]  # fmt: skip


@dataclass(frozen=True)
class AlertClaim:
    """One alert for one destination, as written in the log."""

    key: str
    rule: str
    subject: str
    event: str
    occasion: str
    destination: str
    as_of: date
    title: str


@dataclass(frozen=True)
class Announced:
    """What a rule last announced about a subject."""

    event: str | None  # None: nothing yet
    occasion: str
    episodes: int  # distinct announcements so far (the next one's number is this + 1)
    unfinished: bool  # some destination of the last announcement has not got it yet


def announced(con: duckdb.DuckDBPyConnection, rule: str, subject: str) -> Announced:
    """The last announcement `rule` made about `subject`."""
    rows = con.execute(
        """SELECT event, occasion, min(claimed_at) AS first,
                  bool_or(status <> 'sent') AS unfinished
           FROM alert_log WHERE rule = ? AND subject = ?
           GROUP BY event, occasion ORDER BY first""",
        [rule, subject],
    ).fetchall()
    if not rows:
        return Announced(None, "", 0, False)
    event, occasion, _, unfinished = rows[-1]
    return Announced(event, occasion, len(rows), bool(unfinished))


def claim_alert(con: duckdb.DuckDBPyConnection, alert: AlertClaim, now: datetime) -> int | None:
    """Claim an alert for sending; the attempts made before, or None when it is not ours.

    Not ours: it was sent already, or another run is sending it right now.
    """
    with transaction(con):
        row = con.execute(
            "SELECT status, attempts, claimed_at FROM alert_log WHERE alert_key = ?", [alert.key]
        ).fetchone()
        if row is None:
            con.execute(
                """INSERT INTO alert_log (alert_key, rule, subject, event, occasion, destination,
                       as_of, title, status, attempts, claimed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sending', 0, ?)""",
                [
                    alert.key,
                    alert.rule,
                    alert.subject,
                    alert.event,
                    alert.occasion,
                    alert.destination,
                    alert.as_of,
                    alert.title,
                    now,
                ],
            )
            return 0
        status, attempts, claimed_at = row
        expired = status == "sending" and claimed_at < now - CLAIM_EXPIRES
        if status == "failed" or expired:
            con.execute(
                "UPDATE alert_log SET status = 'sending', claimed_at = ? WHERE alert_key = ?",
                [now, alert.key],
            )
            return int(attempts)
        return None


def finish_alert(
    con: duckdb.DuckDBPyConnection, key: str, attempts: int, error: str | None, now: datetime
) -> None:
    """Record the outcome of a claimed alert: sent, or failed with the (secret-free) error."""
    con.execute(
        """UPDATE alert_log SET status = ?, attempts = ?, sent_at = ?, last_error = ?
           WHERE alert_key = ?""",
        ["failed" if error else "sent", attempts, None if error else now, error, key],
    )


def alert_sent(con: duckdb.DuckDBPyConnection, key: str) -> bool:
    """Whether the alert with this key was sent."""
    row = con.execute(
        "SELECT count(*) FROM alert_log WHERE alert_key = ? AND status = 'sent'", [key]
    ).fetchone()
    return bool(row and row[0])


def alert_log(db: StoreRef | str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The newest entries of the sent-alert log; [] without a database."""
    path = store_ref(db)
    if not store_exists(path):
        return []
    with reader(path) as con:
        rows = con.execute(
            f"SELECT {', '.join(LOG_COLUMNS)} FROM alert_log ORDER BY claimed_at DESC LIMIT ?",
            [limit],
        ).fetchall()
    return [dict(zip(LOG_COLUMNS, row, strict=True)) for row in rows]
