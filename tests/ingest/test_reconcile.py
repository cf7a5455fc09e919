"""The reconciliation of every load: stored totals equal the totals of the file's data rows.

Property tests write random rows through the project's own export writers (with total rows,
rows finer than the key, exact duplicates and short rows) and compare what the database holds
with what was generated; one test breaks the merge on purpose to see the guard refuse.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sostac_control.ingest import ingest_paths
from sostac_control.store import loads
from tests.support.exports import (
    AdRow,
    Post,
    write_ga4_blocks,
    write_google_ads,
    write_mbs_posts,
    write_meta_ads,
    write_page_series,
    write_tiktok_overview,
    write_tweet_activity,
    write_youtube_content,
)

START, END = date(2026, 3, 1), date(2026, 3, 31)
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _stored(db: Path, load_id: int | None) -> dict[str, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT metric, sum(value) FROM metric_values WHERE load_id = ? GROUP BY metric",
            [load_id],
        ).fetchall()
    return {m: v for m, v in rows}


def _fresh(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    for old in tmp_path.glob(name + "*"):
        old.unlink()
    return path


ad_rows = st.lists(
    st.builds(
        AdRow,
        campaign=st.sampled_from(["Lente", "Zomer", "Herfst"]),
        group=st.sampled_from(["Koffie", "Gebak"]),
        ad=st.sampled_from(["Video A", "Foto B"]),
        spend=st.integers(0, 500_000).map(lambda cents: cents / 100),
        impressions=st.integers(0, 2_000_000),
    ),
    min_size=1,
    max_size=25,
)


@SETTINGS
@given(rows=ad_rows, total_first=st.booleans(), period_as_text=st.booleans())
def test_meta_ads_stores_every_rows_spend_with_total_rows_and_repeated_names(
    tmp_path: Path, rows: list[AdRow], total_first: bool, period_as_text: bool
) -> None:
    db = _fresh(tmp_path, "meta.duckdb")
    path = write_meta_ads(
        tmp_path / "ads.csv",
        rows,
        START,
        END,
        total_first=total_first,
        period_as_text=period_as_text,
    )
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    stored = _stored(db, result.load_id)
    assert stored["spend"] == pytest.approx(sum(r.spend for r in rows), abs=1e-6)
    assert stored.get("impressions", 0) == sum(r.impressions for r in rows)
    assert result.rows_read == len(rows) + total_first
    assert (result.first_day, result.last_day) == (str(START), str(END))
    if total_first and len(rows) > 1:
        assert result.set_aside == {"total rows": 1}
        assert "matches the file's own total" in result.reconciled["spend"]["check"]


@SETTINGS
@given(rows=ad_rows)
def test_google_ads_ad_report_sums_ads_into_their_ad_group_and_checks_the_total_row(
    tmp_path: Path, rows: list[AdRow]
) -> None:
    db = _fresh(tmp_path, "google.duckdb")
    [result] = ingest_paths([write_google_ads(tmp_path / "Ad report.csv", rows, START, END)], db)
    assert result.status == "loaded", result.message
    stored = _stored(db, result.load_id)
    assert stored["spend"] == pytest.approx(sum(r.spend for r in rows), abs=1e-6)
    assert stored.get("impressions", 0) == sum(r.impressions for r in rows)
    assert result.set_aside == {"total rows": 2}
    assert "matches the file's own total" in result.reconciled["spend"]["check"]


posts = st.lists(
    st.builds(
        Post,
        post_id=st.integers(1, 40).map(lambda n: f"1220{n:04d}"),
        published=st.integers(0, 60 * 24 * 20).map(
            lambda minutes: datetime(2026, 3, 1) + timedelta(minutes=minutes)
        ),
        metrics=st.fixed_dictionaries(
            {"reach": st.integers(0, 10**6)},
            optional={"reactions": st.integers(0, 10**4), "comments": st.integers(0, 10**3)},
        ),
    ),
    min_size=1,
    max_size=15,
    unique_by=lambda p: p.post_id,
)


@SETTINGS
@given(posts=posts, repeat=st.integers(0, 3), short=st.booleans())
def test_business_suite_posts_store_the_generated_totals_with_repeats_and_short_rows(
    tmp_path: Path, posts: list[Post], repeat: int, short: bool
) -> None:
    """A post written twice with the same values counts once and is named; rows that stop
    at their last filled field still load."""
    db = _fresh(tmp_path, "mbs.duckdb")
    written = posts + posts[:repeat]
    path = write_mbs_posts(tmp_path / "posts.csv", written, layout="late2025", short_rows=short)
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    stored = _stored(db, result.load_id)
    for metric in ("reach", "reactions", "comments"):
        expected = sum(p.metrics.get(metric, 0) for p in posts)
        assert stored.get(metric, 0) == expected, metric
    if repeat and min(repeat, len(posts)):
        assert result.set_aside.get("repeated rows", 0) >= 1


@SETTINGS
@given(posts=posts)
def test_tweet_activity_stores_the_generated_impressions(tmp_path: Path, posts: list[Post]) -> None:
    db = _fresh(tmp_path, "x.duckdb")
    for p in posts:
        p.metrics["impressions"] = p.metrics.pop("reach")
    [result] = ingest_paths([write_tweet_activity(tmp_path / "tweets.csv", posts)], db)
    assert result.status == "loaded", result.message
    stored = _stored(db, result.load_id)
    assert stored.get("impressions", 0) == sum(p.metrics["impressions"] for p in posts)


day_values = st.dictionaries(
    st.integers(0, 27).map(lambda n: START + timedelta(days=n)),
    st.integers(-50, 10_000),  # deleted comments make a day negative: kept as they are
    min_size=1,
    max_size=28,
)


@SETTINGS
@given(facebook=day_values, instagram=day_values)
def test_page_series_with_a_facebook_and_an_instagram_section_keeps_each_on_its_channel(
    tmp_path: Path, facebook: dict[date, int], instagram: dict[date, int]
) -> None:
    db = _fresh(tmp_path, "series.duckdb")
    path = write_page_series(
        tmp_path / "Views.csv",
        "Facebook views",
        sorted(facebook.items()),
        ("Instagram views", sorted(instagram.items())),
    )
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    with duckdb.connect(str(db), read_only=True) as con:
        stored = dict(
            con.execute(
                "SELECT channel, sum(value) FROM metric_values WHERE metric = 'views' "
                "GROUP BY channel"
            ).fetchall()
        )
    assert stored == {"facebook": sum(facebook.values()), "instagram": sum(instagram.values())}
    sections = result.reconciled["views"]["sections"]
    assert sections["instagram"]["read"] == sum(instagram.values())


videos = st.lists(
    st.tuples(
        st.integers(1, 60).map(lambda n: f"vid{n:08d}"),
        st.integers(0, 300).map(lambda n: date(2025, 1, 1) + timedelta(days=n)),
        st.integers(0, 100_000),
        st.integers(-20, 200),  # net subscribers: negative when more were lost
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda v: v[0],
)


@SETTINGS
@given(videos=videos, total_first=st.booleans())
def test_youtube_content_table_stores_every_video_and_checks_the_total_row(
    tmp_path: Path, videos: list[tuple[str, date, int, int]], total_first: bool
) -> None:
    db = _fresh(tmp_path, "yt.duckdb")
    path = write_youtube_content(tmp_path / "Table data.csv", videos, total_first=total_first)
    [result] = ingest_paths([path], db)
    assert result.status == "loaded", result.message
    stored = _stored(db, result.load_id)
    assert stored.get("views", 0) == sum(v[2] for v in videos)
    assert stored.get("new_followers", 0) == sum(v[3] for v in videos)
    if total_first:
        assert result.set_aside == {"total rows": 1}
        assert "matches the file's own total" in result.reconciled["views"]["check"]


@SETTINGS
@given(
    channels=st.dictionaries(
        st.sampled_from(["Direct", "Organic Social", "Paid Search", "Email", "Referral"]),
        st.integers(0, 10**6),
        min_size=1,
    ),
    days=st.lists(st.integers(0, 10**5), min_size=1, max_size=40),
)
def test_ga4_download_with_a_channel_table_and_an_nth_day_table_stores_both_as_generated(
    tmp_path: Path, channels: dict[str, int], days: list[int]
) -> None:
    db = _fresh(tmp_path, "ga4.duckdb")
    [result] = ingest_paths([write_ga4_blocks(tmp_path / "ga4.csv", START, channels, days)], db)
    assert result.status == "loaded", result.message
    with duckdb.connect(str(db), read_only=True) as con:
        by_grain = dict(
            con.execute(
                "SELECT grain, sum(value) FROM metric_values WHERE metric = 'sessions' "
                "GROUP BY grain"
            ).fetchall()
        )
    assert by_grain == {"window": sum(channels.values()), "day": sum(days)}


@SETTINGS
@given(
    start=st.integers(0, 364).map(lambda n: date(2025, 1, 1) + timedelta(days=n)),
    views=st.lists(st.integers(0, 10**6), min_size=1, max_size=60),
    incomplete=st.booleans(),
)
def test_tiktok_overview_stores_every_counted_day_across_new_year(
    tmp_path: Path, start: date, views: list[int], incomplete: bool
) -> None:
    """Dates without a year take --year for the first day and move on at New Year; the last
    day written `undefined` is set aside, not stored as zero."""
    from sostac_control.formats import ReadOptions

    db = _fresh(tmp_path, "tiktok.duckdb")
    written: list[int | None] = [*views, None] if incomplete else list(views)
    path = write_tiktok_overview(tmp_path / "Overview.csv", start, written)
    [result] = ingest_paths([path], db, options=ReadOptions(year=start.year))
    assert result.status == "loaded", result.message
    with duckdb.connect(str(db), read_only=True) as con:
        days = con.execute(
            "SELECT min(day), max(day), sum(value) FROM metric_values WHERE metric = 'video_views'"
        ).fetchone()
    assert days == (start, start + timedelta(days=len(views) - 1), sum(views))
    assert result.skipped == incomplete


# --- the guard itself ----------------------------------------------------------------------


def test_a_merge_that_loses_a_row_refuses_the_file_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Break our own merge on purpose (it drops the file's last row): the load is refused
    inside its transaction with a sentence naming the metric and both totals."""
    db = tmp_path / "x.duckdb"
    rows = [
        AdRow("Lente", "Koffie", "Video A", 10.5, 100),
        AdRow("Zomer", "Gebak", "Foto B", 4, 50),
    ]
    path = write_meta_ads(tmp_path / "ads.csv", rows, START, END)
    real_merge = loads.merge_observations

    def lossy_merge(con, load_id, stage, **options):  # type: ignore[no-untyped-def]
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW _lossy AS SELECT * FROM {stage} "
            f"WHERE source_row < (SELECT max(source_row) FROM {stage})"
        )
        return real_merge(con, load_id, "_lossy", **options)

    monkeypatch.setattr(loads, "merge_observations", lossy_merge)
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert "impressions (meta_ads) does not reconcile" in result.message
    assert "add up to 150 but the load would store 100" in result.message
    assert "the merge kept fewer values than the file states" in result.message
    assert {p.column for p in result.errors} == {"impressions", "spend"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM loads").fetchone() == (0,)


def test_one_identity_with_two_values_in_one_file_is_refused_naming_both_rows(
    write_tidy, db: Path
) -> None:
    path = write_tidy(
        [
            ("2026-03-02", "instagram", "impressions", 120, "koffiebar"),
            ("2026-03-03", "instagram", "impressions", 80, "koffiebar"),
            ("2026-03-02", "instagram", "impressions", 150, "koffiebar"),
        ]
    )
    [result] = ingest_paths([path], db)
    assert result.status == "refused"
    assert "given twice in the file with different values" in result.message
    assert "row 1: 120, row 3: 150" in result.message
    assert not db.exists() or _stored(db, 1) == {}


def test_a_row_repeated_with_the_same_values_counts_once_and_is_named(write_tidy, db: Path) -> None:
    row = ("2026-03-02", "instagram", "impressions", 120, "koffiebar")
    [result] = ingest_paths([write_tidy([row, row])], db)
    assert result.status == "loaded"
    assert result.set_aside == {"repeated rows": 1}
    assert _stored(db, result.load_id) == {"impressions": 120}
    assert "counted once" in result.message
