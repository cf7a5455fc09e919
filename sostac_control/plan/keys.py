"""What a plan file may say: the keys each mapping may hold (in the order `plan init` writes
them, and the required ones) and the allowed values. The check, the JSON Schema and the plan
editor read these one definition.
"""

from __future__ import annotations

import re

from sostac_control.catalog import ALL_CHANNELS, CHANNELS
from sostac_control.plan.fields import Keys

# The keys each mapping may hold, in the order plan init writes them, and the required ones.
PLAN_KEYS = Keys(
    "version",
    "name",
    "currency",
    "currency_rates",
    "timezone",
    "language",
    "objectives",
    "budget",
    "content",
    "alerts",
    required=("version", "name", "objectives"),
)
OBJECTIVE_KEYS = Keys(
    "id",
    "title",
    "category",
    "owner",
    "start",
    "end",
    "kpis",
    required=("id", "title", "start", "end"),
)
KPI_KEYS = Keys(
    "metric",
    "channel",
    "account",
    "target",
    "baseline",
    "denominator",
    "direction",
    "start",
    "end",
    required=("metric", "channel", "target"),
)
BUDGET_KEYS = Keys(
    "channel", "start", "end", "money", "hours", "hourly_rate", required=("channel", "start", "end")
)
CONTENT_KEYS = Keys("promotional")
PROMOTIONAL_KEYS = Keys("hashtags", "keywords", "labels")

KPI_CHANNELS = (*CHANNELS, ALL_CHANNELS)
DIRECTIONS = ("up", "down")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# ROI is a ratio that may well exceed 1 (a 150% return); the other rates cannot sensibly.
NOT_A_FRACTION_CHECK = frozenset({"roi"})
