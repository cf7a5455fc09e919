"""Files beyond a bound are refused before they are read, naming the bound; never a crash."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sostac_control.formats import bounds
from sostac_control.ingest import ingest_bytes, ingest_paths

CLI = [sys.executable, "-m", "sostac_control"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def write_xlsx(path: Path, rows_xml: Iterator[bytes], dimension: str = "") -> Path:
    """A minimal workbook whose one sheet's XML is streamed from `rows_xml` (compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in rows_xml:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def header_and(rows: int, row: bytes = b"<row/>") -> Iterator[bytes]:
    yield b'<row><c t="inlineStr"><is><t>Date</t></is></c></row>'
    for _ in range(rows // 1000):
        yield row * 1000


def test_a_small_xlsx_of_five_million_rows_is_refused_by_its_dimension(tmp_path, db) -> None:
    path = write_xlsx(tmp_path / "rows.xlsx", header_and(5_000_000), "A1:B5000001")
    assert path.stat().st_size < 100_000
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert f"a sheet may have at most {bounds.MAX_SHEET_ROWS:,}" in result.message


def test_rows_past_the_bound_are_refused_while_streaming_without_a_dimension(tmp_path, db) -> None:
    path = write_xlsx(tmp_path / "rows.xlsx", header_and(1_000_000, b"<row><c><v>1</v></c></row>"))
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert f"a sheet may have at most {bounds.MAX_SHEET_ROWS:,}" in result.message


def test_an_xlsx_that_unpacks_to_a_gigabyte_is_refused_before_unpacking(tmp_path, db) -> None:
    cell = b'<row><c t="inlineStr"><is><t>' + b"x" * 100_000 + b"</t></is></c></row>"
    path = write_xlsx(tmp_path / "big.xlsx", iter([cell] * 2_000))
    [result] = ingest_paths([path], db)
    assert result.status == "refused" and "a workbook may unpack to at most" in result.message


def test_a_zip_of_two_thousand_members_is_refused_whole(db) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(2_000):
            archive.writestr(f"m{n}.csv", "date,channel,metric,value\n2026-07-01,x,posts,1\n")
    [result] = ingest_bytes("many.zip", buffer.getvalue(), db)
    assert result.status == "refused"
    assert f"a ZIP may hold at most {bounds.MAX_ZIP_MEMBERS}" in result.message
    assert not db.exists()  # nothing was loaded


def test_a_zip_inside_a_zip_is_reported_not_opened(db) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.csv", "date,channel,metric,value\n2026-07-01,x,posts,1\n")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
        archive.writestr(".hidden.csv", "date,channel,metric,value\n")
    results = ingest_bytes("outer.zip", outer.getvalue(), db)
    assert [(r.file, r.status) for r in results] == [
        ("outer.zip/inner.zip", "refused"),
        ("outer.zip/.hidden.csv", "skipped"),
    ]
    assert "one level deep" in results[0].message


def test_a_20_mb_quoted_cell_is_refused_and_the_process_exits_cleanly(tmp_path, db) -> None:
    path = tmp_path / "cell.csv"
    path.write_text(
        'date,channel,metric,value\n2026-07-01,instagram,impressions,"' + "x" * 20_000_000 + '"\n'
    )
    done = subprocess.run(
        [*CLI, "ingest", "--db", str(db), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr  # was 134: pyarrow aborted at exit
    assert "longer than 1 MB" in done.stderr


def test_a_quoted_cell_over_the_bound_across_lines_is_refused(tmp_path, db) -> None:
    path = tmp_path / "cell.csv"
    text = ("y" * 1000 + "\n") * 3000
    path.write_text(f'Date,Impressions\n2026-07-01,"{text}"\n')
    done = subprocess.run(
        [*CLI, "ingest", "--db", str(db), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr


def test_a_csv_with_too_many_columns_is_refused(tmp_path, db) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{n}" for n in range(20_000)) + "\n" + "1," * 19_999 + "1\n")
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert f"a table may have at most {bounds.MAX_COLUMNS:,}" in result.message


def test_a_damaged_workbook_is_refused_not_a_zipfile_traceback(
    shared_exports, tmp_path, db
) -> None:
    data = (
        shared_exports
        / "google_analytics"
        / "ua_1MasterView_SalesPerformance_20230501-20230630.xlsx"
    ).read_bytes()
    path = tmp_path / "damaged.xlsx"
    first, rest = data.split(b"\n", 1)
    sep = b"\t" if data.count(b"\t") > data.count(b",") else b","
    # Cut within the first "line": zipfile then seeks before the archive's start (ValueError).
    path.write_bytes(first.rsplit(sep, 1)[0] + b"\n" + rest)
    [result] = ingest_paths([path], db)
    assert result.status == "refused" and result.message
