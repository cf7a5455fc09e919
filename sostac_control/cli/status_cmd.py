"""`status`: every objective's and KPI's status on a day, with the reason; --fail-on for cron/CI."""

from __future__ import annotations

import argparse
import importlib
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

from sostac_control.cli import status_cache
from sostac_control.cli.options import (
    add_db_option,
    add_json_option,
    db_path,
    iso_date,
    json_default,
    plan_path,
)
from sostac_control.dbfile import StoreRef
from sostac_control.engine.status_codes import SEVERITY
from sostac_control.engine.status_words import compact, status_words
from sostac_control.i18n import _, current_language, date_short, default_language
from sostac_control.plan.load import load_plan
from sostac_control.plan.model import Plan

FAIL_ON = ("at_risk", "off_track", "stale")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "status",
        help="is each objective on track? (status and reason per objective and KPI)",
        description="Judge every objective and KPI of the plan on a day: not_started, too_early, "
        "on_track, at_risk, off_track, stale, achieved, missed or no_data, each with a reason; "
        "a crisis flag where negative signals spiked; the sources to refresh for stale data. "
        "Exit 0 when done; 1 when --fail-on is given and any objective is at or beyond that "
        "status; 2 on bad usage or an unreadable plan or database.",
    )
    p.add_argument(
        "--plan",
        type=Path,
        default=None,
        help="the plan file (default: $SOSTAC_PLAN or data/plan.yaml)",
    )
    add_db_option(p)
    p.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="judge as the plan stood at the end of this day, seeing only data up to it "
        "(default: today)",
    )
    add_json_option(p)
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="exit 1 when any objective is at or beyond this status "
        "(at_risk: at_risk, off_track or missed; off_track: off_track or missed; "
        "stale: any KPI whose data stopped)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="compute even when the same question was answered since the last change to the "
        "database, the plan and the program (default: a repeated question is answered from "
        "<db>.status-cache/; SOSTAC_STATUS_CACHE=0 turns that off too)",
    )
    p.set_defaults(func=run_status)


def fails(document: dict[str, Any], fail_on: str | None) -> bool:
    """Whether any objective is at or beyond `fail_on` (None: never)."""
    if fail_on is None:
        return False
    objectives = document["objectives"]
    if fail_on == "stale":
        return any(k["status"] == "stale" for o in objectives for k in o["kpis"])
    bar = SEVERITY.index(fail_on)
    return any(SEVERITY.index(o["status"]) >= bar for o in objectives)


def run_status(args: argparse.Namespace) -> int:
    plan_file = plan_path(args)
    plan_read = status_cache.plan_digest(plan_file)  # before reading: an edit meanwhile shows
    plan = load_plan(plan_file)
    default_language(plan.language)
    as_of = args.as_of or date.today()
    db = db_path(args)
    cached = status_cache.wanted(db, args.no_cache)
    if cached is None or plan_read is None:
        entry = _computed(db, plan, as_of)
    else:
        looked_at = time.time_ns()
        before = status_cache.stamp(cached)
        key = status_cache.make_key(before, plan_read, as_of, current_language())
        found = status_cache.lookup(cached, key)
        if found is not None and _shown(found, args.json) is not None:
            entry = found
        else:  # a miss, or a damaged entry
            entry = _computed(db, plan, as_of)
            # Kept only when nothing changed while it computed (data and plan as they were).
            unchanged = (
                status_cache.stamp(cached) == before
                and status_cache.plan_digest(plan_file) == plan_read
            )
            if unchanged and status_cache.settled(before, looked_at):
                status_cache.store(cached, key, entry)
    print(_text(entry, args.json), end="")
    return 1 if fails(entry["document"], args.fail_on) else 0


def _computed(db: StoreRef, plan: Plan, as_of: date) -> dict[str, Any]:
    """The engine's side of status (status_compute.py), imported only on a miss: it brings
    DuckDB, pandas and the engine."""
    module = importlib.import_module("sostac_control.cli.status_compute")
    entry: dict[str, Any] = module.status_entry(db, plan, as_of)
    return entry


def _shown(entry: dict[str, Any], as_json: bool) -> str | None:
    """What a cached entry prints, or None when it is not a whole entry."""
    try:
        text = _text(entry, as_json)
        fails(entry["document"], "at_risk")
        fails(entry["document"], "stale")
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
    return text


def _text(entry: dict[str, Any], as_json: bool) -> str:
    if as_json:
        document = entry["document"]
        return json.dumps(document, indent=2, ensure_ascii=False, default=json_default) + "\n"
    return table_text(entry["document"], entry["words"])


def table_text(document: dict[str, Any], words: dict[str, Any]) -> str:
    """The readable form: one block per objective, one line per KPI."""
    currency = words["currency"]
    lines = [_("Status as of {day}").format(day=date_short(date.fromisoformat(document["as_of"])))]
    for objective, said in zip(document["objectives"], words["objectives"], strict=True):
        lines.append("")
        lines.append(f"{_chip(objective['status'])}  {objective['id']}: {objective['title']}")
        if said["crisis"] is not None:
            lines.append(f"    {_chip_text(_('crisis'))}  {said['crisis']}")
        for k, label in zip(objective["kpis"], said["labels"], strict=True):
            actual = "—" if k["actual"] is None else compact(k["actual"], k["metric"], currency)
            target = compact(k["target"], k["metric"], currency)
            if k["direction"] == "up":
                versus = _("{value} of {target}")
            else:
                versus = _("{value} against a ceiling of {target}")
            figures = versus.format(value=actual, target=target)
            lines.append(f"    {_chip(k['status'])}  {label}: {figures}")
            if k["reason"]:
                lines.append(f"    {'':<13}  {k['reason']}")
    if document["refresh"]:
        lines.append("")
        lines.append(_("Refresh these sources (their data stopped):"))
        for source in document["refresh"]:
            lines.append(f"    {source['text']}")
    return "\n".join(lines) + "\n"


def _chip(status: str) -> str:
    return _chip_text(status_words(status))


def _chip_text(words: str) -> str:
    return f"[{words}]".ljust(13)
