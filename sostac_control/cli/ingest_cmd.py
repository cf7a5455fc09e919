"""`ingest` and `formats`: load export files, list what can be loaded."""

from __future__ import annotations

import argparse
import sys

from sostac_control.cli.common import add_db_option, add_json_option, db_path, print_json
from sostac_control.formats import ReadOptions, all_formats
from sostac_control.ingest import ingest_paths


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "ingest",
        help="load export files into the database",
        description="Load platform exports (CSV, XLSX, XLS, SpreadsheetML, ZIP) or tidy CSVs. "
        "Exit 0 when every file loaded, 1 when any file was refused, 2 on bad usage.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to load")
    add_db_option(p)
    p.add_argument("--format", default="auto", metavar="auto|NAME",
                   help="the file format (default: recognise it); see `formats`")
    p.add_argument("--account", default=None, metavar="NAME",
                   help="the account the files belong to, when the export does not say")
    p.add_argument("--year", type=int, default=None, metavar="YYYY",
                   help="the year for dates written without one")
    add_json_option(p)
    p.set_defaults(func=run_ingest)

    f = subparsers.add_parser("formats", help="list the formats ingest recognises")
    add_json_option(f)
    f.set_defaults(func=run_formats)


def run_ingest(args: argparse.Namespace) -> int:
    options = ReadOptions(account=args.account, year=args.year)
    results = ingest_paths(args.paths, db_path(args), format_name=args.format, options=options)
    if args.json:
        print_json([r.as_dict() for r in results])
    else:
        for r in results:
            if r.status == "loaded":
                print(
                    f"loaded   {r.file}: {r.platform} {r.format} ({r.grain}), "
                    f"{r.rows_read:,} rows read, {r.inserted:,} inserted, {r.updated:,} updated, "
                    f"{r.unchanged:,} unchanged, {r.skipped:,} skipped, {r.rejected:,} rejected"
                )
                for e in r.errors[:20]:
                    print(f"  row {e['row']}, {e['column']}: {e['message']}")
                if len(r.errors) > 20:
                    print(f"  … {len(r.errors) - 20} more; use --json for all")
            else:
                print(f"refused  {r.file}: {r.message}", file=sys.stderr)
                if r.hint:
                    print(f"  hint: {r.hint}", file=sys.stderr)
    return 1 if any(r.status != "loaded" for r in results) else 0


def run_formats(args: argparse.Namespace) -> int:
    rows = [fmt.describe() for fmt in all_formats()]
    if args.json:
        print_json(rows)
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['name']:<{width}}  {r['platform']}: {r['title']} [{r['channel']}, {r['grain']}]"
              + ("" if r["loads"] == "yes" else f"  (refused: {r['loads'][4:]})"))
    return 0
