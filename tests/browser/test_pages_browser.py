"""The KPI pages in the real app (headless Chromium, demo workspace): from the Overview into a
KPI, its chart data downloaded as CSV, and a chart on every KPI page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import app_pages, open_app_page, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {p.path: p for p in app_pages()}


def test_overview_opens_a_kpi_whose_chart_data_downloads_as_csv(app_page, app_server) -> None:
    open_app_page(app_page, app_server, PAGES["app_pages/overview.py"])
    app_page.get_by_role("button", name="Details").first.click()
    app_page.wait_for_url("**/kpi?objective=*")
    wait_for_app(app_page)
    assert "KPI detail" in app_page.title()
    assert app_page.locator('[data-testid="stException"]').count() == 0
    with app_page.expect_download() as download:
        app_page.get_by_role("button", name="Download CSV").first.click()
    assert download.value.suggested_filename.startswith("kpi-path-")
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "day,actual_cum,expected_cum,projected,projected_low,projected_high"
    assert len(lines) > 30  # one row per day of the KPI's period


@pytest.mark.parametrize(
    "path", ["app_pages/channels.py", "app_pages/roi.py", "app_pages/content.py"]
)
def test_kpi_pages_draw_charts_from_the_demo_data(app_page, app_server, path) -> None:
    open_app_page(app_page, app_server, PAGES[path])
    assert app_page.locator('[data-testid="stException"]').count() == 0
    app_page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    assert app_page.get_by_role("button", name="Download CSV").count() >= 1
