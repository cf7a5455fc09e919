"""Google Ads UI reports (campaign, ad group, keyword), kept as reporting windows.

A report states each item's totals over the report's window (or per day, when it has a day
column). Money is in the account's currency, named in a `Currency code` column; the window comes
from the title lines above the header. English and Dutch headers, UTF-8 or UTF-16 TAB files.
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
                    currency=currency if metric in MONEY_METRICS else None,
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


FORMATS: list[Format] = [GoogleAdsReport()]
