"""Reports as HTML (Jinja2 templates) and PDF (WeasyPrint: HTML → PDF through Pango, no browser).

Numbers are formatted the way the pages show them (catalog.format_value), statuses as coloured
chips with their words, and charts are inline SVG so the PDF keeps them as vectors.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from sostac_control.catalog import CHANNEL_LABELS, METRICS, format_value
from sostac_control.engine.status import ObjectiveStatus
from sostac_control.engine.status_words import status_words
from sostac_control.i18n import (
    _,
    current_language,
    day_month,
    ngettext,
    percent,
)
from sostac_control.reports import charts
from sostac_control.reports.gather import (
    ATTENTION,
    TREND_METRICS,
    QuarterlyPack,
    WeeklyDigest,
    term,
)
from sostac_control.reports.periods import period_words

TEMPLATES = Path(__file__).parent / "templates"
BAR_METRICS = ("impressions", "engagements", "clicks", "spend")
LOWER_IS_BETTER = {name for name, m in METRICS.items() if m.direction == "down"}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _environment(currency: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The templates' words come from the catalogue: {{ _("…") }}, named fields by .format().
    env.install_gettext_callables(_, ngettext, newstyle=False)  # type: ignore[attr-defined]

    def fmt(value: Any, metric: str) -> str:
        return "—" if _missing(value) else format_value(float(value), metric, currency)

    def chip(status: str) -> Markup:
        words = _("crisis") if status == "crisis" else status_words(status)
        return Markup('<span class="chip s-{}">{}</span>').format(status, words)

    def change(value: Any, metric: str = "") -> Markup:
        if _missing(value):
            return Markup("—")
        good = value >= 0 if metric not in LOWER_IS_BETTER else value <= 0
        css = "up" if good else "down"
        return Markup('<span class="{}">{}</span>').format(css, percent(value, 0, sign=True))

    def day(value: Any) -> str:
        if _missing(value):
            return "—"
        if isinstance(value, pd.Timestamp | datetime):
            value = value.date()
        if not isinstance(value, date):
            return str(value)
        return f"{day_month(value)} {value.year}"

    def snippet(text: Any, length: int = 90) -> str:
        if _missing(text) or not str(text).strip():
            return "—"
        words = " ".join(str(text).split())
        return words if len(words) <= length else words[: length - 1].rstrip() + "…"

    def span(first: Any, last: Any) -> str:
        if _missing(first) or _missing(last):
            return "—"
        a, b = pd.Timestamp(first).date(), pd.Timestamp(last).date()
        left = day_month(a) + ("" if a.year == b.year else f" {a.year}")
        return f"{left} – {day_month(b)} {b.year}"

    env.filters.update(
        span=span,
        fmt=fmt,
        chip=chip,
        change=change,
        day=day,
        snippet=snippet,
        chance=lambda p: "—" if _missing(p) else _chance(float(p)),
        percent=lambda v: "—" if _missing(v) else percent(float(v), 0),
        period=period_words,
        metric_label=lambda m: METRICS[m].label if m in METRICS else m,
        cost_note=lambda n: (lambda name, _colon, rest: f"{term(name)}:{rest}")(*n.partition(":")),
        channel=lambda c: ", ".join(CHANNEL_LABELS.get(x, x) for x in str(c or "").split(",")),
    )
    env.globals["made_on"] = date.today()
    env.globals["language"] = current_language()
    return env


def _span_text(first: date, last: date) -> str:
    return f"{day_month(first)} – {day_month(last)} {last.year}"


def _chance(p: float) -> str:
    chance = p * 100
    return percent(p, 0) if 1 <= chance <= 99 else ("<1%" if chance < 1 else ">99%")


def _deciding_chance(objective: ObjectiveStatus) -> str:
    """The chance of the KPI that sets the objective's status (— where none is judged)."""
    if objective.status in ("achieved", "missed", "not_started", "no_data", "too_early"):
        return "—"
    for k in objective.kpis:
        if k.status == objective.status and k.probability is not None:
            return _chance(k.probability) if math.isfinite(k.probability) else "—"
    return "—"


def _attention(objectives: list[ObjectiveStatus]) -> list[dict[str, str]]:
    return [
        {"label": k.label, "status": k.status, "reason": k.reason}
        for o in objectives
        for k in o.kpis
        if k.status in ATTENTION
    ]


def quarterly_html(pack: QuarterlyPack, screen: bool = False) -> str:
    """The quarterly review pack as one HTML document (print CSS for PDF)."""
    currency = pack.plan.currency
    objectives = pack.status.objectives
    statuses = [o.status for o in objectives]
    fine = sum(s in ("on_track", "achieved") for s in statuses)
    trouble = sum(s in ("at_risk", "off_track", "missed", "stale") for s in statuses)
    charts_svg = [
        {
            "objective_id": c.objective_id,
            "label": c.label,
            "svg": charts.kpi_path_chart(c.path, c.metric, currency, METRICS[c.metric].direction),
        }
        for c in pack.charts
    ]
    bars = [charts.channel_bars(pack.channels.table, m, currency) for m in BAR_METRICS]
    roi = pack.roi.by_channel
    spend, planned = roi["spend"].sum(min_count=1), roi["planned_money"].sum(min_count=1)
    roi_total = {  # the cost side only: revenue of two channels may be the same purchase
        "spend": spend,
        "planned_money": planned,
        "budget_used": spend / planned if planned and not _missing(spend) else None,
        "hours": sum(pack.hours.values()) or None,
        "people_cost": roi["people_cost"].sum(min_count=1),
        "cost": roi["cost"].sum(min_count=1),
    }
    env = _environment(currency)
    return env.get_template("quarterly.html.j2").render(
        title=_("Quarterly review {period} · {plan}").format(
            period=period_words(pack.period.label), plan=pack.plan.name
        ),
        plan=pack.plan,
        period=pack.period,
        judged_on=pack.judged_on,
        status=pack.status,
        summary_counts=[
            {"value": len(objectives), "label": _("objectives")},
            {"value": fine, "label": _("on track or achieved")},
            {"value": trouble, "label": _("at risk, off track or missed")},
        ],
        attention=_attention(objectives),
        deciding_chance=_deciding_chance,
        charts=charts_svg,
        channels=pack.channels,
        channel_bars=[b for b in bars if b],
        comparison=pack.comparison,
        content=pack.content,
        roi=pack.roi,
        roi_total=roi_total,
        hours=pack.hours,
        drift=pack.drift,
        coverage=pack.coverage,
        screen=screen,
    )


def _wide(table: pd.DataFrame) -> tuple[list[str], list[dict[str, Any]]]:
    """Channel rows × metric columns of a long comparison table: (metrics, rows)."""
    present = set(table["metric"])
    metrics = [m for m in TREND_METRICS if m in present]
    rows = []
    for label, group in table.groupby("label", sort=False):
        cells = {r.metric: (r.now, r.change_previous, r.previous_note) for r in group.itertuples()}
        rows.append({"label": label, "cells": cells})
    return metrics, rows


def weekly_html(digest: WeeklyDigest, screen: bool = False) -> str:
    """The weekly digest as HTML fit for an e-mail body (and for the PDF)."""
    env = _environment(digest.plan.currency)
    metrics, rows = _wide(digest.channels)
    return env.get_template("weekly.html.j2").render(
        title=_("Weekly digest {period} · {plan}").format(
            period=period_words(digest.period.label), plan=digest.plan.name
        ),
        plan=digest.plan,
        period=digest.period,
        status=digest.status,
        attention=digest.attention,
        changes=digest.changes,
        metrics=metrics,
        channel_rows=rows,
        previous=_span_text(
            digest.period.start - timedelta(days=7), digest.period.start - timedelta(days=1)
        ),
        screen=screen,
    )


def html_to_pdf(html: str) -> bytes:
    """Draw HTML as PDF with WeasyPrint (Pango; no browser)."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
