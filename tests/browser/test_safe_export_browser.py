"""Downloads never carry a formula: text a spreadsheet would run is made inert (OWASP)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from sostac_control.ingest import ingest_paths
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.views.safe_export import csv_bytes, inert_cell
from tests.support.browser import app_pages, open_app_page, start_server
from tests.support.exports import Post, write_tweet_activity

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_starting_like_a_formula_gets_a_quote(text: str) -> None:
    assert inert_cell(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone() -> None:
    frame = pd.DataFrame({"text": ["koffie", None, "a=b"], "value": [-5.0, 1.0, 2.0]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"))))
    assert rows == [["text", "value"], ["koffie", "-5.0"], ["", "1.0"], ["a=b", "2.0"]]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory):
    """The app on a database whose posts' texts start with = + - @ TAB and CR."""
    folder = tmp_path_factory.mktemp("hostile")
    db, plan = folder / "sostac.duckdb", folder / "plan.yaml"
    plan.write_text(EXAMPLE_PLAN, encoding="utf-8")
    published = datetime.now() - timedelta(days=3)
    posts = [
        Post(f"14327937545079234{n:02d}", published, {"impressions": 100 + n}, text=text)
        for n, text in enumerate(HOSTILE)
    ]
    [result] = ingest_paths([write_tweet_activity(folder / "tweets.csv", posts)], db)
    assert result.status == "loaded", result.message
    server = start_server(db, plan, folder / "streamlit.log")
    yield server
    server.stop()


@pytest.mark.browser
@pytest.mark.slow
def test_content_page_downloads_carry_no_formula(chromium_browser, hostile_server) -> None:
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        content = next(p for p in app_pages() if p.path == "app_pages/content.py")
        open_app_page(page, hostile_server, content)
        assert page.locator('[data-testid="stException"]').count() == 0
        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").first.click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
    finally:
        context.close()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    texts = {row["text"] for row in rows}
    # CR becomes a newline on reading (Source.text), so it cannot start a stored text.
    assert {"'" + t for t in HOSTILE if not t.startswith("\r")} <= texts
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "-", "@", "\t", "\r")), row
