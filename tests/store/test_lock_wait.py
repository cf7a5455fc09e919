"""Writers wait their turn for the database, say so, and report every file when they give up."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from sostac_control.ingest import ingest_paths

CLI = [sys.executable, "-m", "sostac_control"]


def hold_lock(db: Path, seconds: float, release: threading.Event | None = None) -> threading.Thread:
    """Another process's write lock, as DuckDB sees it from a second process: held here for
    `seconds`, or until `release` is set when one is given (however slow the machine is)."""
    ready = threading.Event()

    def hold() -> None:
        con = duckdb.connect(str(db))
        ready.set()
        if release is None:
            time.sleep(seconds)
        else:
            release.wait(timeout=300)
        con.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    return thread


def test_ingest_waits_for_a_held_database_and_says_so(db: Path, write_tidy) -> None:
    ingest_paths([write_tidy([("2026-07-01", "instagram", "impressions", 1, "a")], "0.csv")], db)
    day = write_tidy([("2026-07-02", "instagram", "impressions", 5, "a")], "1.csv")
    holder = hold_lock(db, 10.0)
    done = subprocess.run(
        [*CLI, "ingest", "--db", str(db), "--lock-wait", "60", str(day)],
        capture_output=True,
        text=True,
    )
    holder.join()
    assert done.returncode == 0, done.stderr
    assert "waiting for the database" in done.stderr
    assert "loaded" in done.stdout


def test_a_lock_held_past_the_limit_reports_every_file(db: Path, write_tidy) -> None:
    ingest_paths([write_tidy([("2026-07-01", "instagram", "impressions", 1, "a")], "0.csv")], db)
    files = [
        write_tidy([("2026-07-0" + str(n), "instagram", "impressions", n, "a")], f"{n}.csv")
        for n in (2, 3, 4)
    ]
    release = threading.Event()
    holder = hold_lock(db, 0.0, release)  # held until the ingest has given up
    try:
        done = subprocess.run(
            [*CLI, "ingest", "--db", str(db), "--lock-wait", "1", *map(str, files)],
            capture_output=True,
            text=True,
        )
    finally:
        release.set()
        holder.join()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "refused  2.csv" in done.stderr and "in use by another program" in done.stderr
    assert "not tried 3.csv" in done.stderr and "not tried 4.csv" in done.stderr
    assert "--lock-wait" in done.stderr


def test_the_default_wait_is_minutes_not_seconds() -> None:
    assert sys.modules["sostac_control.dbfile"].LOCK_WAIT_SECONDS >= 120


def test_small_loads_do_not_grow_the_file_by_a_block_each(db: Path, write_tidy) -> None:
    ingest_paths([write_tidy([("2026-07-01", "instagram", "impressions", 1, "a")], "0.csv")], db)
    ingest_paths([write_tidy([("2026-07-02", "instagram", "impressions", 1, "a")], "1.csv")], db)
    before = db.stat().st_size
    for n in range(3, 13):
        day = f"2026-07-{n:02d}"
        ingest_paths([write_tidy([(day, "instagram", "impressions", n, "a")], f"{n}.csv")], db)
    # Was 256 KB more per load (the index on loads took a new block at every checkpoint).
    assert db.stat().st_size - before <= 2 * 262_144
