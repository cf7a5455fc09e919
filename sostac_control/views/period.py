"""Period choice: the days a period preset of the sidebar covers."""

from __future__ import annotations

from datetime import date, timedelta

from sostac_control.i18n import N_, _, date_short

# The presets' English names are their codes (session state, tests); shown through `_()`.
PERIOD_PRESETS = (
    N_("Last week"),
    N_("This week so far"),
    N_("Last 7 days"),
    N_("Last 4 weeks"),
    N_("This quarter"),
    N_("Last quarter"),
    N_("Custom"),
)
DEFAULT_PRESET = "Last 4 weeks"
# The grains of trends and bars, in words where a page shows them (through _()).
GRAIN_WORDS = (N_("day"), N_("week"), N_("month"), N_("quarter"), N_("post"), N_("window"))


def preset_period(preset: str, anchor: date) -> tuple[date, date]:
    """The days a period preset covers, counted back from `anchor` (the status day: today or
    the chosen as-of day, never the newest day in a file).

    "Last week" is the ISO week (Monday–Sunday) before the anchor's; "This week so far" runs
    from the anchor's Monday to the anchor. "This quarter" runs from the quarter's first day
    up to the anchor, never into the future; "Last quarter" is the whole quarter before.
    """
    monday = anchor - timedelta(days=anchor.weekday())
    if preset == "Last week":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if preset == "This week so far":
        return monday, anchor
    if preset == "Last 7 days":
        return anchor - timedelta(days=6), anchor
    if preset == "Last 4 weeks":
        return anchor - timedelta(days=27), anchor
    quarter_start = date(anchor.year, 3 * ((anchor.month - 1) // 3) + 1, 1)
    if preset == "This quarter":
        return quarter_start, anchor
    if preset == "Last quarter":
        end = quarter_start - timedelta(days=1)
        return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    raise ValueError(f"unknown period preset {preset!r}")


def period_label(start: date, end: date) -> str:
    """The period in words, with ISO week numbers for whole weeks: "week 47 (16–22 Nov 2026)"."""
    span = f"{date_short(start)} – {date_short(end)}"
    if start.weekday() == 0 and end.weekday() == 6:
        first, last = start.isocalendar().week, end.isocalendar().week
        if first == last:
            weeks = _("week {week}").format(week=first)
        else:
            weeks = _("weeks {first}–{last}").format(first=first, last=last)
        return f"{weeks} ({span})"
    return span


def is_partial(start: date, end: date, grain: str) -> bool:
    """Whether a bucket of `grain` starting on `start` is cut short by `end` (a part-week or
    part-month that would look like a drop on a chart)."""
    if grain == "week":
        return (end - start).days < 6
    if grain == "month":
        nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return end < nxt - timedelta(days=1)
    if grain == "quarter":
        month = start.month + 3
        nxt = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        return end < nxt - timedelta(days=1)
    return False
