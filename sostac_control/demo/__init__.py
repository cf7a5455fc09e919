"""The demo workspace: a coffee bar's plan and 26 weeks of exports, loaded like real files.

    data.py     the generated numbers (seeded, with a few drops and spikes)
    exports.py  the numbers written as the platforms' own export files
    plan.py     the demo plan text
    build.py    build_demo: write the exports and the plan, then ingest them

May import: ingest, formats, plan, store, catalog, errors. Never the engine, views, ui or cli.
"""

from __future__ import annotations

from sostac_control.demo.build import DemoResult, build_demo

__all__ = ["DemoResult", "build_demo"]
