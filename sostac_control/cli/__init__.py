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
import os
import sys

import duckdb

from sostac_control import __version__, store
from sostac_control.cli.options import report_lock_wait
from sostac_control.errors import SostacError

# Each module defines register(subparsers) and sets `func` on its parsers; func(args) -> int.
COMMAND_MODULES = [
    "sostac_control.cli.ingest_cmd",
    "sostac_control.cli.demo_cmd",
    "sostac_control.cli.fetch_cmd",
    "sostac_control.cli.status_cmd",
    "sostac_control.cli.plan_cmd",
    "sostac_control.cli.report_cmd",
    "sostac_control.cli.alert_cmd",
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
    if getattr(args, "lock_wait", None) is not None:
        store.set_lock_wait_seconds(args.lock_wait)
    try:
        with store.lock_wait_reported(report_lock_wait):
            code = int(args.func(args))
        sys.stdout.flush()  # inside the try: a closed pipe is noticed here, not at exit
        return code
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
    except BrokenPipeError:  # `ingest … | head`: the reader left; the work itself is done
        _silence_stdout()
        return 0
    except duckdb.Error as exc:
        if not isinstance(exc, DAMAGED):
            raise
        print(
            f"error: the database could not be read ({str(exc).splitlines()[0]}).\n"
            "hint: The file is damaged or was cut short (a full disk, a copy that did not "
            "finish). Restore it from a backup, or load the exports again into a new file "
            "with --db.",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("SOSTAC_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {str(exc)[:500]}\n"
            "hint: This is a bug in sostac-control, not in your input. Run again with "
            "SOSTAC_DEBUG=1 to see where it happened, and report it with that output.",
            file=sys.stderr,
        )
        return 70


# What DuckDB raises on a damaged or truncated file, at any query (not only at opening it).
DAMAGED = (
    duckdb.IOException,
    duckdb.InternalException,
    duckdb.SerializationException,
    duckdb.FatalException,
)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
