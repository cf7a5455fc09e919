"""Legacy Facebook Page Insights exports (before Business Suite): page level, post level and
video posts, as CSV or as the SpreadsheetML "Excel" flavour.

Row 2 is a row of descriptions ("Lifetime: The number of …"), not data; headers repeat (a
"Total Count" and a "Unique Users" column of one name); in SpreadsheetML the breakdowns by
action type live on their own sheets, whose names are cut at 28 characters.
"""

from __future__ import annotations

import re

import pandas as pd

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.values import number_column
from sostac_control.formats.wide import (
    Table,
    extract_wide,
    header_names,
    posts_frame,
    read_text_table,
    sheet_table,
)
from sostac_control.i18n import N_

LEGACY_POST_METRICS: dict[str, tuple[str, ...]] = {
    "reach": ("lifetime post total reach",),
    "impressions": ("lifetime post total impressions",),
    "reactions": ("lifetime post stories by action type - like",),
    "comments": ("lifetime post stories by action type - comment",),
    "shares": ("lifetime post stories by action type - share",),
    "clicks": ("lifetime post consumptions",),
    "link_clicks": ("lifetime post consumptions by type - link clicks",),
    "video_views": ("lifetime total video views",),
}
# Organic + paid 3-second views (the first, "Total Count", column of each duplicated pair).
LEGACY_VIDEO_SUMS = {"video_views": ("lifetime organic video views", "lifetime paid video views")}
LEGACY_PAGE_METRICS: dict[str, tuple[str, ...]] = {
    "followers": ("lifetime total likes",),
    "new_followers": ("daily new likes",),
    "reach": ("daily total reach",),
    "impressions": ("daily total impressions",),
    "clicks": ("daily total consumptions", "daily page consumptions"),
    "video_views": ("daily total video views",),
    "engagements": ("daily page engagements",),
}


# SpreadsheetML flavour: breakdowns live on their own sheets (names cut at 28 characters).
# (sheet name prefix, {column: metric}, metric for the sum of the columns or None)
BREAKDOWN_SHEETS: list[tuple[str, dict[str, str], str | None]] = [
    ("lifetime post stories by act", {"like": "reactions", "comment": "comments",
                                      "share": "shares"}, None),
    ("lifetime post consumptions b", {"link clicks": "link_clicks"}, "clicks"),
]  # fmt: skip
_CONSUMPTION_TYPES = ("other clicks", "link clicks", "photo view", "video play")


def _legacy_table(source: Source) -> tuple[Table, list[pd.DataFrame]] | None:
    """The legacy export's table; for SpreadsheetML also its breakdown sheets as long frames
    (post id, metric, cell)."""
    if source.kind == "text":
        names = header_names(source)
        if "post id" in names or "date" in names:
            return read_text_table(source, 0), []
        return None
    if source.kind not in ("spreadsheetml", "xlsx", "xls"):
        return None
    sheets = source.sheets()
    main = sheets.get("Key Metrics") or next(iter(sheets.values()), None)
    if not main:
        return None
    breakdowns = []
    for name, rows in sheets.items():
        for prefix, columns, total in BREAKDOWN_SHEETS:
            if not name.lower().startswith(prefix) or not rows:
                continue
            frame = sheet_table(rows, 0).frame
            frame.columns = [str(c).strip().lower() for c in rows[0]]
            if "post id" not in frame.columns:
                continue
            for column, metric in columns.items():
                if column in frame.columns:
                    breakdowns.append(_breakdown(frame, [column], metric))
            if total:
                present = [c for c in _CONSUMPTION_TYPES if c in frame.columns]
                breakdowns.append(_breakdown(frame, present, total))
    return sheet_table(main, 0), breakdowns


def _breakdown(frame: pd.DataFrame, columns: list[str], metric: str) -> pd.DataFrame:
    """(item, metric, value) of a breakdown sheet: the sum of `columns` per post."""
    values = pd.concat([number_column(frame[c])[0] for c in columns], axis=1).sum(
        axis=1, min_count=1
    )
    out = pd.DataFrame({"item": frame["post id"].astype(str).str.strip(), "value": values})
    out["metric"] = metric
    return out[out["value"].notna()]


def _is_description_row(table: Table) -> pd.Series:
    """Row 2 of legacy exports: the metrics' descriptions ("Lifetime: The number of …")."""
    frame = table.frame
    first_metric = next(
        (i for i, n in enumerate(table.names) if n.startswith(("lifetime", "daily"))), None
    )
    if first_metric is None:
        return pd.Series(False, index=frame.index)
    cells = frame[first_metric].str.strip()
    return cells.str.match(r"^(Lifetime|Daily|Weekly|28 Days)\s*:").fillna(False)


class LegacyPagePosts(Format):
    name = "fb_insights_posts"
    platform = "Facebook Page Insights (legacy)"
    title = "Post level or video posts export (CSV or SpreadsheetML)"
    channel = "facebook"
    grain = "post"
    skipped_rows_are = N_("description rows")

    def detect(self, source: Source) -> Detection | None:
        if source.kind not in ("text", "spreadsheetml", "xlsx", "xls"):
            return None
        names = header_names(source)
        if {"post id", "posted"} <= names and any(n.startswith("lifetime ") for n in names):
            return Detection(0.9, "Post ID, Posted and Lifetime … columns")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        found = _legacy_table(source)
        if found is None:
            raise SostacError(f"{source.name} is not a legacy Page Insights post export.")
        table, breakdowns = found
        ids = table.column("post id")
        assert ids is not None
        skip = (ids.str.strip() == "") | _is_description_row(table)
        account = _page_account(table, options)
        metrics = dict(LEGACY_POST_METRICS)
        read = extract_wide(
            table,
            channel="facebook",
            account=account,
            metrics=metrics,
            sums=LEGACY_VIDEO_SUMS if not table.has("lifetime total video views") else None,
            grain="post",
            date_column=("posted",),
            item_column=("post id",),
            year=options.year,
            date_formats=("%m/%d/%Y %I:%M:%S %p", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"),
            skip=skip,
        )
        observations = read.observations
        if breakdowns:
            observations = _with_breakdowns(observations, breakdowns)
        posts = posts_frame(
            table,
            read,
            channel="facebook",
            account=account,
            post_id=("post id",),
            post_type=("type",),
            text=("post message",),
            permalink=("permalink",),
        )
        return Extract(
            observations=observations,
            rows_read=len(table.frame),
            posts=posts,
            skipped=read.skipped,
            errors=read.errors,
            account=account if isinstance(account, str) else ", ".join(sorted(account.unique())),
        )


def _with_breakdowns(observations: pd.DataFrame, breakdowns: list[pd.DataFrame]) -> pd.DataFrame:
    """Add the breakdown sheets' values to the loaded posts (rejected posts stay out)."""
    keys = observations.drop_duplicates("item").set_index("item")[
        ["source_row", "channel", "account", "period_start", "period_end", "currency"]
    ]
    extra = pd.concat(breakdowns, ignore_index=True)
    extra = extra[extra["item"].isin(keys.index)].join(keys, on="item")
    extra["grain"], extra["dimension"] = "post", "post"
    return pd.concat([observations, extra[observations.columns]], ignore_index=True)


_PAGE_IN_LINK = re.compile(r"facebook\.com/([^/?#]+)/(?:posts|videos|photos)/")


def _page_account(table: Table, options: ReadOptions) -> str | pd.Series:
    """The page: --account, else the page name in the permalinks, else the id before the '_'."""
    if options.account:
        return options.account
    links = table.column("permalink")
    ids = table.column("post id")
    assert ids is not None
    by_id = ids.str.extract(r"^(\d+)_", expand=False).fillna("")
    if links is None:
        return by_id
    names = links.str.extract(_PAGE_IN_LINK, expand=False)
    # One page per export: the most common name names every row, ids included.
    common = names.dropna()
    common = common[~common.str.isdigit()]
    if not common.empty:
        return str(common.mode().iloc[0])
    return by_id


class LegacyPageLevel(Format):
    name = "fb_insights_page"
    platform = "Facebook Page Insights (legacy)"
    title = "Page level export (CSV or SpreadsheetML)"
    channel = "facebook"
    grain = "day"
    skipped_rows_are = N_("description rows")

    def detect(self, source: Source) -> Detection | None:
        if source.kind not in ("text", "spreadsheetml", "xlsx", "xls"):
            return None
        names = header_names(source)
        if "date" in names and names & {m for alts in LEGACY_PAGE_METRICS.values() for m in alts}:
            return Detection(0.85, "Date and Daily/Lifetime page metrics")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        found = _legacy_table(source)
        if found is None:
            raise SostacError(f"{source.name} is not a legacy Page Insights page export.")
        table, _ = found
        skip = _is_description_row(table) | (table.frame[table.find("date") or 0].str.strip() == "")
        read = extract_wide(
            table,
            channel="facebook",
            account=options.account or "",
            metrics=LEGACY_PAGE_METRICS,
            grain="day",
            date_column=("date",),
            year=options.year,
            date_formats=("%m/%d/%Y", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.%f"),
            skip=skip,
        )
        notes = (
            []
            if options.account
            else ["A page-level export names no page: stored without an account; pass --account."]
        )
        return Extract(
            observations=read.observations,
            rows_read=len(table.frame),
            skipped=read.skipped,
            errors=read.errors,
            account=options.account or "",
            notes=notes,
        )


FORMATS: list[Format] = [LegacyPagePosts(), LegacyPageLevel()]
