"""The status result cache (cli/status_cache.py): a hit prints byte for byte what a miss
prints, and every change to what the answer depends on misses.

Real DuckDB files and the real command in a child process. Whether a run computed is seen from
outside: a computing run stores one new entry in `<db>.status-cache/`, a hit stores none. The
files are aged after each write (a file written within RACY_SECONDS is never cached on)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from sostac_control.cli import main, status_cache, status_compute
from sostac_control.dbfile import LakeStore
from sostac_control.ingest import ingest_paths
from tests.support.status_workspace import build

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = date(2026, 3, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build(tmp_path_factory.mktemp("flags"), AS_OF)


@pytest.fixture
def workspace(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the flags workspace (a crisis, stale data, a culprit), its files aged."""
    db, plan = tmp_path / "flags.duckdb", tmp_path / "plan.yaml"
    shutil.copy(built[0], db)
    shutil.copy(built[1], plan)
    _age(db)
    return db, plan


def _age(db: Path) -> None:
    """As if the last write were a minute ago (the racy-write guard stays out of the way)."""
    then = time.time_ns() - 60 * 10**9
    for path in (db, db.with_name(db.name + ".wal")):
        if path.exists():
            os.utime(path, ns=(then, then))


def _status(db: Path, plan: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SOSTAC_LANG", "SOSTAC_STATUS_CACHE", "SOSTAC_WORKSPACE")
    }
    command = ["status", "--db", str(db), "--plan", str(plan), "--as-of", str(AS_OF), *args]
    return subprocess.run(
        [sys.executable, "-m", "sostac_control", *command],
        capture_output=True,
        cwd=ROOT,
        env={**clean, **env},
        check=False,
    )


def _entries(db: Path) -> list[Path]:
    folder = status_cache.folder(db)
    return sorted(folder.glob("[!.]*.json")) if folder.exists() else []


def _answer(db: Path, plan: Path, *args: str) -> tuple[bytes, int, int]:
    """(stdout, exit code, entries stored by this run) of one run; checked against a run that
    does not use the cache."""
    stored = len(_entries(db))
    run = _status(db, plan, *args)
    assert run.stderr == b"", run.stderr
    fresh = _status(db, plan, *args, "--no-cache")
    assert (run.stdout, run.returncode) == (fresh.stdout, fresh.returncode)
    return run.stdout, run.returncode, len(_entries(db)) - stored


def test_a_hit_prints_byte_for_byte_what_a_miss_prints(workspace: tuple[Path, Path]) -> None:
    db, plan = workspace
    for args in ([], ["--json"], ["--lang", "nl"], ["--lang", "nl", "--json"]):
        miss = _status(db, plan, *args)
        stored = len(_entries(db))
        hit = _status(db, plan, *args)
        assert len(_entries(db)) == stored, f"{args}: the second run computed again"
        assert miss.returncode == hit.returncode == 0
        assert hit.stdout == miss.stdout and hit.stdout, args
    text = _status(db, plan).stdout.decode()
    assert "[crisis]" in text and "Refresh these sources" in text  # every part of the text
    assert "Status op" in _status(db, plan, "--lang", "nl").stdout.decode()
    # text and --json share an entry; each language has its own
    assert len(_entries(db)) == 2


def test_fail_on_answers_the_same_from_a_hit(workspace: tuple[Path, Path]) -> None:
    db, plan = workspace
    for fail_on in ("at_risk", "off_track", "stale"):
        first = _status(db, plan, "--fail-on", fail_on)
        again = _status(db, plan, "--fail-on", fail_on)
        assert first.returncode == again.returncode == 1, fail_on
        assert first.stdout == again.stdout
    quiet_day = str(AS_OF - timedelta(days=50))  # too early for any verdict
    for _run in range(2):
        run = _status(db, plan, "--as-of", quiet_day, "--fail-on", "at_risk")
        assert run.returncode == 0
    assert len(_entries(db)) == 2


def test_a_load_misses_and_shows_the_new_data(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    """Fails if the key left out the data's identity: the load changes what status prints."""
    db, plan = workspace
    before, _code, stored = _answer(db, plan)
    assert stored == 1
    assert _answer(db, plan)[2] == 0
    more = tmp_path / "more.csv"
    days = [AS_OF - timedelta(days=d) for d in range(1, 30)]
    more.write_text(
        "date,channel,metric,value,account\n"
        + "".join(f"{day},instagram,impressions,20000,second\n" for day in days)
    )
    result = ingest_paths([more], db)[0]
    assert result.status == "loaded", result.errors
    _age(db)
    after, _code, stored = _answer(db, plan)
    assert stored == 1 and after != before
    # an undo brings the first answer back, computed again (a new state of the file)
    undo = subprocess.run(
        [sys.executable, "-m", "sostac_control", "undo", str(result.load_id), "--db", str(db)],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert undo.returncode == 0, undo.stderr
    _age(db)
    undone, _code, stored = _answer(db, plan)
    assert stored == 1 and undone == before


def test_a_plan_edit_another_day_and_another_language_miss(workspace: tuple[Path, Path]) -> None:
    db, plan = workspace
    first, _code, stored = _answer(db, plan)
    assert stored == 1
    plan.write_text(plan.read_text().replace("target: 455000", "target: 955000"))
    edited, _code, stored = _answer(db, plan)
    assert stored == 1 and edited != first
    other_day, _code, stored = _answer(db, plan, "--as-of", str(AS_OF - timedelta(days=7)))
    assert stored == 1 and other_day != edited
    dutch, _code, stored = _answer(db, plan, "--lang", "nl")
    assert stored == 1 and dutch != edited
    assert _answer(db, plan, "--lang", "nl")[2] == 0


def test_a_damaged_entry_is_a_miss_and_is_replaced(workspace: tuple[Path, Path]) -> None:
    db, plan = workspace
    good = _status(db, plan, "--json").stdout
    (entry,) = _entries(db)
    stored = json.loads(entry.read_text())
    damaged = {
        "cut short": entry.read_bytes()[:200],
        "not JSON": b"\x00\xff garbage",
        "another key": json.dumps({**stored, "key": "0" * 64}).encode(),
        "no words": json.dumps({"key": stored["key"], "entry": {"document": {}}}).encode(),
    }
    for what, content in damaged.items():
        entry.write_bytes(content)
        run = _status(db, plan, "--json")
        assert (run.returncode, run.stderr, run.stdout) == (0, b"", good), what
        assert json.loads(entry.read_text()) == stored, f"{what}: not replaced"


def test_a_write_during_the_computation_is_not_cached(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """The key is the stat before the computation; an entry is kept only when the stat after
    it is the same, so a load that races the computation is never cached under either."""
    db, plan = workspace
    computed = status_compute.status_entry

    def racing(*args: object) -> dict:
        entry = computed(*args)
        with db.open("ab") as out:  # a load's write lands while status computes
            out.write(b"\0" * 4096)
        _age(db)
        return entry

    monkeypatch.setattr(status_compute, "status_entry", racing)
    args = ["status", "--db", str(db), "--plan", str(plan), "--as-of", str(AS_OF)]
    assert main(args) == 0
    assert _entries(db) == []
    capsys.readouterr()


def test_a_file_written_just_now_is_not_cached_on(workspace: tuple[Path, Path]) -> None:
    db, plan = workspace
    os.utime(db)  # written now: a second write in the same timestamp tick could go unseen
    assert _status(db, plan).returncode == 0
    assert _entries(db) == []
    _age(db)
    assert _status(db, plan).returncode == 0
    assert len(_entries(db)) == 1


def test_turned_off_by_option_or_environment_and_never_for_ducklake(
    workspace: tuple[Path, Path],
) -> None:
    db, plan = workspace
    assert _status(db, plan, "--no-cache").returncode == 0
    assert _status(db, plan, SOSTAC_STATUS_CACHE="0").returncode == 0
    assert not status_cache.folder(db).exists()
    lake = LakeStore(catalog="host=127.0.0.1 dbname=x", data_path=str(db.parent))
    assert status_cache.wanted(lake, no_cache=False) is None


def test_the_cache_keeps_the_newest_entries_only(
    workspace: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    db, plan = workspace
    days = [AS_OF - timedelta(days=d) for d in range(status_cache.ENTRIES + 2)]
    for day in days:
        assert main(["status", "--db", str(db), "--plan", str(plan), "--as-of", str(day)]) == 0
    assert len(_entries(db)) == status_cache.ENTRIES
    newest = {p.name for p in _entries(db)}
    assert main(["status", "--db", str(db), "--plan", str(plan), "--as-of", str(days[-1])]) == 0
    assert {p.name for p in _entries(db)} == newest  # the newest was kept: a hit
    capsys.readouterr()


def test_a_hit_imports_neither_pandas_nor_duckdb_nor_the_engine(
    workspace: tuple[Path, Path],
) -> None:
    db, plan = workspace
    assert _status(db, plan).returncode == 0  # stores the entry
    args = ["status", "--db", str(db), "--plan", str(plan), "--as-of", str(AS_OF)]
    probe = (
        "import contextlib, io, sys\n"
        "from sostac_control.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    code = main({args!r})\n"
        "heavy = ('pandas', 'duckdb', 'numpy', 'sostac_control.engine.status')\n"
        "print(code, [m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, cwd=ROOT, check=True)
    assert out.stdout.decode().split() == ["0", "[]"]


def test_a_plan_edit_during_the_computation_is_not_cached(
    workspace: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    db, plan = workspace
    computed = status_compute.status_entry

    def racing(*args: object) -> dict:
        entry = computed(*args)
        plan.write_text(plan.read_text().replace("target: 455000", "target: 955000"))
        return entry

    monkeypatch.setattr(status_compute, "status_entry", racing)
    args = ["status", "--db", str(db), "--plan", str(plan), "--as-of", str(AS_OF)]
    assert main(args) == 0
    assert _entries(db) == []
    capsys.readouterr()
