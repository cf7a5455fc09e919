"""What the robustness suite counts and measures; printed at its end (tests/robust/conftest.py)."""

from __future__ import annotations

import resource
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_EXPORTS = ROOT.parent / "shared" / "exports"
CLI = [sys.executable, "-m", "sostac_control"]

FIGURES: Counter[str] = Counter(crashes=0)  # files tried, loaded, refused, lock waits, …
PEAKS_MB: dict[str, float] = {}  # peak memory of measured runs


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
