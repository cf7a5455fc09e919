"""Period choice: the days a period preset of the sidebar covers."""

from __future__ import annotations

from datetime import date, timedelta

PERIOD_PRESETS = ("Last 7 days", "Last 4 weeks", "This quarter", "Last quarter", "Custom")


def preset_period(preset: str, anchor: date) -> tuple[date, date]:
    """The days a period preset covers, counted back from `anchor` (the last day with data).

    "This quarter" runs from the quarter's first day up to the anchor, never into the future;
    "Last quarter" is the whole quarter before the anchor's.
    """
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
