"""Mutated Business Suite post exports on disk (the staged reader, formats/meta_staged.py):
each loads with counts that add up or is refused with a reason, never a traceback; and where
the staged reader takes a file, the same bytes uploaded (`read`) give the same verdict."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sostac_control.ingest import ingest_bytes, ingest_paths
from tests.robust.test_hostile_exports import EXAMPLES, MUTATIONS, check, mutate

EXPORTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "exports" / "facebook"
POSTS = sorted(EXPORTS.glob("mbs_*posts*.csv")) if EXPORTS.is_dir() else []


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_post_exports_on_disk_load_as_uploaded_or_are_refused(
    tmp_path_factory, data
) -> None:
    if not POSTS:
        return  # ../shared/exports is absent (test_hostile_exports says so)
    original = data.draw(st.sampled_from(POSTS), label="file")
    kind = data.draw(st.sampled_from(MUTATIONS), label="mutation")
    mutated = mutate(original.read_bytes(), kind, data)
    folder = tmp_path_factory.mktemp("posts")
    path = folder / original.name
    path.write_bytes(mutated)
    [on_disk] = ingest_paths([path], folder / "disk.duckdb")
    check([on_disk], f"{original.name} ({kind})")
    [uploaded] = ingest_bytes(path.name, mutated, folder / "upload.duckdb")
    assert (on_disk.status, on_disk.inserted, on_disk.rejected, on_disk.skipped) == (
        uploaded.status, uploaded.inserted, uploaded.rejected, uploaded.skipped,
    ), f"{original.name} ({kind}): {on_disk.message} | {uploaded.message}"  # fmt: skip
