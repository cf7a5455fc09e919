"""`status`: every objective's and KPI's status on a day, with the reason; --fail-on for cron/CI."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from sostac_control import store
from sostac_control.cli.options import (
    add_db_option,
    add_json_option,
    db_path,
    iso_date,
    plan_path,
    print_json,
)
from sostac_control.engine.series import read_kpi_series
from sostac_control.engine.status import (
    HISTORY_DAYS,
    SEVERITY,
    PlanStatus,
    compact,
    evaluate_plan,
)
from sostac_control.i18n import _, date_short, default_language
from sostac_control.plan.load import load_plan
from sostac_control.views.statuses import status_words

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
    p.set_defaults(func=run_status)


def fails(result: PlanStatus, fail_on: str | None) -> bool:
    """Whether any objective is at or beyond `fail_on` (None: never)."""
    if fail_on is None:
        return False
    if fail_on == "stale":
        return any(k.status == "stale" for o in result.objectives for k in o.kpis)
    bar = SEVERITY.index(fail_on)
    return any(SEVERITY.index(o.status) >= bar for o in result.objectives)


def run_status(args: argparse.Namespace) -> int:
    plan = load_plan(plan_path(args))
    default_language(plan.language)
    as_of = args.as_of or date.today()
    with store.reader(db_path(args)) as con:
        kpi_series = None
        if plan.kpis:  # every sum and ratio KPI's series in one query
            start = min(k.start for k in plan.kpis) - timedelta(days=HISTORY_DAYS)
            end = max(k.end for k in plan.kpis)
            kpi_series = read_kpi_series(con, plan.kpis, start, end, budget=plan.budget)
        result = evaluate_plan(con, plan, as_of, kpi_series=kpi_series)
    if args.json:
        print_json(result.to_dict())
    else:
        print_table(result, plan.currency)
    return 1 if fails(result, args.fail_on) else 0


def print_table(result: PlanStatus, currency: str) -> None:
    """The readable form: one block per objective, one line per KPI."""
    print(_("Status as of {day}").format(day=date_short(result.as_of)))
    for objective in result.objectives:
        print()
        print(f"{_chip(objective.status)}  {objective.objective.id}: {objective.objective.title}")
        if objective.crisis is not None:
            print(f"    {_chip_text(_('crisis'))}  {objective.crisis.text}")
        for k in objective.kpis:
            actual = "—" if k.actual is None else compact(k.actual, k.kpi.metric, currency)
            target = compact(k.kpi.target, k.kpi.metric, currency)
            if k.kpi.direction == "up":
                versus = _("{value} of {target}")
            else:
                versus = _("{value} against a ceiling of {target}")
            figures = versus.format(value=actual, target=target)
            print(f"    {_chip(k.status)}  {k.label}: {figures}")
            if k.reason:
                print(f"    {'':<13}  {k.reason}")
    if result.refresh:
        print()
        print(_("Refresh these sources (their data stopped):"))
        for source in result.refresh:
            print(f"    {source.text}")


def _chip(status: str) -> str:
    return _chip_text(status_words(status))


def _chip_text(words: str) -> str:
    return f"[{words}]".ljust(13)
