"""The issue's definition of done, through the real entry point in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.support.fake_api import TOKEN, FakeApi, write_sources


@pytest.fixture
def sources(tmp_path: Path, fake_api: FakeApi) -> Path:
    """sources.yaml for the fake API."""
    return write_sources(tmp_path / "sources.yaml", fake_api.url)


@pytest.mark.slow
def test_the_real_command_fetches_a_quarter_twice_with_the_totals_of_once(
    sources: Path, db: Path, tmp_path: Path
) -> None:
    """The issue's definition of done, through the installed entry point in a subprocess."""
    env = {**os.environ, "SOSTAC_SOURCES": str(sources), "TEST_META_TOKEN": TOKEN}
    argv = [
        sys.executable,
        "-m",
        "sostac_control",
        "fetch",
        "fb-page",
        "fb-posts",
        "--since",
        "2026-07-01",
        "--until",
        "2026-09-30",
        "--db",
        str(db),
    ]
    sums = []
    for _ in range(2):
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        assert TOKEN not in done.stdout + done.stderr
        with duckdb.connect(str(db), read_only=True) as con:
            sums.append(
                con.execute(
                    "SELECT metric, grain, count(*), sum(value) FROM "
                    "metric_values GROUP BY ALL ORDER BY ALL"
                ).fetchall()
            )
    assert sums[0] == sums[1]
    assert any(row[:3] == ("views", "day", 92) for row in sums[0])
    assert any(row[:3] == ("views", "post", 31) for row in sums[0])
    assert "0 inserted, 0 updated, 644 unchanged" in done.stdout
    assert TOKEN.encode() not in db.read_bytes()
