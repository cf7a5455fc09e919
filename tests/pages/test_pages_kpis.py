"""The KPI pages (Overview, KPI detail, Channels, ROI, Content) run with AppTest on a seeded
database and show what a user needs: figures, statuses, charts with CSV downloads, empty states."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sostac_control import store
from sostac_control.ingest import ingest_paths

ROOT = Path(__file__).resolve().parent.parent.parent
TODAY = date.today()
START = TODAY - timedelta(days=29)
END = TODAY + timedelta(days=30)

PLAN = f"""\
version: 1
name: Test plan
currency: EUR
objectives:
  - id: reach-out
    title: Reach people on Instagram
    category: sizzle
    owner: Tester
    start: {START}
    end: {END}
    kpis:
      - metric: impressions
        channel: instagram
        target: 60000
      - metric: engagement_rate
        channel: instagram
        target: 0.05
  - id: sell-ads
    title: Sell through Meta ads
    category: sell
    owner: Tester
    start: {START}
    end: {END}
    kpis:
      - metric: cpa
        channel: meta_ads
        target: 20
        direction: down
budget:
  - channel: meta_ads
    start: {START}
    end: {END}
    money: 1200
    hours: 10
    hourly_rate: 50
content:
  promotional:
    hashtags: ["#korting"]
    keywords: [bestel nu]
"""


def _tidy(path: Path, rows: list[tuple]) -> Path:
    header = "date,channel,metric,value,account" + (",post_id" if len(rows[0]) == 6 else "")
    path.write_text("\n".join([header, *(",".join(map(str, r)) for r in rows)]) + "\n")
    return path


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database with 30 days of Instagram and Meta Ads data, 4 posts, and a plan (once)."""
    tmp_path = tmp_path_factory.mktemp("pages")
    rows = []
    for i in range(30):
        day = START + timedelta(days=i)
        rows += [
            (day, "instagram", "impressions", 1000 + 10 * i, "koffie"),
            (day, "instagram", "engagements", 40 + i, "koffie"),
            (day, "meta_ads", "spend", 20, "ads"),
            (day, "meta_ads", "conversions", 1, "ads"),
            (day, "meta_ads", "revenue", 50, "ads"),
            (day, "meta_ads", "impressions", 3000, "ads"),
            (day, "meta_ads", "clicks", 30, "ads"),
        ]
    post_rows = []
    for n in range(4):
        day = START + timedelta(days=25 + n)
        post_rows += [
            (day, "instagram", "impressions", 500 * (n + 1), "koffie", f"p{n}"),
            (day, "instagram", "engagements", 10 * (4 - n), "koffie", f"p{n}"),
        ]
    db = tmp_path / "pages.duckdb"
    results = ingest_paths(
        [_tidy(tmp_path / "d.csv", rows), _tidy(tmp_path / "p.csv", post_rows)], db
    )
    assert all(r.status == "loaded" for r in results)
    posts = pd.DataFrame(
        {
            "channel": "instagram",
            "account": "koffie",
            "post_id": [f"p{n}" for n in range(4)],
            "published_at": [
                datetime.combine(START + timedelta(days=25 + n), datetime.min.time())
                + timedelta(hours=9 + n)
                for n in range(4)
            ],
            "post_type": ["reel", "image", "reel", "image"],
            "text": ["Nieuwe blend!", "#korting op bonen", "Achter de schermen", "Bestel nu"],
            "permalink": [f"https://instagram.com/p/{n}" for n in range(4)],
            "labels": None,
        }
    )
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source="posts-meta.csv", grain="post")
        con.register("stage_posts", posts)
        store.merge_posts(con, load_id, "stage_posts")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    return tmp_path


@pytest.fixture
def workspace(seeded: Path, monkeypatch) -> Path:
    """The seeded database and plan as the app's workspace (SOSTAC_DB, SOSTAC_PLAN)."""
    monkeypatch.setenv("SOSTAC_DB", str(seeded / "pages.duckdb"))
    monkeypatch.setenv("SOSTAC_PLAN", str(seeded / "plan.yaml"))
    return seeded


def run(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def downloads(at: AppTest) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


def test_overview_shows_each_objective_with_status_tiles_and_changes(workspace):
    at = run("overview.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Reach people on Instagram" in text and "Sell through Meta ads" in text
    assert "-badge[" in text  # a status chip per objective and tile
    tiles = {m.label: m.value for m in at.metric}
    # 30 days of 1000 + 10·i impressions up to today: 30,000 + 10·435.
    assert tiles["Impressions · Instagram"] == "34,350"
    assert tiles["Cost per acquisition · Meta Ads"].startswith("€")
    assert "What changed since last week" in [s.value for s in at.subheader]
    assert len(at.dataframe) == 1
    assert any("CSV" in label for label in downloads(at))


def test_kpi_detail_opens_from_query_params_with_path_bars_and_definition(workspace):
    at = run("kpi.py", objective="reach-out", kpi="1")
    assert at.selectbox[0].value == ("reach-out", 1)
    assert "ratio of the period's sums" in " ".join(m.value for m in at.markdown)
    assert charts(at) == 3  # path, weekly bars, by post type
    # One account: a sentence, not a chart of one bar.
    text = " ".join(m.value for m in at.markdown)
    assert "All of it comes from one account, **koffie**: 4.76%." in text
    assert len(downloads(at)) == charts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Target"] == "5.00%"


def test_kpi_detail_without_query_params_shows_the_first_kpi(workspace):
    at = run("kpi.py")
    assert at.selectbox[0].value == ("reach-out", 0)
    assert {m.label: m.value for m in at.metric}["Target"] == "60,000"


def test_channels_page_compares_paid_and_organic(workspace):
    at = run("channels.py")
    table = at.dataframe[0].value
    assert list(table["channel"]) == ["Instagram", "Meta Ads"]
    assert list(table["type"]) == ["organic", "paid"]
    assert "Paid versus organic" in [s.value for s in at.subheader]
    assert charts(at) == 2 and "Download CSV" in downloads(at)


def test_roi_page_counts_people_cost_and_budget(workspace):
    at = run("roi.py")
    per_channel = at.dataframe[0].value
    ads = per_channel[per_channel["channel"] == "Meta Ads"].iloc[0]
    assert ads["spend"] == "€600.00"  # 30 days × 20
    assert ads["people cost"] == "€250.00"  # 500 over 60 days, 30 of them in the period
    assert charts(at) >= 2


def test_content_page_shows_posts_and_promotional_share(workspace):
    at = run("content.py")
    assert {m.label: m.value for m in at.metric}["Promotional posts"] == "2 (50%)"
    posts = at.dataframe[0].value
    assert len(posts) == 4
    # Counts are for reading: thousands separators, and "—" where the platform gave nothing.
    assert posts["impressions"].tolist() == ["2,000", "1,500", "1,000", "500"]
    assert set(posts["reach"]) == {"—"}
    best = at.dataframe[1].value
    assert best["text"].iloc[0] == "Nieuwe blend!"  # 40 / 500 = 8%, the highest rate
    assert "well above the 1-in-10 guideline" in " ".join(c.value for c in at.caption)


def test_pages_without_a_database_say_what_to_load(tmp_path, monkeypatch):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    monkeypatch.setenv("SOSTAC_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("SOSTAC_PLAN", str(plan))
    for page in ("overview.py", "kpi.py", "channels.py", "roi.py", "content.py"):
        at = run(page)
        assert any("sostac-control ingest" in i.value for i in at.info), page
        assert charts(at) == 0


def test_pages_without_a_plan_say_how_to_write_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SOSTAC_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("SOSTAC_PLAN", str(tmp_path / "missing.yaml"))
    at = run("overview.py")
    assert any("plan init" in i.value for i in at.info)
