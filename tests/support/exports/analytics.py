"""Web analytics exports: GA4 and Universal Analytics."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.support.exports.common import _xlsx, write_lines

# ---- Web analytics -----------------------------------------------------------------------


def ga4_csv(folder: Path, name: str = "ga4_traffic.csv") -> Path:
    """Nine # lines (window 2026-03-01..31), CRLF, no final newline, a second table after it
    (sessions by Nth day: 700 on 1 March, 800 on 2 March).

    Channel groups: Organic Social sessions 1000 users 800 key events 10 revenue 250.5;
    Direct 500 / 450 / 5 / 100.
    """
    lines = [
        "# ----------------------------------------",
        "# Traffic acquisition: Session primary channel group (Default Channel Group)",
        "# Account: Koffiebar",
        "# Property: Koffiebar GA4",
        "# ----------------------------------------",
        "# ",
        "# All Users",
        "# Start date: 20260301",
        "# End date: 20260331",
        "Session primary channel group (Default channel group),Sessions,Engaged sessions,"
        "Total users,Engagement rate,Key events,Total revenue,Bounce rate",
        "Organic Social,1000,600,800,0.6,10,250.5,0.4",
        "Direct,500,250,450,0.5,5,100,0.5",
        "",
        "# ----------------------------------------",
        "Nth day,Sessions",
        "0000,700",
        "0001,800",
    ]
    return write_lines(folder / name, lines, sep="\r\n")


def ua_xlsx(folder: Path, name: str = "Analytics All Web Site Data.xlsx") -> Path:
    """Summary sheet with the range 20200101-20200131; dataset with a blank-dimension total."""
    summary = [
        ["# ----------------------------------------"],
        ["# All Web Site Data"],
        ["# Channels"],
        ["# 20200101-20200131"],
        ["# ----------------------------------------"],
    ]
    dataset = [
        [
            "Default Channel Grouping",
            "Users",
            "New Users",
            "Sessions",
            "Bounce Rate",
            "Goal Completions",
        ],
        ["Organic Search", 700, 600, 900, 0.5, 12],
        ["Social", 300, 250, 400, 0.6, 3],
        [None, 950, 850, 1300, 0.53, 15],
    ]
    return _xlsx(folder / name, {"Summary": summary, "Dataset1": dataset})


def ga4_by_date(folder: Path, name: str = "ga4_date.csv") -> Path:
    """A GA4 report by Date (YYYYMMDD rows): day totals rather than a window."""
    lines = [
        "# ----------------------------------------",
        "# Reports snapshot",
        "# Property: Koffiebar GA4",
        "# Start date: 20260301",
        "# End date: 20260302",
        "Date,Sessions,Total users",
        "20260301,40,30",
        "20260302,60,45",
    ]
    return write_lines(folder / name, lines, sep="\r\n")


def ga4_two_dimensions(folder: Path, name: str = "ga4_source_campaign.csv") -> Path:
    """Two dimensions (source / medium and campaign): one source appears in two campaigns."""
    lines = [
        "# Traffic acquisition: Session source / medium",
        "# Start date: 20260301",
        "# End date: 20260331",
        "Session source / medium,Session campaign,Sessions,Total users",
        "instagram / social,lente,300,250",
        "instagram / social,zomer,100,90",
        "google / cpc,lente,200,180",
    ]
    return write_lines(folder / name, lines)


def write_ga4_blocks(path: Path, start: date, channels: dict[str, int], days: list[int]) -> Path:
    """A GA4 download with two tables: sessions per channel group over the window, then
    sessions by `Nth day` (0000 = the start date); CRLF, no final newline."""
    end = start + timedelta(days=max(len(days) - 1, 0))
    lines = [
        "# ----------------------------------------",
        "# Traffic acquisition: Session primary channel group (Default Channel Group)",
        "# Account: Koffiebar",
        "# Property: Koffiebar GA4",
        "# ----------------------------------------",
        "# ",
        "# All Users",
        f"# Start date: {start:%Y%m%d}",
        f"# End date: {end:%Y%m%d}",
        "Session primary channel group (Default channel group),Sessions",
        *[f"{name},{n}" for name, n in channels.items()],
        "",
        "# ----------------------------------------",
        "Nth day,Sessions",
        *[f"{i:04d},{n}" for i, n in enumerate(days)],
    ]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path
