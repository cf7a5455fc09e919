"""TikTok analytics exports (one CSV per tab, or their ZIP)."""

from __future__ import annotations

import codecs
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.support.exports.common import write_lines

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
    return write_lines(folder / name, rows, bom=True)


def tiktok_follower_history(folder: Path, name: str = "FollowerHistory.csv") -> Path:
    """March 1..4: followers 1000, 1010, 1005, 1020 (difference column shifted by a day)."""
    rows = [
        '"Date","Followers","Difference in followers from previous day"',
        '"March 1","1000","10"',
        '"March 2","1010","-5"',
        '"March 3","1005","15"',
        '"March 4","1020","0"',
    ]
    return write_lines(folder / name, rows, bom=True)


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
    return write_lines(folder / name, rows, bom=True)


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
    return write_lines(folder / name, rows, bom=True)


def tiktok_viewers(folder: Path, name: str = "Viewers.csv") -> Path:
    rows = [
        '"Date","Total Viewers","New Viewers","Returning Viewers"',
        '"March 1","500","300","200"',
    ]
    return write_lines(folder / name, rows, bom=True)


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


def write_tiktok_overview(path: Path, start: date, views: list[int | None]) -> Path:
    """Overview.csv from `start`, one day per value: `August 18` with no year (a series may
    cross New Year); None is written `undefined` (TikTok has not finished counting)."""
    rows = ['"Date","Video Views","Profile Views","Likes","Comments","Shares"']
    for offset, value in enumerate(views):
        day = start + timedelta(days=offset)
        cells = ["undefined"] * 5 if value is None else [str(value), str(value), "0", "0", "0"]
        rows.append(f'"{day:%B} {day.day}",' + ",".join(f'"{c}"' for c in cells))
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(rows).encode("utf-8"))
    return path
