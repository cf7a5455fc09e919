"""Ingest and status at scale: tidy CSVs of 1M and 10M values (30M with `make bench-large`)
and a 200,000-post Business Suite export, each beside DuckDB's own floor.

Per size: a tidy CSV of days × 12 channels × 20 metrics × accounts (3 years, 38 accounts at
10M) is loaded into an empty database and then loaded again (every value unchanged), in a
child process whose peak memory (RSS) is measured; the floor is DuckDB's `CREATE TABLE AS
SELECT * FROM read_csv(...)` of the same file into a fresh database file. Then `status` for a
plan of 20 KPIs on that database, timed as a whole process (start, imports, plan, query): cold
(the first question after a load) and warm (asked again: the status cache answers), and
`sostac-control --help`. The database size per million values is printed beside the floor's.
SOSTAC_BENCH_ROWS (default "1000000,10000000") picks the sizes.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SIZES = [int(n) for n in os.environ.get("SOSTAC_BENCH_ROWS", "1000000,10000000").split(",")]
POST_ROWS = int(os.environ.get("SOSTAC_BENCH_POSTS", "200000"))
DAYS = 1096  # three years
START = date(2023, 1, 1)
CHANNELS = ["facebook", "instagram", "linkedin", "x", "tiktok", "youtube", "pinterest",
            "tiktok_ads", "meta_ads", "google_ads", "linkedin_ads", "website"]  # fmt: skip
METRICS = ["impressions", "views", "engagements", "reactions", "comments", "shares", "saves",
           "clicks", "link_clicks", "video_views", "profile_visits", "new_followers", "posts",
           "sessions", "conversions", "leads", "revenue", "spend", "reach",
           "followers"]  # fmt: skip
BIN = Path(sys.executable).parent
AIMS = {"tidy": 2.0, "posts": 3.0, "rss_mb": 2000.0, "status_s": 1.0, "help_s": 0.3}


def write_tidy(path: Path, rows: int) -> int:
    """date,channel,metric,value,account: every day × channel × metric × account, ≈ `rows`."""
    accounts = max(1, round(rows / (DAYS * len(CHANNELS) * len(METRICS))))
    with duckdb.connect() as con:
        con.execute(
            f"""COPY (
                SELECT DATE '{START}' + d.range::INTEGER AS date, c.channel, m.metric,
                       CASE WHEN m.metric = 'followers' THEN 1000 + d.range * 3 + a.range
                            ELSE (hash(d.range, a.range, c.channel, m.metric) % 5000)::INTEGER
                       END AS value,
                       'account' || a.range AS account
                FROM range({accounts}) a,
                     (SELECT unnest(?::VARCHAR[]) AS channel) c,
                     range({DAYS}) d,
                     (SELECT unnest(?::VARCHAR[]) AS metric) m
                ORDER BY a.range, c.channel, d.range
            ) TO '{path}' (HEADER, DELIMITER ',')""",
            [CHANNELS, METRICS],
        )
    return accounts * len(CHANNELS) * DAYS * len(METRICS)


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


def floor(path: Path, folder: Path) -> tuple[float, int]:
    """DuckDB reading the file into a table of a fresh database file: seconds, file bytes."""
    db = folder / f"floor-{path.stem}.duckdb"
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
    seconds = time.perf_counter() - started
    size = db.stat().st_size
    db.unlink()
    return seconds, size


_CHILD = """
import json, sys, time
from sostac_control.ingest import ingest_paths
path, db, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = []
for _ in range(times):
    started = time.perf_counter()
    [r] = ingest_paths([path], db)
    out.append({"seconds": time.perf_counter() - started, "status": r.status,
                "message": r.message, "inserted": r.inserted, "unchanged": r.unchanged})
# VmHWM: this process's own high-water mark. (ru_maxrss of RUSAGE_SELF is not: Linux carries
# the parent's resident size at the fork over the exec, so a child of a big bench reports it.)
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
print(json.dumps({"loads": out, "peak_mb": peak}))
"""


def ingest_in_child(path: Path, db: Path, times: int) -> tuple[list[dict[str, object]], float]:
    """Load `path` `times` times in a fresh process: per-load results, the process's peak MB."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(db), str(times)],
        capture_output=True,
        text=True,
        check=True,
    )
    # The child's own peak (VmHWM): RUSAGE_CHILDREN would keep the largest of every earlier
    # child, and the child's ru_maxrss starts from the parent's size at the fork.
    said = json.loads(proc.stdout.strip().splitlines()[-1])
    return said["loads"], float(said["peak_mb"])


def write_status_plan(path: Path) -> None:
    """20 KPIs over the last quarter of the data, on the channels and metrics of the file."""
    end = START + timedelta(days=DAYS - 1)
    start = end - timedelta(days=89)
    kpis = [
        ("impressions", "instagram", 5e6, "up"), ("reach", "instagram", 1e6, "up"),
        ("engagements", "facebook", 1e6, "up"), ("engagement_rate", "facebook", 0.5, "up"),
        ("followers", "linkedin", 1e6, "up"), ("new_followers", "tiktok", 1e5, "up"),
        ("views", "youtube", 1e6, "up"), ("video_views", "tiktok", 1e6, "up"),
        ("clicks", "x", 1e5, "up"), ("ctr", "meta_ads", 0.5, "up"),
        ("conversions", "meta_ads", 1e6, "up"), ("cpa", "meta_ads", 1.0, "down"),
        ("cpc", "google_ads", 1.0, "down"), ("spend", "linkedin_ads", 1e6, "down"),
        ("sessions", "website", 1e6, "up"), ("leads", "website", 1e5, "up"),
        ("revenue", "all", 1e8, "up"), ("engagements", "all", 1e7, "up"),
        ("saves", "pinterest", 1e5, "up"), ("comments", "tiktok_ads", 1e5, "up"),
    ]  # fmt: skip
    lines = ["version: 1", "name: Bench status plan", "currency: EUR", "objectives:"]
    for i in range(0, len(kpis), 4):
        lines += [f"  - id: objective{i // 4 + 1}", f"    title: Objective {i // 4 + 1}",
                  "    category: sizzle", "    owner: Bench",
                  f"    start: {start}", f"    end: {end}", "    kpis:"]  # fmt: skip
        for metric, channel, target, direction in kpis[i : i + 4]:
            lines += [f"      - metric: {metric}", f"        channel: {channel}",
                      f"        target: {target}", f"        direction: {direction}"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def command_seconds(
    args: list[str], rounds: int = 3, before_each: Callable[[], object] | None = None
) -> float:
    """Median wall time of a whole `sostac-control` process (start and imports included)."""
    times = []
    for _ in range(rounds):
        if before_each is not None:
            before_each()
        started = time.perf_counter()
        proc = subprocess.run([str(BIN / "sostac-control"), *args], capture_output=True)
        times.append(time.perf_counter() - started)
        if proc.returncode not in (0, 1):
            raise RuntimeError(proc.stderr.decode())
    return statistics.median(times)


def status_seconds(plan: Path, db: Path) -> dict[str, float]:
    """`status` as a whole process on the day after the plan ended (every KPI achieved or
    missed) and mid-period (six weeks in: every KPI paced, drift, crisis and attribution):
    cold, the first question after a load (its cache emptied before each round: computed and
    stored), and warm, the same question again (answered from `<db>.status-cache/`)."""
    args = ["status", "--plan", str(plan), "--db", str(db), "--as-of"]
    cache = db.with_name(db.name + ".status-cache")
    time.sleep(2.5)  # past the cache's guard against a write in the same timestamp tick
    out: dict[str, float] = {}
    for label, day in (("end", START + timedelta(DAYS)), ("mid", START + timedelta(DAYS - 48))):
        command = [*args, str(day)]
        out[label] = command_seconds(command, before_each=lambda: shutil.rmtree(cache, True))
        cold_text = run_command(command)
        out[f"{label}_warm"] = command_seconds(command, rounds=5)
        if run_command(command) != cold_text or not any(cache.glob("*.json")):
            raise RuntimeError("status: a warm answer differs from the cold one, or none stored")
    shutil.rmtree(cache, True)
    return out


def run_command(args: list[str]) -> bytes:
    return subprocess.run([str(BIN / "sostac-control"), *args], capture_output=True).stdout


def imports_seconds(modules: str, rounds: int = 3) -> float:
    """Median wall time of a process that only imports `modules` (a floor of status)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {modules}"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _verdict(value: float, aim: float) -> str:
    return "meets the aim" if value <= aim else "OVER the aim"


def load_average() -> float:
    """The machine's 1-minute load average: other work slows every figure, the floor too."""
    return os.getloadavg()[0]


def bench_tidy(rows_wanted: int, folder: Path, plan: Path) -> dict[str, float]:
    path = folder / f"tidy-{rows_wanted}.csv"
    rows = write_tidy(path, rows_wanted)
    load_before = load_average()
    floor_s, floor_bytes = floor(path, folder)
    db = folder / f"ingest-{rows_wanted}.duckdb"
    (first, again), peak_mb = ingest_in_child(path, db, 2)
    size = db.stat().st_size
    status = status_seconds(plan, db)
    mb = path.stat().st_size / 1e6
    print(f"tidy CSV, {rows:,} values ({mb:,.0f} MB):")
    print(f"  DuckDB read_csv floor        {floor_s:7.2f} s")
    for label, r in (("first load (empty db)", first), ("re-load (all unchanged)", again)):
        s = float(r["seconds"])  # type: ignore[arg-type]
        ratio = s / floor_s
        print(
            f"  ingest, {label:<23}{s:7.2f} s   {ratio:4.1f}x the floor   (aim "
            f"{AIMS['tidy']:.0f}x: {_verdict(ratio, AIMS['tidy'])})"
        )
        if r["status"] != "loaded":
            print(f"  !! not loaded: {r['message']}")
    print(
        f"  peak memory of the ingest process  {peak_mb:,.0f} MB   (aim "
        f"{AIMS['rss_mb']:,.0f} MB: {_verdict(peak_mb, AIMS['rss_mb'])})"
    )
    print(
        f"  database file {size / 1e6:,.0f} MB = {size / rows * 1e6 / 1e6:.1f} MB per million "
        f"values (floor's table: {floor_bytes / rows:.1f} MB per million)"
    )
    for label, key in (("after the end", "end"), ("mid-period", "mid")):
        for kind, seconds in (("cold", status[key]), ("warm", status[f"{key}_warm"])):
            print(
                f"  status, 20 KPIs, {label:<13}, {kind}, whole process   {seconds:5.2f} s   "
                f"(aim {AIMS['status_s']:.0f} s: {_verdict(seconds, AIMS['status_s'])})",
            )
    if first["status"] != "loaded":
        print(f"  !! not loaded: {first['message']}")
    print(f"  load average {load_before:.1f} before, {load_average():.1f} after", flush=True)
    db.unlink(missing_ok=True)
    path.unlink()
    return {
        "rows": rows,
        "first": float(first["seconds"]),  # type: ignore[arg-type]
        "again": float(again["seconds"]),  # type: ignore[arg-type]
        "floor": floor_s,
        "status": status["end"],
        "status_mid": status["mid"],
        "status_warm": status["end_warm"],
        "status_mid_warm": status["mid_warm"],
    }


def bench_posts(folder: Path) -> None:
    """A Business Suite post export read on disk by DuckDB (meta_staged.py), loaded into an
    empty database and again (every value unchanged), beside the floor and the 3x aim."""
    path = folder / "mbs_fb_posts.csv"
    write_mbs_posts(path, POST_ROWS)
    load_before = load_average()
    floor_s, _ = floor(path, folder)
    db = folder / "ingest-posts.duckdb"
    (first, again), peak_mb = ingest_in_child(path, db, 2)
    print(
        f"Business Suite post export, {POST_ROWS:,} posts ({first['inserted']:,} values, "
        f"{path.stat().st_size / 1e6:.0f} MB):"
    )
    print(f"  DuckDB read_csv floor        {floor_s:7.2f} s")
    for label, r in (("first load (empty db)", first), ("re-load (all unchanged)", again)):
        s = float(r["seconds"])  # type: ignore[arg-type]
        print(
            f"  ingest, {label:<23}{s:7.2f} s   {s / floor_s:4.1f}x the floor   (aim "
            f"{AIMS['posts']:.0f}x: {_verdict(s / floor_s, AIMS['posts'])})",
        )
        if r["status"] != "loaded":
            print(f"  !! not loaded: {r['message']}")
    print(f"  peak memory of the ingest process  {peak_mb:,.0f} MB")
    print(f"  load average {load_before:.1f} before, {load_average():.1f} after", flush=True)
    db.unlink(missing_ok=True)
    path.unlink()


def main() -> None:
    print(f"== ingest and status at scale ({date.today()}) ==", flush=True)
    help_s = command_seconds(["--help"], rounds=5)
    print(
        f"sostac-control --help, whole process   {help_s:5.2f} s   (aim {AIMS['help_s']} s: "
        f"{_verdict(help_s, AIMS['help_s'])})",
        flush=True,
    )
    hit = imports_seconds("sostac_control.cli.status_cmd")
    miss = imports_seconds("sostac_control.cli.status_cmd, sostac_control.cli.status_compute")
    print(
        f"a process that only imports what status imports: on a cache hit {hit:5.2f} s, "
        f"on a miss (DuckDB, pandas, the engine) {miss:5.2f} s",
        flush=True,
    )
    growth = []
    with tempfile.TemporaryDirectory(prefix="sostac-bench-") as tmp:
        folder = Path(tmp)
        plan = folder / "plan.yaml"
        write_status_plan(plan)
        for rows in SIZES:
            growth.append(bench_tidy(rows, folder, plan))
        if POST_ROWS:
            bench_posts(folder)
    if len(growth) > 1:
        print("growth (per million values):")
        for g in growth:
            per = 1e6 / g["rows"]
            print(
                f"  {g['rows'] / 1e6:5.1f}M   first load {g['first'] * per:5.2f} s/M   re-load "
                f"{g['again'] * per:5.2f} s/M   floor {g['floor'] * per:5.2f} s/M   "
                f"status {g['status']:5.2f} s (mid-period {g['status_mid']:5.2f} s; warm "
                f"{g['status_warm']:5.2f} / {g['status_mid_warm']:5.2f} s)"
            )
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} (1/5/15 min) at the end; other work slows every figure, the floor too"
    )


if __name__ == "__main__":
    main()
