"""LinkedIn page, content and Campaign Manager exports."""

from __future__ import annotations

from pathlib import Path

from tests.support.exports.common import _xlsx, write_lines

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
    return write_lines(folder / name, lines, sep="\r\n", encoding="utf-16-le", bom=True)
