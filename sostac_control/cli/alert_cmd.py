"""`alert`: announce status changes (and the weekly digest) per the plan's alert rules."""

from __future__ import annotations

import argparse
from pathlib import Path

from sostac_control.alerts.run import run_alerts
from sostac_control.cli.options import (
    add_db_option,
    add_json_option,
    db_path,
    iso_date,
    plan_path,
    print_json,
)
from sostac_control.i18n import _, date_short, default_language
from sostac_control.plan import load_plan
from sostac_control.store import alert_log


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "alert",
        help="send alerts on status changes and the weekly digest (for cron or a timer)",
        description="Announce status changes by e-mail, Slack, Teams or webhook per the plan's "
        "`alerts:` rules, and send the weekly digest when its moment has come. Never sends the "
        "same alert twice (a log in the database), also when two runs overlap. Holds all "
        "alerts while a source is stale or the newest load was refused, and says so. "
        "Exit 0 when done; 1 when alerts were held or a send failed (it is retried next run); "
        "2 on bad usage or unreadable input.",
    )
    p.add_argument(
        "--plan", type=Path, default=None, help="default: $SOSTAC_PLAN or data/plan.yaml"
    )
    add_db_option(p)
    p.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="judge on this day (default: today; a digest then counts as due at its end)",
    )
    p.add_argument("--dry-run", action="store_true", help="say what would be sent; send nothing")
    p.add_argument("--log", action="store_true", help="show the sent-alert log and exit")
    add_json_option(p)
    p.set_defaults(func=run_alert)


def run_alert(args: argparse.Namespace) -> int:
    if args.log:
        entries = alert_log(db_path(args))
        if args.json:
            print_json({"log": entries})
        else:
            for e in entries:
                error = f"  ({e['last_error']})" if e["last_error"] else ""
                print(
                    f"{e['claimed_at']:%Y-%m-%d %H:%M}  {e['status']:<8} {e['destination']:<16} "
                    f"{e['title']}  [{e['attempts']} attempt(s)]{error}"
                )
        return 0
    plan = load_plan(plan_path(args))
    default_language(plan.language)
    result = run_alerts(db_path(args), plan, args.as_of, dry_run=args.dry_run)
    if args.json:
        print_json(result.to_dict())
    else:
        print(
            _("Alerts as of {day}").format(day=date_short(result.as_of))
            + (" " + _("(dry run)") if args.dry_run else "")
        )
        for reason in result.held:
            print("  " + _("HELD: {reason}.").format(reason=reason))
        for line in result.muted:
            print("  " + _("muted: {what}").format(what=line))
        for o in result.outcomes:
            error = f": {o.error}" if o.error else ""
            print(f"  {o.status.replace('_', ' '):<12} {o.destination:<16} {o.title}{error}")
        if not result.outcomes and not result.muted:
            print("  " + _("nothing to announce"))
    return 1 if result.held or result.failed else 0
