"""The words of a status: figures as a marketer reads them, and the one-sentence reason.

"projected 381k of 450k (85%); 36% chance to reach it; Reels views fell 42% after 12 Aug and
explain 80% of the gap". Each part is a clause; the judging code decides which clauses apply.
"""

from __future__ import annotations

import math
from datetime import date

from sostac_control.catalog import METRICS, format_value
from sostac_control.i18n import N_, Labels, _, ngettext, number
from sostac_control.i18n import day_month as day_text

# A status in words, in the current language ("off_track" → "off track" / "uit koers").
STATUS_WORDS = Labels(
    {
        "not_started": N_("not started"),
        "too_early": N_("too early"),
        "on_track": N_("on track"),
        "at_risk": N_("at risk"),
        "off_track": N_("off track"),
        "stale": N_("stale"),
        "achieved": N_("achieved"),
        "missed": N_("missed"),
        "no_data": N_("no data"),
    }
)


def compact(value: float, metric: str, currency: str = "EUR") -> str:
    """A figure as a marketer reads it in a sentence: 381k, 1.2M, 4.52%, €23.40."""
    m = METRICS.get(metric)
    if m is not None and m.unit in ("count", "hours") and m.name != "roas" and abs(value) >= 10_000:
        if abs(value) >= 1_000_000:
            return _("{n}M").format(n=number(value / 1_000_000, 1, grouping=False))
        if abs(value) < 100_000:
            return _("{n}k").format(n=number(value / 1000, 1, grouping=False))
        return _("{n}k").format(n=number(value / 1000, 0, grouping=False))
    return format_value(value, metric, currency)


def status_words(status: str) -> str:
    """on_track → on track (Dutch: op koers)."""
    return STATUS_WORDS[status] if status in STATUS_WORDS else status.replace("_", " ")


def _pct(share: float) -> str:
    return f"{number(share * 100)}%"


def share_text(value: float, target: float) -> str:
    """' (85%)' of the target; '' without a target."""
    return f" ({_pct(value / target)})" if target else ""


def versus(value: float, target: float, metric: str, direction: str, currency: str) -> str:
    """ "381k of 450k (85%)"; lower is better: "€27.10 against a ceiling of €25.00 (108%)"."""
    text = (
        _("{value} of {target}")
        if direction == "up"
        else _("{value} against a ceiling of {target}")
    )
    return text.format(
        value=compact(value, metric, currency), target=compact(target, metric, currency)
    ) + share_text(value, target)


def chance_text(probability: float, direction: str) -> str:
    """ "36% chance to reach it"; never 0% or 100% (an estimate is not a certainty)."""
    chance = probability * 100
    text = f"{number(chance)}%" if 1 <= chance <= 99 else ("<1%" if chance < 1 else ">99%")
    if direction == "up":
        return _("{chance} chance to reach it").format(chance=text)
    return _("{chance} chance to stay at or under it").format(chance=text)


def drift_text(direction: str, began: date, change: float) -> str:
    """ "pace fell 30% after 23 Nov" (lower is better: "cost rose 12% after …")."""
    sized = math.isfinite(change) and abs(change) >= 0.005
    rose = math.isfinite(change) and ((direction == "up") == (change > 0)) and sized
    if direction == "up":
        verb = _("pace rose") if rose else _("pace fell")
    else:
        verb = _("cost fell") if rose else _("cost rose")
    day = day_text(began)
    if sized:
        return _("{verb} {size} after {day}").format(verb=verb, size=_pct(abs(change)), day=day)
    return _("{verb} after {day}").format(verb=verb, day=day)


def drift_note(direction: str, began: date, change: float, recent_share: float) -> str:
    """ "pace fell 30% after 23 Nov; still projected 110%" (a note, not a status)."""
    return _("{drift}; still projected {share}").format(
        drift=drift_text(direction, began, change), share=_pct(recent_share)
    )


def stale_text(last_day: date, last_judged: str) -> str:
    """ "no data since 12 Nov; last judged on track"."""
    return _("no data since {day}; last judged {status}").format(
        day=day_text(last_day), status=status_words(last_judged)
    )


def objective_reason(status: str, labelled: list[tuple[str, str, str]]) -> str:
    """An objective's reason from its KPIs' (label, status, reason), worst first."""
    if not labelled:
        return _("the objective has no KPIs")
    words = status_words(status)
    same = [k for k in labelled if k[1] == status]
    if len(same) == len(labelled) and len(labelled) > 1:
        reason = _("all {n} KPIs {status}").format(n=len(labelled), status=words)
        if status in ("at_risk", "off_track", "missed", "stale"):
            reason += f"; {same[0][0]}: {same[0][2]}"
        return reason
    reason = f"{same[0][0]}: {same[0][2]}"
    if len(same) > 1:
        more = ngettext("(and {n} more {status})", "(and {n} more {status})", len(same) - 1)
        reason += " " + more.format(n=len(same) - 1, status=words)
    return reason
