"""Options and output shared by the commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sostac_control import dbfile, workspaces
from sostac_control.dbfile import StoreRef, default_db_path
from sostac_control.errors import UsageError
from sostac_control.i18n import _
from sostac_control.workspaces import Workspace


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        default=None,
        metavar="NAME",
        help="a workspace of the registry (default: $SOSTAC_WORKSPACE, else --db and --plan; "
        "`sostac-control workspace list` names them)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="the DuckDB file (default: $SOSTAC_DB or data/sostac.duckdb)",
    )
    parser.add_argument(
        "--lock-wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long to wait while another program writes to the database "
        f"(default: $SOSTAC_LOCK_WAIT or {dbfile.LOCK_WAIT_SECONDS:.0f})",
    )


def report_lock_wait(waited: float, limit: float) -> None:
    """One line on stderr when a command starts waiting for the database, then every 10 s."""
    if waited < 1.0:
        print(
            _(
                "waiting for the database: another program is writing to it (up to {limit} s; "
                "--lock-wait changes this)…"
            ).format(limit=f"{limit:.0f}"),
            file=sys.stderr,
            flush=True,
        )
    elif int(waited) % 10 == 0:
        still = _("still waiting for the database ({waited} s)…").format(waited=f"{waited:.0f}")
        print(still, file=sys.stderr, flush=True)


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout and nothing else"
    )


def chosen_workspace(args: argparse.Namespace) -> Workspace | None:
    """The workspace named by --workspace or SOSTAC_WORKSPACE, or None (--db/--plan apply)."""
    name = workspaces.chosen_name(getattr(args, "workspace", None))
    if name is None:
        return None
    if getattr(args, "db", None):
        raise UsageError(
            _("Both --db and a workspace ({name}) name the data.").format(name=name),
            hint=_(
                "Give one: --workspace NAME (its store comes from the registry), or --db FILE "
                "(then unset SOSTAC_WORKSPACE)."
            ),
        )
    return workspaces.load_registry().get(name)


def db_path(args: argparse.Namespace) -> StoreRef:
    """Where the command's data lives: --db, else the workspace's store, else the default."""
    if getattr(args, "db", None):
        return Path(args.db)
    workspace = chosen_workspace(args)
    return workspace.store if workspace else default_db_path()


def plan_path(args: argparse.Namespace, attribute: str = "plan") -> Path:
    """The command's plan file: --plan, else the workspace's plan, else $SOSTAC_PLAN or
    data/plan.yaml."""
    if getattr(args, attribute, None):
        return Path(getattr(args, attribute))
    workspace = chosen_workspace(args)
    if workspace:
        return workspace.plan
    return Path(os.environ.get("SOSTAC_PLAN") or "data/plan.yaml")


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False, default=json_default)
    sys.stdout.write("\n")


def json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        message = _("{text} is not a date; write YYYY-MM-DD").format(text=repr(text))
        raise argparse.ArgumentTypeError(message) from exc
