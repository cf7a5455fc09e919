"""The `sostac-control` command line: one module per command family, registered here.

Exit codes (DESIGN.md): 0 done; 1 done but something was refused or is off track; 2 bad usage or
unreadable input. `--json` prints exactly one JSON document on stdout. `options.py` holds the
options and output every command shares (--db, --json, dates).

May import: everything below it (demo, views, engine, api, ingest, store, formats, plan,
catalog, errors). Never ui or Streamlit: the CLI runs without a browser.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sostac_control import __version__
from sostac_control.errors import SostacError

# Each module defines register(subparsers) and sets `func` on its parsers; func(args) -> int.
COMMAND_MODULES = [
    "sostac_control.cli.ingest_cmd",
    "sostac_control.cli.demo_cmd",
    "sostac_control.cli.fetch_cmd",
    "sostac_control.cli.status_cmd",
    "sostac_control.cli.plan_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sostac-control",
        description="KPI tracking and Control-phase analytics for social media plans.",
    )
    parser.add_argument("--version", action="version", version=f"sostac-control {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except SostacError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        for problem in exc.problems:
            where = ", ".join(
                part
                for part in (
                    problem.file,
                    f"line {problem.line}" if problem.line else "",
                    problem.column,
                )
                if part
            )
            print(f"  {where}: {problem.message}", file=sys.stderr)
            if problem.hint:
                print(f"    hint: {problem.hint}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
