"""Instagram, Meta Ads, YouTube and generic JSON sources, and the source config itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest

from sostac_control.api.chunks import day_of_end_time
from sostac_control.api.fetch import fetch
from sostac_control.api.sources import get_source, load_sources, read_token
from sostac_control.errors import SostacError
from tests.support.fake_api import FAST, TOKEN, FakeApi, Reply


def config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + body, encoding="utf-8")
    return path


def values(db: Path, where: str = "true") -> dict[tuple[str, str, date], float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            f"SELECT metric, item, day, value FROM metric_values WHERE {where}"
        ).fetchall()
    return {(m, i, d): v for m, i, d, v in rows}


def test_graph_end_time_is_the_end_of_the_day_before_in_any_timezone() -> None:
    assert day_of_end_time("2020-03-10T07:00:00+0000") == date(2020, 3, 9)  # Pacific
    assert day_of_end_time("2026-07-01T22:00:00+0000") == date(2026, 7, 1)  # Amsterdam
    assert day_of_end_time("2026-07-02T00:00:00+0000") == date(2026, 7, 1)  # UTC


def test_meta_ads_daily_insights_load_spend_with_currency_and_conversions(
    tmp_path: Path, db: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADS_TOKEN", TOKEN)
    rows = [
        {
            "date_start": f"2026-07-0{d}",
            "date_stop": f"2026-07-0{d}",
            "impressions": str(1000 * d),
            "clicks": "40",
            "inline_link_clicks": "25",
            "spend": "12.50",
            "reach": "800",
            "account_currency": "EUR",
            "actions": [
                {"action_type": "lead", "value": "2"},
                {"action_type": "purchase", "value": "1"},
                {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "1"},
            ],
            "action_values": [{"action_type": "purchase", "value": "49.90"}],
        }
        for d in (1, 2, 3)
    ]

    def insights(query: dict[str, str]) -> Reply:
        assert query["time_increment"] == "1" and '"since": "2026-07-01"' in query["time_range"]
        offset = int(query.get("after", "0"))
        body: dict = {"data": rows[offset : offset + 2], "paging": {}}
        if offset + 2 < len(rows):
            body["paging"]["next"] = f"{fake_api.url}/act_42/insights?" + urlencode(
                {**query, "after": offset + 2}
            )
        return Reply(body=body)

    fake_api.routes["/act_42/insights"] = insights
    path = config(
        tmp_path,
        f"""  - name: ads
    type: meta_ads
    id: "42"
    account: koffiebar-ads
    token_env: ADS_TOKEN
    base_url: {fake_api.url}
""",
    )
    result = fetch(get_source("ads", path), date(2026, 7, 1), date(2026, 7, 3), db, policy=FAST)
    assert result.status == "loaded", result.message
    got = values(db)
    assert got[("impressions", "", date(2026, 7, 3))] == 3000
    assert got[("link_clicks", "", date(2026, 7, 1))] == 25
    assert got[("conversions", "", date(2026, 7, 2))] == 1  # purchase counted once, not twice
    assert got[("leads", "", date(2026, 7, 2))] == 2
    assert got[("revenue", "", date(2026, 7, 2))] == pytest.approx(49.9)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT DISTINCT channel, currency FROM metric_values WHERE metric = 'spend'"
        ).fetchall() == [("meta_ads", "EUR")]


def test_instagram_account_series_totals_and_media_lifetime_values(
    tmp_path: Path, db: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IG_TOKEN", TOKEN)

    def account(query: dict[str, str]) -> Reply:
        if query.get("metric_type") == "total_value":
            day = date.fromisoformat(query["since"])
            return Reply(
                body={
                    "data": [
                        {"name": "views", "period": "day", "total_value": {"value": 100 + day.day}},
                        {"name": "likes", "period": "day", "total_value": {"value": 10}},
                    ]
                }
            )
        return Reply(
            body={
                "data": [
                    {
                        "name": "reach",
                        "period": "day",
                        "values": [
                            {"value": 500, "end_time": "2026-07-02T07:00:00+0000"},
                            {"value": 600, "end_time": "2026-07-03T07:00:00+0000"},
                        ],
                    }
                ]
            }
        )

    fake_api.routes["/17841/insights"] = account
    fake_api.routes["/17841/media"] = lambda q: Reply(
        body={
            "data": [
                {
                    "id": "m2",
                    "timestamp": "2026-07-02T18:00:00+0000",
                    "media_type": "REELS",
                    "caption": "Reel",
                    "permalink": "https://ig.example/m2",
                    "like_count": 40,
                    "comments_count": 3,
                },
                {"id": "m0", "timestamp": "2026-06-20T18:00:00+0000", "media_type": "IMAGE"},
            ]
        }
    )
    fake_api.routes["/m2/insights"] = lambda q: Reply(
        body={
            "data": [
                {"name": "views", "period": "lifetime", "values": [{"value": 900}]},
                {"name": "saved", "period": "lifetime", "values": [{"value": 12}]},
            ]
        }
    )
    path = config(
        tmp_path,
        f"""  - name: ig
    type: instagram
    id: "17841"
    account: koffiebarnoord
    token_env: IG_TOKEN
    base_url: {fake_api.url}
    metrics: [reach, views, likes]
    timezone: Europe/Amsterdam
""",
    )
    result = fetch(get_source("ig", path), date(2026, 7, 1), date(2026, 7, 2), db, policy=FAST)
    assert result.status == "loaded", result.message
    got = values(db)
    assert got[("reach", "", date(2026, 7, 1))] == 500
    assert got[("views", "", date(2026, 7, 2))] == 102
    assert got[("reactions", "", date(2026, 7, 1))] == 10
    assert got[("views", "m2", date(2026, 7, 2))] == 900
    assert got[("saves", "m2", date(2026, 7, 2))] == 12
    assert got[("reactions", "m2", date(2026, 7, 2))] == 40
    assert not any(item == "m0" for _, item, _ in got)  # published before the period
    assert fake_api.requests_to("/m0/insights") == []


def test_youtube_report_columns_map_to_canonical_metrics(
    tmp_path: Path, db: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YT_TOKEN", TOKEN)
    fake_api.routes["/v2/reports"] = lambda q: Reply(
        body={
            "kind": "youtubeAnalytics#resultTable",
            "columnHeaders": [
                {"name": "day", "columnType": "DIMENSION", "dataType": "STRING"},
                {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
                {"name": "estimatedMinutesWatched", "columnType": "METRIC", "dataType": "INTEGER"},
                {"name": "subscribersGained", "columnType": "METRIC", "dataType": "INTEGER"},
            ],
            "rows": [["2026-07-01", 250, 600, 4], ["2026-07-02", 300, 90, 1]],
        }
    )
    path = config(
        tmp_path,
        f"""  - name: yt
    type: youtube
    id: UCabc
    token_env: YT_TOKEN
    base_url: {fake_api.url}/v2
""",
    )
    result = fetch(get_source("yt", path), date(2026, 7, 1), date(2026, 7, 2), db, policy=FAST)
    assert result.status == "loaded", result.message
    got = values(db)
    assert got[("video_views", "", date(2026, 7, 2))] == 300
    assert got[("watch_time_hours", "", date(2026, 7, 1))] == 10
    assert got[("new_followers", "", date(2026, 7, 1))] == 4
    query = fake_api.requests_to("/v2/reports")[0]
    assert query["ids"] == "channel==UCabc" and query["dimensions"] == "day"


def test_generic_json_source_with_page_numbers_and_a_dutch_date_format(
    tmp_path: Path, db: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LI_TOKEN", TOKEN)
    pages = {
        1: [
            {"dag": "01-07-2026", "stats": {"impr": 120, "klik": "7"}},
            {"dag": "02-07-2026", "stats": {"impr": 130, "klik": "8"}},
        ],
        2: [{"dag": "03-07-2026", "stats": {"impr": 140, "klik": "9"}}],
        3: [],
    }
    seen_auth: list[str] = []

    def stats(query: dict[str, str]) -> Reply:
        return Reply(body={"result": {"items": pages[int(query["p"])]}})

    fake_api.routes["/li/stats"] = stats
    path = config(
        tmp_path,
        f"""  - name: linkedin
    type: json
    base_url: {fake_api.url}
    url: li/stats
    params: {{org: "55"}}
    since_param: from
    until_param: to
    token_env: LI_TOKEN
    auth_header: X-Api-Key
    auth_scheme: ""
    records: result.items
    date_field: dag
    date_format: "%d-%m-%Y"
    channel: linkedin
    account: koffiebar
    fields: {{stats.impr: impressions, stats.klik: clicks}}
    pagination: {{page_param: p, start: 1}}
""",
    )
    result = fetch(
        get_source("linkedin", path), date(2026, 7, 1), date(2026, 7, 3), db, policy=FAST
    )
    assert result.status == "loaded", result.message
    seen_auth = [h.get("X-Api-Key", "") for p, _, h in fake_api.log if p == "/li/stats"]
    assert seen_auth == [TOKEN] * 3
    assert [q["p"] for q in fake_api.requests_to("/li/stats")] == ["1", "2", "3"]
    assert fake_api.requests_to("/li/stats")[0]["from"] == "2026-07-01"
    got = values(db)
    assert got[("clicks", "", date(2026, 7, 3))] == 9
    assert sum(v for (m, _, _), v in got.items() if m == "impressions") == 390
    assert result.metrics["impressions"]["inserted"] == 3


def test_generic_json_source_follows_next_links_and_stops_a_loop(
    tmp_path: Path, db: Path, fake_api: FakeApi
) -> None:
    fake_api.routes["/feed"] = lambda q: Reply(
        body={
            "items": [{"date": "2026-07-01", "channel": "tiktok", "views": 5}],
            "next": "/feed?cursor=same",
        }
    )
    path = config(
        tmp_path,
        f"""  - name: tiktok
    type: json
    url: {fake_api.url}/feed
    records: items
    date_field: date
    channel_field: channel
    fields: {{views: views}}
    pagination: {{next: next}}
""",
    )
    result = fetch(get_source("tiktok", path), date(2026, 7, 1), date(2026, 7, 1), db, policy=FAST)
    assert result.status == "failed"
    assert "tiktok: pagination loop" in result.message
    assert "feed?cursor=same as the next page again after 2 pages" in result.message
    assert "2 part(s) were loaded before it" in result.message
    assert values(db) == {("views", "", date(2026, 7, 1)): 5.0}


def test_the_source_config_reports_every_problem_with_its_field(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        """  - name: a
    type: meta_pages
  - name: b
    type: meta_page
    lookback_dayz: 3
  - name: c
    type: json
    url: https://x
    channel: myspace
""",
    )
    with pytest.raises(SostacError) as caught:
        load_sources(path)
    columns = {p.column: p for p in caught.value.problems}
    assert "unknown source type 'meta_pages'" in columns["sources[0].type"].message
    assert columns["sources[1].lookback_dayz"].hint == "Did you mean lookback_days?"
    assert "sources[1].id" in columns and "sources[1].token_env" in columns
    assert "sources[2].channel" in columns and "sources[2].fields" in columns


def test_an_unknown_source_name_suggests_the_nearest(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        """  - name: fb-page
    type: meta_page
    id: "1"
    token_env: T
""",
    )
    with pytest.raises(SostacError, match="did you mean fb-page"):
        get_source("fb-pgae", path)


def test_a_missing_token_says_which_variable_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    path = config(
        tmp_path,
        """  - name: fb
    type: meta_page
    id: "1"
    token_env: NO_SUCH_TOKEN
""",
    )
    with pytest.raises(SostacError) as caught:
        read_token(get_source("fb", path))
    assert "NO_SUCH_TOKEN is not set" in caught.value.message
    assert "secrets.toml" in caught.value.hint


def test_the_token_can_come_from_streamlit_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FROM_SECRETS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'FROM_SECRETS = "{TOKEN}"\n')
    path = config(
        tmp_path,
        """  - name: fb
    type: meta_page
    id: "1"
    token_env: FROM_SECRETS
""",
    )
    source = get_source("fb", path)
    assert read_token(source) == TOKEN
    assert source.describe()["token_set"] is True
    assert TOKEN not in str(source.describe())


def test_the_graph_documentation_samples_load_daily_values_and_summed_reactions(
    tmp_path: Path,
    db: Path,
    fake_api: FakeApi,
    shared_exports: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real response shapes: day/week/days_28 periods, lifetime values, paging links."""
    folder = shared_exports / "meta_graph_api"
    page = (folder / "docs_page_insights_page_impressions_unique.json").read_text()
    post = (folder / "docs_post_insights_reactions.json").read_text()
    monkeypatch.setenv("T", TOKEN)
    fake_api.routes["/v23.0/77/insights"] = lambda q: Reply(body=page)
    fake_api.routes["/v23.0/{page-id}/insights"] = lambda q: Reply(body={"data": []})
    fake_api.routes["/v23.0/77/posts"] = lambda q: Reply(
        body={"data": [{"id": "77_1", "created_time": "2020-03-09T12:00:00+0000"}]}
    )
    fake_api.routes["/v23.0/77_1/insights"] = lambda q: Reply(body=post)
    path = config(
        tmp_path,
        f"""  - name: page
    type: meta_page
    id: "77"
    token_env: T
    base_url: {fake_api.url}/v23.0
    metrics: [page_impressions_unique]
  - name: posts
    type: meta_posts
    id: "77"
    token_env: T
    base_url: {fake_api.url}/v23.0
""",
    )
    for name in ("page", "posts"):
        result = fetch(get_source(name, path), date(2020, 3, 9), date(2020, 3, 10), db, policy=FAST)
        assert result.status == "loaded", result.message
    got = values(db)
    # Only the daily period is loaded; week and days_28 would count reach again.
    assert got[("reach", "", date(2020, 3, 9))] == 66226
    assert got[("reach", "", date(2020, 3, 10))] == 78037
    assert got[("reactions", "77_1", date(2020, 3, 9))] == 226 + 17 + 1
    # The sample's paging link points at graph.facebook.com; it was followed on the test server.
    assert len(fake_api.requests_to("/v23.0/{page-id}/insights")) == 1


def test_post_sources_look_back_four_weeks_by_default_and_day_sources_three_days(
    tmp_path: Path,
) -> None:
    path = config(
        tmp_path,
        """  - name: page
    type: meta_page
    id: "1"
    token_env: T
  - name: posts
    type: meta_posts
    id: "1"
    token_env: T
  - name: ig
    type: instagram
    id: "2"
    token_env: T
    lookback_days: 7
""",
    )
    assert [s.lookback_days for s in load_sources(path)] == [3, 28, 7]


def test_every_source_setting_is_documented() -> None:
    from sostac_control.api import generic, sources

    documented = (sources.__doc__ or "") + (generic.__doc__ or "")
    missing = [
        k for k in sorted(sources._COMMON_KEYS | sources.JSON_KEYS) if f"{k}:" not in documented
    ]
    assert missing == []


def test_a_generic_source_cannot_load_a_ratio_and_is_told_to_load_its_parts(
    tmp_path: Path,
) -> None:
    path = config(
        tmp_path,
        """  - name: li
    type: json
    url: https://api.example.com/feed
    records: items
    date_field: date
    channel: linkedin
    fields: {engagementRate: engagement_rate, impressions: impressions, x: likes}
""",
    )
    with pytest.raises(SostacError) as caught:
        get_source("li", path)
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"sources[0].fields.engagementRate", "sources[0].fields.x"}
    assert "load the parts" in problems["sources[0].fields.engagementRate"].hint


def test_a_deeply_nested_source_config_is_an_error_not_a_recursion_traceback(tmp_path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(SostacError, match="nested too deeply"):
        load_sources(path)
