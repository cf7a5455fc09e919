"""`workspace list` and `workspace move`: the registry's workspaces, and moving one's data
between a DuckDB file and DuckLake (copy, check the totals, then switch the registry)."""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from sostac_control.cli.options import add_json_option, print_json
from sostac_control.dbfile import LakeStore, StoreRef
from sostac_control.errors import UsageError
from sostac_control.store.copy import copy_store
from sostac_control.workspaces import load_registry, to_toml


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "workspace",
        help="list the registry's workspaces, or move one between a DuckDB file and DuckLake",
        description="The workspace registry (SOSTAC_WORKSPACES, else data/workspaces.toml) names "
        "each workspace's plan, store and roles. `move` copies a workspace's data with its "
        "versions, loads and statements into an empty store, checks that the totals are equal, "
        "and only then switches the registry to it (the old store is left as it was).",
    )
    sub = p.add_subparsers(dest="workspace_command", metavar="ACTION")
    listing = sub.add_parser("list", help="the workspaces, their store and roles")
    add_json_option(listing)
    listing.set_defaults(func=run_list)
    move = sub.add_parser("move", help="move a workspace's data to DuckLake or a DuckDB file")
    move.add_argument("name", metavar="NAME", help="the workspace")
    move.add_argument("--to", required=True, choices=("ducklake", "duckdb"))
    move.add_argument("--catalog", metavar="DSN", help="--to ducklake: the PostgreSQL catalog")
    move.add_argument("--data-path", metavar="PATH", help="--to ducklake: the data files' folder")
    move.add_argument("--db", type=Path, metavar="FILE", help="--to duckdb: the new DuckDB file")
    add_json_option(move)
    move.set_defaults(func=run_move)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_list(args: argparse.Namespace) -> int:
    registry = load_registry()
    rows = [
        {
            "name": ws.name,
            "title": ws.shown_title,
            "default": ws.name == registry.default,
            "backend": ws.backend,
            "store": str(ws.store),
            "plan": str(ws.plan),
            "roles": ws.roles,
        }
        for ws in registry.workspaces.values()
    ]
    if args.json:
        print_json({"registry": str(registry.path) if registry.path else None, "workspaces": rows})
        return 0
    if registry.path is None:
        print("No workspace registry (data/workspaces.toml or SOSTAC_WORKSPACES): one local "
              "workspace.")  # fmt: skip
    for ws in registry.workspaces.values():
        mark = " (default)" if ws.name == registry.default else ""
        print(f"{ws.name}{mark}: {ws.shown_title}\n  store  {ws.store}\n  plan   {ws.plan}")
        for email, role in ws.roles.items():
            print(f"  {role:<7}{email}")
    return 0


def run_move(args: argparse.Namespace) -> int:
    registry = load_registry()
    if registry.path is None:
        raise UsageError(
            "There is no workspace registry to switch.",
            hint="Create data/workspaces.toml (or set SOSTAC_WORKSPACES) naming the workspace "
            "first; the README's deployment section shows one.",
        )
    workspace = registry.get(args.name)
    target: StoreRef
    if args.to == "ducklake":
        if not args.catalog or not args.data_path:
            raise UsageError(
                "--to ducklake needs --catalog DSN and --data-path PATH.",
                hint='e.g. --catalog "host=127.0.0.1 port=5432 dbname=acme user=sostac" '
                "--data-path /srv/sostac/lake/acme/",
            )
        target = LakeStore(args.catalog, str(args.data_path).rstrip("/") + "/")
    else:
        if not args.db:
            raise UsageError("--to duckdb needs --db FILE.", hint="e.g. --db data/acme.duckdb")
        if args.db.exists():
            raise UsageError(f"{args.db} exists already.", hint="Name a new file with --db.")
        target = Path(args.db)
    if workspace.store == target:
        raise UsageError(f"Workspace {args.name} already lives in {target}.")
    report = copy_store(workspace.store, target)
    moved = replace(workspace, store=target)
    switched = replace(registry, workspaces={**registry.workspaces, workspace.name: moved})
    assert registry.path is not None
    shutil.copyfile(registry.path, registry.path.with_name(registry.path.name + ".bak"))
    registry.path.write_text(to_toml(switched), encoding="utf-8")
    if args.json:
        print_json({"workspace": workspace.name, "from": report.source, "to": report.target,
                    "rows": report.rows, "totals": report.totals})  # fmt: skip
        return 0
    print(f"moved {workspace.name}: {report.source}\n   to {report.target}")
    for table, count in report.rows.items():
        print(f"  {table:<14}{count:>12,} rows (equal on both sides)")
    print(f"registry {registry.path} now points at the new store (the old one is untouched; "
          f"the previous registry is {registry.path.name}.bak)")  # fmt: skip
    return 0
