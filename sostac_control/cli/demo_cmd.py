"""`demo`: write the demo plan and exports for a fictional coffee bar, and load them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sostac_control.cli.options import (
    add_db_option,
    add_json_option,
    db_path,
    iso_date,
    plan_path,
    print_json,
)
from sostac_control.demo.build import build_demo


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo",
        help="create the demo workspace (a plan and 26 weeks of exports, loaded)",
        description="Write a demo plan and 26 weeks of demo exports in the platforms' own "
        "formats for a fictional Dutch coffee bar, and load them through `ingest`. The same "
        "--seed and --as-of give the same files. Running it again changes nothing. Exit 0 when "
        "every file loaded, 1 when any was refused, 2 on bad usage.",
    )
    add_db_option(p)
    p.add_argument(
        "--plan",
        type=Path,
        default=None,
        help="where to write the demo plan (default: $SOSTAC_PLAN or data/plan.yaml)",
    )
    p.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the last day of demo data (default: today)",
    )
    p.add_argument("--seed", type=int, default=7, metavar="N", help="the random seed (default: 7)")
    p.add_argument(
        "--exports",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write the export files (default: demo_exports/ beside the DB)",
    )
    add_json_option(p)
    p.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    db = db_path(args)
    plan = plan_path(args)
    result = build_demo(db, plan, as_of=args.as_of, seed=args.seed, exports=args.exports)
    refused = [r for r in result.results if r.status != "loaded"]
    if args.json:
        print_json(
            {
                "db": result.db,
                "plan": result.plan,
                "exports": result.exports,
                "as_of": result.as_of,
                "fallbacks": result.fallbacks,
                "files": [r.as_dict() for r in result.results],
            }
        )
        return 1 if refused else 0
    for r in result.results:
        if r.status == "loaded":
            print(
                f"loaded   {r.file}: {r.format}, {r.inserted:,} inserted, {r.unchanged:,} unchanged"
            )
        else:
            print(f"refused  {r.file}: {r.message}", file=sys.stderr)
    for channel, why in result.fallbacks.items():
        print(f"note     {channel}: loaded from a tidy CSV with the same numbers ({why})")
    print(
        f"\nDemo workspace ready (data up to {result.as_of}):\n  plan      {result.plan}\n"
        f"  database  {result.db}\n  exports   {result.exports}\n"
        "Serve it with `make run`, or check it with `sostac-control status`."
    )
    return 1 if refused else 0
