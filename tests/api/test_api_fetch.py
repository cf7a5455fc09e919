"""Fetching into the store: a quarter of Page and post metrics, twice; incremental; failures."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from sostac_control.api.fetch import fetch
from sostac_control.api.meta import PAGE_METRICS
from sostac_control.api.sources import get_source
from sostac_control.ingest import ingest_paths
from sostac_control.store import last_fetched_day
from tests.support.fake_api import (
    FAST,
    PAGE_ID,
    QUARTER,
    TOKEN,
    FakeApi,
    Reply,
    page_value,
    post_insights,
    posts_of_quarter,
    write_sources,
)


@pytest.fixture
def sources(tmp_path: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> Path:
    """sources.yaml pointing at the fake API, with the token in the environment."""
    monkeypatch.setenv("TEST_META_TOKEN", TOKEN)
    return write_sources(tmp_path / "sources.yaml", fake_api.url)


def totals(db: Path) -> dict[tuple[str, str], float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT metric, grain, sum(value) FROM metric_values GROUP BY ALL"
        ).fetchall()
    return {(m, g): v for m, g, v in rows}


def expected_totals() -> dict[tuple[str, str], float]:
    start, end = QUARTER
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    canonical = dict(PAGE_METRICS)
    out: dict[tuple[str, str], float] = {}
    for graph_name, metric in canonical.items():
        out[(metric, "day")] = float(sum(page_value(graph_name, d) for d in days))
    posts = posts_of_quarter()
    out[("posts", "post")] = float(len(posts))
    out[("shares", "post")] = float(sum(p["shares"]["count"] for p in posts))
    out[("comments", "post")] = float(sum(p["comments"]["summary"]["total_count"] for p in posts))
    names = {
        "post_media_view": "views",
        "post_total_media_view_unique": "reach",
        "post_clicks": "clicks",
        "post_video_views": "video_views",
    }
    for p in posts:
        for entry in post_insights(p["id"])["data"]:
            value = entry["values"][0]["value"]
            metric = names.get(entry["name"], "reactions")
            value = sum(value.values()) if isinstance(value, dict) else value
            out[(metric, "post")] = out.get((metric, "post"), 0.0) + value
    return out


def fetch_quarter(sources: Path, db: Path) -> list:
    return [
        fetch(get_source(name, sources), *QUARTER, db, policy=FAST)
        for name in ("fb-page", "fb-posts")
    ]


def test_a_quarter_of_page_and_post_metrics_fetched_twice_gives_the_totals_of_once(
    sources: Path, db: Path, fake_api: FakeApi
) -> None:
    first = fetch_quarter(sources, db)
    assert [r.status for r in first] == ["loaded", "loaded"], [r.message for r in first]
    once = totals(db)
    assert once == pytest.approx(expected_totals())
    assert first[0].inserted == 92 * len(PAGE_METRICS)
    assert first[0].chunks == 7  # 92 days in pages of 15 days, each committed on its own
    assert len(fake_api.requests_to(f"/{PAGE_ID}/posts")) == 4  # 31 posts, 10 a page

    second = fetch_quarter(sources, db)
    assert totals(db) == once
    assert all(r.inserted == 0 and r.updated == 0 for r in second)
    assert second[0].unchanged == first[0].inserted
    assert second[1].metrics["views"] == {"inserted": 0, "updated": 0, "unchanged": 31}


def test_daily_values_land_on_the_day_their_end_time_closes(sources: Path, db: Path) -> None:
    fetch(get_source("fb-page", sources), date(2026, 7, 1), date(2026, 7, 2), db, policy=FAST)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT day, value, account, channel, source FROM metric_values "
            "WHERE metric = 'views' ORDER BY day"
        ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        (date(2026, 7, 1), page_value("page_media_view", date(2026, 7, 1))),
        (date(2026, 7, 2), page_value("page_media_view", date(2026, 7, 2))),
    ]
    assert rows[0][2:] == ("koffiebarnoord", "facebook", "api:fb-page")


def test_posts_are_stored_at_post_grain_on_their_publish_day_with_metadata(
    sources: Path, db: Path
) -> None:
    fetch(get_source("fb-posts", sources), *QUARTER, db, policy=FAST)
    with duckdb.connect(str(db), read_only=True) as con:
        first = con.execute(
            "SELECT day, item, value FROM metric_values WHERE metric = 'views' AND grain = 'post'"
            " ORDER BY day LIMIT 1"
        ).fetchone()
        post = con.execute(
            "SELECT text, permalink FROM posts WHERE post_id = ? AND is_current",
            [f"{PAGE_ID}_9001"],
        ).fetchone()
    assert first == (date(2026, 7, 1), f"{PAGE_ID}_9001", 1001.0)
    assert post == ("Post 1", "https://fb.example/p/1")


def test_without_since_the_fetch_starts_at_the_last_loaded_day_minus_the_look_back(
    sources: Path, db: Path, fake_api: FakeApi
) -> None:
    source = get_source("fb-page", sources)
    fetch(source, *QUARTER, db, policy=FAST)
    assert last_fetched_day(db, "fb-page") == QUARTER[1]
    fake_api.log.clear()
    result = fetch(source, None, date(2026, 10, 5), db, policy=FAST)
    assert result.since == "2026-09-27"  # 30 Sep minus 3 look-back days
    assert fake_api.requests_to(f"/{PAGE_ID}/insights")[0]["since"] == "2026-09-27"
    assert result.inserted == 5 * len(PAGE_METRICS) and result.updated == 0
    assert last_fetched_day(db, "fb-page") == date(2026, 10, 5)


def test_revised_recent_days_are_updated_not_added(
    sources: Path, db: Path, fake_api: FakeApi
) -> None:
    source = get_source("fb-page", sources)
    fetch(source, date(2026, 9, 1), date(2026, 9, 7), db, policy=FAST)
    before = totals(db)
    normal = fake_api.page_insights

    def revised(query: dict[str, str]) -> Reply:
        reply = normal(query)
        for entry in reply.body["data"]:
            for point in entry["values"]:
                point["value"] += 1
        return reply

    fake_api.routes[f"/{PAGE_ID}/insights"] = revised
    result = fetch(source, date(2026, 9, 1), date(2026, 9, 7), db, policy=FAST)
    assert result.updated == 7 * len(PAGE_METRICS) and result.inserted == 0
    assert totals(db)[("views", "day")] == before[("views", "day")] + 7


def test_a_fetch_that_fails_midway_keeps_what_it_committed_and_says_how_far_it_got(
    sources: Path, db: Path, fake_api: FakeApi
) -> None:
    calls = {"n": 0}
    normal = fake_api.page_insights

    def breaks_after_three_pages(query: dict[str, str]) -> Reply:
        calls["n"] += 1
        if calls["n"] > 3:
            return Reply(500, {"error": {"message": "Service temporarily unavailable", "code": 2}})
        return normal(query)

    fake_api.page_days = 7
    fake_api.routes[f"/{PAGE_ID}/insights"] = breaks_after_three_pages
    # commit_rows=1: every answered page is its own transaction, the strictest case.
    result = fetch(get_source("fb-page", sources), *QUARTER, db, policy=FAST, commit_rows=1)
    assert result.status == "failed"
    assert result.chunks == 3
    assert "fb-page" in result.message and "HTTP 500" in result.message
    assert "3 part(s) were loaded before it" in result.message
    assert "2026-07-01…2026-07-07" in result.message and "2026-07-15…2026-07-21" in result.message
    assert "later" in result.hint
    with duckdb.connect(str(db), read_only=True) as con:
        days, values = con.execute(
            "SELECT count(DISTINCT day), count(*) FROM metric_values"
        ).fetchone()
        load = con.execute("SELECT inserted, last_day FROM loads").fetchone()
    assert (days, values) == (21, 21 * len(PAGE_METRICS))
    assert load == (21 * len(PAGE_METRICS), date(2026, 7, 21))
    assert last_fetched_day(db, "fb-page") is None  # the next fetch starts over, idempotently

    del fake_api.routes[f"/{PAGE_ID}/insights"]
    again = fetch(get_source("fb-page", sources), *QUARTER, db, policy=FAST)
    assert again.status == "loaded"
    assert again.unchanged == 21 * len(PAGE_METRICS)
    assert again.inserted == 71 * len(PAGE_METRICS)


def test_an_empty_answer_loads_nothing_and_says_so(
    sources: Path, db: Path, fake_api: FakeApi
) -> None:
    fake_api.routes[f"/{PAGE_ID}/insights"] = lambda q: Reply(body={"data": [], "paging": {}})
    result = fetch(get_source("fb-page", sources), *QUARTER, db, policy=FAST)
    assert result.status == "loaded"
    assert result.inserted == 0 and result.load_id is None
    assert "no data" in result.message
    assert last_fetched_day(db, "fb-page") is None


def test_a_value_fetched_and_also_uploaded_as_an_export_is_counted_once(
    sources: Path, db: Path, write_tidy
) -> None:
    day = date(2026, 7, 1)
    value = page_value("page_media_view", day)
    path = write_tidy([(day.isoformat(), "facebook", "views", value, "koffiebarnoord")])
    ingest_paths([path], db)
    fetch(get_source("fb-page", sources), day, day, db, policy=FAST)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT value FROM metric_values WHERE metric = 'views' AND day = ?", [day]
        ).fetchall()
    assert rows == [(value,)]


def test_the_token_appears_nowhere_in_the_database_logs_or_messages(
    sources: Path, db: Path, fake_api: FakeApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # A server that echoes the token in its error, and a failure on a next link with the token.
    fake_api.fail(
        f"/{PAGE_ID}/posts",
        Reply(
            400,
            {
                "error": {
                    "message": f"Error validating access token {TOKEN}: session expired",
                    "code": 190,
                }
            },
        ),
    )
    failed = fetch(get_source("fb-posts", sources), *QUARTER, db, policy=FAST)
    ok = fetch(get_source("fb-page", sources), *QUARTER, db, policy=FAST)
    calls = {"n": 0}

    def fails_on_second_page(query: dict[str, str]) -> Reply:
        calls["n"] += 1
        return fake_api.page_insights(query) if calls["n"] == 1 else Reply(503, "<html>busy")

    fake_api.routes[f"/{PAGE_ID}/insights"] = fails_on_second_page
    failed_next = fetch(get_source("fb-page", sources), *QUARTER, db, policy=FAST)
    assert failed.status == "failed" and ok.status == "loaded"
    assert failed_next.status == "failed" and "HTTP 503" in failed_next.message
    assert "expired" in failed.message and "TEST_META_TOKEN" in failed.hint
    # The token went in a header, never in a URL, though Graph's next links carry it.
    assert all(h.get("Authorization") == f"Bearer {TOKEN}" for _, _, h in fake_api.log)
    assert all(TOKEN not in str(q) for _, q, _ in fake_api.log)
    shown = " ".join(
        [
            failed.message,
            failed.hint,
            failed_next.message,
            failed_next.hint,
            caplog.text,
            str(ok.as_dict()),
        ]
    )
    assert TOKEN not in shown
    assert TOKEN.encode() not in db.read_bytes()
    wal = db.with_name(db.name + ".wal")
    assert not wal.exists() or TOKEN.encode() not in wal.read_bytes()


def test_pages_answered_before_a_failure_are_committed_in_one_batch(
    sources: Path, db: Path, fake_api: FakeApi
) -> None:
    fake_api.page_days = 7
    calls = {"n": 0}
    normal = fake_api.page_insights

    def breaks_on_third_page(query: dict[str, str]) -> Reply:
        calls["n"] += 1
        return normal(query) if calls["n"] < 3 else Reply(200, "{not json")

    fake_api.routes[f"/{PAGE_ID}/insights"] = breaks_on_third_page
    result = fetch(get_source("fb-page", sources), *QUARTER, db, policy=FAST)
    assert result.status == "failed" and "malformed JSON" in result.message
    assert result.chunks == 2 and "2 part(s) were loaded before it" in result.message
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT day) FROM metric_values").fetchone() == (14,)
