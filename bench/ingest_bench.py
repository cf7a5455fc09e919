"""Ingest speed: a 1,000,000-row tidy CSV and a 200,000-row Business Suite post export.

Each is timed through `ingest_paths` (recognise, read, normalise, merge into a fresh DuckDB
file) and compared, in the same run, with the floor: DuckDB's own `read_csv` of the same file
into a table of a fresh database file. The time is split into read/parse (the format's reader)
and merge (the store's versioned upsert, plus the load log). SOSTAC_BENCH_SCALE (default 1)
scales the row counts for a quick look.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from sostac_control.formats import Source
from sostac_control.ingest import ingest_paths, read_source

SCALE = float(os.environ.get("SOSTAC_BENCH_SCALE", "1"))
TIDY_ROWS = int(1_000_000 * SCALE)
POST_ROWS = int(200_000 * SCALE)
METRICS = ["impressions", "views", "engagements", "reactions", "comments", "shares", "saves",
           "clicks", "link_clicks", "new_followers"]  # fmt: skip


def write_tidy(path: Path, rows: int) -> None:
    """date,channel,metric,value,account with every key distinct."""
    rng = np.random.default_rng(7)
    index = np.arange(rows)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(index % 2000, unit="D")
    frame = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "channel": "instagram",
            "metric": np.array(METRICS)[(index // 2000) % len(METRICS)],
            "value": rng.integers(0, 100_000, rows),
            "account": "account" + ((index // (2000 * len(METRICS))).astype(str)),
        }
    )
    frame.to_csv(path, index=False)


def write_mbs_posts(path: Path, rows: int) -> None:
    """A Business Suite Facebook post export (early-2025 layout, BOM, CRLF, duplicated Views)."""
    rng = np.random.default_rng(11)
    ids = (122_100_000_000_000_000 + np.arange(rows)).astype(str)
    published = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        rng.integers(0, 600 * 24 * 60, rows), unit="min"
    )
    counts = {name: rng.integers(0, 5000, rows) for name in
              ["Views", "Reach", "Reactions, comments and shares", "Reactions", "Comments",
               "Shares", "Total clicks", "Views.1", "3-second video views"]}  # fmt: skip
    frame = pd.DataFrame(
        {
            "Post ID": ids,
            "Page ID": "61569323067856",
            "Page name": "Koffiebar Noord",
            "Title": "Nieuwe koffie, nieuwe week",
            "Description": "Nieuwe koffie, nieuwe week.\nKom langs! #koffie",
            "Duration (secs)": 0,
            "Publish time": published.strftime("%m/%d/%Y %H:%M"),
            "Permalink": "https://www.facebook.com/koffiebarnoord/posts/" + pd.Series(ids),
            "Post type": "Photos",
            "Custom labels": "",
            "Date": "Lifetime",
            **counts,
        }
    )
    text = frame.to_csv(index=False, lineterminator="\r\n").replace("Views.1", "Views", 1)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def floor_seconds(path: Path, folder: Path) -> float:
    """DuckDB reading the file into a table of a fresh database file."""
    db = folder / f"floor-{path.stem}.duckdb"
    started = time.perf_counter()
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
    return time.perf_counter() - started


def measure(title: str, path: Path, rows: int, folder: Path) -> None:
    floor = floor_seconds(path, folder)
    started = time.perf_counter()
    _, extract = read_source(Source(path.name, path.read_bytes()))
    read = time.perf_counter() - started
    db = folder / f"ingest-{path.stem}.duckdb"
    started = time.perf_counter()
    [result] = ingest_paths([path], db)
    total = time.perf_counter() - started
    values = result.inserted
    merge = max(total - read, 0.0)
    print(f"{title}: {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB), {values:,} values stored")
    print(f"  DuckDB read_csv floor   {floor:7.2f} s   {rows / floor:>12,.0f} rows/s")
    print(
        f"  sostac-control ingest   {total:7.2f} s   {rows / total:>12,.0f} rows/s   "
        f"ratio {total / floor:.1f}x the floor"
    )
    print(f"    read + parse          {read:7.2f} s   ({read / total:.0%})")
    print(f"    merge + load log      {merge:7.2f} s   ({merge / total:.0%})")
    if result.status != "loaded":
        print(f"  !! not loaded: {result.message}")
    del extract


def main() -> None:
    print(f"== ingest speed (scale {SCALE:g}, {date.today()}) ==")
    with tempfile.TemporaryDirectory(prefix="sostac-bench-") as tmp:
        folder = Path(tmp)
        tidy = folder / "tidy.csv"
        write_tidy(tidy, TIDY_ROWS)
        measure("tidy CSV", tidy, TIDY_ROWS, folder)
        posts = folder / "mbs_fb_posts.csv"
        write_mbs_posts(posts, POST_ROWS)
        measure("Business Suite post export", posts, POST_ROWS, folder)


if __name__ == "__main__":
    main()
