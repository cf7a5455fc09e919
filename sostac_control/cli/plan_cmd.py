"""`plan validate`, `plan init`, `plan schema`: write, check and fix the plan file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sostac_control import store
from sostac_control.cli.options import (
    add_db_option,
    add_json_option,
    db_path,
    plan_path,
    print_json,
)
from sostac_control.engine.status_words import compact
from sostac_control.engine.suggest import chance_percent, suggest_plan
from sostac_control.i18n import _, ngettext
from sostac_control.plan.check import PlanUnreadableError, check_plan_file
from sostac_control.plan.edit import write_new_plan
from sostac_control.plan.example import EXAMPLE_PLAN
from sostac_control.plan.load import load_plan
from sostac_control.plan.schema import plan_schema
from sostac_control.plan.smart import CRITERIA, smart_check


def register(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser(
        "plan",
        help="check, create or describe the plan file",
        description="The plan file (YAML): objectives, KPI targets, budgets.",
    )
    commands = plan.add_subparsers(dest="plan_command", metavar="validate|init|schema|suggest")

    v = commands.add_parser(
        "validate",
        help="check a plan file and list every problem",
        description="Check a plan file: every problem with its line, field and a hint. With "
        "--db, also the SMART check of each objective (advice; it does not change the exit "
        "code). Exit 0 when the plan is valid, 1 when it has problems, 2 when it cannot be "
        "read. --json prints {plan, valid, problems: [{file, line, column, message, hint}], "
        "smart: [{objective, criterion, status, message, line}] (with --db)}.",
    )
    v.add_argument(
        "plan",
        nargs="?",
        type=Path,
        default=None,
        metavar="PLAN",
        help="the plan file (default: $SOSTAC_PLAN or data/plan.yaml)",
    )
    v.add_argument(
        "--db",
        type=Path,
        default=None,
        help="a database to check that each KPI has data (the Measurable in SMART)",
    )
    add_json_option(v)
    v.set_defaults(func=run_validate)

    i = commands.add_parser(
        "init",
        help="write a commented example plan to start from",
        description="Write a commented example plan (a Dutch coffee bar's half-year) that "
        "validates. Refuses to overwrite an existing file (exit 1). PATH '-' prints it.",
    )
    i.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        metavar="PATH",
        help="where to write it (default: $SOSTAC_PLAN or data/plan.yaml)",
    )
    add_json_option(i)
    i.set_defaults(func=run_init)

    s = commands.add_parser(
        "schema",
        help="print the plan file's JSON Schema",
        description="Print the JSON Schema of plan files, for editors that check and complete "
        "YAML (e.g. '# yaml-language-server: $schema=plan.schema.json' on the plan's first line).",
    )
    add_json_option(s)
    s.set_defaults(func=run_schema)

    g = commands.add_parser(
        "suggest",
        help="suggest each KPI's target: the values history and trend make 50%% and 80%% likely",
        description="For each KPI of the plan, from up to 26 weeks before its period: the value "
        "that history and trend make 50%% likely and 80%% likely (reached with that chance; a "
        "ceiling kept with that chance when lower is better), and the chance of the plan's own "
        "target. --json prints {plan, suggestions: [{objective, metric, channel, direction, "
        "target, likely_50, likely_80, current_target_chance, basis}]}.",
    )
    g.add_argument(
        "plan",
        nargs="?",
        type=Path,
        default=None,
        metavar="PLAN",
        help="the plan file (default: $SOSTAC_PLAN or data/plan.yaml)",
    )
    add_db_option(g)
    add_json_option(g)
    g.set_defaults(func=run_suggest)

    plan.set_defaults(func=lambda args: _usage(plan))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_validate(args: argparse.Namespace) -> int:
    path = plan_path(args)
    try:
        plan, problems = check_plan_file(path)
    except PlanUnreadableError as exc:
        if not args.json:
            raise
        print_json(
            {
                "plan": path,
                "valid": False,
                "readable": False,
                "problems": [
                    {
                        "file": str(path),
                        "line": None,
                        "column": "",
                        "message": exc.message,
                        "hint": exc.hint,
                    }
                ],
            }
        )
        return 2
    document: dict[str, Any] = {
        "plan": path,
        "valid": not problems,
        "readable": True,
        "problems": [p.as_dict() for p in problems],
    }
    findings = []
    if plan is not None and args.db is not None:
        with store.reader(args.db) as con:
            findings = smart_check(plan, con)
        document["smart"] = [f.as_dict() for f in findings]
    if args.json:
        print_json(document)
        return 1 if problems else 0
    if problems:
        count = ngettext("{n} problem", "{n} problems", len(problems)).format(n=len(problems))
        invalid = _("invalid")
        print(f"{invalid:<8} {path}: {count}")
        for p in problems:
            where = _("line {line}").format(line=p.line) if p.line else _("file")
            print(f"  {where:<9} {p.column + ': ' if p.column else ''}{p.message}")
            if p.hint:
                print(f"  {'':<9} " + _("hint: {hint}").format(hint=p.hint))
        return 1
    assert plan is not None
    valid = _("valid")
    print(
        f"{valid:<8} {path}: "
        + _("{objectives} objectives, {kpis} KPIs, {lines} budget lines").format(
            objectives=len(plan.objectives), kpis=len(plan.kpis), lines=len(plan.budget)
        )
    )
    if findings:
        print("\n" + _("SMART check against {db}:").format(db=args.db))
        for objective in plan.objectives:
            mine = [f for f in findings if f.objective_id == objective.id]
            print(
                f"  {objective.id}: "
                + "  ".join(f"{CRITERIA[f.criterion][0]} {f.status}" for f in mine)
            )
            for f in mine:
                if f.status != "ok":
                    print(f"    {CRITERIA[f.criterion]}: {f.message}")
    return 0


def run_init(args: argparse.Namespace) -> int:
    if str(args.path) == "-":
        sys.stdout.write(EXAMPLE_PLAN)
        return 0
    path = plan_path(args, "path")
    created = write_new_plan(path, EXAMPLE_PLAN)
    if args.json:
        print_json({"file": path, "status": "created" if created else "refused"})
    elif created:
        print(
            _(
                "created  {path}: an example plan; edit it, then `sostac-control plan validate "
                "{path}`"
            ).format(path=path)
        )
    else:
        print(
            _(
                "refused  {path} exists; plan init never overwrites a plan. Name another path, "
                "or move the file away first."
            ).format(path=path),
            file=sys.stderr,
        )
    return 0 if created else 1


def run_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    plan = load_plan(plan_path(args))
    with store.reader(db_path(args)) as con:
        suggestions = suggest_plan(con, plan)
    if args.json:
        print_json({"plan": plan.name, "suggestions": [s.to_dict() for s in suggestions]})
        return 0
    print(f"Suggested targets for {plan.name} (from history and trend):")
    for s in suggestions:
        k = s.kpi
        print(f"\n  {s.objective_id} · {k.label} ({k.start:%d %b} – {k.end:%d %b %Y})")
        if s.likely_50 is None or s.likely_80 is None:
            print(f"    no suggestion: {s.basis}")
            continue
        word = "at least" if k.direction == "up" else "at most"
        print(f"    50% likely: {word} {compact(s.likely_50, k.metric, plan.currency)}")
        print(f"    80% likely: {word} {compact(s.likely_80, k.metric, plan.currency)}")
        chance = "—" if s.current_chance is None else chance_percent(s.current_chance)
        print(
            f"    the plan's target {compact(k.target, k.metric, plan.currency)}: {chance} likely"
        )
        print(f"    basis: {s.basis}")
    return 0
