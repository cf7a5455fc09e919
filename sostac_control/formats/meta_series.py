"""Meta Business Suite page daily series (Insights → Export a chart).

UTF-16, `sep=,` on line 1, the metric's title on line 2 (in the user's language, with or
without "Facebook"/"Instagram"), then `"Date","Primary"`: the metric comes from the title.
"""

from __future__ import annotations

import csv
import itertools
import re

import pandas as pd

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.headers import META, language_of, mapping, names
from sostac_control.formats.languages import DAY_FIRST, DECIMAL_COMMA
from sostac_control.formats.meta import DATE
from sostac_control.formats.table import norm
from sostac_control.formats.wide import (
    extract_wide,
    read_text_table,
)
from sostac_control.i18n import _

# --- Business Suite page daily series ----------------------------------------------------------

# The chart title on line 2 → (channel, metric). Lower case; "Facebook"/"Instagram" may prefix.
SERIES_TITLES: dict[str, str] = mapping(
    META,
    {
        "follows": "new_followers",
        "content interactions": "engagements",
        "interactions": "engagements",
        "views": "views",
        "reach": "reach",
        "link clicks": "link_clicks",
        "visits": "profile_visits",
        "impressions": "impressions",
    },
) | {"new follows": "new_followers", "volgers": "new_followers"}
PRIMARY = names(META, "primary")
# Words joining a brand to a metric in titles such as "Visualizações do Facebook".
_TITLE_GLUE = re.compile(
    r"^(?:do|da|de|del|du|von|van|op|on|の)\s+|\s+(?:do|da|de|del|du|von|van|op|on|の)$"
)
_SEP_LINE = re.compile(r"^sep=(.)\s*$")


def _series_title(source: Source) -> tuple[str, str, str] | None:
    """(channel, metric, title) from a page series' preamble; None when it is not one."""
    lines = source.head_lines(4)
    if len(lines) < 3 or not _SEP_LINE.match(lines[0].rstrip("\r ")):
        return None
    title = lines[1].strip().strip('"').strip()
    words = title.lower()
    channel = "facebook"
    for brand in ("facebook", "instagram"):
        if brand in words:  # "Facebook views", "Visualizações do Facebook", "Facebookの…"
            channel = brand
            words = _TITLE_GLUE.sub("", words.replace(brand, " ").strip()).strip()
    metric = SERIES_TITLES.get(" ".join(words.split()))
    return (channel, metric or "", title)


def _series_sections(source: Source) -> list[Source]:
    """The file cut into its sections (a title line, a Date,Primary header, the days), each
    as a file of its own with the `sep=` line; one section gives [source]."""
    lines = source.text.split("\n")
    if not lines or not _SEP_LINE.match(lines[0].rstrip("\r ")):
        return [source]

    sep = _SEP_LINE.match(lines[0].rstrip("\r ")) if lines else None
    delimiter = sep.group(1) if sep else ","

    def is_title(line: str) -> bool:
        cells = next(csv.reader([line], delimiter=delimiter), [])
        return len(cells) == 1 and bool(cells[0].strip())

    def is_header(line: str) -> bool:
        cells = {norm(c) for c in next(csv.reader([line], delimiter=delimiter), [])}
        return bool(cells & set(DATE) and cells & set(PRIMARY))

    starts = [i for i in range(1, len(lines) - 1) if is_title(lines[i]) and is_header(lines[i + 1])]
    if len(starts) <= 1:
        return [source]
    bounds = [*starts, len(lines)]
    return [
        Source(source.name, "\n".join([lines[0], *lines[a:b]]).encode("utf-8"))
        for a, b in itertools.pairwise(bounds)
    ]


class PageDailySeries(Format):
    name = "meta_page_series"
    platform = "Meta Business Suite"
    title = "Page daily series (chart export: sep=, line, metric title, Date,Primary)"
    channel = ""
    grain = "day"

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "text":
            return None
        found = _series_title(source)
        if found is None:
            return None
        lines = source.head_lines(4)
        sep = _SEP_LINE.match(lines[0].rstrip("\r "))
        delimiter = sep.group(1) if sep else ","
        header = {norm(c) for c in next(csv.reader([lines[2]], delimiter=delimiter), [])}
        if header & set(DATE) and header & set(PRIMARY):
            return Detection(0.95, "sep= line, a title, and a Date,Primary header")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        sections = _series_sections(source)
        if len(sections) <= 1:
            return self._read_one(source, options)
        # Several series in one file (a Facebook and an Instagram section, say): each section
        # is read on its own, with the channel and metric of its own title line.
        parts = [self._read_one(section, options) for section in sections]
        frames, offset = [], 0
        for part in parts:
            frame = part.observations.copy()
            frame["source_row"] = frame["source_row"].astype("int64") + offset
            frames.append(frame)
            offset += part.rows_read
        titles = ", ".join(repr(_series_title(s)[2]) for s in sections)  # type: ignore[index]
        return Extract(
            observations=pd.concat(frames, ignore_index=True),
            rows_read=sum(p.rows_read for p in parts),
            skipped=sum(p.skipped for p in parts),
            errors=[e for p in parts for e in p.errors],
            account=options.account or "",
            notes=[f"{len(sections)} sections, each its own series: {titles}."]
            + [n for n in parts[0].notes if n.startswith("A page series")],
        )

    def _read_one(self, source: Source, options: ReadOptions) -> Extract:
        found = _series_title(source)
        if found is None:
            raise SostacError(f"{source.name} is not a Business Suite page series.")
        channel, metric, title = found
        if not metric:
            raise SostacError(
                f"{source.name}: the series {title!r} is not a metric sostac-control loads.",
                hint="Known series: "
                + ", ".join(sorted({t.title() for t in SERIES_TITLES}))
                + ". Unique counts such as Viewers are not additive and are not loaded.",
            )
        separator = _SEP_LINE.match(source.head_lines(1)[0].rstrip("\r "))
        table = read_text_table(source, 2, separator.group(1) if separator else None)
        language = language_of(META, table.names)
        read = extract_wide(
            table,
            channel=channel,
            account=options.account or "",
            metrics={metric: PRIMARY},
            grain="day",
            date_column=DATE,
            decimal="," if language in DECIMAL_COMMA else None,
            day_first=language in DAY_FIRST,
            year=options.year,
            date_formats=("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"),
        )
        notes = [
            _("The series {title} is loaded as {metric}.").format(title=repr(title), metric=metric)
        ]
        if not options.account:
            notes.append(
                "A page series names no account: it is stored without one; "
                "pass --account to name it."
            )
        return Extract(
            observations=read.observations,
            rows_read=len(table.frame),
            skipped=read.skipped,
            errors=read.errors,
            account=options.account or "",
            notes=notes,
        )


FORMATS: list[Format] = [PageDailySeries()]
