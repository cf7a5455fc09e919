"""X exports: tweet activity per tweet and daily, and the 2024+ content export."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from sostac_control.formats import ReadOptions, Source
from sostac_control.ingest import ingest_paths, read_source
from tests.support.exports import (
    Post,
    write_daily_tweet_activity,
    write_tweet_activity,
    write_x_content,
)


def _read(path: Path, **options: object):
    return read_source(Source(path.name, path.read_bytes()), options=ReadOptions(**options))


def _totals(observations: pd.DataFrame) -> dict[str, float]:
    return observations.groupby("metric", observed=True)["value"].sum().to_dict()


TWEETS = [
    Post("1432793754507923461", datetime(2021, 8, 31, 19, 53),
         {"impressions": 89, "engagements": 5, "comments": 1, "profile_visits": 2}),
    Post("1432747650101747715", datetime(2021, 8, 31, 23, 59),
         {"impressions": 1011, "engagements": 40, "reactions": 12, "shares": 3,
          "link_clicks": 7, "new_followers": 1}),
]  # fmt: skip


def test_tweet_activity_keeps_19_digit_ids_as_text_and_counts_on_the_utc_day(
    tmp_path: Path,
) -> None:
    fmt, extract = _read(write_tweet_activity(tmp_path / "t.csv", TWEETS))
    assert fmt.name == "x_tweet_activity"
    obs = extract.observations
    assert set(obs["item"]) == {"1432793754507923461", "1432747650101747715"}
    assert set(obs["period_start"]) == {date(2021, 8, 31)}
    assert set(obs["account"]) == {"koffiebarnoord"}
    assert _totals(obs) == {
        "impressions": 1100, "engagements": 45, "comments": 1, "profile_visits": 2,
        "reactions": 12, "shares": 3, "link_clicks": 7, "new_followers": 1,
    }  # fmt: skip
    assert "engagement_rate" not in set(obs["metric"])  # ratios come from their parts


def test_daily_tweet_activity_reads_posts_and_takes_account_from_option(tmp_path: Path) -> None:
    days = [
        (date(2021, 8, 1), {"posts": 0, "impressions": 1088, "engagements": 13}),
        (date(2021, 8, 2), {"posts": 2, "impressions": 1244, "engagements": 19}),
    ]
    fmt, extract = _read(
        write_daily_tweet_activity(tmp_path / "d.csv", days), account="koffiebarnoord"
    )
    assert fmt.name == "x_daily_activity"
    obs = extract.observations
    assert set(obs["grain"]) == {"day"} and set(obs["item"]) == {""}
    assert _totals(obs)["impressions"] == 2332 and _totals(obs)["posts"] == 2
    assert set(obs["account"]) == {"koffiebarnoord"}


def test_content_export_skips_placeholder_rows_and_adds_reposts_to_shares(tmp_path: Path) -> None:
    posts = [
        Post("1987654321098765432", datetime(2025, 11, 9),
             {"impressions": 500, "reactions": 20, "engagements": 31, "saves": 2,
              "x_shares": 1, "x_reposts": 4, "comments": 3, "link_clicks": 5}),
        Post("1987654321098765433", datetime(2025, 11, 10), {"impressions": 250}),
    ]  # fmt: skip
    path = write_x_content(tmp_path / "content.csv", posts, placeholders=2)
    fmt, extract = _read(path)
    assert fmt.name == "x_content"
    assert extract.rows_read == 4 and extract.skipped == 2
    obs = extract.observations
    totals = _totals(obs)
    assert totals["impressions"] == 750 and totals["shares"] == 5 and totals["saves"] == 2
    by_item = obs[obs["metric"] == "impressions"].set_index("item")["period_start"]
    assert by_item["1987654321098765432"] == date(2025, 11, 9)
    assert set(obs["account"]) == {"koffiebarnoord"}


def test_daily_and_per_tweet_exports_of_one_account_both_load_and_keep_their_grains(
    tmp_path: Path, db: Path
) -> None:
    per_tweet = write_tweet_activity(tmp_path / "t.csv", TWEETS)
    daily = write_daily_tweet_activity(
        tmp_path / "d.csv", [(date(2021, 8, 31), {"posts": 2, "impressions": 1100})]
    )
    results = ingest_paths([per_tweet, daily], db, options=ReadOptions(account="koffiebarnoord"))
    assert [r.status for r in results] == ["loaded", "loaded"]
    with duckdb.connect(str(db), read_only=True) as con:
        grains = con.execute(
            """SELECT grain, sum(value) FROM metric_values
               WHERE metric = 'impressions' AND account = 'koffiebarnoord'
               GROUP BY grain ORDER BY grain"""
        ).fetchall()
    # Both grains are stored side by side; a KPI reads one of them (day totals first).
    assert grains == [("day", 1100.0), ("post", 1100.0)]


# --- the real exports in ../shared/exports (totals computed by hand from the files) -----------

TWEETS_FILE = "twitter/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"
DAILY_FILE = "twitter/daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"


def test_real_tweet_activity(shared_exports: Path) -> None:
    fmt, extract = _read(shared_exports / TWEETS_FILE)
    assert fmt.name == "x_tweet_activity"
    assert extract.rows_read == 356 and not extract.errors
    totals = _totals(extract.observations)
    assert totals["impressions"] == 1625538 and totals["engagements"] == 108842
    assert totals["reactions"] == 3433 and totals["shares"] == 1322
    assert totals["link_clicks"] == 34681
    assert "1432793754507923461" in set(extract.observations["item"])


def test_real_daily_tweet_activity(shared_exports: Path) -> None:
    fmt, extract = _read(shared_exports / DAILY_FILE)
    assert fmt.name == "x_daily_activity"
    assert extract.rows_read == 31 and not extract.errors
    totals = _totals(extract.observations)
    assert totals["impressions"] == 1639423 and totals["engagements"] == 107982
    assert totals["posts"] == 357
    assert set(extract.observations["account"]) == {"LisaDeBruine"}


def test_real_daily_and_per_tweet_files_share_one_account(shared_exports: Path, db: Path) -> None:
    results = ingest_paths([shared_exports / TWEETS_FILE, shared_exports / DAILY_FILE], db)
    assert [r.status for r in results] == ["loaded", "loaded"]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            """SELECT account, grain, sum(value) FROM metric_values
               WHERE metric = 'impressions' GROUP BY ALL ORDER BY grain"""
        ).fetchall()
    assert rows == [("LisaDeBruine", "day", 1639423.0), ("LisaDeBruine", "post", 1625538.0)]
