"""Reports: the quarterly review pack and the weekly digest, as HTML, PDF and XLSX.

    periods.py   the period a report covers (2026Q3, 2026-W47)
    gather.py    the figures, from the same functions the pages use
    charts.py    vector charts (SVG) for the PDF
    render.py    HTML through Jinja2 templates (templates/), PDF through WeasyPrint
    workbook.py  the XLSX workbook (openpyxl)

`build_report` is the one call the command line, the Reports page and the digest alert make.
May import: views and engine (the numbers, never recomputed), store (coverage), plan, catalog,
errors. Never ui, cli or Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sostac_control import store
from sostac_control.dbfile import StoreRef
from sostac_control.errors import UsageError
from sostac_control.plan import Plan
from sostac_control.reports.gather import quarterly_pack, weekly_digest
from sostac_control.reports.periods import ReportPeriod, report_period
from sostac_control.reports.render import html_to_pdf, quarterly_html, weekly_html
from sostac_control.reports.workbook import quarterly_workbook

KINDS = ("weekly", "quarterly")
FORMATS = {"html": "text/html", "pdf": "application/pdf"}
FORMATS["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Report:
    """A finished report file."""

    kind: str
    period: ReportPeriod
    format: str
    data: bytes
    html: str  # the HTML version (the e-mail body of a digest; the page's preview)

    @property
    def filename(self) -> str:
        slug = self.period.label.replace(" of ", "-").replace(" ", "-").lower()
        return f"{self.kind}-{slug}.{self.format}"

    @property
    def mime(self) -> str:
        return FORMATS[self.format]


def build_report(
    db: StoreRef | str | None,
    plan: Plan,
    kind: str,
    fmt: str = "pdf",
    *,
    period: str | None = None,
    as_of: date | None = None,
    screen: bool = False,
) -> Report:
    """Gather, render and return one report (`kind` weekly|quarterly, `fmt` html|pdf|xlsx)."""
    if kind not in KINDS:
        raise UsageError(f"There is no {kind!r} report.", hint="Choose weekly or quarterly.")
    if fmt not in FORMATS:
        raise UsageError(f"Reports are not made as {fmt!r}.", hint="Choose html, pdf or xlsx.")
    day = as_of or date.today()
    span = report_period(kind, period, day)
    with store.reader(db) as con:
        if kind == "quarterly":
            pack = quarterly_pack(con, plan, span, day)
        else:
            digest = weekly_digest(con, plan, span)
    if kind == "quarterly":
        if fmt == "xlsx":
            return Report(kind, span, fmt, quarterly_workbook(pack), "")
        html = quarterly_html(pack, screen=screen)
    else:
        if fmt == "xlsx":
            raise UsageError(
                "The weekly digest is made as html or pdf.",
                hint="For a workbook, use `report quarterly --format xlsx`.",
            )
        html = weekly_html(digest, screen=screen)
    data = html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    return Report(kind, span, fmt, data, html)
