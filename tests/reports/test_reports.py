"""`report`: the quarterly pack and weekly digest as PDF (read back with pdftotext, drawn with
pdftoppm), HTML and XLSX, on the demo workspace; the same numbers as the pages."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sostac_control import store
from sostac_control.cli import main
from sostac_control.engine.status import evaluate_plan
from sostac_control.ingest import ingest_paths
from sostac_control.plan import load_plan, parse_plan
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.reports import build_report
from sostac_control.reports.periods import report_period
from sostac_control.reports.workbook import table_sheet
from sostac_control.views.roi import roi_report
from tests.support.status_workspace import build as build_flags_workspace

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed; .ci/run installs it"
)


@pytest.fixture(scope="module")
def pack_pdf(demo_workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's quarterly pack as PDF, written by the command line."""
    out = tmp_path_factory.mktemp("report") / "pack.pdf"
    code = main(
        [
            "report",
            "quarterly",
            "--db",
            str(demo_workspace.db),
            "--plan",
            str(demo_workspace.plan),
            "--format",
            "pdf",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@needs_poppler
def test_quarterly_pack_pdf_has_every_section_with_formatted_numbers(
    pack_pdf: Path, demo_workspace
) -> None:
    text = _text(pack_pdf)
    for heading in (
        "Quarterly review",
        "Summary",
        "Scorecard: objectives and KPIs against their targets",
        "Channels",
        "Against the previous quarter and the same quarter last year",
        "Content",
        "Best posts",
        "Return on investment: money, people and time",
        "When and why KPIs drifted",
        "Appendix A: data coverage",
        "Appendix B: definitions",
    ):
        assert heading in text, heading
    plan = load_plan(demo_workspace.plan)
    with store.reader(demo_workspace.db) as con:
        status = evaluate_plan(con, plan, date.today())
    for objective in status.objectives:  # every objective with its status words
        assert objective.objective.title.split()[0] in text
    assert "off track" in text and "on track" in text
    assert "€" in text and "%" in text and "page 1 of" in text
    assert "nan" not in text.lower().split()


@needs_poppler
def test_quarterly_pack_pages_render_to_png(pack_pdf: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pack_pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 6
    from PIL import Image

    for page in pages:
        with Image.open(page) as image:
            lo, hi = image.convert("L").getextrema()
            assert hi - lo > 100, f"{page.name} is blank"


def test_pack_shows_the_roi_page_numbers(demo_workspace) -> None:
    plan = load_plan(demo_workspace.plan)
    report = build_report(demo_workspace.db, plan, "quarterly", "html")
    span = report_period("quarterly", None, date.today())
    with store.reader(demo_workspace.db) as con:
        roi = roi_report(con, plan, span.start, span.judged_on(date.today()))
    spend = roi.by_channel["spend"].dropna()
    assert len(spend) and all(f"€{value:,.2f}" in report.html for value in spend)


def test_quarterly_workbook_has_formats_frozen_headers_status_colours_and_charts(
    demo_workspace, tmp_path: Path
) -> None:
    plan = load_plan(demo_workspace.plan)
    path = tmp_path / "pack.xlsx"
    path.write_bytes(build_report(demo_workspace.db, plan, "quarterly", "xlsx").data)
    book = load_workbook(path)
    assert book.sheetnames == [
        "Scorecard",
        "KPI daily",
        "Channels",
        "Quarter compared",
        "ROI",
        "Posts",
    ]
    scorecard = book["Scorecard"]
    assert scorecard.freeze_panes == "A2"
    assert scorecard["J1"].value == "chance" and scorecard["J2"].number_format == "0%"
    rules = [r for ranges in scorecard.conditional_formatting for r in ranges.rules]
    assert any('"off_track"' in r.formula[0] for r in rules)
    assert book["KPI daily"]["D2"].number_format == "yyyy-mm-dd"
    assert isinstance(book["KPI daily"]["D2"].value, date)
    assert book["ROI"]["B2"].number_format.startswith('"€"')
    assert len(book["KPI daily"]._charts) == 1 and len(book["ROI"]._charts) == 1
    assert len(book["Channels"]._charts) == 1


def test_text_that_a_spreadsheet_would_run_is_written_as_text_unchanged(tmp_path: Path) -> None:
    texts = ['=HYPERLINK("http://x","click")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain"]
    book = Workbook()
    table_sheet(book, "Posts", [("text", "")], [[t] for t in texts])
    book.save(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["Posts"]
    cells = [sheet.cell(row, 1) for row in range(2, len(texts) + 2)]
    # Shown unchanged (XML itself reads a carriage return back as a line feed).
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in texts]
    assert all(c.data_type == "s" for c in cells)  # never a formula
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False]


@needs_poppler
def test_weekly_digest_pdf_says_what_needs_attention(demo_workspace, tmp_path: Path) -> None:
    out = tmp_path / "digest.pdf"
    assert (
        main(
            [
                "report",
                "weekly",
                "--db",
                str(demo_workspace.db),
                "--plan",
                str(demo_workspace.plan),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = _text(out)
    assert "Weekly digest" in text and "Needs attention" in text
    assert "Last week per channel" in text


def test_report_json_names_the_file_and_a_bad_period_is_a_usage_error(
    demo_workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "w.html"
    args = ["report", "weekly", "--db", str(demo_workspace.db), "--plan", str(demo_workspace.plan)]
    assert main([*args, "--format", "html", "--out", str(out), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["file"] == str(out) and document["format"] == "html" and out.exists()
    assert main([*args, "--period", "2026Q9"]) == 2
    assert "is not an ISO week" in capsys.readouterr().err


@needs_poppler
def test_a_pack_without_data_says_so_instead_of_failing(tmp_path: Path) -> None:
    db, plan = tmp_path / "empty.duckdb", tmp_path / "plan.yaml"
    with store.connect(db):
        pass
    plan.write_text(EXAMPLE_PLAN, encoding="utf-8")
    out = tmp_path / "pack.pdf"
    args = ["report", "quarterly", "--db", str(db), "--plan", str(plan)]
    assert main([*args, "--as-of", "2026-08-15", "--out", str(out)]) == 0
    text = _text(out)
    assert "no impressions data for Instagram" in text
    assert "No posts were loaded for the quarter" in text
    assert "No file was refused." in text


@pytest.mark.parametrize(
    ("first_day", "shown"), [("2026-05-15", "data from 15 May 2026"), ("2026-03-01", "+0%")]
)
def test_the_quarter_is_compared_only_with_a_fully_loaded_previous_quarter(
    tmp_path: Path, write_tidy, first_day: str, shown: str
) -> None:
    start = date.fromisoformat(first_day)
    days = [start + timedelta(days=i) for i in range((date(2026, 9, 30) - start).days + 1)]
    db = tmp_path / "q.duckdb"
    [loaded] = ingest_paths(
        [write_tidy([(d, "instagram", "impressions", 100, "ig") for d in days])], db
    )
    assert loaded.status == "loaded"
    plan = parse_plan(EXAMPLE_PLAN)
    html = build_report(
        db, plan, "quarterly", "html", period="2026Q3", as_of=date(2026, 10, 5)
    ).html
    row = html.split("Against the previous quarter")[1].split("Instagram</td>")[1].split("</tr>")[0]
    assert "9,200" in row and shown in row  # 92 days of 100 this quarter


def test_the_pack_and_digest_show_a_crisis_flag_and_a_stale_status(tmp_path: Path) -> None:
    as_of = date(2026, 12, 1)
    db, plan_path = build_flags_workspace(tmp_path / "flags", as_of)
    plan = load_plan(plan_path)
    pack = build_report(db, plan, "quarterly", "html", as_of=as_of).html
    digest = build_report(db, plan, "weekly", "html", as_of=as_of).html
    for html in (pack, digest):
        assert 'class="chip s-crisis">crisis</span> Facebook since 28 Nov 2026' in html
        assert 'class="chip s-stale">stale</span>' in html
