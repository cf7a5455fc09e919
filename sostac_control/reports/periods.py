"""The period a report covers: a quarter (2026Q3) or an ISO week (2026-W47), from --period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sostac_control.errors import UsageError
from sostac_control.i18n import _

QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class ReportPeriod:
    """A report's days: [start, end]; `label` names it the way a reader would."""

    kind: str  # "quarterly" | "weekly"
    start: date
    end: date
    label: str

    def judged_on(self, as_of: date) -> date:
        """The day the report judges: the period's end, or as_of while the period runs."""
        return min(self.end, as_of)


def quarter_of(day: date) -> ReportPeriod:
    q = (day.month - 1) // 3
    start = date(day.year, 3 * q + 1, 1)
    end = date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1)
    return ReportPeriod("quarterly", start, end, f"Q{q + 1} {day.year}")


def week_of(day: date) -> ReportPeriod:
    start = day - timedelta(days=day.weekday())
    year, week, _weekday = start.isocalendar()
    return ReportPeriod("weekly", start, start + timedelta(days=6), f"week {week} of {year}")


def report_period(kind: str, text: str | None, as_of: date) -> ReportPeriod:
    """The period to report: `text` (2026Q3, 2026-W47) or, by default, the quarter of as_of
    (quarterly) or the last full week ending on or before as_of (weekly)."""
    if not text:
        if kind == "quarterly":
            return quarter_of(as_of)
        return week_of(as_of - timedelta(days=(as_of.weekday() + 1) % 7))
    text = text.strip()
    if kind == "quarterly":
        match = QUARTER.match(text)
        if match:
            year, q = int(match.group(1)), int(match.group(2))
            return quarter_of(date(year, 3 * q - 2, 1))
        raise UsageError(
            f"--period {text!r} is not a quarter.", hint="Write the quarter as 2026Q3."
        )
    match = WEEK.match(text)
    if match:
        try:
            return week_of(date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1))
        except ValueError:
            pass
    raise UsageError(
        f"--period {text!r} is not an ISO week.", hint="Write the week as 2026-W47 (weeks 1–53)."
    )


def period_words(label: str) -> str:
    """A period's label in the current language: "week 47 of 2026" → "week 47 van 2026"."""
    match = re.fullmatch(r"week (\d+) of (\d{4})", label)
    if match:
        return _("week {week} of {year}").format(week=match.group(1), year=match.group(2))
    return label
