"""The Reports page in the real app (headless Chromium, demo workspace): the quarterly pack is
previewed and downloads as HTML, PDF and XLSX."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.browser import app_pages, open_app_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {p.path: p for p in app_pages()}


def test_reports_page_downloads_the_quarterly_pack_as_html_pdf_and_xlsx(
    app_page, app_server, tmp_path: Path
) -> None:
    open_app_page(app_page, app_server, PAGES["app_pages/reports.py"])
    app_page.get_by_role("button", name="Make the report").click()
    app_page.get_by_role("button", name="Download XLSX").wait_for()
    assert app_page.locator('[data-testid="stException"]').count() == 0
    files = {}
    for fmt in ("HTML", "PDF", "XLSX"):
        with app_page.expect_download() as download:
            app_page.get_by_role("button", name=f"Download {fmt}").click()
        files[fmt] = (download.value.suggested_filename, Path(download.value.path()).read_bytes())
    name, html = files["HTML"]
    assert name.startswith("quarterly-q") and name.endswith(".html")
    assert b"Quarterly review" in html and b"Scorecard" in html
    name, pdf = files["PDF"]
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF") and len(pdf) > 20_000
    name, xlsx = files["XLSX"]
    path = tmp_path / name
    path.write_bytes(xlsx)
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["Scorecard", "KPI daily", "Channels"]
    # The preview shows the same pack inside the page.
    frame = app_page.frame_locator("iframe").first
    assert frame.get_by_text("Summary", exact=True).count() >= 1
