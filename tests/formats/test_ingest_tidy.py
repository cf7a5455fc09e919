"""The generic tidy CSV: exact values in, exact values out; bad rows named by number."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sostac_control.formats import ReadOptions, Source
from sostac_control.ingest import ingest_paths, read_source


def _read(path: Path, **options: object):
    return read_source(Source(path.name, path.read_bytes()), options=ReadOptions(**options))


def test_semicolon_file_with_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "nl.csv"
    path.write_text(
        "date;channel;metric;value;account\n"
        "2026-07-01;instagram;impressions;1.234,5;kbn\n"
        "2026-07-02;instagram;spend;12,50;kbn\n",
        encoding="utf-8",
    )
    fmt, extract = _read(path)
    assert fmt.name == "tidy_csv"
    values = dict(zip(extract.observations["metric"], extract.observations["value"], strict=True))
    assert values == {"impressions": 1234.5, "spend": 12.5}
    assert list(extract.observations["period_start"]) == [date(2026, 7, 1), date(2026, 7, 2)]


def test_bad_rows_are_rejected_by_row_number_and_the_rest_loads(tmp_path: Path, db: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "date,channel,metric,value\n"
        "2026-07-01,x,impressions,10\n"
        "yesterday,x,impressions,11\n"
        "2026-07-03,myspace,impressions,12\n"
        "2026-07-04,x,engagement_rate,0.05\n"
        "2026-07-05,x,impressions,lots\n"
        "2026-07-06,x,impressions,16\n",
        encoding="utf-8",
    )
    [result] = ingest_paths([path], db, options=ReadOptions(account="kbn"))
    assert result.status == "loaded" and result.inserted == 2 and result.rejected == 4
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "date"), (3, "channel"), (4, "metric"), (5, "value"),
    ]  # fmt: skip
    assert "ratio metrics are computed from their parts" in result.errors[2].message
    assert result.account == "kbn" and result.first_day == "2026-07-01"


def test_post_id_column_makes_post_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "date,channel,metric,value,account,post_id\n"
        "2026-07-01,instagram,reach,100,kbn,1790000000000000001\n",
        encoding="utf-8",
    )
    _, extract = _read(path)
    row = extract.observations.iloc[0]
    assert (row["grain"], row["dimension"], row["item"]) == ("post", "post", "1790000000000000001")
