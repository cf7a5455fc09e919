"""Ad platform reports: Meta Ads Manager and Google Ads UI reports, kept as reporting windows.

An ads report states each campaign's (or ad set's, or ad's) totals over the report's window, not
per day; the rows are stored as windows and the metric engine spreads them over days. Money
columns carry their currency: Meta writes it inside the header (`Amount spent (PHP)`), Google
Ads in a `Currency code` column.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.table import (
    Observations,
    cell,
    column_index,
    currency_in,
    dates_in,
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

MONEY = frozenset({"spend", "revenue"})

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
                obs.reject(n, "Reporting starts", "the row has no reporting window")
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
                    currency=currency if metric in MONEY else None,
                )
            obs.end_row()
        notes = []
        if dimension:
            notes.append(f"Rows are per {dimension.replace('_', ' ')}.")
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


# ---- Google Ads UI report --------------------------------------------------------------------

GOOGLE_METRICS = {
    "impr.": "impressions",
    "impressions": "impressions",
    "vertoningen": "impressions",
    "clicks": "clicks",
    "klikken": "clicks",
    "cost": "spend",
    "kosten": "spend",
    "conversions": "conversions",
    "conversies": "conversions",
    "conv. value": "revenue",
    "conversion value": "revenue",
    "conv.waarde": "revenue",
    "conversiewaarde": "revenue",
    "views": "video_views",
    "weergaven": "video_views",
}
GOOGLE_MARKERS = frozenset(
    {
        "impr.",
        "avg. cpc",
        "cost / conv.",
        "conv. rate",
        "interaction rate",
        "campaign status",
        "interactions",
        "search impr. share",
        "gem. cpc",
        "kosten/conv.",
        "campagnestatus",
        "currency code",
        "valutacode",
        "optimization score",
        "optimisation score",
    }
)
# Report levels, coarse to fine: (header names, dimension).
GOOGLE_LEVELS = (
    (("campaign", "campagne"), "campaign"),
    (("ad group", "advertentiegroep"), "ad_group"),
    (("ad id", "advertentie-id"), "ad"),
    (("keyword", "search keyword", "zoekwoord"), "keyword"),
    (("search term", "zoekterm"), "search_term"),
)
DUTCH_GOOGLE = frozenset({"vertoningen", "kosten", "klikken", "campagne", "conversies"})
GOOGLE_DAY = ("day", "date", "dag", "datum")


class GoogleAdsReport(Format):
    name = "google_ads_report"
    platform = "Google Ads"
    title = "UI report (campaign, ad group, keyword; UTF-8 or UTF-16 TAB)"
    channel = "google_ads"
    grain = "window"
    sum_rows_into_key = True

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "text":
            return None
        rows = rows_of(source)[""]
        index = header_row(rows, GOOGLE_MARKERS, at_least=2, within=6)
        if index is None:
            return None
        names = {norm(c) for c in rows[index]}
        if names & set(GOOGLE_METRICS):
            return Detection(0.9, "Google Ads columns (Impr., Avg. CPC, Cost / conv., …)")
        return None

    def read(self, source: Source, options: ReadOptions) -> Extract:
        rows = rows_of(source)[""]
        index = header_row(rows, GOOGLE_MARKERS, at_least=2, within=6)
        if index is None:
            raise SostacError(f"{source.name}: no Google Ads report header found.")
        headers = [norm(c) for c in rows[index]]
        metrics: dict[int, str] = {}
        for i, name in enumerate(headers):
            base = re.sub(r"\s*\([a-z]{3}\)$", "", name)
            metric = GOOGLE_METRICS.get(base)
            if metric and metric not in metrics.values():
                metrics[i] = metric
        day_col = column_index(headers, *GOOGLE_DAY)
        window = self._window(source, rows[:index]) if day_col is None else None
        levels = [(column_index(headers, *names), dim) for names, dim in GOOGLE_LEVELS]
        levels = [(i, dim) for i, dim in levels if i is not None]
        dimension = levels[-1][1] if levels else ""
        currency_col = column_index(headers, "currency code", "currency", "valutacode", "valuta")
        header_currency = next(
            (currency_in(str(rows[index][i])) for i, m in metrics.items() if m == "spend"), None
        )
        obs = Observations(self.channel, account=options.account or "")
        account_col = column_index(headers, "account", "account name", "customer name")
        data = rows[index + 1 :]
        dutch = bool(set(headers) & DUTCH_GOOGLE)
        day_first = day_first_of([cell(r, day_col) for r in data[:50]], default=dutch)
        decimal = decimal_of(
            [cell(r, i) for r in data[:200] for i in metrics], "," if dutch else None
        )
        for n, row in enumerate(data, start=1):
            if is_blank(row):
                continue
            if total_label(row) is not None:
                obs.total_row({m: cell(row, i) for i, m in metrics.items()}, decimal)
                continue
            obs.start_row()
            if day_col is not None:
                day = obs.parsed(
                    n, rows[index][day_col], read_date, cell(row, day_col), day_first=day_first
                )
                if day is None:
                    obs.end_row()
                    continue
                start, end = day, day
            else:
                assert window is not None
                start, end = window
            if not options.account and account_col is not None and cell(row, account_col):
                obs.account = str(cell(row, account_col)).strip()
            item = " / ".join(str(cell(row, i) or "").strip() for i, _ in levels)
            currency = str(cell(row, currency_col) or "").strip().upper() or header_currency
            for i, metric in metrics.items():
                value = obs.number(n, rows[index][i], cell(row, i), decimal)
                obs.add(
                    n,
                    metric,
                    value,
                    start,
                    end,
                    grain="window",
                    dimension=dimension,
                    item=item,
                    currency=currency if metric in MONEY else None,
                )
            obs.end_row()
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            set_aside=obs.set_aside,
            file_totals=obs.file_totals,
            errors=obs.errors,
            account=obs.account,
        )

    def _window(self, source: Source, preamble: list[list[Any]]) -> tuple[date, date]:
        for row in preamble:
            text = ",".join(str(c) for c in row if c is not None).strip()
            days = dates_in(text)
            if len(days) >= 2:
                return days[0], days[-1]
            if len(days) == 1 and re.search(r"\d", text):
                return days[0], days[0]
        lines = [",".join(str(c) for c in row).strip(", ") for row in preamble]
        # Line 1 is the report's name; the period is the last line before the header.
        said = ([line for line in lines if line][1:] or lines or ["no stated period"])[-1]
        raise SostacError(
            f"{source.name}: this Google Ads report covers {said!r}, "
            "which has no start and end date, so its totals cannot be placed in time.",
            hint="Download the report again with a date range (for example last month) or "
            "segmented by Day.",
        )


FORMATS: list[Format] = [MetaAdsManager(), GoogleAdsReport()]
