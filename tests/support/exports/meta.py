"""Meta Business Suite and legacy Page Insights exports, as Meta writes them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.support.exports.common import Post, _csv_text, _nl_number

# --- Meta Business Suite -----------------------------------------------------------------------

FB_EARLY_2025 = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (secs)", "Publish time",
    "Caption type", "Permalink", "Is crosspost", "Is share", "Post type", "Languages",
    "Custom labels", "Funded content status", "Data comment", "Date", "Views", "Reach",
    "Reactions, comments and shares", "Reactions", "Comments", "Shares", "Total clicks", "Views",
    "Reach from Organic posts", "3-second video views", "Ad impressions",
]  # fmt: skip
FB_LATE_2025 = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
    "Permalink", "Post type", "Custom labels", "Data comment", "Date", "Views", "Reach",
    "Reactions, Comments and Shares", "Reactions", "Comments", "Shares", "Total clicks",
    "Link clicks", "Other clicks", "Follows",
]  # fmt: skip
FB_DUTCH = [
    "Bericht-ID", "Pagina-ID", "Paginanaam", "Titel", "Beschrijving", "Duur (sec)",
    "Publicatietijd", "Permalink", "Berichttype", "Datum", "Weergaven", "Bereik",
    "Reacties, opmerkingen en deelacties", "Reacties", "Opmerkingen", "Deelacties",
    "Klikken in totaal", "Linkklikken",
]  # fmt: skip
IG_ENGLISH = [
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views",
    "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
]  # fmt: skip
IG_DUTCH = [
    "Bericht-ID", "Account-ID", "Accountgebruikersnaam", "Accountnaam", "Beschrijving",
    "Duur (sec)", "Publicatietijd", "Permalink", "Berichttype", "Opmerking over gegevens",
    "Datum", "Weergaven", "Bereik", "Vind-ik-leuks", "Gedeeld", "Volgacties", "Reacties",
    "Opgeslagen",
]  # fmt: skip

# header → canonical metric, for the writers (the reverse of what the importer does).
_METRIC_OF = {
    "Views": "views", "Weergaven": "views", "Reach": "reach", "Bereik": "reach",
    "Reactions": "reactions", "Likes": "reactions", "Vind-ik-leuks": "reactions",
    "Comments": "comments", "Opmerkingen": "comments", "Shares": "shares", "Gedeeld": "shares",
    "Deelacties": "shares", "Saves": "saves", "Opgeslagen": "saves", "Follows": "new_followers",
    "Volgacties": "new_followers", "Total clicks": "clicks", "Klikken in totaal": "clicks",
    "Link clicks": "link_clicks", "Linkklikken": "link_clicks",
    "3-second video views": "video_views",
    "Reactions, comments and shares": "engagements",
    "Reactions, Comments and Shares": "engagements",
    "Reacties, opmerkingen en deelacties": "engagements",
}  # fmt: skip


def _mbs_cell(header: str, post: Post, account: str, dutch: bool, ig: bool) -> object:
    if header == "Reacties":
        metric = "comments" if ig else "reactions"
    else:
        metric = _METRIC_OF.get(header, "")
    if metric:
        value = post.metrics.get(metric)
        if value is None:
            return ""
        return _nl_number(value) if dutch else (int(value) if value == int(value) else value)
    published = (
        post.published.strftime("%d-%m-%Y %H:%M")
        if dutch
        else post.published.strftime("%m/%d/%Y %H:%M")
    )
    return {
        "Post ID": post.post_id, "Bericht-ID": post.post_id,
        "Page ID": "61569323067856", "Pagina-ID": "61569323067856",
        "Account ID": "17841400000000000", "Account-ID": "17841400000000000",
        "Page name": account, "Paginanaam": account,
        "Account username": account, "Accountgebruikersnaam": account,
        "Account name": account.title(), "Accountnaam": account.title(),
        "Title": post.text, "Titel": post.text, "Description": post.text,
        "Beschrijving": post.text, "Publish time": published, "Publicatietijd": published,
        "Permalink": f"https://www.facebook.com/{account}/posts/{post.post_id}",
        "Post type": post.post_type, "Berichttype": post.post_type,
        "Date": post.day, "Datum": "Totaal" if post.day == "Lifetime" else post.day,
        "Is crosspost": "0", "Is share": "0",
    }.get(header, "")  # fmt: skip


def write_mbs_posts(
    path: Path,
    posts: list[Post],
    *,
    account: str = "Koffiebar Noord",
    layout: str = "early2025",
    extra_rows: list[list[object]] | None = None,
    short_rows: bool = False,
) -> Path:
    """A Business Suite post export: layout early2025 | late2025 | nl (Facebook), ig | ig_nl."""
    header = {
        "early2025": FB_EARLY_2025,
        "late2025": FB_LATE_2025,
        "nl": FB_DUTCH,
        "ig": IG_ENGLISH,
        "ig_nl": IG_DUTCH,
    }[layout]
    dutch, ig = layout in ("nl", "ig_nl"), layout.startswith("ig")
    rows: list[list[object]] = [header]
    rows += [[_mbs_cell(h, p, account, dutch, ig) for h in header] for p in posts]
    if short_rows:
        # Older rows of real exports stop at their last filled field.
        rows[1:] = [_trimmed(r) for r in rows[1:]]
    rows += extra_rows or []
    # Dutch spreadsheet software writes ';' between fields; the platform itself writes ','.
    text = _csv_text(rows, sep=";" if dutch else ",")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return path


def _trimmed(row: list[object]) -> list[object]:
    end = len(row)
    while end > 1 and row[end - 1] in ("", None):
        end -= 1
    return row[:end]


def write_page_series(
    path: Path, title: str, days: list[tuple[date, float]], *more: tuple[str, list]
) -> Path:
    """A Business Suite chart export: UTF-16LE + BOM, `sep=,`, the title, "Date","Primary";
    `more` (title, days) sections follow after a blank line, as in a Facebook + Instagram
    download."""
    lines = ["sep=,"]
    for name, rows in [(title, days), *more]:
        lines += [f'"{name}"', '"Date","Primary"']
        lines += [f'"{d.isoformat()}T00:00:00","{value:g}"' for d, value in rows]
        lines.append("")
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-16"))
    return path


# --- Legacy Page Insights ----------------------------------------------------------------------

LEGACY_POST_HEADER = [
    "Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages", "Posted",
    "Audience Targeting", "Lifetime Post Total Reach", "Lifetime Post organic reach",
    "Lifetime Post Total Impressions", "Lifetime Engaged Users",
    "Lifetime Post Stories by action type - comment", "Lifetime Post Stories by action type - like",
    "Lifetime Post Stories by action type - share", "Lifetime Post Consumptions",
    "Lifetime Post Consumptions by type - link clicks", "Lifetime Organic Video Views",
    "Lifetime Organic Video Views", "Lifetime Paid Video Views", "Lifetime Paid Video Views",
]  # fmt: skip
_LEGACY_METRIC_COLUMNS = {
    8: "reach", 10: "impressions", 12: "comments", 13: "reactions", 14: "shares", 15: "clicks",
    16: "link_clicks", 17: "organic_video_views", 19: "paid_video_views",
}  # fmt: skip


def _legacy_post_rows(posts: list[Post], page: str) -> list[list[object]]:
    description = [""] * 8 + [
        "Lifetime: The total number of people your Page post was served to. (Unique Users)"
    ] * (len(LEGACY_POST_HEADER) - 8)
    rows: list[list[object]] = [LEGACY_POST_HEADER, description]
    for p in posts:
        row: list[object] = [
            f"518995791497187_{p.post_id}",
            f"https://www.facebook.com/{page}/posts/{p.post_id}",
            p.text, p.post_type, "", "", p.published.strftime("%m/%d/%Y %I:%M:%S %p"), "",
        ]  # fmt: skip
        for i in range(8, len(LEGACY_POST_HEADER)):
            value = p.metrics.get(_LEGACY_METRIC_COLUMNS.get(i, ""))
            row.append("" if value is None else f"{value:g}")
        rows.append(row)
    return rows


def write_legacy_posts(path: Path, posts: list[Post], page: str = "KoffiebarNoord") -> Path:
    """A legacy Page Insights post-level CSV: UTF-8 BOM, a description row under the header."""
    path.write_bytes(b"\xef\xbb\xbf" + _csv_text(_legacy_post_rows(posts, page)).encode("utf-8"))
    return path


def write_legacy_posts_spreadsheetml(
    path: Path, posts: list[Post], page: str = "KoffiebarNoord"
) -> Path:
    """The same export in its "Excel" flavour: SpreadsheetML 2003 XML, sheet "Key Metrics"."""
    from xml.sax.saxutils import escape

    def cell(value: object) -> str:
        text = str(value)
        try:
            float(text)
            kind = "Number"
        except ValueError:
            kind = "String"
        return f'<Cell><Data ss:Type="{kind}">{escape(text)}</Data></Cell>' if text else "<Cell/>"

    rows = _legacy_post_rows(posts, page)
    body = "\n".join("<Row>" + "".join(cell(v) for v in row) + "</Row>" for row in rows)
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        f'<Worksheet ss:Name="Key Metrics"><Table>\n{body}\n</Table></Worksheet>\n</Workbook>\n',
        encoding="utf-8",
    )
    return path


def write_legacy_page(path: Path, days: list[tuple[date, dict[str, float]]]) -> Path:
    """A legacy Page Insights page-level CSV (Date, Lifetime Total Likes, Daily … columns)."""
    header = ["Date", "Lifetime Total Likes", "Daily New Likes", "Daily Page Engaged Users",
              "Daily Total Reach", "Daily Total Impressions"]  # fmt: skip
    names = [None, "followers", "new_followers", None, "reach", "impressions"]
    rows: list[list[object]] = [
        header,
        ["", "Lifetime: The total number of people who have liked your Page. (Unique Users)"]
        + ["Daily: description"] * 4,
    ]
    for d, metrics in days:
        rows.append(
            [d.strftime("%m/%d/%Y")]
            + [f"{metrics[n]:g}" if n in metrics else "" for n in names[1:] if True]
        )
    path.write_bytes(b"\xef\xbb\xbf" + _csv_text(rows).encode("utf-8"))
    return path
