"""The dashboard as its users work, in headless Chromium on the demo workspace: the Monday
Overview (also at 390 px on a phone), Channels, ROI, Content and Data. With
SOSTAC_SCREENSHOTS=docs (`make screenshot`) the screenshots land in docs/ for the README."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.browser import ROOT, app_pages, open_app_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {p.slug: p for p in app_pages()}
DOCS = {"overview", "channels", "roi", "content", "data", "overview-phone"}  # in the README


def shot(page: Any, name: str) -> None:
    """Save the screen (the first viewport, as a reader sees it) to test-artifacts/ and, with
    SOSTAC_SCREENSHOTS=docs, to docs/."""
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
    if os.environ.get("SOSTAC_SCREENSHOTS") == "docs" and name in DOCS:
        page.screenshot(path=str(ROOT / "docs" / f"{name}.png"), full_page=False)


def main(page: Any) -> Any:
    return page.locator('[data-testid="stMain"]')


def test_overview_opens_with_what_needs_attention_and_readable_badges(app_page, app_server) -> None:
    open_app_page(app_page, app_server, PAGES["overview"])
    first = main(app_page).locator("h3").first
    expect(first).to_have_text("What needs attention")
    expect(main(app_page)).to_contain_text("Pace needed from now:")
    badges = main(app_page).locator(".sostac-badge")
    assert badges.count() >= 6
    # Every badge carries its words (and a symbol), never colour alone.
    texts = {badges.nth(i).inner_text() for i in range(badges.count())}
    assert all(t.split(" ", 1)[1] for t in texts), texts
    shot(app_page, "overview")


@pytest.mark.parametrize("slug", ["channels", "roi", "content", "data"])
def test_quarter_and_month_pages_draw_without_an_exception(app_page, app_server, slug) -> None:
    open_app_page(app_page, app_server, PAGES[slug])
    expected = {
        "channels": "Against the plan",
        "roi": "Return credited to social (GA4)",
        "content": "Ranked by engagement rate per view",
        "data": "The month's exports",
    }[slug]
    expect(main(app_page)).to_contain_text(expected, timeout=60_000)
    assert app_page.locator('[data-testid="stException"]').count() == 0
    # The screenshots show what the page is for: the checklist below the upload, the return.
    scroll_to = {"data": expected, "roi": "Per channel"}.get(slug)
    if scroll_to:
        heading = main(app_page).get_by_text(scroll_to, exact=True).first
        heading.evaluate("e => e.scrollIntoView({block: 'start'})")
        app_page.wait_for_timeout(500)
    shot(app_page, slug)


def test_overview_and_status_are_usable_on_a_390_px_phone(chromium_browser, app_server) -> None:
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        for slug in ("overview", "status"):
            open_app_page(page, app_server, PAGES[slug])
            sidebar = page.locator('[data-testid="stSidebar"]')
            # collapsed on first load (Streamlit 1.67 says so in data-collapsed; 1.50 used
            # aria-expanded)
            assert sidebar.get_attribute("data-collapsed") == "true"
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 391, f"{slug} is {overflow} px wide on a 390 px screen"
            if slug == "overview":
                expect(main(page)).to_contain_text("What needs attention")
            shot(page, f"{slug}-phone")
    finally:
        context.close()
