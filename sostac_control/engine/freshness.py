"""Freshness: how late a channel's data usually arrives, learned from the load history, and
which source to refresh when a KPI's data has stopped.

A channel's usual delay is the median, over its routine loads, of the days between the newest
day a load held and the day it was loaded (loads that back-fill more than a month are not
routine). With fewer than three routine loads it is not known and the default applies. A KPI is
stale when its newest data is older than max(3 days, usual delay + 2 days' grace) on the as-of
day: a daily export loaded every Monday is not stale on Friday, a daily API fetch is after 3 days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sostac_control.catalog import ALL_CHANNELS, CHANNEL_LABELS
from sostac_control.engine.status_rules import DEFAULT_STALE_DAYS
from sostac_control.i18n import _, day_month

if TYPE_CHECKING:
    import duckdb

ROUTINE_DELAY_DAYS = 31  # a load whose newest day is older than this back-fills history
MIN_ROUTINE_LOADS = 3
GRACE_DAYS = 2


def usual_delay_days(con: duckdb.DuckDBPyConnection, channel: str) -> float | None:
    """Median days from a load's newest day to its loading, over routine loads; None unknown."""
    where = "" if channel == ALL_CHANNELS else "AND channel = $channel"
    row = con.execute(
        f"""SELECT median(delay), count(*) FROM (
              SELECT channel, date_diff('day', last_day, loaded_at::DATE) AS delay FROM loads
              WHERE status = 'loaded' AND last_day IS NOT NULL {where})
            WHERE delay BETWEEN 0 AND {ROUTINE_DELAY_DAYS}""",
        {} if channel == ALL_CHANNELS else {"channel": channel},
    ).fetchone()
    if row is None or row[0] is None or int(row[1]) < MIN_ROUTINE_LOADS:
        return None
    return float(row[0])


def stale_after_by_channel(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """stale_after_days of every channel with enough routine loads, in one query (the others
    take the default)."""
    rows = con.execute(
        f"""SELECT channel, median(delay), count(*) FROM (
              SELECT channel, date_diff('day', last_day, loaded_at::DATE) AS delay FROM loads
              WHERE status = 'loaded' AND last_day IS NOT NULL AND channel IS NOT NULL)
            WHERE delay BETWEEN 0 AND {ROUTINE_DELAY_DAYS} GROUP BY channel"""
    ).fetchall()
    return {
        str(channel): max(DEFAULT_STALE_DAYS, math.ceil(float(usual)) + GRACE_DAYS)
        for channel, usual, loads in rows
        if usual is not None and int(loads) >= MIN_ROUTINE_LOADS
    }


def stale_after_days(con: duckdb.DuckDBPyConnection, channel: str) -> int:
    """Days without data after which a KPI of `channel` is stale."""
    usual = usual_delay_days(con, channel)
    if usual is None:
        return DEFAULT_STALE_DAYS
    return max(DEFAULT_STALE_DAYS, math.ceil(usual) + GRACE_DAYS)


@dataclass(frozen=True)
class Refresh:
    """A source to refresh: the channel and its newest load."""

    channel: str
    last_day: date | None
    source: str | None  # the newest load's file name (or api:<source>)
    format: str | None

    @property
    def text(self) -> str:
        """ "Instagram: load a posts export newer than 12 Nov (last: ig_posts.csv)"."""
        label = CHANNEL_LABELS.get(self.channel, self.channel)
        if self.last_day:
            text = _("{channel}: load data newer than {day}").format(
                channel=label, day=day_month(self.last_day)
            )
        else:
            text = _("{channel}: load data").format(channel=label)
        return text + (" " + _("(last: {file})").format(file=self.source) if self.source else "")


def newest_load(con: duckdb.DuckDBPyConnection, channel: str) -> Refresh:
    """The channel's newest loaded source (by the newest day of the channel it holds; a tidy
    CSV of many channels counts for each of them)."""
    where = "" if channel == ALL_CHANNELS else "AND o.channel = $channel"
    row = con.execute(
        f"""SELECT max(o.period_end) AS newest, l.source, l.format
            FROM observations o JOIN loads l USING (load_id)
            WHERE o.is_current AND l.status = 'loaded' {where}
            GROUP BY l.load_id, l.source, l.format, l.loaded_at
            ORDER BY newest DESC, l.loaded_at DESC LIMIT 1""",
        {} if channel == ALL_CHANNELS else {"channel": channel},
    ).fetchone()
    if row is None:
        return Refresh(channel, None, None, None)
    return Refresh(channel, row[0], row[1], row[2])
