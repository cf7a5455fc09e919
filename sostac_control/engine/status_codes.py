"""The status codes and their order, without numpy: `status` reads them on a cache hit
(cli/status_cache.py) without importing the rules."""

from __future__ import annotations

STATUSES = (
    "not_started",
    "too_early",
    "on_track",
    "at_risk",
    "off_track",
    "stale",
    "achieved",
    "missed",
    "no_data",
)
# Best to worst: an objective takes the worst of its KPIs' statuses. A KPI that says something
# (on track) outranks one that cannot yet (too early); missing or stopped data is worth a look.
SEVERITY = (
    "achieved",
    "not_started",
    "too_early",
    "on_track",
    "no_data",
    "stale",
    "at_risk",
    "off_track",
    "missed",
)

__all__ = ["SEVERITY", "STATUSES"]
