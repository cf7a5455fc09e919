"""`ingest` and `formats`: load export files, list what can be loaded."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sostac_control.cli.options import add_db_option, add_json_option, db_path, print_json
from sostac_control.dbfile import store_exists
from sostac_control.errors import UsageError
from sostac_control.formats import ReadOptions, all_formats, get_format
from sostac_control.i18n import _, number
from sostac_control.ingest import ingest_paths
from sostac_control.reconcile import reconciled_line, set_aside_sentence
from sostac_control.store import load_history, undo_load


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "ingest",
        help="load export files into the database",
        description="Load platform exports (CSV, XLSX, XLS, SpreadsheetML, ZIP) or tidy CSVs. "
        "Exit 0 when every file loaded, 1 when any file was refused, 2 on bad usage or a "
        "path that cannot be read.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to load")
    add_db_option(p)
    p.add_argument(
        "--format",
        default="auto",
        metavar="auto|NAME",
        help="the file format (default: recognise it); see `formats`",
    )
    p.add_argument(
        "--account",
        default=None,
        metavar="NAME",
        help="the account the files belong to, when the export does not say",
    )
    p.add_argument(
        "--year",
        type=int,
        default=None,
        metavar="YYYY",
        help="the year for dates written without one",
    )
    add_json_option(p)
    p.set_defaults(func=run_ingest)

    loads = subparsers.add_parser(
        "loads",
        help="list the ingest log (newest first)",
        description="Every load with its file, format, counts and status. Exit 0.",
    )
    add_db_option(loads)
    loads.add_argument("--limit", type=int, default=None, help="show at most this many loads")
    add_json_option(loads)
    loads.set_defaults(func=run_loads)

    undo = subparsers.add_parser(
        "undo",
        help="remove a load as if it had never happened (values other loads state stay)",
        description="Undo one load (its id from `loads`). Exit 0 when removed, 2 for an "
        "unknown id.",
    )
    undo.add_argument("load_id", type=int, metavar="LOAD_ID")
    add_db_option(undo)
    add_json_option(undo)
    undo.set_defaults(func=run_undo)

    f = subparsers.add_parser("formats", help="list the formats ingest recognises")
    add_json_option(f)
    f.set_defaults(func=run_formats)


def run_ingest(args: argparse.Namespace) -> int:
    options = ReadOptions(account=args.account, year=args.year)
    if args.format != "auto":
        get_format(args.format)  # an unknown name is bad usage (exit 2), before any loading
    unreadable = [p for p in args.paths if not Path(p).is_file()]
    results = ingest_paths(args.paths, db_path(args), format_name=args.format, options=options)
    if args.json:
        print_json([r.as_dict() for r in results])
    else:
        for r in results:
            if r.status == "loaded" and r.format is None:
                loaded = _("loaded")
                print(f"{loaded:<8} {r.message}")  # a file that says it has no data
            elif r.status == "loaded":
                loaded, grain = _("loaded"), (_(r.grain) if r.grain else "")
                counts = _(
                    "{read} rows read, {inserted} inserted, {updated} updated, {unchanged} "
                    "unchanged, {skipped} skipped, {rejected} rejected"
                ).format(
                    read=number(r.rows_read),
                    inserted=number(r.inserted),
                    updated=number(r.updated),
                    unchanged=number(r.unchanged),
                    skipped=number(r.skipped),
                    rejected=number(r.rejected),
                )
                print(f"{loaded:<8} {r.file}: {r.platform} {r.format} ({grain}), " + counts)
                print(f"  {reconciled_line(r.reconciled)}")
                if r.set_aside:
                    print(f"  {set_aside_sentence(r.set_aside)}")
                for e in r.errors[:20]:
                    row = _("row {row}").format(row=e.row)
                    print(f"  {row}, {e.column}: {e.message}")
                if len(r.errors) > 20:
                    more = _("… {n} more; use --json for all").format(n=len(r.errors) - 20)
                    print(f"  {more}")
            else:
                # Refusal messages usually name the file already; say it once.
                message = r.message.removeprefix(f"{r.file}: ")
                word = {"not_tried": _("not tried"), "refused": _("refused")}.get(
                    r.status, r.status
                )
                print(
                    f"{word:<8} {r.file}: {message.removeprefix(_('not tried') + ': ')}",
                    file=sys.stderr,
                )
                if r.hint:
                    print("  " + _("hint: {hint}").format(hint=r.hint), file=sys.stderr)
    if unreadable:
        return 2
    return 1 if any(r.status in ("refused", "not_tried") for r in results) else 0


def run_formats(args: argparse.Namespace) -> int:
    rows = [fmt.describe() for fmt in all_formats()]
    if args.json:
        print_json(rows)
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['platform']}: {r['title']} [{r['channel']}, {r['grain']}]"
            + ("" if r["loads"] == "yes" else f"  (refused: {r['loads'][4:]})")
        )
    return 0


def run_loads(args: argparse.Namespace) -> int:
    rows = load_history(db_path(args), args.limit)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No loads yet. Load files with `sostac-control ingest FILE...`.")
        return 0
    for r in rows:
        days = f"{r['first_day']}…{r['last_day']}" if r["first_day"] else "no days"
        removed_by = f" by {r['removed_by']}" if r.get("removed_by") else ""
        state = (
            ""
            if r["status"] == "loaded"
            else f"  [removed {r['removed_at']:%Y-%m-%d %H:%M}{removed_by}]"
        )
        who = f"  by {r['actor']}" if r.get("actor") else ""
        print(
            f"{r['load_id']:>5}  {r['loaded_at']:%Y-%m-%d %H:%M}  {r['source']}  "
            f"{r['format']} ({r['grain']}), {days}: {r['inserted']:,} inserted, "
            f"{r['updated']:,} updated, {r['unchanged']:,} unchanged, {r['rejected']:,} rejected"
            + who
            + state
        )
    return 0


def run_undo(args: argparse.Namespace) -> int:
    db = db_path(args)
    if not store_exists(db):
        raise UsageError(f"There is no database at {db}.", hint="Pass --db or set SOSTAC_DB.")
    before = {r["load_id"]: r for r in load_history(db)}
    removed = undo_load(db, args.load_id)
    already = before.get(args.load_id, {}).get("status") == "removed"
    if args.json:
        print_json({"load_id": args.load_id, "removed_values": removed, "was_removed": already})
    elif already:
        print(f"Load {args.load_id} was removed before; nothing changed.")
    else:
        print(
            f"Removed load {args.load_id} ({removed:,} values): each now shows what the "
            "remaining loads state, and is gone where no other load states it."
        )
    return 0
