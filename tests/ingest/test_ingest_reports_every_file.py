"""Every file of a run is reported, and every row of a file is accounted for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sostac_control.ingest import ingest_paths

CLI = [sys.executable, "-m", "sostac_control"]


def youtube_chart_with_an_extra_field(shared_exports: Path, tmp_path: Path) -> Path:
    lines = (
        (shared_exports / "youtube" / "codingtrain_geography_Totals.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    lines[5] += ",extra"
    path = tmp_path / "Totals.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_youtube_file_with_one_extra_field_is_refused_with_its_line(
    shared_exports: Path, tmp_path: Path, db: Path
) -> None:
    [result] = ingest_paths([youtube_chart_with_an_extra_field(shared_exports, tmp_path)], db)
    assert result.status == "refused"
    assert "line 6" in result.message and "could not be read" in result.message


def test_a_bad_file_in_the_middle_does_not_hide_the_others(
    shared_exports: Path, tmp_path: Path, db: Path, write_tidy
) -> None:
    first = write_tidy([("2026-07-01", "instagram", "impressions", 1, "a")], "a.csv")
    bad = youtube_chart_with_an_extra_field(shared_exports, tmp_path)
    last = write_tidy([("2026-07-02", "instagram", "impressions", 2, "a")], "c.csv")
    done = subprocess.run(
        [*CLI, "ingest", "--db", str(db), "--json", str(first), str(bad), str(last)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    document = json.loads(done.stdout)
    assert [(r["file"], r["status"]) for r in document] == [
        ("a.csv", "loaded"),
        ("Totals.csv", "refused"),
        ("c.csv", "loaded"),
    ]


def test_a_closed_pipe_ends_the_command_quietly(db: Path, write_tidy) -> None:
    files = [
        write_tidy([(f"2026-07-{n:02d}", "instagram", "impressions", n, "a")], f"{n}.csv")
        for n in range(1, 29)
    ]
    process = subprocess.Popen(
        [*CLI, "ingest", "--db", str(db), *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` that has read enough
    stderr = process.stderr.read().decode()
    assert process.wait() == 0
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def every_loadable_export(shared_exports: Path) -> list[Path]:
    return sorted(
        p for p in shared_exports.rglob("*") if p.is_file() and p.suffix not in (".md", ".json")
    )


def test_counts_add_up_for_every_real_export(shared_exports: Path, db: Path) -> None:
    checked = 0
    for path in every_loadable_export(shared_exports):
        for r in ingest_paths([path], db):
            if r.status != "loaded":
                continue
            checked += 1
            assert r.rows_read == r.rows_loaded + r.skipped + r.rejected, r
            assert r.values == r.inserted + r.updated + r.unchanged + r.duplicates, r
    assert checked >= 20


def test_the_json_says_how_the_counts_add_up(write_tidy, db: Path) -> None:
    path = write_tidy(
        [
            ("2026-07-01", "instagram", "impressions", 1, "a"),
            ("2026-07-01", "instagram", "impressions", 1, "a"),  # the same value again
            ("2026-07-02", "instagram", "impressions", "x", "a"),  # rejected
        ]
    )
    [r] = ingest_paths([path], db)
    document = r.as_dict()
    assert document["status"] == "loaded"
    assert document["rows_read"] == 3 and document["rejected"] == 1
    assert document["rows_read"] == (
        document["rows_loaded"] + document["skipped"] + document["rejected"]
    )
    assert document["values"] == (
        document["inserted"] + document["updated"] + document["unchanged"] + document["duplicates"]
    )
    assert document["inserted"] == 1


def test_a_damaged_xls_leaves_stdout_one_json_document(
    shared_exports: Path, tmp_path: Path, db: Path
) -> None:
    data = (
        shared_exports / "linkedin" / "proefficient_content_1742193384396_resaved.xls"
    ).read_bytes()
    path = tmp_path / "cut.xls"
    path.write_bytes(data[:-1000])  # xlrd warns about the size on stdout
    done = subprocess.run(
        [*CLI, "ingest", "--db", str(db), "--json", str(path)], capture_output=True, text=True
    )
    assert "Traceback" not in done.stderr
    [result] = json.loads(done.stdout)
    assert result["file"] == "cut.xls"


def test_a_day_without_a_year_in_an_x_export_is_refused_saying_so(
    shared_exports: Path, tmp_path: Path, db: Path
) -> None:
    # Found by the robustness suite: flipped bytes left a post's date without its year.
    source = shared_exports / "twitter" / "x_account_analytics_content_2025-11-02_2025-11-09.csv"
    text = source.read_text(encoding="utf-8").replace('"Sun, Nov 9, 2025"', "Nov 9", 1)
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert "has no year" in result.message and "--year" in result.hint
