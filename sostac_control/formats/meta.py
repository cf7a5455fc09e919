"""Meta Business Suite post exports (Facebook and Instagram); the page daily series:
meta_series.py; legacy Page Insights: meta_legacy.py.

- Post exports (Business Suite → Insights → Content → Export): one row per post, lifetime
  values. Facebook (early-2025 and late-2025 layouts) and Instagram, English or Dutch headers.

Recognition uses a few characteristic columns, never the full header or the file name.
"""

from __future__ import annotations

import csv
from typing import Any

import numpy as np
import pandas as pd

from sostac_control.catalog import METRICS
from sostac_control.errors import Problem, SostacError
from sostac_control.formats.base import (
    Detection,
    Extract,
    Format,
    ReadOptions,
    Source,
    empty_observations,
)
from sostac_control.formats.headers import META, language_of, names
from sostac_control.formats.languages import DAY_FIRST, DECIMAL_COMMA, lifetime_words
from sostac_control.formats.meta_staged import PostLayout, stage_posts
from sostac_control.formats.wide import (
    Table,
    extract_wide,
    header_names,
    posts_frame,
    read_text_table,
    sheet_table,
    sniff_separator,
)
from sostac_control.i18n import N_, _

# --- Business Suite post exports -------------------------------------------------------------

# Header names in every language read come from headers.META (one table, not code per
# language); the language then says the decimal mark and the order of day and month.
POST_ID = names(META, "post id")
PUBLISHED = names(META, "publish time")
PAGE_NAME = names(META, "page name")
IG_USERNAME = names(META, "account username")
POST_TYPE = names(META, "post type")
TEXT = names(META, "text")
PERMALINK = names(META, "permalink")
LABELS = names(META, "custom labels")
DATE = names(META, "date")

POST_METRICS: dict[str, tuple[str, ...]] = {
    metric: names(META, concept)
    for metric, concept in (
        ("views", "views"),
        ("reach", "reach"),
        ("impressions", "impressions"),
        ("reactions", "reactions"),
        ("comments", "comments"),
        ("shares", "shares"),
        ("saves", "saves"),
        ("new_followers", "follows"),
        ("clicks", "total clicks"),
        ("link_clicks", "link clicks"),
        ("video_views", "3-second video views"),
        ("engagements", "interactions"),
    )
}
MBS_DATE_FORMATS = (
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M",  # Japanese
)
DAY_FIRST_DATE_FORMATS = (
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",  # German
    "%d-%m-%Y %H:%M:%S",
)


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


def _style(table: Table) -> tuple[bool, str | None]:
    """How the export writes dates and numbers, from its header's language (and separator):
    (day first, decimal mark or None to infer it per cell). Shared by `read` and `stage`."""
    language = language_of(META, table.names)
    decimal = "," if language in DECIMAL_COMMA or table.sep == ";" else None
    return language in DAY_FIRST, decimal


def post_layout(table: Table, fmt: _MbsPosts, options: ReadOptions) -> PostLayout:
    """The header mapping of `read` as positions, for the staged reader (meta_staged.py)."""
    ids, published = table.find(*POST_ID), table.find(*PUBLISHED)
    assert ids is not None and published is not None  # _claims
    metrics = {
        metric: position
        for metric, names in _post_metrics(table).items()
        if (position := table.find(*names)) is not None
    }
    texts = {name: table.find(*names) for name, names in (
        ("post_type", POST_TYPE), ("text", TEXT), ("permalink", PERMALINK), ("labels", LABELS)
    )}  # fmt: skip
    account = None if options.account else table.find(*fmt.account_columns)
    day_first, decimal = _style(table)
    formats = DAY_FIRST_DATE_FORMATS if day_first else MBS_DATE_FORMATS
    return PostLayout(table.header, table.sep, ids, published, account, table.find(*DATE),
                      metrics, texts, day_first, decimal, formats)  # fmt: skip


def _table(source: Source) -> Table | None:
    """The export's table: a CSV with the header on line 1, or the first sheet of a workbook."""
    if source.kind == "text":
        return read_text_table(source, 0)
    if source.kind in ("xlsx", "xls", "spreadsheetml"):
        for rows in source.sheets().values():
            if rows:
                return sheet_table(rows, 0)
    return None


class _MbsPosts(Format):
    grain = "post"
    skipped_rows_are = N_("placeholder rows (no post id)")
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
        names = header_names(source)
        if not self._claims(names):
            return None
        metrics = sum(1 for alts in POST_METRICS.values() if names & set(alts))
        return Detection(0.6 + min(metrics, 4) * 0.1, "post id, publish time and account columns")

    def stage(self, source: Source, options: ReadOptions, con: Any, view: str) -> Extract | None:
        """DuckDB reads a CSV export on disk itself (meta_staged.py): same rows, rules,
        rejections and messages as `read`; None (read it with `read`) for a workbook, another
        encoding, or rows that do not fit the header."""
        if source.path is None or source.kind != "text":
            return None
        if source.encoding not in ("utf-8", "utf-8-sig"):
            return None
        first = source.text.split("\n", 1)[0]  # the header line, as read_text_table takes it
        if "\x00" in first or first.count('"') % 2:  # NUL bytes or an open quote: DuckDB's
            return None  # CSV reader then reads no data row at all, where `read` reads them
        sep = sniff_separator(first)
        table = Table(next(csv.reader([first], delimiter=sep)), pd.DataFrame(), sep=sep)
        if not self._claims(set(table.names)):
            return None  # `read` refuses it with the reason
        staged = stage_posts(source, options, con, view, post_layout(table, self, options),
                             self.channel)  # fmt: skip
        if staged is None:
            return None
        extract = _extract(
            empty_observations(),
            rows_read=staged.rows_read,
            posts=None,
            placeholders=staged.placeholders,
            doubled=staged.doubled,
            errors=staged.errors,
            accounts=staged.accounts,
            per_day=staged.per_day,
        )
        extract.staged_posts, extract.rows_loaded = f"{view}_posts", staged.rows_loaded
        return extract

    def read(self, source: Source, options: ReadOptions) -> Extract:
        table = _table(source)
        if table is None or not self._claims(set(table.names)):
            raise SostacError(f"{source.name} is not a {self.platform} {self.title}.")
        day_first, decimal = _style(table)
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
            day_first=day_first,
            year=options.year,
            date_formats=DAY_FIRST_DATE_FORMATS if day_first else MBS_DATE_FORMATS,
            skip=placeholder,
        )
        # A post on several rows with different `Date` cells is a per-day breakdown (summed
        # per post); the same post and Date twice is a repeated row, settled by the loader.
        dates = table.column(*DATE)
        loaded = read.loaded.to_numpy(dtype=bool)
        observations, doubled = read.observations, 0
        if dates is not None:
            # A post with a lifetime row (`Lifetime`, `Totaal`, `Vitalício`, …) and day rows:
            # the lifetime row is its total, so its day rows would count it twice.
            lifetime = dates.fillna("").str.strip().str.lower().isin(list(lifetime_words()))
            lifetime_np = lifetime.to_numpy(dtype=bool)
            with_total = set(ids[lifetime_np & loaded])
            day_rows = ~lifetime_np & loaded & ids.isin(with_total).to_numpy(dtype=bool)
            if day_rows.any():
                doubled = int(day_rows.sum())
                rows_out = set((np.flatnonzero(day_rows) + 1).tolist())
                observations = observations[~observations["source_row"].isin(rows_out)]
                loaded = loaded & ~day_rows
        keys = ids if dates is None else ids + "\x1f" + dates.fillna("")
        repeated = ids[loaded].duplicated().any() and not keys[loaded].duplicated().any()
        observations, per_day = (
            _one_row_per_post(observations) if repeated else (observations, False)
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
        return _extract(
            observations,
            rows_read=len(table.frame),
            posts=posts,
            placeholders=read.skipped,
            doubled=doubled,
            errors=read.errors,
            accounts=accounts,
            per_day=per_day,
        )


def _extract(
    observations: pd.DataFrame,
    *,
    rows_read: int,
    posts: pd.DataFrame | None,
    placeholders: int,
    doubled: int,
    errors: list[Problem],
    accounts: list[str],
    per_day: bool,
) -> Extract:
    """What `read` and `stage` say about a post export once its rows are read: counts, rows
    set aside by name, its accounts (sorted) and the notes."""
    notes = []
    if accounts == [""]:
        notes.append("The export names no account; pass --account to name it.")
    if per_day:
        notes.append(
            _(
                "The export has several rows per post (one per day): counts are summed per "
                "post; reach is the largest daily reach, a lower bound of the post's reach."
            )
        )
    return Extract(
        observations=observations,
        rows_read=rows_read,
        posts=posts,
        skipped=placeholders + doubled,
        set_aside=_named(
            ("placeholder rows (no post id)", placeholders),
            ("day rows of posts that also have a lifetime row", doubled),
        ),
        errors=errors,
        account=", ".join(a for a in accounts if a),
        notes=notes,
    )


def _named(*counts: tuple[str, int]) -> dict[str, int]:
    return {name: n for name, n in counts if n}


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


FORMATS: list[Format] = [
    FacebookPosts(),
    InstagramPosts(),
]
