"""Meta Business Suite and legacy Facebook Page Insights exports (Facebook and Instagram).

- Post exports (Business Suite → Insights → Content → Export): one row per post, lifetime
  values. Facebook (early-2025 and late-2025 layouts) and Instagram, English or Dutch headers.
- Page daily series (Insights → Export a chart): UTF-16, `sep=,` on line 1, the metric's title
  on line 2, then `"Date","Primary"`; the metric comes from the title.
- Legacy Page Insights CSVs (page level, post level, video posts) and their SpreadsheetML
  ("Excel") flavour: row 2 is a row of descriptions, not data.

Recognition uses a few characteristic columns, never the full header or the file name.
"""

from __future__ import annotations

import re

import pandas as pd

from sostac_control.catalog import METRICS
from sostac_control.errors import SostacError
from sostac_control.formats.base import (
    Detection,
    Extract,
    Format,
    ReadOptions,
    Source,
    Table,
    extract_wide,
    posts_frame,
    read_text_table,
    sheet_table,
)

# --- Business Suite post exports -------------------------------------------------------------

POST_ID = ("post id", "bericht-id", "post-id", "berichtid")
PUBLISHED = ("publish time", "publicatietijd", "tijdstip van publicatie")
PAGE_NAME = ("page name", "paginanaam")
IG_USERNAME = ("account username", "accountgebruikersnaam", "gebruikersnaam van account")
POST_TYPE = ("post type", "berichttype", "type bericht")
TEXT = ("description", "beschrijving", "title", "titel")
PERMALINK = ("permalink", "permanente link")
LABELS = ("custom labels", "aangepaste labels")
# Headers that only a Dutch interface writes: the file then uses decimal commas, day-first dates.
DUTCH = frozenset(
    (
        "publicatietijd",
        "weergaven",
        "bereik",
        "vind-ik-leuks",
        "gedeeld",
        "opgeslagen",
        "berichttype",
        "paginanaam",
        "accountgebruikersnaam",
        "bericht-id",
        "datum",
    )
)

POST_METRICS: dict[str, tuple[str, ...]] = {
    "views": ("views", "weergaven"),
    "reach": ("reach", "bereik"),
    "impressions": ("impressions", "impressies", "weergaven (impressies)"),
    "reactions": ("reactions", "likes", "vind-ik-leuks", "reacties op bericht"),
    "comments": ("comments", "opmerkingen"),
    "shares": ("shares", "gedeeld", "deelacties"),
    "saves": ("saves", "opgeslagen"),
    "new_followers": ("follows", "volgacties", "nieuwe volgers"),
    "clicks": ("total clicks", "klikken in totaal", "totaal aantal klikken"),
    "link_clicks": ("link clicks", "linkklikken", "klikken op link"),
    "video_views": ("3-second video views", "videoweergaven van 3 seconden"),
    "engagements": (
        "reactions, comments and shares",
        "reacties, opmerkingen en deelacties",
        "interactions",
        "interacties",
    ),
}
MBS_DATE_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
DUTCH_DATE_FORMATS = ("%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S")


def _post_metrics(table: Table) -> dict[str, tuple[str, ...]]:
    """The column mapping for this file; Dutch "Reacties" means comments beside Vind-ik-leuks
    (Instagram) and reactions beside Opmerkingen (Facebook)."""
    metrics = dict(POST_METRICS)
    if table.has("reacties"):
        if table.has("opmerkingen"):
            metrics["reactions"] = (*metrics["reactions"], "reacties")
        else:
            metrics["comments"] = (*metrics["comments"], "reacties")
    return metrics


def _table(source: Source) -> Table | None:
    """The export's table: a CSV with the header on line 1, or the first sheet of a workbook."""
    if source.kind == "text":
        return read_text_table(source, 0)
    if source.kind in ("xlsx", "xls", "spreadsheetml"):
        for rows in source.sheets().values():
            if rows:
                return sheet_table(rows, 0)
    return None


def _header_names(source: Source, line: int = 0) -> set[str]:
    """Normalised header names of a CSV line or a workbook's first row, cheaply."""
    from sostac_control.formats.base import normalise_header, sniff_separator

    if source.kind == "text":
        lines = source.head_lines(line + 1)
        if len(lines) <= line:
            return set()
        import csv

        text = lines[line]
        return {
            normalise_header(h) for h in next(csv.reader([text], delimiter=sniff_separator(text)))
        }
    if source.kind in ("xlsx", "xls", "spreadsheetml"):
        for rows in source.sheets().values():
            if rows:
                return {normalise_header(c) for c in rows[0] if c is not None}
    return set()


class _MbsPosts(Format):
    grain = "post"
    account_columns: tuple[str, ...] = ()

    def _claims(self, names: set[str]) -> bool:
        return (
            bool(names & set(POST_ID))
            and bool(names & set(PUBLISHED))
            and bool(names & set(self.account_columns))
        )

    def detect(self, source: Source) -> Detection | None:
        if source.kind not in ("text", "xlsx"):
            return None
        names = _header_names(source)
        if not self._claims(names):
            return None
        metrics = sum(1 for alts in POST_METRICS.values() if names & set(alts))
        return Detection(0.6 + min(metrics, 4) * 0.1, "post id, publish time and account columns")

    def read(self, source: Source, options: ReadOptions) -> Extract:
        table = _table(source)
        if table is None or not self._claims(set(table.names)):
            raise SostacError(f"{source.name} is not a {self.platform} {self.title}.")
        dutch = bool(set(table.names) & DUTCH)
        decimal = "," if dutch or table.sep == ";" else None
        account_column = table.column(*self.account_columns)
        account: str | pd.Series = options.account or ""
        if account_column is not None and not options.account:
            account = account_column.str.strip()
        ids = table.column(*POST_ID)
        assert ids is not None
        placeholder = ids.str.strip() == ""
        read = extract_wide(
            table,
            channel=self.channel,
            account=account,
            metrics=_post_metrics(table),
            grain="post",
            date_column=PUBLISHED,
            item_column=POST_ID,
            decimal=decimal,
            day_first=dutch,
            year=options.year,
            date_formats=DUTCH_DATE_FORMATS if dutch else MBS_DATE_FORMATS,
            skip=placeholder,
        )
        repeated = ids[read.loaded.to_numpy(dtype=bool)].duplicated().any()
        observations, per_day = (
            _one_row_per_post(read.observations) if repeated else (read.observations, False)
        )
        posts = posts_frame(
            table,
            read,
            channel=self.channel,
            account=account,
            post_id=POST_ID,
            post_type=POST_TYPE,
            text=TEXT,
            permalink=PERMALINK,
            labels=LABELS,
        )
        accounts = sorted(observations["account"].dropna().unique())
        notes = []
        if accounts == [""]:
            notes.append("The export names no account; pass --account to name it.")
        if per_day:
            notes.append(
                "The export has several rows per post (one per day): counts are summed per "
                "post; reach is the largest daily reach, a lower bound of the post's reach."
            )
        return Extract(
            observations=observations,
            rows_read=len(table.frame),
            posts=posts,
            skipped=read.skipped,
            errors=read.errors,
            account=", ".join(a for a in accounts if a),
            notes=notes,
        )


_POST_KEY = ["channel", "account", "metric", "grain", "dimension", "item", "period_start",
             "period_end"]  # fmt: skip


def _one_row_per_post(observations: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Exports with a Date breakdown repeat each post per day: one value per post and metric."""
    additive = observations["metric"].map(lambda m: METRICS[m].kind == "sum").astype(bool)
    parts = [
        frame.groupby(_POST_KEY, sort=False, dropna=False, observed=True)
        .agg(source_row=("source_row", "min"), value=("value", how),
             currency=("currency", "first"))
        .reset_index()
        for frame, how in ((observations[additive], "sum"), (observations[~additive], "max"))
        if not frame.empty
    ]  # fmt: skip
    return pd.concat(parts, ignore_index=True)[observations.columns], True


class FacebookPosts(_MbsPosts):
    name = "meta_fb_posts"
    platform = "Meta Business Suite"
    title = "Facebook post export"
    channel = "facebook"
    account_columns = (*PAGE_NAME, "page id", "pagina-id")


class InstagramPosts(_MbsPosts):
    name = "meta_ig_posts"
    platform = "Meta Business Suite"
    title = "Instagram post export"
    channel = "instagram"
    account_columns = (*IG_USERNAME, "account id", "account-id")

    def _claims(self, names: set[str]) -> bool:
        # Facebook exports have no account username; Instagram ones have no page name.
        return super()._claims(names) and not names & set(PAGE_NAME)


# --- Business Suite page daily series ----------------------------------------------------------

# The chart title on line 2 → (channel, metric). Lower case; "Facebook"/"Instagram" may prefix.
SERIES_TITLES: dict[str, str] = {
    "follows": "new_followers",
    "volgers": "new_followers",
    "volgacties": "new_followers",
    "new follows": "new_followers",
    "content interactions": "engagements",
    "interactions": "engagements",
    "contentinteracties": "engagements",
    "interacties": "engagements",
    "views": "views",
    "weergaven": "views",
    "reach": "reach",
    "bereik": "reach",
    "link clicks": "link_clicks",
    "linkklikken": "link_clicks",
    "visits": "profile_visits",
    "page visits": "profile_visits",
    "profile visits": "profile_visits",
    "bezoeken": "profile_visits",
    "profielbezoeken": "profile_visits",
    "impressions": "impressions",
    "impressies": "impressions",
}
_SEP_LINE = re.compile(r"^sep=(.)\s*$")


def _series_title(source: Source) -> tuple[str, str, str] | None:
    """(channel, metric, title) from a page series' preamble; None when it is not one."""
    lines = source.head_lines(4)
    if len(lines) < 3 or not _SEP_LINE.match(lines[0].strip()):
        return None
    title = lines[1].strip().strip('"').strip()
    words = title.lower()
    channel = "facebook"
    for prefix, name in (("facebook ", "facebook"), ("instagram ", "instagram")):
        if words.startswith(prefix):
            channel, words = name, words[len(prefix) :]
    metric = SERIES_TITLES.get(words.strip())
    return (channel, metric or "", title)


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
        header = source.head_lines(4)[2].lower()
        if ("date" in header or "datum" in header) and ("primary" in header or "primair" in header):
            return Detection(0.95, "sep= line, a title, and a Date,Primary header")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
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
        separator = _SEP_LINE.match(source.head_lines(1)[0].strip())
        table = read_text_table(source, 2, separator.group(1) if separator else None)
        dutch = table.has("datum")
        read = extract_wide(
            table,
            channel=channel,
            account=options.account or "",
            metrics={metric: ("primary", "primair")},
            grain="day",
            date_column=("date", "datum"),
            decimal="," if dutch else None,
            day_first=dutch,
            year=options.year,
            date_formats=("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"),
        )
        notes = [f"The series {title!r} is loaded as {metric}."]
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


# --- Legacy Page Insights (before Business Suite) --------------------------------------------

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
        names = _header_names(source)
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
    from sostac_control.formats.values import number_column

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

    def detect(self, source: Source) -> Detection | None:
        if source.kind not in ("text", "spreadsheetml", "xlsx", "xls"):
            return None
        names = _header_names(source)
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

    def detect(self, source: Source) -> Detection | None:
        if source.kind not in ("text", "spreadsheetml", "xlsx", "xls"):
            return None
        names = _header_names(source)
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


FORMATS: list[Format] = [
    FacebookPosts(),
    InstagramPosts(),
    PageDailySeries(),
    LegacyPagePosts(),
    LegacyPageLevel(),
]
