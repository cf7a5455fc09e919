"""What the Data page shows: a readable line per loaded or refused file (refused first, warnings
next), what is loaded per channel and account and how fresh it is (coverage), and the exports
the plan's KPIs need with where to download them (the month's checklist)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import duckdb
import pandas as pd

from sostac_control.catalog import CHANNEL_LABELS
from sostac_control.errors import Problem
from sostac_control.i18n import N_, _, day_month, number, percent
from sostac_control.plan.model import Plan
from sostac_control.store.accounts import unnamed_beside_named

# Where each channel's export lives. The checklist and the first-run screen link to these.
EXPORT_GUIDE: dict[str, tuple[str, str, str]] = {
    "facebook": (
        N_("Meta Business Suite: posts export and page daily series"),
        N_(
            "Meta Business Suite → Insights → Content (Export data) and Insights → Results "
            "(each chart's Export)"
        ),
        "https://business.facebook.com/latest/insights/",
    ),
    "instagram": (
        N_("Meta Business Suite: Instagram posts export"),
        N_("Meta Business Suite → Insights → Content → Instagram → Export data"),
        "https://business.facebook.com/latest/insights/",
    ),
    "x": (
        N_("X: account analytics content export"),
        N_("x.com → More → Premium/Analytics → Content → Export data"),
        "https://analytics.x.com/",
    ),
    "linkedin": (
        N_("LinkedIn page analytics: Content (Metrics and All posts)"),
        N_("Your LinkedIn page → Analytics → Content → Export"),
        "https://www.linkedin.com/company/",
    ),
    "tiktok": (
        N_("TikTok Studio: Overview, Content, FollowerHistory"),
        N_("TikTok Studio → Analytics → Download data (give the year on the Data page)"),
        "https://www.tiktok.com/tiktokstudio/analytics",
    ),
    "youtube": (
        N_("YouTube Studio: Table data by date and by content"),
        N_("YouTube Studio → Analytics → Advanced mode → Export current view → CSV"),
        "https://studio.youtube.com/",
    ),
    "website": (
        N_("Google Analytics 4: Reports snapshot by date and Traffic acquisition"),
        N_("GA4 → Reports → Acquisition → Traffic acquisition → Share this report → Download CSV"),
        "https://analytics.google.com/",
    ),
    "meta_ads": (
        N_("Meta Ads Manager: ads report by day or week"),
        N_("Ads Manager → Reports → Export table data (CSV), with a time breakdown"),
        "https://adsmanager.facebook.com/",
    ),
    "google_ads": (
        N_("Google Ads: a report with a date range, by day"),
        N_("Google Ads → Campaigns → Download (CSV), segmented by day"),
        "https://ads.google.com/",
    ),
    "linkedin_ads": (
        N_("LinkedIn Campaign Manager: campaign performance"),
        N_("Campaign Manager → Analyze → Export (CSV), time breakdown daily"),
        "https://www.linkedin.com/campaignmanager/",
    ),
}
USUAL_DELAY_DAYS = 3


class IngestResult(Protocol):
    """What the Data page needs of an ingest result (sostac_control.ingest.IngestResult)."""

    file: str
    format: str | None
    platform: str | None
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[Problem]
    status: str
    message: str
    hint: str
    load_id: int | None
    account: str
    first_day: str | None
    last_day: str | None
    reconciled: dict[str, dict[str, Any]]  # per metric: read, stored, the file's own total
    set_aside: dict[str, int]  # non-data rows by name


# data older than this on the status day is "not fresh"


@dataclass(frozen=True)
class FileLine:
    """One uploaded file as a person reads it."""

    file: str
    verdict: str  # "refused" | "warning" | "loaded"
    line: str  # "Meta page daily series · 182 rows · 24 May – 21 Nov 2026 · Koffiebar Noord"
    warnings: tuple[str, ...] = ()
    result: IngestResult | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def symbol(self) -> str:
        return {"refused": "✕", "warning": "▲", "loaded": "✓"}[self.verdict]


def _day(text: str | None) -> str:
    return "" if not text else f"{date.fromisoformat(str(text)[:10]):%d %b %Y}"


def file_line(result: IngestResult, currencies: Sequence[str] = ()) -> FileLine:
    """A refused file says why; a loaded one its format, rows, days, account and currency;
    a truncated or partly rejected one is a warning, never a quiet "loaded"."""
    if result.status != "loaded":
        reason = result.message.removeprefix(f"{result.file}:").strip()
        return FileLine(result.file, "refused", reason, result=result)
    warnings = []
    structural = [e for e in result.errors if e.row <= 0]
    if structural:
        warnings.append(
            _("the file looks cut short or damaged: {why}").format(
                why="; ".join(e.message for e in structural[:2])
            )
        )
    if result.rejected:
        share = result.rejected / max(result.rows_read, 1)
        warnings.append(
            _("{rejected} of {read} rows rejected ({share}); the rest loaded").format(
                rejected=number(result.rejected),
                read=number(result.rows_read),
                share=percent(share, 0),
            )
        )
    days = ""
    if result.first_day and result.last_day:
        span = date.fromisoformat(result.last_day[:10]) - date.fromisoformat(result.first_day[:10])
        days = _("{first} – {last} ({days} days)").format(
            first=_day(result.first_day), last=_day(result.last_day), days=span.days + 1
        )
    parts = [
        f"{result.platform} {result.format}",
        _("{rows} rows").format(rows=number(result.rows_read)),
        days,
        _("account {account}").format(account=result.account)
        if result.account
        else _("no account named"),
        _("currency {codes}").format(codes=", ".join(currencies)) if currencies else "",
        _("{new} new, {replaced} replaced, {unchanged} unchanged").format(
            new=number(result.inserted),
            replaced=number(result.updated),
            unchanged=number(result.unchanged),
        ),
    ]
    details: dict[str, Any] = {}
    if result.reconciled:
        details["reconciled"] = result.reconciled
    return FileLine(
        result.file,
        "warning" if warnings else "loaded",
        " · ".join(p for p in parts if p),
        tuple(warnings),
        result,
        details,
    )


def file_lines(
    results: Sequence[IngestResult], currencies: dict[int, list[str]] | None = None
) -> list[FileLine]:
    """Every file's line, refused first, then warnings, then loaded; by name within each."""
    lines = [file_line(r, (currencies or {}).get(r.load_id or -1, ())) for r in results]
    order = {"refused": 0, "warning": 1, "loaded": 2}
    return sorted(lines, key=lambda f: (order[f.verdict], f.file.lower()))


def load_currencies(
    con: duckdb.DuckDBPyConnection, load_ids: Sequence[int]
) -> dict[int, list[str]]:
    """The currencies each load's money values name."""
    if not load_ids:
        return {}
    rows = con.execute(
        f"""SELECT load_id, list(DISTINCT currency ORDER BY currency) FROM observations
        WHERE load_id IN ({", ".join(str(int(i)) for i in load_ids)})
          AND coalesce(currency, '') <> '' GROUP BY load_id"""
    ).fetchall()
    return {int(r[0]): list(r[1]) for r in rows}


@dataclass
class Coverage:
    """What is loaded per channel and account, from which files, and how fresh."""

    as_of: date
    table: pd.DataFrame  # channel, label, account, grains, first_day, last_day, days, files, …
    unnamed: list[str]  # sentences: unnamed values beside named accounts (left out of sums)
    checklist: pd.DataFrame  # channel, label, needed_for, export, where, link, have, status


def coverage(con: duckdb.DuckDBPyConnection, plan: Plan | None, as_of: date) -> Coverage:
    """The Data page's coverage view and the plan's export checklist on `as_of`."""
    table = con.execute(
        """SELECT o.channel, o.account, string_agg(DISTINCT o.grain, ', ') AS grains,
               min(o.period_start) AS first_day, max(o.period_end) AS last_day,
               count(DISTINCT o.period_start) AS days,
               count(DISTINCT l.source) AS files,
               string_agg(DISTINCT l.source, ', ') AS sources,
               max(l.loaded_at) AS last_loaded
        FROM observations o JOIN loads l USING (load_id)
        WHERE o.is_current GROUP BY ALL ORDER BY o.channel, o.account"""
    ).df()
    table["first_day"] = pd.to_datetime(table["first_day"]).dt.date
    table["last_day"] = pd.to_datetime(table["last_day"]).dt.date
    table.insert(1, "label", [CHANNEL_LABELS.get(c, c) for c in table["channel"]])
    table["span_days"] = [(b - a).days + 1 for a, b in zip(table["first_day"], table["last_day"],
                                                          strict=True)]  # fmt: skip
    table["age_days"] = [(as_of - d).days for d in table["last_day"]]
    table["freshness"] = [
        _("ahead of the status day")
        if age < 0
        else _("fresh")
        if age <= USUAL_DELAY_DAYS
        else _("{days} days old").format(days=age)
        for age in table["age_days"]
    ]
    unnamed = [
        _(
            "{channel}: {count} values name no account beside {named}; they are left out of "
            "every sum so nothing counts twice. Load that file again with its account "
            "(Account field below, or `ingest --account`)."
        ).format(
            channel=CHANNEL_LABELS.get(channel, channel),
            count=number(count),
            named=", ".join(named),
        )
        for channel, named, count in unnamed_beside_named(con)
    ]
    return Coverage(as_of, table, unnamed, checklist(plan, table, as_of))


def checklist(plan: Plan | None, table: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The exports the plan's running KPIs need, with where to get them and whether the
    loaded data reaches the status day."""
    columns = ["channel", "label", "needed_for", "export", "where", "link", "loaded_up_to",
               "status"]  # fmt: skip
    if plan is None:
        return pd.DataFrame(columns=columns)
    needed: dict[str, list[str]] = {}
    for kpi in plan.kpis:
        if kpi.end < as_of - pd.Timedelta(days=31) or kpi.start > as_of:
            continue
        channels = list(EXPORT_GUIDE) if kpi.channel == "all" else [kpi.channel]
        for channel in channels:
            needed.setdefault(channel, []).append(kpi.label)
    last = table.groupby("channel")["last_day"].max().to_dict() if len(table) else {}
    rows = []
    for channel, kpis in needed.items():
        export, where, link = EXPORT_GUIDE.get(channel, (channel, "", ""))
        export, where = _(export), _(where)
        up_to = last.get(channel)
        if up_to is None:
            status = _("no data yet: load this export")
        elif (as_of - up_to).days > USUAL_DELAY_DAYS:
            status = _("due: loaded up to {day}").format(day=day_month(up_to))
        else:
            status = _("up to date")
        rows.append(
            {
                "channel": channel,
                "label": CHANNEL_LABELS.get(channel, channel),
                "needed_for": ", ".join(dict.fromkeys(kpis)),
                "export": export,
                "where": where,
                "link": link,
                "loaded_up_to": up_to,
                "status": status,
            }
        )
    order = {"no": 0, "due": 1, "up": 2}
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("status", key=lambda s: s.str.split().str[0].map(order),
                             ignore_index=True)  # fmt: skip
