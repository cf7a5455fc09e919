"""The Reports page with AppTest on the demo workspace: it makes the pack and offers HTML, PDF
and XLSX downloads; a bad period is shown as an error with its hint, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sostac_control.demo.build import DemoResult

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def demo_env(demo_workspace: DemoResult, monkeypatch: pytest.MonkeyPatch) -> DemoResult:
    """SOSTAC_DB and SOSTAC_PLAN pointing at the session's demo workspace."""
    monkeypatch.setenv("SOSTAC_DB", str(demo_workspace.db))
    monkeypatch.setenv("SOSTAC_PLAN", str(demo_workspace.plan))
    return demo_workspace


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / "reports.py"), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_reports_page_makes_the_quarterly_pack_with_three_downloads(demo_env) -> None:
    at = _page()
    assert at.title[0].value == "Reports"
    assert "Make the report" in at.info[0].value
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download HTML", "Download PDF", "Download XLSX"]
    assert at.caption[0].value.startswith("Q")


def test_weekly_digest_has_html_and_pdf_and_a_bad_period_is_an_error_with_a_hint(
    demo_env,
) -> None:
    at = _page()
    at.radio[0].set_value("weekly").run()
    at.text_input[0].set_value("2026-W99").run()
    at.button[0].click().run()
    assert not at.exception
    assert "is not an ISO week" in at.error[0].value
    at.text_input[0].set_value("").run()
    at.button[0].click().run()
    assert [d.proto.label for d in at.get("download_button")] == ["Download HTML", "Download PDF"]
