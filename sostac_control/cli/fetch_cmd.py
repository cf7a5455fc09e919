"""`fetch`: pull metrics from configured API sources into the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sostac_control.api.fetch import FetchResult, fetch
from sostac_control.api.sources import get_source, load_sources
from sostac_control.cli.options import (
    add_db_option,
    add_json_option,
    chosen_workspace,
    db_path,
    iso_date,
    print_json,
)
from sostac_control.errors import UsageError
from sostac_control.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "fetch",
        help="pull metrics from platform APIs into the database",
        description="Fetch the configured API sources (data/sources.yaml, or --sources, or "
        "$SOSTAC_SOURCES). Without --since a fetch starts at the last day loaded from that "
        "source minus its look-back days. Tokens come from environment variables or "
        ".streamlit/secrets.toml. Exit 0 when every source loaded, 1 when a fetch failed "
        "(what it loaded before the failure stays loaded), 2 on bad usage.",
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="configured source name(s)")
    p.add_argument(
        "--since",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="first day to fetch (YYYY-MM-DD)",
    )
    p.add_argument(
        "--until",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="last day to fetch (YYYY-MM-DD; default yesterday)",
    )
    p.add_argument("--list", action="store_true", help="list the configured sources")
    p.add_argument(
        "--sources",
        dest="sources_file",
        type=Path,
        default=None,
        metavar="PATH",
        help="the source config (default: $SOSTAC_SOURCES or data/sources.yaml)",
    )
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_fetch)


def run_fetch(args: argparse.Namespace) -> int:
    if args.list:
        rows = [s.describe() for s in load_sources(_sources_file(args))]
        if args.json:
            print_json(rows)
        else:
            for r in rows:
                token = (
                    _("token set")
                    if r["token_set"]
                    else (
                        _("token NOT set (${env})").format(env=r["token_env"])
                        if r["token_env"]
                        else _("no token")
                    )
                )
                print(
                    f"{r['name']}  {r['type']} {r['id']} → {r['channel']}/{r['account']}, "
                    f"{r['base_url']}, {token}"
                )
        return 0
    if not args.sources:
        raise UsageError(
            _("Name the source(s) to fetch."),
            hint=_("`sostac-control fetch --list` shows the configured sources."),
        )
    configs = [get_source(name, _sources_file(args)) for name in args.sources]
    progress = None if args.json else _progress
    results = [fetch(c, args.since, args.until, db_path(args), progress=progress) for c in configs]
    if args.json:
        print_json([r.as_dict() for r in results])
    else:
        for result in results:
            _print_result(result)
    return 1 if any(r.status != "loaded" for r in results) else 0


def _progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr)


def _print_result(r: FetchResult) -> None:
    if r.status != "loaded":
        failed = _("failed")
        print(
            f"{failed:<8} {r.source} ({r.type}) {r.since}…{r.until}: {r.message}", file=sys.stderr
        )
        if r.hint:
            print("  " + _("hint: {hint}").format(hint=r.hint), file=sys.stderr)
        return
    loaded = _("loaded")
    counts = _(
        "{records} records in {requests} requests, {inserted} inserted, {updated} updated, "
        "{unchanged} unchanged"
    ).format(
        records=f"{r.rows_read:,}",
        requests=f"{r.requests:,}",
        inserted=f"{r.inserted:,}",
        updated=f"{r.updated:,}",
        unchanged=f"{r.unchanged:,}",
    )
    print(
        f"{loaded:<8} {r.source} ({r.type}) {r.since}…{r.until}: {counts}"
        + (f". {r.message}" if r.message else "")
    )
    rows = r.metric_rows()
    if rows:
        heads = [_("metric"), _("inserted"), _("updated"), _("unchanged")]
        width = max(len(heads[0]), *(len(row["metric"]) for row in rows))
        wide = [max(9, len(heads[1])), max(8, len(heads[2])), max(9, len(heads[3]))]
        print(
            f"  {heads[0]:<{width}}  {heads[1]:>{wide[0]}} {heads[2]:>{wide[1]}} "
            f"{heads[3]:>{wide[2]}}"
        )
        for row in rows:
            print(
                f"  {row['metric']:<{width}}  {row['inserted']:>{wide[0]},} "
                f"{row['updated']:>{wide[1]},} {row['unchanged']:>{wide[2]},}"
            )


def _sources_file(args: argparse.Namespace) -> Path | None:
    """--sources, else the workspace's `sources` in the registry, else the default."""
    if args.sources_file:
        return Path(args.sources_file)
    workspace = chosen_workspace(args)
    return workspace.sources if workspace else None
