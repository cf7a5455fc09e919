"""The Status and KPI pages in the real app (headless Chromium) on a workspace that shows every
flag: the culprit of a gap, a crisis, stale data with the source to refresh, a drift note."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.browser import app_pages, open_app_page, start_server, wait_for_app
from tests.support.status_workspace import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {p.path: p for p in app_pages()}


@pytest.fixture(scope="module")
def flags_server(tmp_path_factory: pytest.TempPathFactory, chromium_browser):
    """The app on the flags workspace, built for today (the app judges on today)."""
    folder = tmp_path_factory.mktemp("flags-app")
    db, plan = build(folder, date.today())
    server = start_server(db, plan, folder / "streamlit.log")
    yield server
    server.stop()


@pytest.fixture
def tab(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)
    yield page
    context.close()


def test_status_page_shows_crisis_stale_sources_culprit_and_notes(tab, flags_server) -> None:
    open_app_page(tab, flags_server, PAGES["app_pages/status.py"])
    main = tab.locator('[data-testid="stMain"]')
    assert tab.locator('[data-testid="stException"]').count() == 0
    text = main.inner_text()
    assert "Crisis: crisis on Facebook since" in text
    assert "Stale data: refresh Website (web analytics): load data newer than" in text
    assert "stale" in text
    assert "what explains the gap: account shop impressions fell" in text
    assert "Clicks · LinkedIn: note: pace fell" in text and "still projected" in text


def test_kpi_page_shows_the_culprit_of_the_gap_and_the_crisis(tab, flags_server) -> None:
    tab.goto(f"{flags_server.url}/kpi?objective=reach&kpi=0", wait_until="domcontentloaded")
    wait_for_app(tab)
    text = tab.locator('[data-testid="stMain"]').inner_text()
    assert "Why it is behind: account shop impressions fell" in text
    tab.goto(f"{flags_server.url}/kpi?objective=community&kpi=0", wait_until="domcontentloaded")
    wait_for_app(tab)
    assert "Crisis: crisis on Facebook since" in tab.locator('[data-testid="stMain"]').inner_text()


def test_kpi_page_shows_stale_data_and_a_drift_note(tab, flags_server) -> None:
    tab.goto(f"{flags_server.url}/kpi?objective=web&kpi=0", wait_until="domcontentloaded")
    wait_for_app(tab)
    text = tab.locator('[data-testid="stMain"]').inner_text()
    assert "Stale: no data since" in text and "last judged on track" in text
    tab.goto(f"{flags_server.url}/kpi?objective=steady&kpi=0", wait_until="domcontentloaded")
    wait_for_app(tab)
    text = tab.locator('[data-testid="stMain"]').inner_text()
    assert "Note: pace fell" in text and "still projected" in text


def test_overview_names_the_sources_to_refresh_and_the_crisis(tab, flags_server) -> None:
    open_app_page(tab, flags_server, PAGES["app_pages/overview.py"])
    text = tab.locator('[data-testid="stMain"]').inner_text()
    assert "Refresh these sources" in text and "Website (web analytics): load data" in text
    assert "Crisis: crisis on Facebook" in text
