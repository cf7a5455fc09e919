"""`report`: the weekly digest and the quarterly review pack as HTML, PDF or XLSX."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from sostac_control.cli.options import (
    add_db_option,
    add_json_option,
    db_path,
    iso_date,
    plan_path,
    print_json,
)
from sostac_control.errors import SostacError
from sostac_control.i18n import N_, _, default_language, number
from sostac_control.plan import load_plan
from sostac_control.reports import FORMATS, KINDS, build_report
from sostac_control.reports.periods import period_words


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report",
        help="write the weekly digest or the quarterly review pack (html, pdf, xlsx)",
        description="Write the weekly digest (last week per channel against the plan, what "
        "changed, what needs attention) or the quarterly review pack (summary, scorecard with "
        "charts, channels, content, ROI, comparisons, drift, data coverage). The PDF is made "
        "without a browser. Exit 0 when written; 2 on bad usage or unreadable input.",
    )
    p.add_argument("kind", choices=KINDS, help="weekly or quarterly")
    p.add_argument(
        "--period",
        default=None,
        help="quarterly: 2026Q3 (default: the quarter of --as-of); weekly: 2026-W47 "
        "(default: the last full week up to --as-of)",
    )
    p.add_argument(
        "--as-of", type=iso_date, default=None, metavar="YYYY-MM-DD", help="default: today"
    )
    p.add_argument("--format", choices=tuple(FORMATS), default="pdf", help="default: pdf")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="the file to write (default: a name in the "
        "current folder, e.g. quarterly-q4-2026.pdf)",
    )
    p.add_argument(
        "--plan", type=Path, default=None, help="default: $SOSTAC_PLAN or data/plan.yaml"
    )
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=run_report)


KIND_WORDS = (N_("weekly"), N_("quarterly"))  # in words through _()


def run_report(args: argparse.Namespace) -> int:
    plan = load_plan(plan_path(args))
    default_language(plan.language)
    report = build_report(
        db_path(args), plan, args.kind, args.format, period=args.period, as_of=args.as_of
    )
    out = Path(args.out) if args.out else Path(report.filename)
    try:
        out.write_bytes(report.data)
    except OSError as exc:
        raise SostacError(
            f"Could not write {out}: {exc.strerror}.", hint="Choose another --out path."
        ) from exc
    document = {
        "kind": report.kind,
        "period": report.period.label,
        "start": report.period.start,
        "end": report.period.end,
        "as_of": args.as_of or date.today(),
        "format": report.format,
        "file": str(out),
        "bytes": len(report.data),
    }
    if args.json:
        print_json(document)
    else:
        print(
            _("wrote {file} ({kind} {period}, {size} bytes)").format(
                file=out,
                kind=_(report.kind),
                period=period_words(report.period.label),
                size=number(len(report.data)),
            )
        )
    return 0
