"""The words of a status: figures as a marketer reads them, and the one-sentence reason.

"projected 381k of 450k (85%); 36% chance to reach it; Reels views fell 42% after 12 Aug and
explain 80% of the gap". Each part is a clause; the judging code decides which clauses apply.
"""

from __future__ import annotations

import math
from datetime import date

from sostac_control.catalog import METRICS, format_value


def compact(value: float, metric: str, currency: str = "EUR") -> str:
    """A figure as a marketer reads it in a sentence: 381k, 1.2M, 4.52%, €23.40."""
    m = METRICS.get(metric)
    if m is not None and m.unit in ("count", "hours") and m.name != "roas" and abs(value) >= 10_000:
        if abs(value) >= 1_000_000:
            return f"{value / 1_000_000:.1f}M"
        if abs(value) < 100_000:
            return f"{value / 1000:.1f}k"
        return f"{value / 1000:.0f}k"
    return format_value(value, metric, currency)


def day_text(d: date) -> str:
    """12 Nov."""
    return f"{d.day} {d:%b}"


def status_words(status: str) -> str:
    """on_track → on track."""
    return status.replace("_", " ")


def share_text(value: float, target: float) -> str:
    """' (85%)' of the target; '' without a target."""
    return f" ({value / target * 100:.0f}%)" if target else ""


def versus(value: float, target: float, metric: str, direction: str, currency: str) -> str:
    """ "381k of 450k (85%)"; lower is better: "€27.10 against a ceiling of €25.00 (108%)"."""
    word = "of" if direction == "up" else "against a ceiling of"
    return (
        f"{compact(value, metric, currency)} {word} {compact(target, metric, currency)}"
        f"{share_text(value, target)}"
    )


def chance_text(probability: float, direction: str) -> str:
    """ "36% chance to reach it"; never 0% or 100% (an estimate is not a certainty)."""
    chance = probability * 100
    text = f"{chance:.0f}%" if 1 <= chance <= 99 else ("<1%" if chance < 1 else ">99%")
    return f"{text} chance to {'reach it' if direction == 'up' else 'stay at or under it'}"


def drift_text(direction: str, began: date, change: float) -> str:
    """ "pace fell 30% after 23 Nov" (lower is better: "cost rose 12% after …")."""
    size = f" {abs(change) * 100:.0f}%" if math.isfinite(change) and abs(change) >= 0.005 else ""
    verb = "pace fell" if direction == "up" else "cost rose"
    if math.isfinite(change) and ((direction == "up") == (change > 0)) and size:
        verb = "pace rose" if direction == "up" else "cost fell"
    return f"{verb}{size} after {day_text(began)}"


def drift_note(direction: str, began: date, change: float, recent_share: float) -> str:
    """ "pace fell 30% after 23 Nov; still projected 110%" (a note, not a status)."""
    return f"{drift_text(direction, began, change)}; still projected {recent_share * 100:.0f}%"


def stale_text(last_day: date, last_judged: str) -> str:
    """ "no data since 12 Nov; last judged on track"."""
    return f"no data since {day_text(last_day)}; last judged {status_words(last_judged)}"


def objective_reason(status: str, labelled: list[tuple[str, str, str]]) -> str:
    """An objective's reason from its KPIs' (label, status, reason), worst first."""
    if not labelled:
        return "the objective has no KPIs"
    words = status_words(status)
    same = [k for k in labelled if k[1] == status]
    if len(same) == len(labelled) and len(labelled) > 1:
        reason = f"all {len(labelled)} KPIs {words}"
        if status in ("at_risk", "off_track", "missed", "stale"):
            reason += f"; {same[0][0]}: {same[0][2]}"
        return reason
    reason = f"{same[0][0]}: {same[0][2]}"
    if len(same) > 1:
        reason += f" (and {len(same) - 1} more {words})"
    return reason
