"""API fetches reconcile like file loads: what the pages said is what the fetch stored."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from sostac_control.api.fetch import fetch
from sostac_control.api.sources import get_source
from sostac_control.store import loads
from tests.support.fake_api import FAST, TOKEN, FakeApi, page_value, write_sources

WEEK = (date(2026, 7, 1), date(2026, 7, 7))


@pytest.fixture
def sources(tmp_path: Path, fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> Path:
    """sources.yaml pointing at the fake API on 127.0.0.1, with the token in the environment."""
    monkeypatch.setenv("TEST_META_TOKEN", TOKEN)
    return write_sources(tmp_path / "sources.yaml", fake_api.url)


def test_a_fetch_reports_what_it_read_and_stored_per_metric(sources: Path, db: Path) -> None:
    result = fetch(get_source("fb-page", sources), *WEEK, db, policy=FAST)
    assert result.status == "loaded", result.message
    days = [WEEK[0] + timedelta(days=i) for i in range(7)]
    views = float(sum(page_value("page_media_view", d) for d in days))
    assert result.reconciled["views"] == {"read": views, "stored": views}


def test_a_fetch_whose_merge_loses_a_value_is_refused_and_writes_nothing(
    sources: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Break our own merge on purpose: it drops the last staged row."""
    real_merge = loads.merge_observations

    def lossy_merge(con, load_id, stage, **options):  # type: ignore[no-untyped-def]
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW _lossy AS SELECT * FROM {stage} "
            f"WHERE source_row < (SELECT max(source_row) FROM {stage})"
        )
        return real_merge(con, load_id, "_lossy", **options)

    monkeypatch.setattr(loads, "merge_observations", lossy_merge)
    result = fetch(get_source("fb-page", sources), *WEEK, db, policy=FAST)
    assert result.status == "failed"
    assert "does not reconcile" in result.message
    assert "Nothing was loaded." in result.message
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone() == (0,)
