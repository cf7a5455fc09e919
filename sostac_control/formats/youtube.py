"""YouTube Studio advanced-mode downloads: `Table data`, `Chart data` and `Totals` CSVs.

- Totals: `Date,<metric>…`, one row a day for the channel → day totals.
- Chart data: long format `Date,<dimension>,<metric>…` (e.g. `Date,Geography,Views`) → day
  rows per item of the dimension (country, traffic source, video).
- Table data: one row per item with the `Total` row first. With `Content` (videos) and a
  publish time the rows are posts; with `Date` they are days. A table of countries or traffic
  sources has no dates and cannot be placed in time, so it is refused.
CTR columns are percent numbers (`14.29` = 14.29 %) and are not loaded: ratios are computed
from their parts.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import numpy as np
import pandas as pd

from sostac_control.errors import Problem, SostacError
from sostac_control.formats.base import (
    OBSERVATION_COLUMNS,
    Detection,
    Extract,
    Format,
    ReadOptions,
    Source,
    empty_observations,
)
from sostac_control.formats.headers import YOUTUBE, mapping, names
from sostac_control.formats.table import (
    Observations,
    cell,
    column_index,
    is_blank,
    norm,
    posts_frame,
    text_rows,
)
from sostac_control.formats.values import datetime_column, number_column, parse_datetime
from sostac_control.i18n import N_, _

# Headers in every language read come from headers.YOUTUBE (one table); the names below are
# the English and Dutch ones of metrics that table does not list.
METRICS = mapping(
    YOUTUBE,
    {
        "views": "views",
        "watch time (hours)": "watch_time_hours",
        "subscribers": "new_followers",  # net: gained minus lost (see notes)
        "impressions": "impressions",
    },
) | {
    "subscribers gained": "new_followers",
    "nieuwe abonnees": "new_followers",
    "likes": "reactions",
    "vind-ik-leuks": "reactions",
    "comments added": "comments",
    "reacties toegevoegd": "comments",
    "shares": "shares",
    "keren gedeeld": "shares",
}
# Columns only YouTube Studio writes; one of them, or a metric above beside Date, is needed.
MARKERS = frozenset(
    {
        "watch time (hours)",
        "impressions click-through rate (%)",
        "average view duration",
        "subscribers",
        "subscribers gained",
        "video publish time",
        "new viewers",
        "regular viewers",
        "kijktijd (uren)",
        "content",
        "video title",
        "returning viewers",
        "unique viewers",
    }
) | frozenset(
    name
    for concept in ("watch time (hours)", "video publish time", "video title", "content")
    for name in names(YOUTUBE, concept)
)
DIMENSIONS = {
    **dict.fromkeys(names(YOUTUBE, "geography"), "country"),
    **dict.fromkeys(names(YOUTUBE, "content"), "video"),
    "country": "country",
    "traffic source": "traffic_source",
    "verkeersbron": "traffic_source",
    "device type": "device_type",
    "content": "video",
    "inhoud": "video",
    "subtitles and cc": "subtitles",
    "playback location": "playback_location",
}
DATE = names(YOUTUBE, "date")
TOTAL = frozenset(names(YOUTUBE, "total"))
MAX_ERRORS = 1000


def _layout(headers: list[str]) -> str | None:
    """ "totals", "chart", "table" or None when this is not a YouTube Studio download."""
    metrics = [h for h in headers if h in METRICS]
    if not metrics:
        return None
    youtube_only = set(headers) & MARKERS
    if headers[0] in DATE:
        rest = [h for h in headers[1:] if h not in METRICS and h not in MARKERS and "(%)" not in h]
        if not rest:
            return "totals"
        if rest[0] in DIMENSIONS or headers[1] in DIMENSIONS:
            return "chart"
        return None
    if youtube_only or headers[0] in DIMENSIONS:
        return "table"
    return None


class YouTubeStudio(Format):
    name = "youtube_studio"
    platform = "YouTube Studio"
    title = "Table data / Chart data / Totals CSV"
    skipped_rows_are = N_("total rows")
    channel = "youtube"
    grain = "day"

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "text":
            return None
        lines = source.head_lines(2)
        if not lines or lines[0].startswith("#"):
            return None
        headers = [norm(h) for h in next(iter(text_rows_head(lines[0])), [])]
        layout = _layout(headers)
        if layout is None:
            return None
        sure = bool(set(headers) & MARKERS) or headers[:2] == ["date", "geography"]
        return Detection(0.85 if sure else 0.6, f"YouTube Studio {layout} columns")

    def read(self, source: Source, options: ReadOptions) -> Extract:
        head = source.head_lines(1)
        if not head or not head[0].strip():
            raise SostacError(f"{source.name} is empty.")
        headers = [norm(h) for h in text_rows_head(head[0])[0]]
        layout = _layout(headers)
        obs = Observations(self.channel, account=options.account or "")
        metrics: dict[int, str] = {}
        for i, name in enumerate(headers):
            metric = METRICS.get(name)
            if metric and metric not in metrics.values():
                metrics[i] = metric
        notes = []
        if "subscribers" in headers and "subscribers gained" not in headers:
            notes.append(_("new_followers is YouTube's net Subscribers (gained minus lost)."))
        posts: list[dict[str, Any]] = []
        if layout in ("totals", "chart"):
            return _read_days(source, layout, headers, metrics, obs.account, notes)
        if layout == "table":
            self._read_table(source, text_rows(source, ","), headers, metrics, obs, posts)
        else:
            raise SostacError(f"{source.name} is not a YouTube Studio download.")
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            set_aside=obs.set_aside,
            file_totals=obs.file_totals,
            errors=obs.errors,
            account=obs.account,
            posts=posts_frame(posts),
            notes=notes,
        )

    def _read_table(
        self,
        source: Source,
        rows: list[list[str]],
        headers: list[str],
        metrics: dict[int, str],
        obs: Observations,
        posts: list[dict[str, Any]],
    ) -> None:
        published = column_index(headers, *names(YOUTUBE, "video publish time"))
        title = column_index(headers, *names(YOUTUBE, "video title"))
        if headers[0] not in names(YOUTUBE, "content") or published is None:
            raise SostacError(
                f"{source.name}: a YouTube Studio table by {rows[0][0]!r} has no dates, so its "
                "totals cannot be placed in time.",
                hint="Download the Chart data (per day) of this report instead, or a table by "
                "Content (videos with their publish time).",
            )
        for n, row in enumerate(rows[1:], start=1):
            if is_blank(row):
                continue
            video = str(cell(row, 0) or "").strip()
            if video.lower() in TOTAL or not video:
                # The Total row comes first: the file's own total of the rows below.
                obs.total_row({m: cell(row, i) for i, m in metrics.items()})
                continue
            obs.start_row()
            when = obs.parsed(
                n,
                rows[0][published],
                parse_datetime,
                _youtube_time(cell(row, published)),
                missing=N_("the video has no publish time"),
            )
            if when is None:
                obs.end_row()
                continue
            for i, metric in metrics.items():
                obs.add(
                    n,
                    metric,
                    obs.number(n, rows[0][i], cell(row, i)),
                    when.date(),
                    grain="post",
                    dimension="post",
                    item=video,
                )
            posts.append(
                {
                    "channel": self.channel,
                    "account": obs.account,
                    "post_id": video,
                    "published_at": when,
                    "post_type": "video",
                    "text": str(cell(row, title) or "") if title is not None else "",
                    "permalink": f"https://www.youtube.com/watch?v={video}",
                    "labels": "",
                }
            )
            obs.end_row()


def _read_days(
    source: Source,
    layout: str,
    headers: list[str],
    metrics: dict[int, str],
    account: str,
    notes: list[str],
) -> Extract:
    """Totals and Chart data, a column at a time (Chart data runs to hundreds of thousands of
    rows: one per day and country)."""
    frame = pd.read_csv(
        io.StringIO(source.text), dtype=str, keep_default_na=False, skip_blank_lines=True
    )
    total = frame.iloc[:, 0].str.strip().str.lower().isin(list(TOTAL))
    skipped = int(total.sum())  # a table by Date starts with its Total row
    rows_read = len(frame)
    file_rows = np.flatnonzero(~total.to_numpy()) + 1  # data rows as numbered in the file
    frame = frame[~total].reset_index(drop=True)
    names = list(frame.columns)
    days, bad_day = datetime_column(frame.iloc[:, 0], formats=("%Y-%m-%d",))
    bad_day = bad_day | days.isna()
    problems = [(bad_day, names[0], N_("{value} is not a date"))]
    values = {}
    for i, metric in metrics.items():
        numbers, bad = number_column(frame.iloc[:, i])
        values[i] = (metric, numbers)
        problems.append((bad, names[i], N_("{value} is not a number")))
    rejected = pd.Series(False, index=frame.index)
    errors: list[Problem] = []
    for bad, column, message in problems:
        new = bad & ~rejected
        for row in new[new].index[:MAX_ERRORS]:
            text = frame.at[row, column]
            errors.append(
                Problem.at_row(int(file_rows[row]), column, _(message).format(value=repr(text)))
            )
        rejected |= bad
    keep = ~rejected
    if layout == "chart":
        dimension = DIMENSIONS.get(headers[1], headers[1])
        items = frame.iloc[:, 1].str.strip()
    else:
        dimension, items = "", pd.Series("", index=frame.index)
    parts = []
    for metric, numbers in values.values():
        ok = keep & numbers.notna()
        part = pd.DataFrame(
            {
                "source_row": file_rows[ok.to_numpy()],
                "channel": "youtube",
                "account": account,
                "metric": metric,
                "grain": "day",
                "dimension": np.where(items[ok] == "", "", dimension),
                "item": items[ok].to_numpy(),
                "period_start": days[ok].dt.date.to_numpy(),
                "value": numbers[ok].to_numpy(),
                "currency": None,
            }
        )
        part["period_end"] = part["period_start"]
        parts.append(part[OBSERVATION_COLUMNS])
    observations = pd.concat(parts, ignore_index=True) if parts else empty_observations()
    return Extract(
        observations=observations,
        rows_read=rows_read,
        skipped=skipped,
        errors=sorted(errors, key=lambda e: e.row),
        account=account,
        notes=notes,
    )


def _youtube_time(text: Any) -> Any:
    # "Mar 3, 2024" is what Studio writes; tolerate a trailing time.
    if isinstance(text, str):
        return re.sub(r",?\s+\d{1,2}:\d{2}.*$", "", text.strip())
    return text


def text_rows_head(line: str) -> list[list[str]]:
    return list(csv.reader([line]))


FORMATS: list[Format] = [YouTubeStudio()]
