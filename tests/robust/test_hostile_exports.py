"""Every real export and every demo export, mutated as a clumsy or hostile user would: each
mutation loads (with counts that add up) or is refused with a reason — never a traceback,
never over the memory ceiling."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sostac_control.formats.bounds import MAX_LINE_BYTES, MEMORY_CEILING_MB
from sostac_control.ingest import IngestResult, ingest_paths
from tests.robust.figures import FIGURES, SHARED_EXPORTS, peak_rss_mb

EXAMPLES = int(os.environ.get("SOSTAC_ROBUST_EXAMPLES", "150"))
STATUSES = {"loaded", "refused", "skipped"}


def export_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() != ".md")


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def mutate(data: bytes, kind: str, draw: st.DataObject) -> bytes:
    """One mutation of the file's bytes (text mutations work on its lines)."""
    size = max(len(data), 1)
    if kind == "truncate":
        return data[: draw.draw(st.integers(0, size - 1), label="cut at")]
    if kind == "flip bytes":
        out = bytearray(data)
        for _ in range(draw.draw(st.integers(1, 50), label="flips")):
            at = draw.draw(st.integers(0, size - 1), label="at")
            if out:
                out[at] ^= draw.draw(st.integers(1, 255), label="mask")
        return bytes(out)
    if kind == "empty":
        return b""
    if kind == "re-encode":
        text = data.decode("utf-8", errors="replace")
        encoding = draw.draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "utf-8-sig"]))
        return text.encode(encoding, errors="replace")
    lines = lines_of(data)
    at = draw.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
    sep = b"\t" if data.count(b"\t") > data.count(b",") else b","
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[1:2] == b"\x00":
        sep = sep[:1] + b"\x00"
    if kind == "extra field":
        lines[at] = lines[at].rstrip(b"\r") + sep + b"extra"
    elif kind == "missing field":
        lines[at] = lines[at].rsplit(sep, 1)[0]
    elif kind == "huge cell":
        big = draw.draw(st.sampled_from([MAX_LINE_BYTES // 2, MAX_LINE_BYTES * 3]))
        lines[at] = lines[at] + sep + b'"' + b"x" * big + b'"'
    elif kind == "total row":
        cells = lines[min(1, len(lines) - 1)].split(sep)
        lines.append(sep.join([b"Total"] + [b"999999"] * (len(cells) - 1)))
    elif kind == "duplicate rows":
        lines = lines + lines[1:]
    elif kind == "NUL bytes":
        lines[at] = lines[at] + b"\x00\x00"
    elif kind == "CR line ends":
        return data.replace(b"\n", b"\r")
    return b"\n".join(lines)


MUTATIONS = [
    "truncate", "flip bytes", "empty", "re-encode", "extra field", "missing field",
    "huge cell", "total row", "duplicate rows", "NUL bytes", "CR line ends",
]  # fmt: skip


def check(results: list[IngestResult], name: str) -> None:
    """Loaded with counts that add up, or refused with a reason."""
    assert results, f"{name}: no result"
    for r in results:
        FIGURES[f"results {r.status}"] += 1
        assert r.status in STATUSES, (name, r.status, r.message)
        assert "internal error" not in r.message, (name, r.message)
        if r.status == "loaded":
            assert r.rows_read == r.rows_loaded + r.skipped + r.rejected, (name, r)
            assert r.values == r.inserted + r.updated + r.unchanged + r.duplicates, (name, r)
        else:
            assert r.message.strip(), (name, r)


@pytest.fixture(scope="module")
def originals(demo_exports: Path) -> list[Path]:
    files = export_files(demo_exports)
    if SHARED_EXPORTS.is_dir():
        files += export_files(SHARED_EXPORTS)
    return files


def test_every_original_export_loads_or_is_refused_with_a_reason(originals, tmp_path) -> None:
    for path in originals:
        FIGURES["files tried (originals)"] += 1
        check(ingest_paths([path], tmp_path / "originals.duckdb"), path.name)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_exports_load_or_are_refused_never_a_traceback(
    originals, tmp_path_factory, data
) -> None:
    original = data.draw(st.sampled_from(originals), label="file")
    kind = data.draw(st.sampled_from(MUTATIONS), label="mutation")
    mutated = mutate(original.read_bytes(), kind, data)
    folder = tmp_path_factory.mktemp("mutated")
    path = folder / original.name
    path.write_bytes(mutated)
    FIGURES["files tried (mutated)"] += 1
    FIGURES[f"mutation: {kind}"] += 1
    try:
        results = ingest_paths([path], folder / "mutated.duckdb")
    except BaseException:
        FIGURES["crashes"] += 1
        raise
    check(results, f"{original.name} ({kind})")
    assert peak_rss_mb() < MEMORY_CEILING_MB
