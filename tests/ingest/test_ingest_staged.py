"""A tidy CSV on disk is read by DuckDB inside the load's transaction (ingest_staged.py); the
same bytes uploaded go through Arrow and pandas. Both must load, refuse, reconcile and report
exactly alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from sostac_control.formats import ReadOptions, bounds
from sostac_control.formats.tidy import TidyCsv
from sostac_control.ingest import IngestResult, ingest_bytes, ingest_paths

CASES = {
    "plain.csv": b"date,channel,metric,value,account,post_id\r\n"
    b"2026-07-01, Instagram ,Impressions,100,kbn,\r\n"
    b'2026-07-02,instagram,reach,"1200.5",kbn,\r\n'
    b"2026-07-03,instagram,impressions,12,kbn,p1\r\n"
    b"not a date,instagram,impressions,1,kbn,\r\n"
    b"2026-07-04,myspace,impressions,1,kbn,\r\n"
    b"2026-07-04,instagram,ctr,0.5,kbn,\r\n"
    b"2026-07-04,instagram,clicks,many,kbn,\r\n"
    b"2026-07-05,instagram,clicks,,kbn,\r\n"
    b"2026-07-01,instagram,impressions,101,kbn2,\r\n",
    "bom_semicolon.csv": "\ufeffdate;channel;metric;value\n"
    "2026-07-01;facebook;spend;1.234,50\n2026-07-02;facebook;spend;7\n".encode(),
    "repeats.csv": b"date,channel,metric,value\n"
    b"2026-07-01,x,impressions,5\n2026-07-02,x,impressions,6\n"
    b"2026-07-01,x,impressions,5\n\n2026-07-01,x,impressions,5.0000000001\n",
    "blank_accounts.csv": b"date,channel,metric,value,account\n"
    b"2026-07-01,linkedin,clicks,3,\n2026-07-01,linkedin,clicks,4,acme\n",
}
FIELDS = (
    "status",
    "rows_read",
    "rows_loaded",
    "values",
    "inserted",
    "updated",
    "unchanged",
    "duplicates",
    "skipped",
    "rejected",
    "errors",
    "first_day",
    "last_day",
    "set_aside",
    "reconciled",
    "account",
    "message",
    "hint",
)


def _stored(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "values": con.execute(
                """SELECT day, channel, account, metric, grain, item, value, source_row
                   FROM metric_values ORDER BY ALL"""
            ).fetchall(),
            "loads": con.execute(
                """SELECT source, sha256, channel, account, rows_read, inserted, updated,
                          unchanged, skipped, rejected, first_day, last_day FROM loads"""
            ).fetchall(),
            "rejects": con.execute(
                'SELECT row, "column", message FROM rejects ORDER BY row'
            ).fetchall(),
        }


def _both(tmp_path: Path, name: str, data: bytes, **kw: Any) -> tuple[IngestResult, IngestResult]:
    path = tmp_path / name
    path.write_bytes(data)
    [on_disk] = ingest_paths([path], tmp_path / f"disk-{name}.duckdb", **kw)
    [uploaded] = ingest_bytes(name, data, tmp_path / f"upload-{name}.duckdb", **kw)
    return on_disk, uploaded


@pytest.fixture
def staged_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file on disk must not be read through `read` (the proof the staged path ran)."""
    real = TidyCsv.read

    def read(self: TidyCsv, source: Any, options: ReadOptions) -> Any:
        assert getattr(source, "path", None) is None, "a tidy CSV on disk was read by pandas"
        return real(self, source, options)

    monkeypatch.setattr(TidyCsv, "read", read)


@pytest.mark.parametrize("name", sorted(CASES))
def test_on_disk_loads_exactly_as_the_same_bytes_uploaded(
    tmp_path: Path, name: str, staged_only: None
) -> None:
    on_disk, uploaded = _both(tmp_path, name, CASES[name], options=ReadOptions(account="other"))
    assert on_disk.status == "loaded"
    assert {f: getattr(on_disk, f) for f in FIELDS} == {f: getattr(uploaded, f) for f in FIELDS}
    assert _stored(tmp_path / f"disk-{name}.duckdb") == _stored(tmp_path / f"upload-{name}.duckdb")


def test_the_cases_say_what_they_test(tmp_path: Path, staged_only: None) -> None:
    plain, _ = _both(tmp_path, "plain.csv", CASES["plain.csv"])
    assert [(e.row, e.column) for e in plain.errors] == [
        (4, "date"), (5, "channel"), (6, "metric"), (7, "value"), (8, "value"),
    ]  # fmt: skip
    repeats, _ = _both(tmp_path, "repeats.csv", CASES["repeats.csv"])
    assert (repeats.values, repeats.set_aside) == (2, {"repeated rows": 2})
    assert repeats.reconciled["impressions"]["stored"] == 11
    given, _ = _both(
        tmp_path, "blank_accounts.csv", CASES["blank_accounts.csv"], options=ReadOptions("zed")
    )
    assert "given to 'zed', as you asked" in given.message


def test_different_values_for_one_identity_refuse_alike(tmp_path: Path, staged_only: None) -> None:
    data = b"date,channel,metric,value\n2026-07-01,x,clicks,5\n2026-07-01,x,clicks,6\n"
    on_disk, uploaded = _both(tmp_path, "conflict.csv", data)
    assert on_disk.status == "refused"
    assert "given twice in the file with different values" in on_disk.message
    assert {f: getattr(on_disk, f) for f in FIELDS} == {f: getattr(uploaded, f) for f in FIELDS}
    assert _stored(tmp_path / "disk-conflict.csv.duckdb")["loads"] == []


def test_values_without_an_account_go_to_the_channels_one_account(
    tmp_path: Path, staged_only: None
) -> None:
    db = tmp_path / "one.duckdb"
    first = tmp_path / "named.csv"
    first.write_text("date,channel,metric,value,account\n2026-07-01,x,clicks,5,acme\n")
    second = tmp_path / "unnamed.csv"
    second.write_text("date,channel,metric,value\n2026-07-02,x,clicks,7\n")
    named, unnamed = ingest_paths([first, second], db)
    assert named.status == "loaded"
    assert unnamed.status == "loaded" and unnamed.account == "acme"
    assert "the only account already loaded for x" in unnamed.message
    assert _stored(db)["values"][-1][2] == "acme"


def test_only_bad_rows_write_nothing_and_log_the_refusal(
    tmp_path: Path, db: Path, staged_only: None
) -> None:
    data = b"date,channel,metric,value\nsoon,instagram,impressions,1\n"
    result, uploaded = _both(tmp_path, "bad.csv", data)
    assert {f: getattr(result, f) for f in FIELDS} == {f: getattr(uploaded, f) for f in FIELDS}
    assert result.status == "refused"
    assert "every row was rejected" in result.message
    db = tmp_path / "disk-bad.csv.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM loads").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM refused_files").fetchone() == (1,)


def test_a_file_on_disk_is_not_bound_by_the_in_memory_size(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The 50 MB bound keeps a file read into memory small; DuckDB streams a staged file.
    monkeypatch.setattr(bounds, "MAX_FILE_BYTES", 1000)
    data = (
        b"date,channel,metric,value\n"
        + b"".join(f"2026-01-{d:02d},x,clicks,{d}\n".encode() for d in range(1, 29)) * 3
    )
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    [on_disk] = ingest_paths([path], db)
    assert on_disk.status == "loaded" and on_disk.values == 28
    [uploaded] = ingest_bytes("big.csv", data, tmp_path / "upload.duckdb")
    assert uploaded.status == "refused" and "may be at most" in uploaded.message


def test_a_long_line_or_another_encoding(tmp_path: Path, db: Path) -> None:
    long = tmp_path / "long.csv"
    long.write_bytes(
        b"date,channel,metric,value\n2026-07-01,x,clicks,1\n2026-07-02,x,clicks,"
        + b"9" * (bounds.MAX_LINE_BYTES + 5)
        + b"\n"
    )
    [result] = ingest_paths([long], db)
    assert result.status == "refused" and "line 3 is longer than" in result.message
    latin = tmp_path / "latin.csv"  # not UTF-8 all through: read the ordinary way
    latin.write_bytes(
        b"date,channel,metric,value,account\n2026-07-01,x,clicks,1,caf\xe9\n" * 1
        + b"2026-07-02,x,clicks,2,caf\xe9\n"
    )
    [loaded] = ingest_paths([latin], db)
    assert loaded.status == "loaded" and loaded.account == "" and loaded.values == 2
    assert _stored(db)["values"][0][2] == "café"


def test_the_checksum_streams_and_matches(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "f.csv"
    data = b"date,channel,metric,value\n" + b"2026-07-01,x,clicks,1\n" * 5000
    path.write_bytes(data)
    scan = bounds.scan_file("f.csv", path, chunk_bytes=1000)
    assert (scan.sha256, scan.size, scan.utf8) == (
        hashlib.sha256(data).hexdigest(),
        len(data),
        True,
    )


def test_a_staged_load_whose_merge_loses_a_value_is_refused(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch, staged_only: None
) -> None:
    """The reconciliation runs on the staged path too: break our own merge on purpose."""
    from sostac_control.store import loads

    real_merge = loads.merge_observations

    def lossy_merge(con, load_id, stage, **options):  # type: ignore[no-untyped-def]
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW _lossy AS SELECT * FROM {stage} "
            f"WHERE source_row < (SELECT max(source_row) FROM {stage})"
        )
        return real_merge(con, load_id, "_lossy", **options)

    monkeypatch.setattr(loads, "merge_observations", lossy_merge)
    path = tmp_path / "three.csv"
    path.write_text(
        "date,channel,metric,value\n2026-07-01,x,clicks,5\n2026-07-02,x,clicks,6\n"
        "2026-07-03,x,clicks,7\n"
    )
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert "clicks (x) does not reconcile" in result.message
    assert "add up to 18 but the load would store 11" in result.message
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM loads").fetchone() == (0,)
