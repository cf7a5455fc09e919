"""YouTube Analytics API reports (`GET /reports`): `columnHeaders` + `rows`, one row a day.

| YouTube Analytics metric  | canonical                               |
|---------------------------|-----------------------------------------|
| views                     | video_views                             |
| estimatedMinutesWatched   | watch_time_hours (minutes ÷ 60)         |
| likes                     | reactions                               |
| comments                  | comments                                |
| shares                    | shares                                  |
| subscribersGained         | new_followers                           |
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sostac_control.api.chunks import Chunk, Row, number, windows
from sostac_control.api.http import ApiSession
from sostac_control.api.sources import SourceConfig

YOUTUBE_METRICS = {
    "views": "video_views",
    "estimatedMinutesWatched": "watch_time_hours",
    "likes": "reactions",
    "comments": "comments",
    "shares": "shares",
    "subscribersGained": "new_followers",
}
SCALE = {"estimatedMinutesWatched": 1 / 60}
WINDOW_DAYS = 90


def reports(session: ApiSession, source: SourceConfig, since: date, until: date) -> Iterator[Chunk]:
    """Daily channel totals, a chunk per window of up to 90 days."""
    metrics = [m for m in (source.metrics or YOUTUBE_METRICS) if m in YOUTUBE_METRICS]
    ids = source.id if "==" in source.id else f"channel=={source.id}"
    for start, end in windows(since, until, WINDOW_DAYS):
        params = {
            "ids": ids,
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "metrics": ",".join(metrics),
            "dimensions": "day",
            "sort": "day",
        }
        report = session.get_json(f"{source.base_url}/reports", params)
        chunk = Chunk(label=f"YouTube report {start}…{end}")
        chunk.rows, chunk.records = read_report(session, report)
        yield chunk


def read_report(session: ApiSession, report: Any) -> tuple[list[Row], int]:
    """Rows of a report whose first column is `day`; a FetchError when the shape is not that."""
    headers = report.get("columnHeaders") if isinstance(report, dict) else None
    if not isinstance(headers, list):
        raise session._fail(
            "the YouTube report has no columnHeaders.",
            "Check base_url (…/v2) and the channel id in sources.yaml.",
        )
    names = [str(h.get("name", "")) if isinstance(h, dict) else "" for h in headers]
    if "day" not in names:
        raise session._fail(
            "the YouTube report has no `day` column.",
            "The report must be requested with dimensions=day.",
        )
    at_day = names.index("day")
    rows: list[Row] = []
    records = report.get("rows") or []
    for record in records:
        if not isinstance(record, list) or len(record) != len(names):
            continue
        day = date.fromisoformat(str(record[at_day])[:10])
        for name, raw in zip(names, record, strict=True):
            metric = YOUTUBE_METRICS.get(name)
            value = number(raw)
            if metric and value is not None:
                rows.append(Row(metric, day, value * SCALE.get(name, 1.0)))
    return rows, len(records)
