"""The quarterly pack as an XLSX workbook (openpyxl): Scorecard, KPI daily, Channels, ROI, Posts.

Real number, date and percent formats; frozen, filterable headers; status colours by conditional
formatting; native line and bar charts. Text that a spreadsheet would run as a formula (starting
with = + - @, a tab or a carriage return; OWASP's CSV-injection list, the one rule in
views/safe_export.py) is written as a text cell with Excel's quote prefix — what typing a
leading ' does — so it shows unchanged and never runs.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sostac_control.catalog import METRICS
from sostac_control.i18n import N_, _
from sostac_control.reports.gather import QuarterlyPack
from sostac_control.views.safe_export import is_formula_like
from sostac_control.views.tables import column_words

STATUS_FILLS = {
    "on_track": "C6EFCE",
    "achieved": "C6EFCE",
    "at_risk": "FFEB9C",
    "stale": "FFEB9C",
    "off_track": "FFC7CE",
    "missed": "FFC7CE",
    "crisis": "FFC7CE",
}
HEADER = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E5E7EB")


def as_text_cell(cell: Cell) -> None:
    """Keep a formula-like text a text: string type and Excel's quote prefix."""
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    cell.quotePrefix = True


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def _number_format(metric: str | None, currency: str) -> str:
    m = METRICS.get(metric or "")
    if m is None:
        return "#,##0.##"
    if m.unit == "ratio":
        return "0.00%"
    if m.unit == "money":
        symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency, currency + " ")
        return f'"{symbol}"#,##0.00'
    if m.name == "roas":
        return '0.00"×"'
    return "#,##0"


# The sheets' names, in the current language through _() (Excel allows 31 characters).
SHEET_TITLES = (
    N_("Scorecard"),
    N_("KPI daily"),
    N_("Channels"),
    N_("Quarter compared"),
    N_("ROI"),
    N_("Posts"),
)


def table_sheet(
    book: Workbook,
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    formats: dict[int, str] | None = None,
    status_column: int | None = None,
) -> Worksheet:
    """A sheet with a bold frozen header, filters, formats per column and status colours."""
    sheet = book.create_sheet(_(title)[:31])
    sheet.append([str(column_words(header)) for header, _fmt in columns])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    for row in rows:
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if is_formula_like(cell.value):
                as_text_cell(cell)
    n = len(rows) + 1
    for index, (_header, fmt) in enumerate(columns, start=1):
        fmt = (formats or {}).get(index, fmt)
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=n, min_col=index, max_col=index):
                cell.number_format = fmt
        width = max([len(columns[index - 1][0])] + [len(str(r[index - 1])) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(width + 2, 62))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n}"
    if status_column is not None and rows:
        letter = get_column_letter(status_column)
        cells = f"{letter}2:{letter}{n}"
        for status, color in STATUS_FILLS.items():
            sheet.conditional_formatting.add(
                cells,
                FormulaRule(
                    formula=[f'${letter}2="{status}"'],
                    fill=PatternFill("solid", fgColor=color, bgColor=color),
                ),
            )
    return sheet


def quarterly_workbook(pack: QuarterlyPack) -> bytes:
    """The pack's tables as an XLSX file's bytes."""
    currency = pack.plan.currency
    book = Workbook()
    book.remove(book.active)
    _scorecard(book, pack)
    _daily(book, pack)
    _channels(book, pack, currency)
    _roi(book, pack, currency)
    _posts(book, pack)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _scorecard(book: Workbook, pack: QuarterlyPack) -> None:
    rows: list[list[Any]] = []
    for o in pack.status.objectives:
        for k in o.kpis:
            rows.append(
                [
                    o.objective.id,
                    o.objective.title,
                    o.status,
                    k.label,
                    k.kpi.metric,
                    k.kpi.direction,
                    k.actual,
                    k.kpi.target,
                    k.projected,
                    k.probability,
                    k.status,
                    k.reason,
                ]
            )
    sheet = table_sheet(
        book,
        "Scorecard",
        [
            ("objective", ""),
            ("objective title", ""),
            ("objective status", ""),
            ("KPI", ""),
            ("metric", ""),
            ("direction", ""),
            ("actual", ""),
            ("target", ""),
            ("projected", ""),
            ("chance", "0%"),
            ("status", ""),
            ("reason", ""),
        ],
        rows,
        status_column=11,
    )
    for r, row in enumerate(rows, start=2):  # each KPI in its own metric's format
        fmt = _number_format(str(row[4]), pack.plan.currency)
        for c in (7, 8, 9):
            sheet.cell(r, c).number_format = fmt
    for cells in (f"C2:C{len(rows) + 1}",):
        for status, color in STATUS_FILLS.items():
            sheet.conditional_formatting.add(
                cells,
                FormulaRule(
                    formula=[f'$C2="{status}"'],
                    fill=PatternFill("solid", fgColor=color, bgColor=color),
                ),
            )


def _daily(book: Workbook, pack: QuarterlyPack) -> None:
    rows: list[list[Any]] = []
    for chart in pack.charts:
        for r in chart.path.itertuples():
            rows.append(
                [chart.objective_id, chart.label, chart.metric, r.day, r.actual_cum, r.expected_cum]
            )
    sheet = table_sheet(
        book,
        "KPI daily",
        [
            ("objective", ""),
            ("KPI", ""),
            ("metric", ""),
            ("day", "yyyy-mm-dd"),
            ("actual (cumulative for sums)", ""),
            ("target path", ""),
        ],
        rows,
    )
    for index, values in enumerate(rows, start=2):
        fmt = _number_format(str(values[2]), pack.plan.currency)
        sheet.cell(index, 5).number_format = fmt
        sheet.cell(index, 6).number_format = fmt
    # A native line chart of the first KPI's actual against its target path.
    if pack.charts:
        first = len(pack.charts[0].path)
        chart = LineChart()
        chart.title = _("{kpi}: actual against the target path").format(kpi=pack.charts[0].label)
        chart.y_axis.title = METRICS[pack.charts[0].metric].label
        chart.add_data(
            Reference(sheet, min_col=5, max_col=6, min_row=1, max_row=first + 1),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=4, min_row=2, max_row=first + 1))
        chart.width, chart.height = 22, 9
        sheet.add_chart(chart, "H2")


def _channels(book: Workbook, pack: QuarterlyPack, currency: str) -> None:
    table = pack.channels.table
    metrics = ["reach", "impressions", "engagements", "engagement_rate", "clicks"]
    metrics += ["conversions", "spend"]
    columns = [("channel", ""), ("type", "")]
    columns += [(METRICS[m].label, _number_format(m, currency)) for m in metrics]
    rows = [[r["label"], r["type"], *(r[m] for m in metrics)] for _row, r in table.iterrows()]
    sheet = table_sheet(book, "Channels", columns, rows)
    if rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Impressions and engagements per channel")
        _bars_below(sheet, chart, len(rows), [4, 5])
    comparison = pack.comparison.table
    compared = table_sheet(
        book,
        "Quarter compared",
        [
            ("channel", ""),
            ("metric", ""),
            ("this quarter", ""),
            ("previous", ""),
            ("change", "+0%;-0%;0%"),
            ("previous loaded", ""),
            ("last year", ""),
            ("change vs last year", "+0%;-0%;0%"),
            ("last year loaded", ""),
        ],
        [
            [
                r.label,
                METRICS[str(r.metric)].label,
                r.now,
                r.previous,
                r.change_previous,
                r.previous_note or "in full",
                r.last_year,
                r.change_last_year,
                r.last_year_note or ("in full" if r.last_year is not None else "no data"),
            ]
            for r in comparison.itertuples()
        ],
    )
    for i, r in enumerate(comparison.itertuples(), start=2):
        for c in (3, 4, 7):
            compared.cell(i, c).number_format = _number_format(str(r.metric), currency)


def _roi(book: Workbook, pack: QuarterlyPack, currency: str) -> None:
    money = _number_format("spend", currency)
    roi = pack.roi.by_channel
    rows = [
        [
            r["label"],
            r["spend"],
            r["planned_money"],
            r["budget_used"],
            pack.hours.get(str(r["channel"])),
            r["people_cost"],
            r["cost"],
            r["revenue"],
            r["roi"],
            r["roas"],
            r["cpa"],
        ]
        for _row, r in roi.iterrows()
    ]
    sheet = table_sheet(
        book,
        "ROI",
        [
            ("channel", ""),
            ("spend", money),
            ("planned money", money),
            ("budget used", "0%"),
            ("hours (plan)", "#,##0.0"),
            ("people cost", money),
            ("total cost", money),
            ("revenue", money),
            ("ROI", "0.0%"),
            ("ROAS", '0.00"×"'),
            ("CPA", money),
        ],
        rows,
    )
    if rows:
        chart = BarChart()
        chart.title = _("Cost per channel: spend and people cost")
        chart.grouping = "stacked"
        chart.overlap = 100
        _bars_below(sheet, chart, len(rows), [2, 6])


def _bars_below(sheet: Worksheet, chart: BarChart, n_rows: int, columns: list[int]) -> None:
    """Draw these columns of a table sheet as the chart's series, channels as categories,
    under the table."""
    for column in columns:
        data = Reference(sheet, min_col=column, max_col=column, min_row=1, max_row=n_rows + 1)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=n_rows + 1))
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"A{n_rows + 4}")


def _posts(book: Workbook, pack: QuarterlyPack) -> None:
    posts = pack.content.posts
    rows = [
        [
            _naive(r["published_at"]),
            r["channel_label"],
            r["account"],
            r["post_type"],
            r["text"],
            r["impressions"],
            r["reach"],
            r["engagements"],
            r["engagement_rate"],
            r["clicks"],
            bool(r["promotional"]),
            r["permalink"],
        ]
        for _row, r in posts.iterrows()
    ]
    table_sheet(
        book,
        "Posts",
        [
            ("published", "yyyy-mm-dd hh:mm"),
            ("channel", ""),
            ("account", ""),
            ("post type", ""),
            ("text", ""),
            ("impressions", "#,##0"),
            ("reach", "#,##0"),
            ("engagements", "#,##0"),
            ("engagement rate", "0.00%"),
            ("clicks", "#,##0"),
            ("promotional", ""),
            ("link", ""),
        ],
        rows,
    )


def _naive(value: Any) -> datetime | date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_localize(None).to_pydatetime() if stamp.tzinfo else stamp.to_pydatetime()
