"""The quarterly review beside ROI: return credited to social from web analytics, hours as hours
(planned against a time log), the change against an earlier period, and the final scorecard
of the objectives that have closed.

Credit to social comes from GA4's own attribution, never guessed: the sessions, conversions and
revenue GA4 books to its channel groups "Organic Social" and "Paid Social", and, where a report
by session source / medium (UTM) is loaded, to each platform by its source (instagram, facebook,
linkedin, …). Windows are counted pro rata by the days of the period they cover.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from sostac_control.catalog import CHANNEL_LABELS, format_value
from sostac_control.engine.grains import metric_total
from sostac_control.engine.money import money_sql, use_plan_money
from sostac_control.engine.rollups import (
    bucket_start,
    last_year,
    previous_period,
    relative_change,
)
from sostac_control.engine.status import evaluate_plan
from sostac_control.i18n import _
from sostac_control.plan.model import Plan
from sostac_control.views.roi import roi_report
from sostac_control.views.statuses import status_words
from sostac_control.views.tables import formatted

GROUP_DIMENSIONS = ("session_channel_group", "session_default_channel_group",
                    "default_channel_group", "first_user_default_channel_group")  # fmt: skip
SOURCE_DIMENSIONS = ("session_source_medium", "session_source", "source_medium", "source",
                     "utm_source", "first_user_source_medium")  # fmt: skip
SOCIAL_GROUPS = {"organic social": "organic social", "paid social": "paid social"}
# A GA4 / UTM source names the platform: "instagram / social", "l.facebook.com / referral".
SOURCE_PLATFORMS = (
    (r"instagram|\big\b", "instagram"),
    (r"facebook|\bfb\b|\bm\.me\b", "facebook"),
    (r"linkedin|lnkd\.in", "linkedin"),
    (r"tiktok", "tiktok"),
    (r"youtube|youtu\.be", "youtube"),
    (r"pinterest", "pinterest"),
    (r"\bx\.com\b|\bt\.co\b|twitter", "x"),
)
CREDIT_METRICS = ("sessions", "conversions", "revenue")
ORGANIC_SOCIAL = ("facebook", "instagram", "x", "linkedin", "tiktok", "youtube", "pinterest")
PAID_SOCIAL = ("meta_ads", "linkedin_ads", "tiktok_ads")


def with_social_roi(by_group: pd.DataFrame, by_channel: pd.DataFrame) -> pd.DataFrame:
    """Credited groups with the cost of the channels they stand for and their ROI:
    organic social against the organic platforms' cost, paid social against social ads."""
    members = {"organic social": ORGANIC_SOCIAL, "paid social": PAID_SOCIAL}
    cost = []
    for group in by_group["credited_to"]:
        mine = by_channel[by_channel["channel"].isin(members.get(group, ()))]
        cost.append(float(mine["cost"].sum()) if len(mine) else float("nan"))
    out = by_group.copy()
    out["cost"] = cost
    out["roi"] = (out["revenue"] - out["cost"]) / out["cost"].where(out["cost"] > 0)
    return out


def platform_of_source(source: str) -> str | None:
    """The social platform a GA4 source or UTM source/medium names, else None."""
    text = source.lower()
    for pattern, platform in SOURCE_PLATFORMS:
        if re.search(pattern, text):
            return platform
    return None


@dataclass(frozen=True)
class SocialCredit:
    """Return GA4 books to social over a period, and how it was credited."""

    by_group: pd.DataFrame  # credited_to (organic social, paid social), sessions, conv., revenue
    by_platform: pd.DataFrame  # credited_to (platform label), source, sessions, conv., revenue
    method: str  # one sentence on how, or why there is nothing


def social_credit(con: duckdb.DuckDBPyConnection, start: date, end: date) -> SocialCredit:
    """Sessions, conversions and revenue GA4 credits to social channels in [start, end]."""
    dims = ", ".join(f"'{d}'" for d in (*GROUP_DIMENSIONS, *SOURCE_DIMENSIONS))
    metrics = ", ".join(f"'{m}'" for m in CREDIT_METRICS)
    rows = con.execute(
        f"""SELECT dimension, item, metric,
               sum({money_sql()} * (least(period_end, $end::DATE)
                   - greatest(period_start, $start::DATE) + 1)
                   / (period_end - period_start + 1)) AS value
        FROM observations
        WHERE is_current AND channel = 'website' AND dimension IN ({dims})
          AND metric IN ({metrics}) AND period_start <= $end AND period_end >= $start
        GROUP BY ALL""",
        {"start": start, "end": end},
    ).df()
    empty_group = pd.DataFrame(columns=["credited_to", *CREDIT_METRICS])
    if rows.empty:
        return SocialCredit(
            empty_group,
            empty_group.assign(source=[]),
            _(
                "No GA4 report by channel group or by source / medium is loaded for this period, "
                "so no revenue is credited to social channels. Load GA4's Traffic acquisition "
                "report."
            ),
        )
    groups = rows[rows["dimension"].isin(GROUP_DIMENSIONS)].copy()
    groups = groups[groups["dimension"] == groups["dimension"].min()]  # one breakdown, never two
    groups["credited_to"] = groups["item"].str.lower().map(SOCIAL_GROUPS)
    by_group = (
        groups.dropna(subset=["credited_to"])
        .pivot_table(index="credited_to", columns="metric", values="value", aggfunc="sum")
        .reindex(columns=list(CREDIT_METRICS))
        .reset_index()
    )
    sources = rows[rows["dimension"].isin(SOURCE_DIMENSIONS)].copy()
    sources = sources[sources["dimension"] == sources["dimension"].min()]
    sources["platform"] = [platform_of_source(str(s)) for s in sources["item"]]
    sources = sources.dropna(subset=["platform"])
    by_platform = (
        sources.pivot_table(index="platform", columns="metric", values="value", aggfunc="sum")
        .reindex(columns=list(CREDIT_METRICS))
        .reset_index()
    )
    by_platform.insert(
        0, "credited_to", [CHANNEL_LABELS.get(p, p) for p in by_platform["platform"]]
    )
    parts = []
    if len(by_group):
        parts.append(
            _(
                "GA4's session channel groups credit sessions, conversions and revenue to "
                "Organic Social and Paid Social (GA4's own attribution, as loaded); ROI sets "
                "that revenue against the cost (spend + people) of the organic platforms and "
                "of the social ads"
            )
        )
    if len(by_platform):
        parts.append(_("its source / medium (UTM) rows credit each platform by its source"))
    else:
        parts.append(
            _(
                "per platform needs GA4's report by session source / medium (UTM tags on your "
                "links); none is loaded"
            )
        )
    return SocialCredit(by_group, by_platform, "; ".join(parts) + ".")


def hours(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    start: date,
    end: date,
    channels: Sequence[str] = (),
) -> pd.DataFrame:
    """Per channel with a budget line or a time log: planned hours (pro rata by days), hours
    worked (the time log's `hours_worked`), hourly rate and people cost as planned and as
    worked. Hours worked is NaN where no time log is loaded."""
    planned: dict[str, list[float]] = {}
    for line in plan.budget:
        if channels and line.channel not in channels:
            continue
        days = (line.end - line.start).days + 1
        lo, hi = max(line.start, start), min(line.end, end)
        share = max((hi - lo).days + 1, 0) / days if days > 0 else 0.0
        entry = planned.setdefault(line.channel, [0.0, 0.0])
        entry[0] += float(line.hours or 0) * share
        entry[1] += float(line.people_cost or 0) * share
    logged = con.execute(
        """SELECT DISTINCT channel FROM observations
        WHERE is_current AND metric = 'hours_worked' AND period_start <= $end
          AND period_end >= $start""",
        {"start": start, "end": end},
    ).fetchall()
    names = sorted({*planned, *(r[0] for r in logged)} - ({""} if not channels else set()))
    rows = []
    for channel in names:
        if channels and channel not in channels:
            continue
        plan_hours, plan_cost = planned.get(channel, [0.0, 0.0])
        worked = metric_total(con, "hours_worked", channel, None, start, end).value
        rate = plan_cost / plan_hours if plan_hours else None
        rows.append(
            {
                "channel": channel,
                "label": CHANNEL_LABELS.get(channel, channel),
                "planned_hours": plan_hours,
                "hours_worked": worked,
                "hourly_rate": rate,
                "planned_people_cost": plan_cost,
                "worked_people_cost": None if worked is None or rate is None else worked * rate,
            }
        )
    columns = ["channel", "label", "planned_hours", "hours_worked", "hourly_rate",
               "planned_people_cost", "worked_people_cost"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def earlier_period(start: date, end: date, compare: str) -> tuple[date, date]:
    """The period to compare with: "previous period" (the quarter before a whole quarter,
    else the same number of days just before) or "same period last year"."""
    if compare != "previous period":
        return last_year(start, end)
    quarter_end = bucket_start(start + timedelta(days=92), "quarter") - timedelta(days=1)
    if start == bucket_start(start, "quarter") and end == quarter_end:
        before_end = start - timedelta(days=1)
        return bucket_start(before_end, "quarter"), before_end
    return previous_period(start, end)


def changes(now: pd.DataFrame, before: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Per channel (label), each column's relative change from `before` to `now`."""
    earlier = before.set_index("channel") if len(before) else pd.DataFrame()
    out = now[["channel", "label"]].copy()
    for column in columns:
        old = now["channel"].map(earlier[column]) if column in earlier else None
        out[column] = [
            relative_change(_num(a), _num(b))
            for a, b in zip(now[column], old if old is not None else [None] * len(now), strict=True)
        ]
    return out


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def closed_objectives(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: date) -> pd.DataFrame:
    """The final scorecard: each objective whose period ended before `as_of`, judged on its
    last day with all its data, each KPI's result against its target.

    objective, quarter (of its end), ended, kpi, metric, actual, target, pct_of_target, status.
    """
    use_plan_money(con, plan.currency, plan.currency_rates)
    ended = [o for o in plan.objectives if o.end < as_of]
    rows = []
    for objective in ended:
        one = replace(plan, objectives=[objective])
        result = evaluate_plan(con, one, as_of)
        for k in result.objectives[0].kpis:
            rows.append(
                {
                    "objective": objective.title,
                    "quarter": f"{objective.end.year}-Q{(objective.end.month - 1) // 3 + 1}",
                    "ended": objective.end,
                    "kpi": k.label,
                    "metric": k.kpi.metric,
                    "actual": k.actual,
                    "target": k.kpi.target,
                    "pct_of_target": None
                    if not k.actual or not k.kpi.target
                    else k.actual / k.kpi.target,
                    "status": k.status,
                }
            )
    columns = ["objective", "quarter", "ended", "kpi", "metric", "actual", "target",
               "pct_of_target", "status"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).sort_values("ended", ascending=False)


@dataclass(frozen=True)
class QuarterReview:
    """What the ROI page shows besides cost and return per channel."""

    credit: SocialCredit
    hours: pd.DataFrame
    compared_with: tuple[date, date]
    changes: pd.DataFrame  # channel, label, spend, revenue, cost, roi (relative changes)
    closed: pd.DataFrame  # closed_objectives


def quarter_review(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    start: date,
    end: date,
    channels: Sequence[str] = (),
    compare: str = "previous period",
    as_of: date | None = None,
) -> QuarterReview:
    """The ROI page's review in one call (the cost table itself is roi.roi_report)."""
    use_plan_money(con, plan.currency, plan.currency_rates)
    before = earlier_period(start, end, compare)
    now = roi_report(con, plan, start, end, channels or None).by_channel
    then = roi_report(con, plan, *before, channels or None).by_channel
    credit = social_credit(con, start, end)
    credit = replace(credit, by_group=with_social_roi(credit.by_group, now))
    return QuarterReview(
        credit,
        hours(con, plan, start, end, channels),
        before,
        changes(now, then, ("spend", "people_cost", "revenue", "conversions", "roi")),
        closed_objectives(con, plan, as_of or end),
    )


def closed_table(closed: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The final scorecard for reading."""
    return pd.DataFrame(
        {
            "objective": closed["objective"],
            "ended": [f"{d:%d %b %Y}" for d in closed["ended"]],
            "KPI": closed["kpi"],
            "result": formatted(closed["actual"], closed["metric"], currency),
            "target": formatted(closed["target"], closed["metric"], currency),
            "of target": [f"{v:.0%}" if pd.notna(v) else "—" for v in closed["pct_of_target"]],
            "status": [status_words(s) for s in closed["status"]],
        }
    )


def changes_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Relative changes for reading: "+12.3%", "—" where there is nothing to compare."""
    out = pd.DataFrame({"channel": frame["label"]})
    for column in frame.columns[2:]:
        out[column.replace("_", " ")] = [f"{v:+.1%}" if pd.notna(v) else "—" for v in frame[column]]
    return out


def credit_table(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Credited sessions, conversions and revenue for reading."""
    out = pd.DataFrame({"credited to": frame["credited_to"]})
    for metric in CREDIT_METRICS:
        out[metric] = formatted(frame[metric], metric, currency)
    if "cost" in frame:
        out["cost of its channels"] = formatted(frame["cost"], "spend", currency)
        out["ROI"] = formatted(frame["roi"], "roi", currency)
    return out


def hours_table(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Hours as hours beside people cost, planned and worked."""

    def hours_text(values: pd.Series) -> list[str]:
        return [
            format_value(v, "hours_worked") if pd.notna(v) else _("— (no time log)") for v in values
        ]

    return pd.DataFrame(
        {
            "channel": frame["label"],
            "planned hours": hours_text(frame["planned_hours"]),
            "hours worked": hours_text(frame["hours_worked"]),
            "hourly rate": formatted(frame["hourly_rate"], "spend", currency),
            "planned people cost": formatted(frame["planned_people_cost"], "spend", currency),
            "people cost worked": formatted(frame["worked_people_cost"], "spend", currency),
        }
    )
