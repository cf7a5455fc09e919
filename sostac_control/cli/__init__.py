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

from sostac_control import __version__, dbfile
from sostac_control.cli.options import report_lock_wait
from sostac_control.errors import SostacError
from sostac_control.i18n import _
from sostac_control.i18n.language import LANGUAGES, language_scope

LANG_HELP = (
    "the language of the words printed for people: nl (Dutch) or en (default: $SOSTAC_LANG, "
    "else the plan's language:, else en); JSON keys and status codes stay English"
)

# Each module defines register(subparsers) and sets `func` on its parsers; func(args) -> int.
COMMAND_MODULES = [
    "sostac_control.cli.ingest_cmd",
    "sostac_control.cli.demo_cmd",
    "sostac_control.cli.fetch_cmd",
    "sostac_control.cli.status_cmd",
    "sostac_control.cli.plan_cmd",
    "sostac_control.cli.report_cmd",
    "sostac_control.cli.alert_cmd",
    "sostac_control.cli.workspace_cmd",
]
# Every command, its module and its line in the overview. `main` imports only the module of the
# command it runs (the modules import pandas, DuckDB and the engine), so that `--help` and a
# mistyped command answer at once; the other commands are listed by these lines
# (tests/test_cli.py checks them against the modules).
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": (COMMAND_MODULES[0], "load export files into the database"),
    "loads": (COMMAND_MODULES[0], "list the ingest log (newest first)"),
    "undo": (
        COMMAND_MODULES[0],
        "remove a load as if it had never happened (values other loads state stay)",
    ),
    "formats": (COMMAND_MODULES[0], "list the formats ingest recognises"),
    "demo": (
        COMMAND_MODULES[1],
        "create the demo workspace (a plan and 26 weeks of exports, loaded)",
    ),
    "fetch": (COMMAND_MODULES[2], "pull metrics from platform APIs into the database"),
    "status": (
        COMMAND_MODULES[3],
        "is each objective on track? (status and reason per objective and KPI)",
    ),
    "plan": (COMMAND_MODULES[4], "check, create or describe the plan file"),
    "report": (
        COMMAND_MODULES[5],
        "write the weekly digest or the quarterly review pack (html, pdf, xlsx)",
    ),
    "alert": (
        COMMAND_MODULES[6],
        "send alerts on status changes and the weekly digest (for cron or a timer)",
    ),
    "workspace": (
        COMMAND_MODULES[7],
        "list the registry's workspaces, or move one between a DuckDB file and DuckLake",
    ),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `command`, only that command's module is imported
    ("" for none) and the others are listed by their line in COMMANDS."""
    parser = argparse.ArgumentParser(
        prog="sostac-control",
        description="KPI tracking and Control-phase analytics for social media plans.",
    )
    parser.add_argument("--version", action="version", version=f"sostac-control {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = COMMAND_MODULES if command is None else [COMMANDS[command][0]] if command else []
    for name, (module_name, help_line) in COMMANDS.items():
        if name in subparsers.choices:
            continue
        if module_name in wanted:
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_line, add_help=False)
    for module_name in wanted:  # a module whose commands are not in COMMANDS yet
        if not any(m == module_name for m, _line in COMMANDS.values()):
            importlib.import_module(module_name).register(subparsers)
    _add_lang_option(parser)
    return parser


def _add_lang_option(parser: argparse.ArgumentParser) -> None:
    """`--lang nl|en` on the program and on every command and sub-command (main reads it
    wherever it stands, before the command runs)."""
    if not any("--lang" in action.option_strings for action in parser._actions):
        parser.add_argument("--lang", choices=LANGUAGES, default=None, help=LANG_HELP)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                if sub.add_help:  # the one-line stand-ins of commands not imported stay bare
                    _add_lang_option(sub)


def _language_from(argv: list[str]) -> str | None:
    """The value of `--lang X` / `--lang=X` wherever it stands in argv (None: not given)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # None: SOSTAC_LANG, else a plan's language:, else English; undone when the run ends.
    with language_scope(_language_from(argv)):
        return _run(argv)


def _run(argv: list[str]) -> int:
    word = next((a for a in argv if not a.startswith("-") and a not in LANGUAGES), "")
    parser = build_parser(word if word in COMMANDS else "")
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if getattr(args, "lock_wait", None) is not None:
        dbfile.set_lock_wait_seconds(args.lock_wait)
    try:
        with dbfile.lock_wait_reported(report_lock_wait):
            code = int(args.func(args))
        sys.stdout.flush()  # inside the try: a closed pipe is noticed here, not at exit
        return code
    except SostacError as exc:
        print(_("error: {message}").format(message=exc.message), file=sys.stderr)
        for problem in exc.problems:
            where = ", ".join(
                part
                for part in (
                    problem.file,
                    _("line {line}").format(line=problem.line) if problem.line else "",
                    problem.column,
                )
                if part
            )
            print(f"  {where}: {problem.message}", file=sys.stderr)
            if problem.hint:
                print("    " + _("hint: {hint}").format(hint=problem.hint), file=sys.stderr)
        if exc.hint:
            print(_("hint: {hint}").format(hint=exc.hint), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `ingest … | head`: the reader left; the work itself is done
        _silence_stdout()
        return 0
    except Exception as exc:
        if not _is_damaged_database(exc):
            return _internal_error(exc)
        print(
            _(
                "error: the database could not be read ({detail}).\nhint: The file is damaged "
                "or was cut short (a full disk, a copy that did not finish). Restore it from a "
                "backup, or load the exports again into a new file with --db."
            ).format(detail=str(exc).splitlines()[0]),
            file=sys.stderr,
        )
        return 2


def _internal_error(exc: Exception) -> int:
    """A bug: one line for the user, the traceback on request (SOSTAC_DEBUG=1)."""
    if os.environ.get("SOSTAC_DEBUG"):
        raise exc
    print(
        f"internal error: {type(exc).__name__}: {str(exc)[:500]}\n"
        "hint: This is a bug in sostac-control, not in your input. Run again with "
        "SOSTAC_DEBUG=1 to see where it happened, and report it with that output.",
        file=sys.stderr,
    )
    return 70


# What DuckDB raises on a damaged or truncated file, at any query (not only at opening it);
# named, not imported, so that `--help` does not load DuckDB.
DAMAGED = {"IOException", "InternalException", "SerializationException", "FatalException"}


def _is_damaged_database(exc: Exception) -> bool:
    return type(exc).__module__.lstrip("_").startswith("duckdb") and type(exc).__name__ in DAMAGED


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
