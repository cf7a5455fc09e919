"""YouTube Studio exports: table data, chart data, totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.support.exports.common import write_lines

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
    return write_lines(folder / name, rows, end="\n")


def youtube_chart_data(folder: Path, name: str = "Chart data.csv") -> Path:
    """Long format Date,Geography,Views; NA (Namibia) must stay a country, not a missing value."""
    rows = [
        "Date,Geography,Views",
        "2026-03-01,NL,10",
        "2026-03-01,NA,2",
        "2026-03-02,NL,20",
        "2026-03-02,BE,5",
    ]
    return write_lines(folder / name, rows)


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


def youtube_table_by_date(folder: Path, name: str = "Table data by date.csv") -> Path:
    """A Studio table by Date: the Total row comes first and is no day."""
    path = folder / name
    path.write_text(
        "Date,Views,Watch time (hours)\nTotal,30,1.5\n2026-03-01,10,0.5\n2026-03-02,20,1.0\n",
        encoding="utf-8",
    )
    return path


def write_youtube_content(
    path: Path, videos: list[tuple[str, date, int, int]], *, total_first: bool = True
) -> Path:
    """Table data by Content: (video id, published, views, net subscribers) per row, with the
    Studio's `Total` row first (its subscribers may be negative: net of the lost ones)."""
    header = "Content,Video title,Video publish time,Views,Subscribers"
    lines = [header]
    if total_first:
        views, subs = sum(v[2] for v in videos), sum(v[3] for v in videos)
        lines.append(f"Total,,,{views},{subs}")
    for video, published, views, subs in videos:
        lines.append(
            f'{video},Koffie,"{published:%b} {published.day}, {published.year}",{views},{subs}'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
