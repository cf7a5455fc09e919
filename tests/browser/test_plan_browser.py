"""The Plan page in a real browser: upload a broken plan and see its problems, then a good one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.load import load_plan
from tests.support.browser import start_server, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def plan_server(tmp_path: Path):
    """The app on its own workspace (example plan, no database), so uploads touch nothing shared."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(EXAMPLE_PLAN, encoding="utf-8")
    server = start_server(tmp_path / "sostac.duckdb", plan, tmp_path / "streamlit.log")
    yield server, plan
    server.stop()


def upload(page, path: Path) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    page.get_by_role("button", name="Check and use the uploaded plan").click()
    wait_for_app(page)


def test_uploaded_plan_is_checked_before_it_replaces_the_plan(
    chromium_browser, plan_server, tmp_path: Path
) -> None:
    server, plan = plan_server
    page = chromium_browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(90_000)
    page.goto(f"{server.url}/plan", wait_until="domcontentloaded")
    wait_for_app(page)
    assert page.get_by_text("Grow awareness among young professionals on Instagram").count() >= 1

    broken = tmp_path / "broken.yaml"
    broken.write_text(EXAMPLE_PLAN.replace("target: 0.045", "target: 4.5"), encoding="utf-8")
    upload(page, broken)
    assert page.get_by_text("Not used: broken.yaml has problems.").count() == 1
    assert page.get_by_text("For 4.5% write 0.045.").count() == 1  # the problems table
    assert plan.read_text(encoding="utf-8") == EXAMPLE_PLAN

    good = tmp_path / "good.yaml"
    good.write_text(EXAMPLE_PLAN.replace("Koffiebar Noord", "Koffiebar Zuid"), encoding="utf-8")
    upload(page, good)
    assert page.get_by_text("Plan saved.").count() == 1
    assert page.get_by_text("Koffiebar Zuid social media plan H2 2026").count() >= 1
    assert load_plan(plan).name == "Koffiebar Zuid social media plan H2 2026"
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_target_typed_into_the_kpi_table_is_saved_with_the_comments(
    chromium_browser, plan_server
) -> None:
    server, plan = plan_server
    page = chromium_browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(90_000)
    page.goto(f"{server.url}/plan", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_role("tab", name="KPIs").click()
    page.wait_for_timeout(1000)
    grid = page.locator('[data-testid="stTabs"] [data-testid="stDataFrame"]:visible').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 80, box["y"] + 35 + 17)  # first row, first column
    for _ in range(4):  # objective, metric, channel, account → target
        page.keyboard.press("ArrowRight")
    page.keyboard.press("5")  # typing on a cell opens its editor
    page.wait_for_timeout(800)
    page.keyboard.type("00000", delay=120)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)  # the edit's own rerun ends before the button is pressed
    page.get_by_role("button", name="Check and save the plan").click()
    # On a busy machine the save's rerun may start after wait_for_app has already returned.
    page.get_by_text("Plan saved.").wait_for(timeout=60_000)
    assert page.get_by_text("Plan saved.").count() == 1
    expected = EXAMPLE_PLAN.replace("        target: 450000\n", "        target: 500000\n")
    assert plan.read_text(encoding="utf-8") == expected  # one value changed, comments kept
    page.close()
