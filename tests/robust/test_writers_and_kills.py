"""Concurrent writers, kill -9 mid-load, damaged databases, and the memory of the largest file
allowed: the database stays whole and every process ends with a message, not a traceback."""

from __future__ import annotations

import os
import random
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from sostac_control.demo.exports import LINKEDIN_METRICS_HEADER, LINKEDIN_METRICS_NOTE
from sostac_control.formats.bounds import MAX_FILE_BYTES, MAX_SHEET_CELLS, MEMORY_CEILING_MB
from tests.robust.figures import CLI, FIGURES, PEAKS_MB

START = date(2026, 1, 1)


def write_days(path: Path, first: int, days: int, accounts: int = 40) -> Path:
    """A tidy CSV of `days` days from day `first`; a key's value depends on the key alone, so
    overlapping files agree and any order of loading gives the same totals."""
    with path.open("w", encoding="utf-8") as out:
        out.write("date,channel,metric,value,account\n")
        for d in range(first, first + days):
            day = START + timedelta(days=d)
            for a in range(accounts):
                out.write(f"{day},instagram,impressions,{d * 100 + a},acc{a}\n")
    return path


def totals(db: Path) -> tuple[int, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT count(*), coalesce(sum(value), 0) FROM metric_values").fetchone()
    assert row is not None
    return int(row[0]), float(row[1])


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, **kwargs)


def test_five_concurrent_ingests_and_a_reader_equal_a_sequential_load(tmp_path: Path) -> None:
    files = [write_days(tmp_path / f"f{n}.csv", n * 150, 200) for n in range(5)]  # overlapping
    sequential = tmp_path / "sequential.duckdb"
    assert run(["ingest", "--db", str(sequential), *map(str, files)]).returncode == 0
    db = tmp_path / "concurrent.duckdb"
    assert (
        run(["ingest", "--db", str(db), str(write_days(tmp_path / "seed.csv", 0, 1))]).returncode
        == 0
    )
    writers = [
        subprocess.Popen(
            [*CLI, "ingest", "--db", str(db), str(f)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    reads = 0
    while any(w.poll() is None for w in writers):
        done = run(["loads", "--db", str(db), "--limit", "3"])
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        reads += 1
    FIGURES["concurrent writers"] += len(writers)
    FIGURES["reads while writing"] += reads
    for w in writers:
        _, err = w.communicate()
        FIGURES["lock waits (writers that waited)"] += "waiting for the database" in err
        assert w.returncode == 0, err
    assert totals(db) == totals(sequential)


@pytest.mark.parametrize("attempt", range(6))
def test_kill_9_mid_load_leaves_the_database_as_before_and_a_retry_loads(
    tmp_path: Path, attempt: int
) -> None:
    db = tmp_path / "db.duckdb"
    assert (
        run(["ingest", "--db", str(db), str(write_days(tmp_path / "a.csv", 0, 30))]).returncode == 0
    )
    before = totals(db)
    big = write_days(tmp_path / "big.csv", 100, 2_500)  # 100,000 rows: a load of seconds
    writer = subprocess.Popen(
        [*CLI, "ingest", "--db", str(db), str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(random.Random(attempt).uniform(0.5, 4.0))
    writer.kill()
    writer.wait()
    FIGURES["kill -9 mid-load"] += 1
    count, _ = totals(db)
    assert count in (before[0], before[0] + 100_000)  # all of the load, or none of it
    if count == before[0]:
        assert totals(db) == before
        FIGURES["kill -9: load absent after the kill"] += 1
    retry = run(["ingest", "--db", str(db), str(big)])
    assert retry.returncode == 0, retry.stderr
    assert totals(db)[0] == before[0] + 100_000


def test_a_damaged_database_gives_messages_not_tracebacks(tmp_path: Path) -> None:
    good = tmp_path / "good.duckdb"
    assert (
        run(["ingest", "--db", str(good), str(write_days(tmp_path / "a.csv", 0, 400))]).returncode
        == 0
    )
    data = good.read_bytes()
    plan = tmp_path / "plan.yaml"
    assert run(["plan", "init", str(plan)]).returncode == 0
    rng = random.Random(12)
    for n in range(8):
        damaged = bytearray(data)
        if n % 2:
            damaged = damaged[: rng.randrange(len(data))]
        else:
            at = rng.randrange(len(data))
            for i in range(at, min(at + 4096, len(data))):
                damaged[i] ^= 0x5A
        db = tmp_path / f"damaged{n}.duckdb"
        db.write_bytes(bytes(damaged))
        for args in (
            ["loads"],
            ["status", "--plan", str(plan)],
            ["ingest", str(tmp_path / "a.csv")],
        ):
            done = run([*args, "--db", str(db)], timeout=120)
            FIGURES["damaged database commands"] += 1
            assert "Traceback" not in done.stderr, (args, done.stderr[-2000:])
            assert done.returncode in (0, 1, 2), (args, done.returncode, done.stderr[-2000:])


def write_wide_xlsx(path: Path, rows: int) -> Path:
    """A LinkedIn content workbook (Metrics sheet) of `rows` daily rows, 20 columns each."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Metrics")
    sheet.append([LINKEDIN_METRICS_NOTE])
    sheet.append(LINKEDIN_METRICS_HEADER)
    for n in range(rows):
        day = START + timedelta(days=n % 3000)
        sheet.append([f"{day:%m/%d/%Y}", *range(n % 97, n % 97 + 19)])
    book.save(path)
    return path


def peak_of(args: list[str]) -> tuple[int, float]:
    """Run the CLI; its exit code and peak resident memory in MB (from the kernel's rusage)."""
    process = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024


def test_the_largest_allowed_files_stay_under_the_memory_ceiling(tmp_path: Path) -> None:
    csv_path = tmp_path / "largest.csv"
    with csv_path.open("w", encoding="utf-8") as out:
        out.write("date,channel,metric,value,account,post_id\n")
        n = 0
        while out.tell() < MAX_FILE_BYTES - 200:
            out.write(
                f"{START + timedelta(days=n % 365)},instagram,impressions,{n},a{n % 7},p{n}\n"
            )
            n += 1
    code, peak = peak_of(["ingest", "--db", str(tmp_path / "csv.duckdb"), str(csv_path)])
    PEAKS_MB[f"tidy CSV of {MAX_FILE_BYTES // 2**20} MB"] = peak
    assert code == 0 and peak < MEMORY_CEILING_MB
    rows = MAX_SHEET_CELLS // len(LINKEDIN_METRICS_HEADER) - 10
    xlsx = write_wide_xlsx(tmp_path / "largest.xlsx", rows)
    code, peak = peak_of(["ingest", "--db", str(tmp_path / "xlsx.duckdb"), str(xlsx)])
    PEAKS_MB[f"XLSX of {rows:,} rows x 20 columns"] = peak
    assert code in (0, 1) and peak < MEMORY_CEILING_MB
