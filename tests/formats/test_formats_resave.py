"""What real files do to an export after the platform wrote it: Excel re-saves, empty periods."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

from sostac_control.ingest import ingest_paths
from tests.support.exports import Post, write_mbs_posts

POSTS = [
    Post("1", datetime(2026, 3, 1, 9), {"reach": 1200, "reactions": 12}),
    Post("2", datetime(2026, 3, 2, 9), {"reach": 800, "reactions": 3}),
]


def _resaved(path: Path, sep: str, *, sep_line: bool) -> Path:
    """The export as Excel writes it back: its list separator, no quotes, CRLF, no final
    newline, and (with `sep_line`) a `sep=` first line."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    lines = [sep.join(cell.replace("\n", " ").replace(sep, " ") for cell in r) for r in rows]
    text = "\r\n".join(([f"sep={sep}"] if sep_line else []) + lines)
    out = path.with_name(f"resaved_{len(sep)}_{ord(sep)}_{sep_line}.csv")
    out.write_bytes(text.encode("utf-8"))
    return out


@pytest.mark.parametrize("sep", [";", "\t", ","])
@pytest.mark.parametrize("sep_line", [True, False])
def test_excel_resave_with_its_list_separator_loads_the_same_totals(
    tmp_path: Path, sep: str, sep_line: bool
) -> None:
    """`;` is the list separator of Dutch, German and Bulgarian Windows; TAB of "Text"."""
    original = write_mbs_posts(tmp_path / "posts.csv", POSTS, layout="late2025")
    path = _resaved(original, sep, sep_line=sep_line)
    [result] = ingest_paths([path], tmp_path / "x.duckdb")
    assert result.status == "loaded", result.message
    assert result.format == "meta_fb_posts"
    assert result.reconciled["reach"]["stored"] == 2000
    assert result.reconciled["reactions"]["stored"] == 15


@pytest.mark.parametrize(
    "said", ["No data available.", "Geen gegevens beschikbaar", "Keine Daten verfügbar"]
)
def test_a_file_saying_no_data_loads_as_zero_rows_and_says_so(tmp_path: Path, said: str) -> None:
    path = tmp_path / "Views.csv"
    path.write_text(f'"{said}"\n', encoding="utf-8")
    [result] = ingest_paths([path], tmp_path / "x.duckdb")
    assert result.status == "loaded"
    assert result.rows_read == 0 and result.inserted == 0
    assert said in result.message and "no rows" in result.message


def test_an_offset_that_changes_mid_file_for_summer_time_keeps_every_row_on_its_day(
    tmp_path: Path,
) -> None:
    """Tweet times carry their offset; summer time starts between two rows (+0100, +0200):
    each converts with its own offset, nothing is rejected or moved by the other's."""
    from datetime import date

    import duckdb

    from tests.support.exports import write_tweet_activity

    posts = [
        Post("1", datetime(2025, 3, 29, 23, 30), {"impressions": 5}),
        Post("2", datetime(2025, 3, 31, 0, 30), {"impressions": 7}),
    ]
    path = write_tweet_activity(tmp_path / "tweets.csv", posts)
    text = path.read_text(encoding="utf-8")
    text = text.replace("2025-03-29 23:30 +0000", "2025-03-29 23:30 +0100")
    path.write_text(text.replace("2025-03-31 00:30 +0000", "2025-03-31 00:30 +0200"))
    db = tmp_path / "x.duckdb"
    [result] = ingest_paths([path], db)
    assert result.status == "loaded" and result.rejected == 0
    with duckdb.connect(str(db), read_only=True) as con:
        days = con.execute(
            "SELECT day, value FROM metric_values WHERE metric = 'impressions' ORDER BY day"
        ).fetchall()
    # 23:30 +0100 is 22:30 UTC on the 29th; 00:30 +0200 is 22:30 UTC on the 30th.
    assert days == [(date(2025, 3, 29), 5.0), (date(2025, 3, 30), 7.0)]
