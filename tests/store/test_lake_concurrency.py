"""DuckLake on a real PostgreSQL: four `ingest` processes and two dashboard processes at once on
one workspace give what a sequential load into a DuckDB file gives; nothing lost or doubled."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from sostac_control import store
from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.ingest import ingest_paths
from sostac_control.plan.example import EXAMPLE_PLAN
from tests.support.browser import APP

WRITERS = 4
FILES_PER_WRITER = 3
START = date(2026, 7, 1)


def _write_files(folder: Path) -> list[list[Path]]:
    """Per writer: its own files (disjoint days), and one file another writer loads as well."""
    plans: list[list[Path]] = []
    for writer in range(WRITERS):
        own = []
        for n in range(FILES_PER_WRITER):
            first = START + timedelta(days=30 * (writer * FILES_PER_WRITER + n))
            lines = ["date,channel,metric,value,account"]
            for d in range(30):
                day = first + timedelta(days=d)
                lines.append(f"{day},instagram,impressions,{100 + writer * 7 + d},kbn")
                lines.append(f"{day},linkedin,clicks,{3 + n + d % 5},kbn")
            path = folder / f"w{writer}_{n}.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            own.append(path)
        plans.append(own)
    for writer in range(WRITERS):  # the same file twice, from two processes: counted once
        plans[writer].append(plans[(writer + 1) % WRITERS][0])
    return plans


def _totals(db: StoreRef) -> dict[str, float]:
    with store.reader(db) as con:
        rows = con.execute(
            "SELECT metric, sum(value), count(*) FROM metric_values GROUP BY metric"
        ).fetchall()
        loads = con.execute(
            "SELECT count(*), sum(inserted), sum(unchanged) FROM loads WHERE status = 'loaded'"
        ).fetchone()
        statements = con.execute("SELECT count(*), sum(value) FROM statements").fetchone()
    found = {f"{m} sum": float(s) for m, s, _ in rows} | {f"{m} values": c for m, _, c in rows}
    assert loads is not None and statements is not None
    return found | {
        "loads": loads[0],
        "inserted": loads[1],
        "unchanged": loads[2],
        "statements": statements[0],
        "statement sum": float(statements[1]),
    }


@pytest.mark.slow
def test_four_writers_and_two_dashboards_on_ducklake_equal_a_sequential_duckdb_load(
    lake_store: LakeStore, tmp_path: Path
) -> None:
    plans = _write_files(tmp_path)
    sequential = tmp_path / "sequential.duckdb"
    for files in plans:
        assert all(r.status == "loaded" for r in ingest_paths(files, sequential))

    registry = tmp_path / "workspaces.toml"
    (tmp_path / "plan.yaml").write_text(EXAMPLE_PLAN, encoding="utf-8")
    registry.write_text(
        f'[workspaces.team]\nplan = "plan.yaml"\n[workspaces.team.ducklake]\n'
        f'catalog = "{lake_store.catalog}"\ndata_path = "{lake_store.data_path}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "SOSTAC_WORKSPACES": str(registry), "SOSTAC_WORKSPACE": "team"}
    with store.connect(lake_store):  # the schema first, so the dashboards find it from the start
        pass
    cli = [sys.executable, "-m", "sostac_control"]
    # A dashboard process: the real app (app.py, Overview page) run again and again with
    # Streamlit's AppTest on the DuckLake workspace while the loads run.
    dashboard_code = (
        "import sys\nfrom streamlit.testing.v1 import AppTest\n"
        f"sys.path.insert(0, {str(APP.parent)!r})\nruns = 0\n"
        "while True:\n"
        f"    at = AppTest.from_file({str(APP)!r}, default_timeout=300).run()\n"
        "    assert not at.exception, [e.value for e in at.exception]\n"
        "    runs += 1\n"
        "    if open(%r).read().strip() == 'stop': break\n"
        "print(runs)\n"
    )
    stop = tmp_path / "stop"
    stop.write_text("", encoding="utf-8")
    dashboards = [
        subprocess.Popen([sys.executable, "-c", dashboard_code % str(stop)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    writers = [
        subprocess.Popen([*cli, "ingest", *map(str, files)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for files in plans
    ]  # fmt: skip
    try:
        outcomes = [(*w.communicate(timeout=600), w.returncode) for w in writers]
    finally:
        stop.write_text("stop", encoding="utf-8")
        read_outcomes = [(*r.communicate(timeout=300), r.returncode) for r in dashboards]
    for out, err, code in outcomes:
        assert code == 0, f"an ingest failed: {out}\n{err}"
    for out, err, code in read_outcomes:
        assert code == 0 and int(out.strip()) > 0, f"a dashboard failed: {out}\n{err}"

    assert _totals(lake_store) == _totals(sequential)
    with store.reader(lake_store) as con:
        ids = [r[0] for r in con.execute("SELECT load_id FROM loads ORDER BY 1").fetchall()]
    assert ids == list(range(1, WRITERS * (FILES_PER_WRITER + 1) + 1))  # none lost or doubled
