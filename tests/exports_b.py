"""Fixture writers: the project's own files in the platforms' export formats, quirks included.

Each writer makes one file (UTF-16 TAB, preambles, BOMs, note rows, Total rows, Excel serial
dates, Dutch headers…) in `folder` and returns its path. The figures in them are small and
stated here, so that tests can check the totals that land in the database.
"""

from __future__ import annotations

import codecs
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl

from sostac_control import store


def totals(db: Path) -> dict[tuple[str, str, str, str], float]:
    """{(channel, metric, grain, dimension): sum of current values} in the database."""
    with store.reader(db) as con:
        rows = con.execute(
            "SELECT channel, metric, grain, dimension, sum(value) FROM metric_values GROUP BY ALL"
        ).fetchall()
    return {(c, m, g, d): v for c, m, g, d, v in rows}


def values(db: Path, metric: str) -> list[tuple[Any, ...]]:
    """(period_start, period_end, item, value, currency) of one metric, in order."""
    with store.reader(db) as con:
        return con.execute(
            "SELECT day, period_end, item, value, currency FROM metric_values "
            "WHERE metric = ? ORDER BY day, item",
            [metric],
        ).fetchall()


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# ---- LinkedIn ----------------------------------------------------------------------------

UPDATE_NOTE = (
    "Aggregated engagement metrics for your organic and sponsored updates over time. "
    "All dates and times are in UTC."
)


def linkedin_page_xlsx(folder: Path, name: str = "company_updates.xlsx") -> Path:
    """Visitors, new followers, update metrics (note row first) and posts (serial dates).

    Days 2026-03-01..03: page views 3+4+5, new followers 1+2+0, impressions (total) 100+200+300
    (sponsored 10 each), clicks 5+6+7, reactions 1+2+3, comments 0+1+0, shares 1+0+0.
    Posts: two, created 2026-03-01 (serial 46082) and 2026-03-02 (text date).
    """
    dates = ["03/01/2026", "03/02/2026", "03/03/2026"]
    visitors = [
        [
            "Date",
            "Overview page views (total)",
            "Total page views (desktop)",
            "Total page views (total)",
            "Total unique visitors (total)",
        ]
    ]
    visitors += [[d, 9, 1, pv, 2] for d, pv in zip(dates, [3, 4, 5], strict=True)]
    followers = [
        [
            "Date",
            "Sponsored followers",
            "Organic followers",
            "Auto-invited followers",
            "Total followers",
        ]
    ]
    followers += [[d, 0, n, 0, n] for d, n in zip(dates, [1, 2, 0], strict=True)]
    updates = [
        [UPDATE_NOTE] + [""] * 9,
        [
            "Date",
            "Impressions (organic)",
            "Impressions (sponsored)",
            "Impressions (total)",
            "Unique impressions (organic)",
            "Clicks (total)",
            "Reactions (total)",
            "Comments (total)",
            "Shares (total)",
            "Engagement rate (total)",
        ],
    ]
    for d, imp, clicks, reactions, comments, shares in zip(
        dates, [100, 200, 300], [5, 6, 7], [1, 2, 3], [0, 1, 0], [1, 0, 0], strict=True
    ):
        updates.append(
            [
                d,
                imp - 10,
                10,
                imp,
                imp // 2,
                clicks,
                reactions,
                comments,
                shares,
                (clicks + reactions + comments + shares) / imp,
            ]
        )
    posts = [
        ["Engagement metrics for individual updates. All dates and times are in UTC."] + [""] * 12,
        [
            "Update title",
            "Update link",
            "Update type",
            "Campaign name",
            "Posted by",
            "Created date",
            "Audience",
            "Impressions",
            "Video views",
            "Clicks",
            "Likes",
            "Comments",
            "Shares",
        ],
    ]
    posts.append(
        [
            "Spring menu 🌷\nnew line",
            "https://www.linkedin.com/feed/update/urn:li:activity:7100000000000000001",
            "Organic",
            "",
            "Ann",
            46082,
            "All followers",
            150,
            "",
            4,
            9,
            1,
            2,
        ]
    )
    posts.append(
        [
            "Hiring baristas",
            "https://www.linkedin.com/feed/update/urn:li:activity:7100000000000000002",
            "Organic",
            "",
            "Ann",
            "03/02/2026",
            "All followers",
            250,
            30,
            6,
            11,
            0,
            1,
        ]
    )
    location = [["Location", "Total followers"], ["Amsterdam Area", 120], ["Utrecht Area", 30]]
    return _xlsx(
        folder / name,
        {
            "Visitor metrics": visitors,
            "New followers": followers,
            "Update metrics (aggregated)": updates,
            "Update engagement": posts,
            "Location": location,
        },
    )


def linkedin_content_dutch_xlsx(folder: Path, name: str = "inhoud.xlsx") -> Path:
    """The newer content export (`Metrics` and `All posts`) with Dutch headers, day first.

    Days 13-03-2026 and 14-03-2026: impressions 1.000 and 2.000 (text with thousands dots),
    clicks 10 and 20, reactions 3 and 4. One post created 13-03-2026 with 1.500 impressions.
    """
    metrics = [
        ["Geaggregeerde betrokkenheidsstatistieken."] + [""] * 6,
        [
            "Datum",
            "Weergaven (organisch)",
            "Weergaven (gesponsord)",
            "Weergaven (totaal)",
            "Klikken (totaal)",
            "Reacties (totaal)",
            "Opmerkingen (totaal)",
        ],
        ["13-03-2026", "1.000", "0", "1.000", 10, 3, 0],
        ["14-03-2026", "2.000", "0", "2.000", 20, 4, 1],
    ]
    posts = [
        ["Betrokkenheid per bericht."] + [""] * 6,
        [
            "Berichttitel",
            "Berichtlink",
            "Berichttype",
            "Aanmaakdatum",
            "Weergaven",
            "Klikken",
            "Reacties",
        ],
        [
            "Koffie",
            "https://www.linkedin.com/feed/update/urn:li:share:7200000000000000001",
            "Organisch",
            "13-03-2026",
            "1.500",
            12,
            7,
        ],
    ]
    return _xlsx(folder / name, {"Metrics": metrics, "All posts": posts})


def linkedin_campaign_manager(folder: Path, name: str = "campaign_performance.csv") -> Path:
    """UTF-16 TAB with preamble; daily rows for two campaigns plus one bad number.

    2026-04-01 and 2026-04-02; Spring: impressions 1000 + 1500, spend 10.50 + 12.25 EUR;
    Brand: impressions 400 on 04-01; the row for Brand on 04-02 has impressions "lots".
    """
    lines = [
        "Campaign Performance Report (in UTC)",
        "Report Start: Apr 1, 2026, 12:00 AM\tReport End: Apr 2, 2026, 11:59 PM",
        "Date Generated: Apr 3, 2026, 9:00 AM",
        "\t".join(
            [
                "Start Date (in UTC)",
                "Account Name",
                "Campaign Name",
                "Campaign ID",
                "Currency",
                "Total Spent",
                "Impressions",
                "Clicks",
                "Average CTR",
                "Conversions",
                "Leads",
            ]
        ),
        "\t".join(
            [
                "4/1/2026",
                "Koffiebar",
                "Spring",
                "111",
                "EUR",
                "10.50",
                "1,000",
                "20",
                "2.00%",
                "1",
                "2",
            ]
        ),
        "\t".join(
            ["4/1/2026", "Koffiebar", "Brand", "222", "EUR", "4.00", "400", "4", "1.00%", "0", "0"]
        ),
        "\t".join(
            [
                "4/2/2026",
                "Koffiebar",
                "Spring",
                "111",
                "EUR",
                "12.25",
                "1,500",
                "30",
                "2.00%",
                "2",
                "1",
            ]
        ),
        "\t".join(
            ["4/2/2026", "Koffiebar", "Brand", "222", "EUR", "3.00", "lots", "3", "1.00%", "0", "0"]
        ),
    ]
    path = folder / name
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


# ---- TikTok ------------------------------------------------------------------------------


def tiktok_overview(folder: Path, name: str = "Overview.csv") -> Path:
    """Dec 30 … Jan 2 (crossing New Year), the last day `undefined` (incomplete).

    Video views 100, 200, 300 (and undefined); profile views 5, 6, 7; likes 10, 20, 30.
    """
    rows = [
        '"Date","Video Views","Profile Views","Likes","Comments","Shares"',
        '"December 30","100","5","10","1","0"',
        '"December 31","200","6","20","2","1"',
        '"January 1","300","7","30","0","0"',
        '"January 2","undefined","undefined","undefined","undefined","undefined"',
    ]
    path = folder / name
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(rows).encode("utf-8"))
    return path


def tiktok_follower_history(folder: Path, name: str = "FollowerHistory.csv") -> Path:
    """March 1..4: followers 1000, 1010, 1005, 1020 (difference column shifted by a day)."""
    rows = [
        '"Date","Followers","Difference in followers from previous day"',
        '"March 1","1000","10"',
        '"March 2","1010","-5"',
        '"March 3","1005","15"',
        '"March 4","1020","0"',
    ]
    path = folder / name
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(rows).encode("utf-8"))
    return path


def tiktok_content(folder: Path, name: str = "Content.csv") -> Path:
    """Two videos posted March 2 and 3 (views 1,000 and 500); a placeholder row without link."""
    rows = [
        '"Time","Video title","Video link","Post time","Total likes","Total comments",'
        '"Total shares","Total views"',
        '"","Latte art","https://www.tiktok.com/@koffiebar/video/7612580424056832001",'
        '"March 2","50","5","2","1,000"',
        '"","Beans","https://www.tiktok.com/@koffiebar/video/7612951509231206402",'
        '"March 3","20","1","0","500"',
        '"","","","","0","0","0","0"',
    ]
    path = folder / name
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(rows).encode("utf-8"))
    return path


def tiktok_video_id(created: datetime, serial: int = 1) -> str:
    """A TikTok video id: its top 32 bits are the creation time in Unix seconds."""
    return str((int(created.replace(tzinfo=UTC).timestamp()) << 32) | serial)


def tiktok_content_of(
    folder: Path, videos: list[tuple[datetime, str, int]], name: str = "Content.csv"
) -> Path:
    """Content.csv with one row per (created at, post time as written, views)."""
    rows = ['"Time","Video title","Video link","Post time","Total views"']
    for serial, (created, posted, views) in enumerate(videos, start=1):
        link = f"https://www.tiktok.com/@koffiebar/video/{tiktok_video_id(created, serial)}"
        rows.append(f'"","Video {serial}","{link}","{posted}","{views:,}"')
    path = folder / name
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(rows).encode("utf-8"))
    return path


def tiktok_viewers(folder: Path, name: str = "Viewers.csv") -> Path:
    rows = [
        '"Date","Total Viewers","New Viewers","Returning Viewers"',
        '"March 1","500","300","200"',
    ]
    path = folder / name
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(rows).encode("utf-8"))
    return path


def tiktok_zip(folder: Path, name: str = "TikTok_2026-03-01_2026-03-04.zip") -> Path:
    """A TikTok Studio download: the year is only in the ZIP's name."""
    inner = folder / "tiktok_inner"
    inner.mkdir(exist_ok=True)
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for writer in (tiktok_follower_history, tiktok_content):
            member = writer(inner)
            archive.write(member, member.name)
    return path


# ---- YouTube -----------------------------------------------------------------------------


def youtube_table_content(folder: Path, name: str = "Table data.csv") -> Path:
    """Total row first; two videos: views 1,000 + 250, watch time 12.5 + 2.25 h, CTR as %."""
    rows = [
        "Content,Video title,Video publish time,Duration,New viewers,Regular viewers,Views,"
        "Watch time (hours),Subscribers,Impressions,Impressions click-through rate (%)",
        "Total,,,,300,100,1250,14.75,7,20000,6.25",
        'abcDEF12345,"Latte art, part 1","Mar 3, 2026",61,250,80,1000,12.5,6,15000,6.67',
        'xyz_9876543,Beans,"Mar 10, 2026",45,50,20,250,2.25,1,5000,5',
    ]
    path = folder / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def youtube_chart_data(folder: Path, name: str = "Chart data.csv") -> Path:
    """Long format Date,Geography,Views; NA (Namibia) must stay a country, not a missing value."""
    rows = [
        "Date,Geography,Views",
        "2026-03-01,NL,10",
        "2026-03-01,NA,2",
        "2026-03-02,NL,20",
        "2026-03-02,BE,5",
    ]
    path = folder / name
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def youtube_totals(folder: Path, name: str = "Totals.csv") -> Path:
    """Date,Views: 12 and 25."""
    path = folder / name
    path.write_text("Date,Views\n2026-03-01,12\n2026-03-02,25\n", encoding="utf-8")
    return path


def youtube_table_geography(folder: Path, name: str = "Table data geo.csv") -> Path:
    path = folder / name
    path.write_text(
        "Geography,Views,Watch time (hours)\nTotal,30,1.5\nNL,30,1.5\n", encoding="utf-8"
    )
    return path


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
    path = folder / name
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path


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
    path = folder / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def meta_ads_dutch_csv(folder: Path, name: str = "advertenties.csv") -> Path:
    """Dutch Ads Manager: `Weergaven` are impressions, decimal commas, campaign level."""
    rows = [
        '"Begin rapportage";"Einde rapportage";"Campagnenaam";"Bereik";"Weergaven";'
        '"Besteed bedrag (EUR)";"Linkklikken"',
        '"01-03-2026";"31-03-2026";"Lente";"1.200";"3.000";"45,50";"60"',
    ]
    path = folder / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


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


def google_ads_csv(folder: Path, name: str = "Campaign report.csv") -> Path:
    """UTF-8: report name, date range, header, three campaigns, `Total: …` rows at the end."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    out.write("Campaign report\n1 March 2026 - 31 March 2026\n")
    writer.writerow(GOOGLE_HEADER)
    writer.writerows(GOOGLE_ROWS)
    writer.writerow(
        [
            "Total: Account",
            "",
            "",
            "",
            "1,235,000",
            "",
            "",
            "EUR",
            "2706.91",
            "",
            "",
            "9,285",
            "",
            "23.00",
        ]
    )
    writer.writerow(
        [
            "Total: Search",
            "",
            "",
            "Search",
            "1,235,000",
            "",
            "",
            "EUR",
            "2706.91",
            "",
            "",
            "9,285",
            "",
            "23.00",
        ]
    )
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def google_ads_utf16_tab(folder: Path, name: str = "Campaign report (1).csv") -> Path:
    """The same report as UTF-16LE with BOM, TAB-separated, CRLF, `Nov 1, 2026 - …` range."""
    lines = ["Campaign report", "Mar 1, 2026 - Mar 31, 2026", "\t".join(GOOGLE_HEADER)]
    lines += ["\t".join(row) for row in GOOGLE_ROWS]
    lines.append(
        "\t".join(
            [
                "Total: Account",
                "",
                "",
                "",
                "1,235,000",
                "",
                "",
                "EUR",
                "2706.91",
                "",
                "",
                "9,285",
                "",
                "23.00",
            ]
        )
    )
    path = folder / name
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    return path


# ---- Refused files -----------------------------------------------------------------------


def google_ads_editor(folder: Path, name: str = "Koffiebar-export.csv") -> Path:
    header = [
        "Campaign",
        "Campaign Type",
        "Networks",
        "Budget",
        "Budget type",
        "Bid Strategy Type",
        "Campaign Status",
        "Ad Group",
        "Max CPC",
        "Keyword",
        "Criterion Type",
        "Final URL",
        "Headline 1",
    ]
    row = [
        "Lente",
        "Search",
        "Google search",
        "5.00",
        "Daily",
        "Maximize clicks",
        "Enabled",
        "Koffie",
        "0.50",
        "koffie amsterdam",
        "Phrase",
        "https://example.nl",
        "Koffie!",
    ]
    path = folder / name
    text = "\r\n".join(["\t".join(header), "\t".join(row)])
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


def audience_by_gender(folder: Path, name: str = "FollowerGender.csv") -> Path:
    path = folder / name
    path.write_bytes(
        codecs.BOM_UTF8 + b'"Gender","Distribution"\n"Female","0.61"\n'
        b'"Male","0.37"\n"Other","0.02"\n'
    )
    return path


def audience_by_country_dutch(folder: Path, name: str = "publiek.csv") -> Path:
    path = folder / name
    path.write_text("Land;Volgers\nNederland;1200\nBelgië;300\n", encoding="utf-8")
    return path


def meta_ads_xlsx(folder: Path, name: str = "Koffiebar-Ads-per-day.xlsx") -> Path:
    """Ads Manager saved as xlsx, broken down by day: cells are real dates; one id a number."""
    from datetime import datetime

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
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


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
    path = folder / name
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path


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
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def youtube_table_by_date(folder: Path, name: str = "Table data by date.csv") -> Path:
    """A Studio table by Date: the Total row comes first and is no day."""
    path = folder / name
    path.write_text(
        "Date,Views,Watch time (hours)\nTotal,30,1.5\n2026-03-01,10,0.5\n2026-03-02,20,1.0\n",
        encoding="utf-8",
    )
    return path
