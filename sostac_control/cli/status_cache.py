"""The status result cache: a repeated `status` question answered without opening the database.

`status` in cron or CI mostly asks the same question between two loads. The computed entry
(the `--json` document and what the text output needs) is kept in a sidecar folder next to the
DuckDB file, `<db>.status-cache/`, one JSON file per key, the newest ENTRIES kept. The cache is
invisible except for speed: a hit prints byte for byte what a miss prints.

The key makes a stale answer impossible:
- the database file's and its write-ahead log's identity and stat (path, device, inode, size,
  mtime_ns; every committed write changes one of them), taken before the computation and
  again after it: an entry is stored only when both agree, so a load racing the computation is
  never cached under the new key; nor when a file changed less than RACY_SECONDS before the
  first look (a second write within the file system's timestamp granularity could leave the
  stat as it was, as git's "racy clean" files);
- the plan file's path and bytes; the as-of day (today when not given); the language; the
  entry's layout (FORMAT);
- sostac-control's version and a hash of the source that computes or words a status (engine,
  plan, store, i18n with its catalogues, catalog), so an upgrade or an edit misses.

A DuckLake store is not cached: it has no file whose stat changes with every commit, and its
start (PostgreSQL catalog, extension) takes 2–4 s anyway. Nothing here ever writes the
database: the cache is a reader's, and takes no writer lock. A damaged, unreadable or
unwritable entry is a miss, never an error. `--no-cache` or SOSTAC_STATUS_CACHE=0 turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sostac_control import __version__
from sostac_control.dbfile import StoreRef

ENV = "SOSTAC_STATUS_CACHE"
ENTRIES = 16
RACY_SECONDS = 2.0
FORMAT = 1
PACKAGE = Path(__file__).resolve().parent.parent
# What a status document depends on besides the data, the plan, the day and the language.
SOURCES = ("engine", "plan", "store", "i18n", "catalog.py", "cli/status_compute.py")

Stamp = list[list[Any] | None]


def wanted(db: StoreRef, no_cache: bool) -> Path | None:
    """The database file whose answers are cached, or None (turned off, DuckLake, no file)."""
    if no_cache or os.environ.get(ENV, "1").strip().lower() in ("0", "no", "off", "false"):
        return None
    if not isinstance(db, Path) or not db.is_file():
        return None
    return db


def folder(db: Path) -> Path:
    return db.with_name(db.name + ".status-cache")


def stamp(db: Path) -> Stamp:
    """The database file's and its WAL's identity and stat (None for a file that is absent)."""
    stamps: Stamp = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            st = path.stat()
        except FileNotFoundError:
            stamps.append(None)
            continue
        stamps.append([str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns])
    return stamps


def settled(before: Stamp, taken_at_ns: int) -> bool:
    """Whether no file changed within RACY_SECONDS of the look (else a second write in the
    same timestamp tick could go unseen)."""
    newest = max((s[4] for s in before if s is not None), default=0)
    return taken_at_ns - newest > RACY_SECONDS * 1e9


def plan_digest(plan: Path) -> list[str] | None:
    """The plan file's path and a hash of its bytes (None: unreadable, so nothing is cached;
    reading the plan reports why). Taken before the plan is read and again after the
    computation, as the data's stamp is."""
    try:
        return [str(plan.resolve()), hashlib.sha256(plan.read_bytes()).hexdigest()]
    except OSError:
        return None


def make_key(before: Stamp, plan: list[str], as_of: date, language: str) -> str:
    parts = {
        "format": FORMAT,
        "version": __version__,
        "source": source_hash(),
        "data": before,
        "plan": plan,
        "as_of": as_of.isoformat(),
        "language": language,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def source_hash() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        path = PACKAGE / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".py", ".po", ".mo"):
                digest.update(str(file.relative_to(PACKAGE)).encode())
                digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def lookup(db: Path, key: str) -> dict[str, Any] | None:
    """The entry stored under `key`, or None (absent, damaged or unreadable: a miss)."""
    path = folder(db) / f"{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    entry = stored.get("entry")
    if not isinstance(entry, dict):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # the newest used are the ones kept
    return entry


def store(db: Path, key: str, entry: dict[str, Any]) -> None:
    """Keep `entry` under `key` (temp file, then rename) and drop all but the newest ENTRIES.
    A folder that cannot be written is no error: the next run computes again."""
    target = folder(db)
    try:
        target.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"key": key, "entry": entry}, out, ensure_ascii=False)
            os.replace(temp, target / f"{key}.json")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _prune(target)
    except OSError:
        return


def _prune(target: Path) -> None:
    entries = []
    for path in target.glob("*.json"):
        if path.name.startswith("."):  # another run's temp file
            continue
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except FileNotFoundError:  # another status pruned it
            continue
    entries.sort(reverse=True)
    for _mtime, path in entries[ENTRIES:]:
        path.unlink(missing_ok=True)
    cutoff = time.time() - 3600  # temp files of a run that was killed mid-write
    for path in target.glob(".tmp-*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
