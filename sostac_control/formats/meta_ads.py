"""Meta Ads Manager reports (campaign, ad set or ad), kept as reporting windows; Google Ads
reports: google_ads.py.

An ads report states each campaign's (or ad set's, or ad's) totals over the report's window, not
per day; the rows are stored as windows and the metric engine spreads them over days. Money
columns carry their currency: Meta writes it inside the header (`Amount spent (PHP)`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.table import (
    MONEY_METRICS,
    Observations,
    cell,
    column_index,
    currency_in,
    day_first_of,
    decimal_of,
    header_row,
    is_blank,
    norm,
    read_date,
    rows_of,
    total_label,
)
from sostac_control.formats.values import parse_date_range
from sostac_control.i18n import _

# ---- Meta Ads Manager ------------------------------------------------------------------------

META_STARTS = ("reporting starts", "begin rapportage", "rapportage begint", "inicio del informe")
DUTCH_META = frozenset({"begin rapportage", "rapportage begint"})
META_ENDS = ("reporting ends", "einde rapportage", "rapportage eindigt", "fin del informe")
# One column holding the window as text, `2023-10-01 - 2023-10-31`, in place of the two.
META_RANGE = (
    "reporting period", "date range", "period", "rapportageperiode", "datumbereik",
    "periode", "período del informe", "período", "berichtszeitraum", "zeitraum", "période",
)  # fmt: skip
META_HEADER = frozenset(META_STARTS) | frozenset(META_ENDS) | frozenset(META_RANGE)
# Headers are matched after the currency "(XYZ)" is removed from them.
META_METRICS = {
    "impressions": "impressions",
    "weergaven": "impressions",  # Dutch Ads Manager calls impressions "Weergaven"
    "vertoningen": "impressions",
    "reach": "reach",
    "bereik": "reach",
    "amount spent": "spend",
    "besteed bedrag": "spend",
    "uitgegeven bedrag": "spend",
    "link clicks": "link_clicks",
    "linkklikken": "link_clicks",
    "klikken op link": "link_clicks",
    "clicks (all)": "clicks",
    "klikken (alle)": "clicks",
    "post engagement": "engagements",
    "post engagements": "engagements",
    "berichtbetrokkenheid": "engagements",
    "post reactions": "reactions",
    "post comments": "comments",
    "post shares": "shares",
    "post saves": "saves",
    "3-second video plays": "video_views",
    "purchases": "conversions",
    "aankopen": "conversions",
    "purchases conversion value": "revenue",
    "conversiewaarde aankopen": "revenue",
    "leads": "leads",
}
# The finest level of the report names what a row is: (header of its id, of its name, dimension).
META_LEVELS = (
    (
        ("ad id", "advertentie-id"),
        ("ad name", "ads", "advertentienaam", "naam advertentie", "advertenties"),
        "ad",
    ),
    (("ad set id", "advertentieset-id"), ("ad set name", "naam advertentieset"), "ad_set"),
    (
        ("campaign id", "campagne-id"),
        ("campaign name", "campagnenaam", "naam campagne"),
        "campaign",
    ),
)


def _without_currency(header: str) -> str:
    return re.sub(r"\s*\([a-z]{3}\)\s*$", "", header)


class MetaAdsManager(Format):
    name = "meta_ads_manager"
    platform = "Meta Ads Manager"
    title = "ads report (campaign, ad set or ad per reporting window)"
    channel = "meta_ads"
    grain = "window"
    sum_rows_into_key = True

    def detect(self, source: Source) -> Detection | None:
        for rows in rows_of(source).values():
            index = _meta_header(rows)
            if index is None:
                continue
            names = {_without_currency(norm(c)) for c in rows[index]}
            if names & set(META_METRICS):
                return Detection(0.95, "columns Reporting starts / Reporting ends and ad metrics")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        for rows in rows_of(source).values():
            index = _meta_header(rows)
            if index is not None:
                return self._read_rows(source, rows, index, options)
        raise SostacError(f"{source.name}: no Reporting starts / Reporting ends header found.")

    def _read_rows(
        self, source: Source, rows: list[list[Any]], index: int, options: ReadOptions
    ) -> Extract:
        headers = [norm(c) for c in rows[index]]
        plain = [_without_currency(h) for h in headers]
        starts = column_index(headers, *META_STARTS)
        ends = column_index(headers, *META_ENDS)
        period = column_index(headers, *META_RANGE) if starts is None else None
        metrics: dict[int, str] = {}
        currency_of_file = None
        for i, name in enumerate(plain):
            metric = META_METRICS.get(name)
            if metric and metric not in metrics.values():
                metrics[i] = metric
            currency_of_file = currency_of_file or (
                currency_in(rows[index][i] or "") if metric == "spend" else None
            )
        if not metrics:
            raise SostacError(
                f"{source.name}: a Meta Ads Manager report without any metric this product "
                "loads (impressions, reach, amount spent, link clicks, purchases, …).",
                hint="Add those columns to the report's column preset and export again.",
            )
        data = rows[index + 1 :]
        level_id = level_name = None
        dimension = ""
        # The finest level whose column holds names: a per-campaign export keeps an empty
        # `Ad set name` column, which must not make every row "the ad set without a name".
        for ids, names, level in META_LEVELS:
            level_id = _filled(data, column_index(headers, *ids))
            level_name = _filled(data, column_index(headers, *names))
            if level_id is not None or level_name is not None:
                dimension = level
                break
        parents = [
            _filled(data, column_index(headers, *names))
            for _, names, level in META_LEVELS[1:]
            if level != dimension
        ]
        parent = next((p for p in parents if p is not None), None) if dimension == "ad" else None
        account_col = column_index(headers, "account name", "accountnaam")
        dutch = headers[starts or 0] in DUTCH_META or source.text[:500].count(";") > 2
        day_first = day_first_of([cell(r, starts) for r in data[:50]], default=dutch)
        decimal = decimal_of(
            [cell(r, i) for r in data[:200] for i in metrics], "," if dutch else None
        )
        obs = Observations(self.channel, account=options.account or "")
        for n, row in enumerate(data, start=1):
            if is_blank(row):
                continue
            named = [c for c in (level_id, level_name) if c is not None]
            if total_label(row) is not None or (
                named and len(data) > 1 and all(is_blank([cell(row, c)]) for c in named)
            ):
                # Ads Manager writes the account's total as a row without names (first in
                # XLSX downloads); it is the file's own total, not one more ad.
                obs.total_row({m: cell(row, i) for i, m in metrics.items()}, decimal)
                continue
            obs.start_row()
            start: date | None
            end: date | None
            try:
                if period is not None:  # the row's own window, written as a range
                    start, end = parse_date_range(cell(row, period), day_first=day_first)
                else:
                    start = read_date(cell(row, starts), day_first=day_first)
                    end = read_date(cell(row, ends), day_first=day_first)
            except ValueError as exc:
                obs.reject(n, "Reporting starts", str(exc))
                obs.end_row()
                continue
            if start is None or end is None:
                obs.reject(n, "Reporting starts", _("the row has no reporting window"))
                obs.end_row()
                continue
            if not options.account and account_col is not None and cell(row, account_col):
                obs.account = str(cell(row, account_col)).strip()
            item = _item(row, level_id, level_name, parent)
            for i, metric in metrics.items():
                value = obs.number(n, rows[index][i], cell(row, i), decimal)
                currency = currency_in(rows[index][i] or "") or currency_of_file
                obs.add(
                    n,
                    metric,
                    value,
                    start,
                    end,
                    grain="window",
                    dimension=dimension,
                    item=item,
                    currency=currency if metric in MONEY_METRICS else None,
                )
            obs.end_row()
        notes = []
        if dimension:
            notes.append(
                _("Rows are per {dimension}.").format(dimension=dimension.replace("_", " "))
            )
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            set_aside=obs.set_aside,
            file_totals=obs.file_totals,
            errors=obs.errors,
            account=obs.account,
            notes=notes,
        )


def _meta_header(rows: list[list[Any]]) -> int | None:
    """The header row: Reporting starts and ends, or one column with the period as text."""
    index = header_row(rows, META_HEADER, at_least=2, within=3)
    if index is not None:
        return index
    index = header_row(rows, frozenset(META_RANGE), at_least=1, within=3)
    if index is not None and {norm(c) for c in rows[index]} & {
        "ad name",
        "campaign name",
        "ad set name",
    }:
        return index
    return None


def _filled(data: list[list[Any]], column: int | None) -> int | None:
    """`column` when any data row has something in it, else None."""
    if column is None:
        return None
    return column if any(str(cell(r, column) or "").strip() for r in data) else None


def _item(row: list[Any], id_col: int | None, name_col: int | None, parent: int | None) -> str:
    raw = cell(row, id_col)
    # A spreadsheet may hold an id as a number; 1.2e17 must read back as its digits.
    ident = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw or "")
    ident = ident.strip()
    if ident:
        return ident
    name = str(cell(row, name_col) or "").strip()
    parent_name = str(cell(row, parent) or "").strip()
    # Ad names repeat across ad sets; the ad set makes the key unique.
    return f"{parent_name} / {name}" if parent_name and name else name


FORMATS: list[Format] = [MetaAdsManager()]
