"""End to end: the real app (`streamlit run`) on the demo workspace, in headless Chromium.

Fixtures (tests/conftest.py): `app_server` (one server per session), `chromium_browser`, and
`app_page` (a fresh tab per test). To add a step, write a test that takes `app_page` and
`app_server`, opens a page with `open_app_page`, acts, and calls `wait_for_app` after each
action that reruns the script.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import app_pages, open_app_page, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = app_pages()


@pytest.mark.parametrize("target", PAGES, ids=lambda p: p.slug)
def test_every_page_opens_with_its_title_and_no_exception(app_page, app_server, target) -> None:
    open_app_page(app_page, app_server, target)
    heading = app_page.locator('[data-testid="stMain"] h1').first
    heading.wait_for()
    assert heading.inner_text().strip(), f"{target.path} shows an empty heading"
    assert target.title in app_page.title()
    screenshot(app_page, target.slug)
    exceptions = app_page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


def test_sidebar_lists_every_page_and_its_links_open_them(app_page, app_server) -> None:
    open_app_page(app_page, app_server, PAGES[0])
    links = app_page.locator('[data-testid="stSidebarNavLink"]')
    assert links.count() == len(PAGES)
    last = PAGES[-1]
    links.filter(has_text=last.title).first.click()
    app_page.wait_for_url(f"**/{last.url_path}")
    wait_for_app(app_page)
    assert last.title in app_page.title()
    assert app_page.locator('[data-testid="stException"]').count() == 0


def test_sidebar_shows_the_workspace_and_the_filters(app_page, app_server, demo_workspace) -> None:
    open_app_page(app_page, app_server, PAGES[0])
    sidebar = app_page.locator('[data-testid="stSidebar"]')
    # expect() retries until the sidebar has drawn: a loaded machine may paint it late.
    for words in (
        "Koffiebar Noord social media plan",
        f"…/{demo_workspace.db.parent.name}/{demo_workspace.db.name}",
        "Last load:",
    ):
        expect(sidebar).to_contain_text(words, timeout=30_000)
    # Streamlit 1.67's selectbox is a combobox: its choice is the input's value, not its text.
    expect(sidebar.get_by_role("combobox", name="Period")).to_have_value("Last 4 weeks")
