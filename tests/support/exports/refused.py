"""Files that are recognised only to be refused: editor exports, audience splits."""

from __future__ import annotations

import codecs
from pathlib import Path

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
