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
    assert "sostac-badge" in text  # a status badge per objective and tile
    subheaders = [s.value for s in at.subheader]
    assert subheaders[0] == "What needs attention"  # the Monday question comes first
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
    table = at.dataframe[1].value
    assert list(table["channel"]) == ["Instagram", "Meta Ads"]
    assert list(table["type"]) == ["organic", "paid"]
    assert {"views", "followers"} <= set(table.columns)
    assert "Paid versus organic" in [s.value for s in at.subheader]
    paid = at.dataframe[-1].value
    assert set(paid["reach"]) == {"—"}  # unique reach is never added over channels
    assert charts(at) == 2 and "Download CSV" in downloads(at)


def test_channels_page_shows_the_plans_kpis_with_the_weekly_pace_they_need(workspace):
    at = run("channels.py")
    assert at.subheader[0].value == "Against the plan"
    targets = at.dataframe[0].value
    impressions = targets[targets["KPI"] == "Impressions"].iloc[0]
    assert impressions["channel"] == "Instagram" and impressions["target"] == "60,000"
    # 60,000 − 34,350 over the 30 days left, per week; the pace so far 34,350 / 30 × 7.
    assert impressions["needed per week"] == f"{(60000 - 34350) / 30 * 7:,.0f}"
    assert impressions["now per week"] == f"{34350 / 30 * 7:,.0f}"
    assert "Change against the previous period" in " ".join(m.value for m in at.markdown)


def test_channel_trend_marks_the_part_week_instead_of_a_drop(workspace):
    from sostac_control.views.channels import channel_trend

    monday = TODAY - timedelta(days=TODAY.weekday())
    with store.reader(workspace / "pages.duckdb") as con:
        trend = channel_trend(con, monday - timedelta(days=14), monday + timedelta(days=2))
    weeks = trend.drop_duplicates("period").set_index("period")["partial"]
    assert not weeks[monday - timedelta(days=14)] and not weeks[monday - timedelta(days=7)]
    assert weeks[monday]  # Monday to Wednesday of this week


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


@pytest.mark.parametrize("page", ["overview.py", "status.py"])
def test_channel_filter_keeps_only_objectives_on_those_channels(workspace, page):
    from sostac_control.ui import Filters

    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=90)
    at.session_state["sostac_filters"] = Filters(START, TODAY, ("meta_ads",), TODAY)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "Sell through Meta ads" in text
    assert "Reach people on Instagram" not in text
    assert "meta_ads" in " ".join(c.value for c in at.caption)


def test_overview_attention_names_the_pace_needed_from_now(workspace):
    at = run("overview.py")
    text = " ".join(m.value for m in at.markdown)
    # The worst KPI of the off-track objective is the engagement rate (4.76% against 5%).
    assert "Pace needed from now: at least 5.00% over the 30 days left, now 4.76%" in text


def test_pace_needed_compares_the_daily_pace_needed_with_the_pace_so_far(workspace):
    from sostac_control.engine.status import KpiStatus
    from sostac_control.plan.load import load_plan
    from sostac_control.views.attention import pace_needed

    kpi = load_plan(workspace / "plan.yaml").kpis[0]  # 60,000 impressions over 60 days
    behind = KpiStatus(kpi, "at_risk", "", actual=24_000.0)
    pace = pace_needed(behind, TODAY, "EUR")  # 30 of 60 days gone, 30 left
    assert pace.needed_per_day == pytest.approx(36_000 / 30)
    assert pace.now_per_day == pytest.approx(24_000 / 30)
    assert pace.sentence == "1,200 impressions a day needed for 30 more days, now 800"
    # Data up to 10 days ago: the pace so far is over the 20 days with data, not 30.
    late = KpiStatus(kpi, "at_risk", "", actual=24_000.0, last_data_day=TODAY - timedelta(days=10))
    assert pace_needed(late, TODAY, "EUR").now_per_day == pytest.approx(24_000 / 20)
    done = pace_needed(KpiStatus(kpi, "achieved", "", actual=61_000.0), TODAY, "EUR")
    assert done.sentence == "target reached; keep it up"


def test_content_ranks_on_one_named_basis_and_harmonises_post_types(workspace):
    at = run("content.py")
    captions = " ".join(c.value for c in at.caption)
    assert "Ranked by engagement rate per view, the same basis for every platform." in captions
    best = at.dataframe[1].value
    assert {"published_at", "post_type", "text", "permalink"} <= set(best.columns)
    assert set(at.dataframe[0].value["post_type"]) == {"reel/short", "photo"}
    at.radio[0].set_value("reach").run()
    assert not at.exception
    # The seeded posts report no reach: listed, not ranked, and said so.
    assert "4 posts have no reach in their export" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize(
    ("raw", "text", "expected"),
    [
        ("IG reel", "", "reel/short"),
        ("Reels", "", "reel/short"),
        ("Photos", "", "photo"),
        ("IG image", "", "photo"),
        ("Image", "", "photo"),
        ("IG carousel", "", "carousel"),
        ("Links", "", "link"),
        (None, "Nieuw: https://koffiebar.nl/blend", "link"),
        (None, "Goedemorgen Noord!", "text"),
        ("unknown", None, "text"),
        ("Story", "", "story"),
    ],
)
def test_post_types_are_harmonised_across_platforms(raw, text, expected):
    from sostac_control.views.content import harmonised_type

    assert harmonised_type(raw, text) == expected


def test_heatmap_cells_carry_their_sample_size_and_few_posts_are_not_coloured():
    from sostac_control.views.content import slot_grid

    by_slot = pd.DataFrame(
        {
            "weekday": ["Mon", "Mon", "Sat"],
            "hour": [9, 12, 9],
            "posts": [5, 1, 3],
            "engagement_rate": [0.05, 0.20, 0.04],
        }
    )
    rates, posts = slot_grid(by_slot)
    assert list(rates.index) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert posts.loc["Mon", 12] == 1 and pd.isna(rates.loc["Mon", 12])  # one post: no colour
    assert rates.loc["Mon", 9] == 0.05 and rates.loc["Sat", 9] == 0.04
    assert posts.loc["Tue", 9] == 0


def test_roi_review_credits_social_from_ga4_hours_changes_and_closed_objectives(tmp_path):
    from sostac_control.demo.build import build_demo
    from sostac_control.plan.load import load_plan
    from sostac_control.views.quarter import quarter_review

    as_of = date(2026, 11, 21)
    demo = build_demo(tmp_path / "d.duckdb", tmp_path / "plan.yaml", as_of=as_of)
    log = tmp_path / "hours.csv"
    log.write_text(
        "date,channel,metric,value\n2026-07-06,instagram,hours_worked,6\n"
        "2026-07-13,instagram,hours_worked,4.5\n"
    )
    assert ingest_paths([log], demo.db)[0].status == "loaded"
    plan = load_plan(demo.plan)
    with store.reader(demo.db) as con:
        review = quarter_review(con, plan, date(2026, 7, 1), date(2026, 9, 30), (), "previous "
                                "period", as_of)  # fmt: skip
    groups = review.credit.by_group.set_index("credited_to")
    assert set(groups.index) == {"organic social", "paid social"}
    assert groups.loc["organic social", "revenue"] > 0 and "channel groups" in review.credit.method
    assert pd.notna(groups.loc["organic social", "roi"])
    ig = review.hours.set_index("channel").loc["instagram"]
    assert ig["hours_worked"] == 10.5 and ig["planned_hours"] > 0
    assert ig["worked_people_cost"] == pytest.approx(10.5 * ig["hourly_rate"])
    assert review.compared_with == (date(2026, 4, 1), date(2026, 6, 30))
    closed = review.closed
    assert set(closed["status"]) <= {"achieved", "missed"} and len(closed) >= 1


def test_roi_period_never_runs_backwards(workspace):
    from sostac_control.plan.load import load_plan
    from sostac_control.views.roi import roi_period

    plan = load_plan(workspace / "plan.yaml")  # runs from START
    before = START - timedelta(days=40)
    start, end = roi_period(plan, before, None)
    assert start <= end == before
    assert roi_period(plan, TODAY, None) == (START, TODAY)


def test_empty_workspace_offers_the_demo_and_creates_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SOSTAC_DB", str(tmp_path / "sostac.duckdb"))
    monkeypatch.setenv("SOSTAC_PLAN", str(tmp_path / "plan.yaml"))
    at = run("overview.py")
    labels = [b.label for b in at.button]
    assert "Create the demo" in labels and "Start my plan" in labels
    next(b for b in at.button if b.label == "Create the demo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert (tmp_path / "plan.yaml").exists() and (tmp_path / "sostac.duckdb").exists()
    assert "What needs attention" in [s.value for s in at.subheader]


def test_a_plan_without_data_lists_its_kpis_with_the_exports_to_load(workspace, tmp_path,
                                                                     monkeypatch):  # fmt: skip
    monkeypatch.setenv("SOSTAC_DB", str(tmp_path / "none.duckdb"))
    at = run("overview.py")
    assert any("No data yet: load these exports" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    assert set(table["label"]) == {"Instagram", "Meta Ads"}
    assert "Ads Manager" in " ".join(table["where"])


def test_channels_count_engagements_from_their_parts_where_an_export_has_no_total(tmp_path):
    from sostac_control.views.channels import compare_channels

    rows = [
        (START, "instagram", "reactions", 30, "ig", "p1"),
        (START, "instagram", "comments", 5, "ig", "p1"),
        (START, "instagram", "saves", 2, "ig", "p1"),
        (START, "x", "engagements", 9, "x", "t1"),
        (START, "x", "reactions", 7, "x", "t1"),
    ]
    db = tmp_path / "c.duckdb"
    assert ingest_paths([_tidy(tmp_path / "p.csv", rows)], db)[0].status == "loaded"
    with store.reader(db) as con:
        view = compare_channels(con, START, START)
    engagements = dict(zip(view.table["channel"], view.table["engagements"], strict=True))
    assert engagements == {"instagram": 37, "x": 9}  # X has its own total: never both


def test_overview_tiles_compare_with_the_same_period_last_year_on_request(workspace):
    at = run("overview.py")
    assert [r.label for r in at.radio] == ["Tiles compare with"]
    at.radio[0].set_value("same period last year").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "no change shown, same period last year only partly loaded" in text
    from sostac_control.plan.load import load_plan
    from sostac_control.views.overview import overview

    plan = load_plan(workspace / "plan.yaml")
    with store.reader(workspace / "pages.duckdb") as con:
        view = overview(con, plan, TODAY, (), "same period last year")
    tile = view.objectives[0].tiles[0]
    assert tile.compared_with == "same period last year"
    # Nothing was loaded a year ago: no change is shown, and the tile says why.
    assert tile.change_vs_previous is None
    assert "same period last year only partly loaded" in tile.previous_note
