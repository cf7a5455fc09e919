"""What a connector hands to the loader: chunks of canonical rows, each committed on its own.

A connector (meta, youtube, generic) turns API answers into `Chunk`s, one per answered page or
window; `fetch` loads each chunk in its own transaction, so a failure halfway leaves every
earlier chunk loaded and consistent. The connectors never touch the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sostac_control.api.http import ApiSession
from sostac_control.api.sources import SourceConfig


@dataclass(frozen=True)
class Row:
    """One value of one metric: a day total, or a post's lifetime value on its publish day."""

    metric: str
    day: date
    value: float
    item: str = ""  # post id for post rows
    channel: str = ""  # "" means the source's channel
    account: str = ""  # "" means the source's account
    currency: str | None = None
    end: date | None = None  # for windows; None means the same day


@dataclass
class Chunk:
    """Rows from one answered page or window, loaded in one transaction."""

    label: str  # "page insights 2026-07-01…2026-07-07", for progress and errors
    rows: list[Row] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)  # POST_COLUMNS minus channel
    records: int = 0  # API records read (for rows_read)
    notes: list[str] = field(default_factory=list)


Connector = Callable[[ApiSession, SourceConfig, date, date], Iterator[Chunk]]


def day_of_end_time(text: str) -> date:
    """The day a Graph API `end_time` closes: the midnight nearest to it, minus one day.

    Graph gives the end of a daily period as the page's local midnight in UTC
    (`2020-03-10T07:00:00+0000` closes 9 March, Pacific time); rounding to the nearest UTC
    midnight is right for every timezone between UTC−12 and UTC+12.
    """
    moment = parse_time(text).astimezone(UTC)
    nearest = (moment + timedelta(hours=12)).date()
    return nearest - timedelta(days=1)


def parse_time(text: str) -> datetime:
    """An API timestamp (`2026-07-01T09:30:00+0000`, `…Z`, or a date) as an aware datetime."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    if len(value) >= 5 and value[-5] in "+-" and value[-3] != ":" and "T" in value:
        value = value[:-2] + ":" + value[-2:]
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_day(text: str, timezone: str) -> tuple[date, datetime]:
    """The publish day and local time of an API timestamp in the source's timezone."""
    try:
        zone = ZoneInfo(timezone)
    except ZoneInfoNotFoundError:
        zone = ZoneInfo("UTC")
    moment = parse_time(text).astimezone(zone)
    return moment.date(), moment.replace(tzinfo=None)


def number(value: Any) -> float | None:
    """A metric value from JSON: a number, a numeric string, or a breakdown dict (summed)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    if isinstance(value, dict):
        parts = [number(v) for v in value.values()]
        found = [p for p in parts if p is not None]
        return float(sum(found)) if found else None
    return None


def windows(since: date, until: date, days: int) -> Iterator[tuple[date, date]]:
    """[since, until] cut into consecutive inclusive windows of at most `days` days."""
    start = since
    while start <= until:
        end = min(until, start + timedelta(days=days - 1))
        yield start, end
        start = end + timedelta(days=1)


def dig(document: Any, path: str) -> Any:
    """The value at a dotted path (`paging.next`, `data.items`); None when absent."""
    current = document
    for part in path.split(".") if path else []:
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current
