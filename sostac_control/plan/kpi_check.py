"""Checking one KPI of an objective: its metric, channel, account, target, baseline,
denominator, direction and period (plan/check.py walks the objectives and calls this)."""

from __future__ import annotations

from datetime import date

from sostac_control.catalog import ALL_CHANNELS, METRICS
from sostac_control.i18n import _
from sostac_control.plan.fields import Section
from sostac_control.plan.keys import DIRECTIONS, KPI_CHANNELS, NOT_A_FRACTION_CHECK
from sostac_control.plan.model import Kpi


def check_kpi(
    section: Section, line: int, oid: str, start: date | None, end: date | None, ok: bool
) -> Kpi | None:
    name = section.choice("metric", METRICS, "metric")
    channel = section.choice("channel", KPI_CHANNELS, "channel")
    account = section.text("account")
    if account is not None and channel == ALL_CHANNELS:
        section.problem(
            "account",
            _("The account '{account}' is named for channel 'all'.").format(account=account),
            _("An account belongs to one channel: name that channel, or remove the account."),
        )
    target = _target(section, "target", name)
    baseline = _target(section, "baseline", name)
    metric = METRICS.get(name) if name else None
    denominator = _denominator(section, metric.name if metric else None)
    direction = section.choice("direction", DIRECTIONS, _("direction (up or down)"))
    kpi_start, kpi_end = section.day("start") or start, section.day("end") or end
    period_ok = ok and section.period_ok(
        kpi_start, kpi_end, _("KPI {path}").format(path=section.path)
    )
    if (
        metric is None
        or channel is None
        or target is None
        or kpi_start is None
        or kpi_end is None
        or not period_ok
        or (baseline is None and section.has("baseline"))
        or (direction is None and section.has("direction"))
        or (denominator is None and section.has("denominator"))
    ):
        return None
    return Kpi(
        metric=metric.name,
        channel=channel,
        account=account,
        target=target,
        baseline=baseline,
        denominator=denominator or metric.denominator,
        direction=direction or metric.direction,  # type: ignore[arg-type]
        start=kpi_start,
        end=kpi_end,
        line=line,
        objective_id=oid,
    )


def _target(section: Section, key: str, metric_name: str | None) -> float | None:
    number = section.number(key, minimum=None if metric_name == "roi" else 0.0)
    metric = METRICS.get(metric_name or "")
    if number is None or metric is None:
        return number
    if metric.is_fraction and metric.name not in NOT_A_FRACTION_CHECK and number > 1:
        section.problem(
            key,
            _(
                "{key} {number} for {metric} would mean {percent}%: {label} is a fraction "
                "(0.045 means 4.5%)."
            ).format(
                key=key,
                number=f"{number:g}",
                metric=metric.name,
                percent=f"{number * 100:g}",
                label=metric.label.lower(),
            ),
            _("For {number}% write {fraction}.").format(
                number=f"{number:g}", fraction=f"{number / 100:g}"
            ),
        )
        return None
    return number


def _denominator(section: Section, metric_name: str | None) -> str | None:
    if not section.has("denominator"):
        return None
    text = section.text("denominator")
    metric = METRICS.get(metric_name or "")
    if text is None or metric is None:
        return None
    if not metric.is_ratio:
        section.problem(
            "denominator",
            _("{metric} is not a ratio, so it has no denominator.").format(metric=metric.name),
            _(
                "Remove the 'denominator' line; it applies to ratio metrics such as "
                "engagement_rate."
            ),
        )
        return None
    if text not in metric.allowed_denominators:
        section.problem(
            "denominator",
            _("'{text}' is not a denominator of {metric}.").format(text=text, metric=metric.name),
            _("Write one of: {names} (default {default}).").format(
                names=", ".join(metric.allowed_denominators), default=metric.denominator
            ),
        )
        return None
    return text
