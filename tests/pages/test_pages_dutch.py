"""Every page in Dutch: chosen by `?lang=nl` or the sidebar, no English sentence of the
catalogue on screen, Dutch numbers and dates; English stays the default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sostac_control.demo.build import DemoResult
from sostac_control.i18n.extract import read_catalogue
from tests.support.browser import APP, app_pages

TIMEOUT_S = 120
FIELD = re.compile(r"\{[^{}]*\}|`[^`]*`|\*\*|\*|\n")
# Words and names a Dutch screen shares with English on purpose: product and platform names,
# units and the marketing words Dutch teams use as they are (no fragment of 3+ words is here).
SAME_IN_BOTH = ("KPI", "ROI", "ROAS", "CPA", "CTR", "posts", "leads", "content", "status")


@pytest.fixture
def demo_env(demo_workspace: DemoResult, monkeypatch: pytest.MonkeyPatch) -> DemoResult:
    """SOSTAC_DB and SOSTAC_PLAN pointing at the session's demo workspace, no SOSTAC_LANG."""
    monkeypatch.syspath_prepend(str(APP.parent))
    monkeypatch.setenv("SOSTAC_DB", str(demo_workspace.db))
    monkeypatch.setenv("SOSTAC_PLAN", str(demo_workspace.plan))
    monkeypatch.delenv("SOSTAC_LANG", raising=False)
    return demo_workspace


def english_fragments() -> list[str]:
    """The English parts (3 words or more, between fields and code) of every message whose
    Dutch differs: none of them may be on a Dutch screen."""
    found = set()
    for message in read_catalogue("nl"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        dutch = " ".join(message.string if isinstance(message.string, tuple) else [message.string])
        for text in ids:
            for part in FIELD.split(text):
                part = part.strip(" .,:;()·–-")
                if len(part.split()) >= 3 and part not in dutch:
                    found.add(part)
    return sorted(found, key=len, reverse=True)


def screen_text(at: AppTest) -> str:
    """Everything a person reads on the page: texts, labels, options, table headers and cells."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for e in at.metric:
        parts += [str(e.label), str(e.value), str(e.delta or "")]
    parts += [str(e.label) for e in at.button]
    for kind in ("radio", "selectbox", "multiselect"):
        for e in getattr(at, kind):
            parts += [str(e.label), *map(str, e.options)]
    parts += [str(e.label) for e in at.expander]
    parts += [str(e.label) for e in at.tabs]
    for e in [*at.dataframe, *at.table]:
        frame = e.value
        parts += [str(c) for c in frame.columns]
        parts += [v for c in frame.columns for v in frame[c].head(50) if isinstance(v, str)]
    return "\n".join(parts)


def run_page(path: str, language: str | None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    if language:
        at.query_params["lang"] = language
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", app_pages(), ids=lambda p: p.slug)
def test_every_page_in_dutch_shows_no_english_sentence_of_the_catalogue(
    demo_env: DemoResult, page
) -> None:
    text = screen_text(run_page(page.path, "nl"))
    english = [f for f in english_fragments() if f in text]
    assert not english, f"{page.path} shows English: {english[:10]}"


def test_the_overview_in_dutch_writes_dutch_numbers_dates_and_statuses(
    demo_env: DemoResult,
) -> None:
    at = run_page("app_pages/overview.py", "nl")
    text = screen_text(at)
    assert at.title[0].value == "Overzicht"
    assert "Wat aandacht nodig heeft" in text
    assert re.search(r"status op \w+dag \d{1,2} \w+ 20\d\d", text)  # dinsdag 1 december 2026
    assert re.search(r"\d{1,3}(\.\d{3})+\b", text)  # 195.561
    assert re.search(r"\d,\d%", text)  # 4,5%
    assert "op koers" in text or "uit koers" in text
    assert not re.search(r"\b\d{1,3}(,\d{3})+\b", text)  # no 1,234 in Dutch


def test_the_language_follows_the_url_and_the_sidebar_and_is_remembered(
    demo_env: DemoResult,
) -> None:
    at = run_page("app_pages/overview.py", None)
    assert at.title[0].value == "Overview"  # English by default
    at.sidebar.radio(key="sostac_lang_widget").set_value("nl").run()
    assert at.title[0].value == "Overzicht"
    assert at.query_params["lang"] == ["nl"] or at.query_params["lang"] == "nl"
    at.switch_page("app_pages/status.py").run()  # another page: still Dutch
    assert at.title[0].value == "Status"
    assert "Scorekaart" in screen_text(at)
    at.sidebar.radio(key="sostac_lang_widget").set_value("en").run()
    assert "Scorecard" in screen_text(at)


def test_the_plans_language_is_the_default(
    demo_env: DemoResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.yaml"
    text = demo_env.plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("currency: EUR", "currency: EUR\nlanguage: nl", 1), "utf-8")
    monkeypatch.setenv("SOSTAC_PLAN", str(plan))
    at = run_page("app_pages/overview.py", None)
    assert at.title[0].value == "Overzicht"
    assert run_page("app_pages/overview.py", "en").title[0].value == "Overview"


def test_a_downloaded_csv_in_dutch_opens_in_dutch_excel() -> None:
    import pandas as pd

    from sostac_control.i18n import use_language
    from sostac_control.views.safe_export import csv_bytes

    frame = pd.DataFrame({"kanaal": ["Instagram"], "uitgaven": [1234.5]})
    with use_language("nl"):
        data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8 ("€" intact)
    assert data.decode("utf-8-sig").splitlines() == ["kanaal;uitgaven", "Instagram;1234,5"]
    with use_language("en"):
        assert csv_bytes(frame).decode("utf-8").splitlines()[1] == "Instagram,1234.5"
