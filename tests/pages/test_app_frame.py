"""The app frame (app.py): page config, navigation, the sidebar's workspace and global filters."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sostac_control.demo.build import DemoResult
from sostac_control.ui import Filters
from sostac_control.views.period import preset_period
from tests.support.browser import APP, app_pages

TIMEOUT_S = 120


@pytest.fixture
def demo_env(demo_workspace: DemoResult, monkeypatch: pytest.MonkeyPatch) -> DemoResult:
    """SOSTAC_DB and SOSTAC_PLAN pointing at the session's demo workspace."""
    # `streamlit run` puts the app's folder on sys.path (pages import app_pages._helpers); so do we.
    monkeypatch.syspath_prepend(str(APP.parent))
    monkeypatch.setenv("SOSTAC_DB", str(demo_workspace.db))
    monkeypatch.setenv("SOSTAC_PLAN", str(demo_workspace.plan))
    return demo_workspace


def _run_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    return at


def _sidebar_text(at: AppTest) -> str:
    parts = [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    return "\n".join(parts)


def test_app_opens_with_the_workspace_in_the_sidebar(demo_env: DemoResult) -> None:
    at = _run_app()
    assert not at.exception, [e.value for e in at.exception]
    text = _sidebar_text(at)
    assert f"…/{demo_env.plan.parent.name}/plan.yaml" in text  # full paths are in the tooltip
    assert f"…/{demo_env.db.parent.name}/sostac.duckdb" in text
    assert "Koffiebar Noord social media plan" in text
    assert "Last load:" in text
    assert f"to {demo_env.as_of:%d %b %Y}" in text


def test_sidebar_sets_the_global_filters_default_last_4_weeks(demo_env: DemoResult) -> None:
    at = _run_app()
    filters = at.session_state["sostac_filters"]
    assert isinstance(filters, Filters)
    assert filters.end == demo_env.as_of  # the demo's last day is today
    assert (filters.end - filters.start).days == 27
    assert filters.channels == ()


def test_choosing_a_preset_and_channels_changes_the_filters(demo_env: DemoResult) -> None:
    at = _run_app()
    at.sidebar.selectbox(key="sostac_period_preset").select("Last 7 days")
    at.sidebar.multiselect(key="sostac_channels").select("instagram").select("facebook")
    at.run()
    assert not at.exception
    filters = at.session_state["sostac_filters"]
    assert (filters.end - filters.start).days == 6
    assert set(filters.channels) == {"instagram", "facebook"}


def test_custom_period_takes_two_days_and_swaps_them_when_reversed(
    demo_env: DemoResult,
) -> None:
    at = _run_app()
    at.sidebar.selectbox(key="sostac_period_preset").select("Custom")
    at.run()
    at.sidebar.date_input(key="sostac_period_start").set_value(date(2026, 9, 30))
    at.sidebar.date_input(key="sostac_period_end").set_value(date(2026, 9, 1))
    at.run()
    assert not at.exception
    assert at.session_state["sostac_filters"].start == date(2026, 9, 1)
    assert at.session_state["sostac_filters"].end == date(2026, 9, 30)
    assert any("swapped" in w.value for w in at.sidebar.warning)


def test_channel_choices_are_the_channels_with_data(demo_env: DemoResult) -> None:
    at = _run_app()
    options = set(at.sidebar.multiselect(key="sostac_channels").options)
    labels = {"Facebook", "Instagram", "X", "LinkedIn", "Website (web analytics)", "Meta Ads"}
    assert options == labels


def test_app_without_a_database_says_how_to_create_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOSTAC_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("SOSTAC_PLAN", str(tmp_path / "plan.yaml"))
    at = _run_app()
    assert not at.exception, [e.value for e in at.exception]
    assert "No data loaded yet" in _sidebar_text(at)
    assert "(missing)" in _sidebar_text(at)
    assert not (tmp_path / "none.duckdb").exists()  # looking never creates a database


@pytest.mark.parametrize("page", app_pages(), ids=lambda p: p.slug)
def test_every_page_in_the_navigation_runs_without_an_exception(demo_env: DemoResult, page) -> None:
    at = _run_app()
    at.switch_page(page.path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title or at.header, f"{page.path} shows no title"


@pytest.mark.parametrize(
    ("preset", "anchor", "expected"),
    [
        ("Last 7 days", date(2026, 11, 21), (date(2026, 11, 15), date(2026, 11, 21))),
        ("Last 4 weeks", date(2026, 3, 1), (date(2026, 2, 2), date(2026, 3, 1))),
        ("This quarter", date(2026, 11, 21), (date(2026, 10, 1), date(2026, 11, 21))),
        ("Last quarter", date(2026, 11, 21), (date(2026, 7, 1), date(2026, 9, 30))),
        ("Last quarter", date(2026, 2, 10), (date(2025, 10, 1), date(2025, 12, 31))),
        ("This quarter", date(2026, 1, 1), (date(2026, 1, 1), date(2026, 1, 1))),
    ],
)
def test_period_presets_count_back_from_the_last_day_with_data(
    preset: str, anchor: date, expected: tuple[date, date]
) -> None:
    assert preset_period(preset, anchor) == expected


def test_unknown_preset_is_a_bug_not_a_silent_default() -> None:
    with pytest.raises(ValueError):
        preset_period("Next year", date(2026, 1, 1))


def test_demo_workspace_fixture_ends_today(demo_workspace: DemoResult) -> None:
    assert date.today() - demo_workspace.as_of <= timedelta(days=1)
