"""The language in a real browser: switch the Overview to Dutch in the sidebar and read Dutch
numbers, dates and statuses; the choice goes into the URL and stays on the next page; a link
with ?lang=en opens in English. With SOSTAC_SCREENSHOTS=docs the Dutch Overview lands in
docs/overview-nl.png for the README."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.browser import ROOT, app_pages, open_app_page, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {p.slug: p for p in app_pages()}


def main(page: Any) -> Any:
    return page.locator('[data-testid="stMain"]')


def test_switching_to_dutch_shows_dutch_numbers_and_dates_on_the_overview(
    app_page, app_server
) -> None:
    open_app_page(app_page, app_server, PAGES["overview"])
    expect(main(app_page).locator("h3").first).to_have_text("What needs attention")

    app_page.locator('[data-testid="stSidebar"]').get_by_text("Nederlands", exact=True).click()
    wait_for_app(app_page)
    expect(main(app_page).locator("h3").first).to_have_text("Wat aandacht nodig heeft")
    assert "lang=nl" in app_page.url
    text = main(app_page).inner_text()
    # "status op dinsdag 1 december 2026", "195.561", "4,50%", "€ 15.550,06", Dutch statuses
    assert re.search(r"status op \w+dag \d{1,2} [a-z]+ 20\d\d", text), text[:400]
    assert re.search(r"\b\d{1,3}(\.\d{3})+\b", text)
    assert re.search(r"\d+,\d+%", text)
    assert re.search(r"€ \d{1,3}(\.\d{3})*,\d\d", text)
    assert "op koers" in text
    assert "What needs attention" not in text
    # A link with ?lang=nl opens a new session in Dutch from its first run (the screenshot).
    app_page.goto(app_page.url, wait_until="domcontentloaded")
    wait_for_app(app_page)
    expect(main(app_page).locator("h3").first).to_have_text("Wat aandacht nodig heeft")
    app_page.wait_for_timeout(500)
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    app_page.screenshot(path=str(folder / "overview-nl.png"), full_page=False)
    if os.environ.get("SOSTAC_SCREENSHOTS") == "docs":
        app_page.screenshot(path=str(ROOT / "docs" / "overview-nl.png"), full_page=False)

    # The choice is remembered on the next page, reached through the navigation.
    app_page.locator('[data-testid="stSidebarNav"]').get_by_text("Status", exact=True).click()
    wait_for_app(app_page)
    expect(main(app_page)).to_contain_text("Scorekaart", timeout=60_000)


def test_a_link_with_lang_opens_in_that_language(app_page, app_server) -> None:
    app_page.goto(f"{app_server.url}/channels?lang=nl", wait_until="domcontentloaded")
    wait_for_app(app_page)
    expect(main(app_page)).to_contain_text("Ten opzichte van het plan", timeout=60_000)
    app_page.goto(f"{app_server.url}/channels?lang=en", wait_until="domcontentloaded")
    wait_for_app(app_page)
    expect(main(app_page)).to_contain_text("Against the plan", timeout=60_000)
