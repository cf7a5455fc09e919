"""The robustness suite (`make test-robust`): hostile and clumsy input, concurrent writers,
kill -9 mid-load. Its figures are printed at the end and quoted in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from sostac_control.demo.build import build_demo
from tests.robust.figures import FIGURES, PEAKS_MB, peak_rss_mb


@pytest.fixture(scope="session")
def demo_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's generated exports (one of every family the demo writes)."""
    folder = tmp_path_factory.mktemp("demo")
    return build_demo(folder / "demo.duckdb", folder / "plan.yaml").exports


def pytest_terminal_summary(terminalreporter) -> None:
    if not FIGURES and not PEAKS_MB:
        return
    PEAKS_MB["pytest process (all in-process ingests)"] = peak_rss_mb()
    write = terminalreporter.write_line
    write("")
    write("robustness figures")
    for name, count in sorted(FIGURES.items()):
        write(f"  {name:<40} {count:>8,}")
    for name, mb in PEAKS_MB.items():
        write(f"  peak memory, {name:<27} {mb:>8,.0f} MB")
