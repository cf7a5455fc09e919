"""`make bench`: run every benchmark module in turn; each prints its own figures and ratios."""

from __future__ import annotations

import importlib
import sys
import time

# Each module has main() -> None that prints a titled block of figures.
BENCH_MODULES: list[str] = ["bench.eval", "bench.ingest_bench", "bench.pages_bench"]


def main() -> int:
    only = sys.argv[1:]
    for name in BENCH_MODULES:
        if only and not any(word in name for word in only):
            continue
        started = time.perf_counter()
        importlib.import_module(name).main()
        print(f"({name} took {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
