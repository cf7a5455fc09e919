"""Ads managers: Meta Ads, Google Ads (CSV, UTF-16 TAB, by day)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tests.support.exports.common import _csv_text, _xlsx, write_lines

# ---- Ads ---------------------------------------------------------------------------------


def meta_ads_csv(folder: Path, name: str = "Koffiebar-Ads-Mar-1-2026-Mar-31-2026.csv") -> Path:
    """Two ads with the same name in different ad sets; `-` rankings; spend in EUR."""
    rows = [
        '"Reporting starts","Reporting ends","Ad name","Ad set name","Account name",Reach,'
        'Impressions,"Quality ranking","Amount spent (EUR)","Link clicks",Purchases,'
        '"Purchases conversion value","Cost per result"',
        '2026-03-01,2026-03-31,"Latte video","Young professionals",Koffiebar,1200,3000,-,'
        "45.50,60,2,19.90,22.75",
        '2026-03-01,2026-03-31,"Latte video","Students",Koffiebar,800,1500,-,20.00,25,,,',
    ]
    return write_lines(folder / name, rows, end="\n")


def meta_ads_dutch_csv(folder: Path, name: str = "advertenties.csv") -> Path:
    """Dutch Ads Manager: `Weergaven` are impressions, decimal commas, campaign level."""
    rows = [
        '"Begin rapportage";"Einde rapportage";"Campagnenaam";"Bereik";"Weergaven";'
        '"Besteed bedrag (EUR)";"Linkklikken"',
        '"01-03-2026";"31-03-2026";"Lente";"1.200";"3.000";"45,50";"60"',
    ]
    return write_lines(folder / name, rows, end="\n")


GOOGLE_HEADER = [
    "Campaign status",
    "Campaign",
    "Budget",
    "Campaign type",
    "Impr.",
    "Interactions",
    "Interaction rate",
    "Currency code",
    "Cost",
    "Avg. CPC",
    "Search impr. share",
    "Clicks",
    "Conv. rate",
    "Conversions",
]
GOOGLE_ROWS = [
    [
        "Enabled",
        "Koffie, thee & meer",
        "5.00",
        "Search",
        "1,234,567",
        "9,265",
        "1.16%",
        "EUR",
        "2691.41",
        "0.29",
        "< 10%",
        "9,265",
        "0.24%",
        "22.00",
    ],
    [
        "Paused",
        "Brand",
        "3.00",
        "Display",
        "0",
        "0",
        " --",
        "EUR",
        "0.00",
        "0",
        " --",
        "0",
        "0.00%",
        "0.00",
    ],
    [
        "Enabled",
        "Lente",
        "4.00",
        "Search",
        "433",
        "20",
        "4.62%",
        "EUR",
        "15.50",
        "0.78",
        "> 90%",
        "20",
        "5.00%",
        "1.00",
    ],
]
# The report's own total rows, the account's and the network's: the reader skips them.
GOOGLE_TOTALS = [
    ["Total: Account", "", "", "",
     "1,235,000", "", "", "EUR", "2706.91", "", "", "9,285", "", "23.00"],
    ["Total: Search", "", "", "Search",
     "1,235,000", "", "", "EUR", "2706.91", "", "", "9,285", "", "23.00"],
]  # fmt: skip


def google_ads_csv(folder: Path, name: str = "Campaign report.csv") -> Path:
    """UTF-8: report name, date range, header, three campaigns, `Total: …` rows at the end."""

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    out.write("Campaign report\n1 March 2026 - 31 March 2026\n")
    writer.writerow(GOOGLE_HEADER)
    writer.writerows(GOOGLE_ROWS)
    writer.writerows(GOOGLE_TOTALS)
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def google_ads_utf16_tab(folder: Path, name: str = "Campaign report (1).csv") -> Path:
    """The same report as UTF-16LE with BOM, TAB-separated, CRLF, `Nov 1, 2026 - …` range."""
    lines = ["Campaign report", "Mar 1, 2026 - Mar 31, 2026", "\t".join(GOOGLE_HEADER)]
    lines += ["\t".join(row) for row in GOOGLE_ROWS]
    lines.append("\t".join(GOOGLE_TOTALS[0]))
    return write_lines(folder / name, lines, sep="\r\n", encoding="utf-16-le", bom=True)


def meta_ads_xlsx(folder: Path, name: str = "Koffiebar-Ads-per-day.xlsx") -> Path:
    """Ads Manager saved as xlsx, broken down by day: cells are real dates; one id a number."""

    rows = [
        [
            "Reporting starts",
            "Reporting ends",
            "Campaign name",
            "Campaign ID",
            "Impressions",
            "Amount spent (EUR)",
            "Link clicks",
        ],
        [datetime(2026, 3, 1), datetime(2026, 3, 1), "Lente", "120000000000000001", 1000, 10.5, 12],
        # An id a spreadsheet program turned into a number (exact below 2**53).
        [datetime(2026, 3, 1), datetime(2026, 3, 1), "Zomer", 23851234567890.0, 10, 1.0, 0],
        [
            datetime(2026, 3, 2),
            datetime(2026, 3, 2),
            "Lente",
            "120000000000000001",
            2000,
            20.25,
            None,
        ],
    ]
    return _xlsx(folder / name, {"Raw Data Report": rows})


def google_ads_by_day(folder: Path, name: str = "Campaign report by day.csv") -> Path:
    """Segmented by Day: each row is its own one-day window, whatever line 2 says."""
    lines = [
        "Campaign report",
        "All time",
        "Day,Campaign,Impr.,Clicks,Currency code,Cost,Avg. CPC",
        '2026-03-01,Lente,"1,000",10,EUR,5.00,0.50',
        '2026-03-02,Lente,"1,500",15,EUR,7.50,0.50',
        'Total: Account,,"2,500",25,EUR,12.50,0.50',
    ]
    return write_lines(folder / name, lines, end="\n")


# --- Ads reports: rows finer than the key, total rows -----------------------------------------


@dataclass
class AdRow:
    """One ad's totals over a report's window; `group` is its ad set or ad group ('' none)."""

    campaign: str
    group: str
    ad: str
    spend: float
    impressions: int


def write_meta_ads(
    path: Path,
    rows: list[AdRow],
    start: date,
    end: date,
    *,
    total_first: bool = False,
    period_as_text: bool = False,
) -> Path:
    """An Ads Manager CSV without ad ids; `total_first` writes the account total row (no
    names) first, as the XLSX download does; `period_as_text` one `Reporting period` column
    (`2026-03-01 - 2026-03-31`) in place of Reporting starts and ends."""
    window: list[object] = [f"{start} - {end}"] if period_as_text else [start, end]
    header = ["Reporting period"] if period_as_text else ["Reporting starts", "Reporting ends"]
    header += ["Campaign name", "Ad set name", "Ad name", "Amount spent (EUR)", "Impressions"]
    body: list[list[object]] = [header]
    if total_first:
        spend = round(sum(r.spend for r in rows), 2)
        body.append([*window, "", "", "", spend, sum(r.impressions for r in rows)])
    body += [[*window, r.campaign, r.group, r.ad, r.spend, r.impressions] for r in rows]
    path.write_text(_csv_text(body), encoding="utf-8")
    return path


def write_google_ads(path: Path, rows: list[AdRow], start: date, end: date) -> Path:
    """A Google Ads "Ad report": name line, range line, header, ads (several per ad group,
    no ad id), then `Total: …` rows in the first column with thousands separators."""
    header = ["Ad status", "Ad", "Campaign", "Ad group", "Impr.", "Currency code", "Cost"]
    body: list[list[object]] = [["Ad report"], [f"{start:%B %-d, %Y} - {end:%B %-d, %Y}"]]
    body.append(header)
    body += [
        ["Enabled", r.ad, r.campaign, r.group, f"{r.impressions:,}", "EUR", f"{r.spend:.2f}"]
        for r in rows
    ]
    spend, impressions = sum(r.spend for r in rows), sum(r.impressions for r in rows)
    body.append(["Total: All but removed ads", " --", " --", " --", f"{impressions:,}", "EUR"])
    body[-1].append(f"{spend:.2f}")
    body.append(["Total: Account", "", "", "", f"{impressions + 7:,}", "EUR", f"{spend:.2f}"])
    path.write_text(_csv_text(body), encoding="utf-8")
    return path
