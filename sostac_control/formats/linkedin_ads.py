"""LinkedIn Campaign Manager: campaign performance reports, kept as windows on linkedin_ads.

The report is UTF-16 TAB text with preamble lines (`Campaign Performance Report (in UTC)`,
`Report Start: …`, `Report End: …`) before the header. Rows are campaigns over the report's
window, or, when the report is broken down by day or month, from each row's `Start Date` to
the day before the next start date in the report (the last one to the report's end).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sostac_control.errors import SostacError
from sostac_control.formats.base import Detection, Extract, Format, ReadOptions, Source
from sostac_control.formats.table import (
    MONEY_METRICS,
    Observations,
    cell,
    column_index,
    dates_in,
    day_first_of,
    decimal_of,
    is_blank,
    norm,
    read_date,
    rows_of,
)
from sostac_control.i18n import N_, _

CAMPAIGN_METRICS = {
    "impressions": "impressions",
    "vertoningen": "impressions",
    "weergaven": "impressions",
    "clicks": "clicks",
    "klikken": "clicks",
    "total spent": "spend",
    "amount spent": "spend",
    "totaal besteed": "spend",
    "totaal uitgegeven": "spend",
    "conversions": "conversions",
    "conversies": "conversions",
    "leads": "leads",
    "reactions": "reactions",
    "reacties": "reactions",
    "comments": "comments",
    "opmerkingen": "comments",
    "shares": "shares",
    "follows": "new_followers",
    "total engagements": "engagements",
    "totale betrokkenheid": "engagements",
    "video views": "video_views",
    "videoweergaven": "video_views",
    "landing page clicks": "link_clicks",
    "klikken op landingspagina": "link_clicks",
    "reach": "reach",
    "bereik": "reach",
    "conversion value": "revenue",
    "total conversion value": "revenue",
}
CAMPAIGN_NAME = ("campaign name", "campaign", "campagnenaam", "campagne")
CAMPAIGN_ID = ("campaign id", "campagne-id")
START_DATE = (
    "start date (in utc)",
    "start date",
    "begindatum (in utc)",
    "begindatum",
    "startdatum (in utc)",
    "startdatum",
)


def _campaign_preamble(rows: list[list[Any]]) -> tuple[int, date | None, date | None] | None:
    start = end = None
    for index, row in enumerate(rows[:12]):
        text = "\t".join(str(c) for c in row if c)
        lowered = text.lower()
        for label, value in re.findall(
            r"(report start|report end|begin rapport|einde rapport|startdatum rapport|"
            r"einddatum rapport)\s*:\s*([^\t]+?)(?=,?\s*(?:report end|einde rapport|"
            r"einddatum rapport)\s*:|\t|$)",
            text,
            flags=re.IGNORECASE,
        ):
            days = dates_in(value)
            if not days:
                continue
            if label.lower() in ("report start", "begin rapport", "startdatum rapport"):
                start = days[0]
            else:
                end = days[0]
        names = {norm(c) for c in row}
        if (
            names & set(CAMPAIGN_NAME)
            and names & set(CAMPAIGN_METRICS)
            and ("report" not in lowered.split("\t")[0] or len(names) > 3)
        ):
            return index, start, end
    return None


class LinkedInCampaignManager(Format):
    name = "linkedin_campaign_manager"
    platform = "LinkedIn Campaign Manager"
    title = "campaign performance report (UTF-16 TAB, preamble lines)"
    channel = "linkedin_ads"
    grain = "window"
    skipped_rows_are = N_("total rows")

    def detect(self, source: Source) -> Detection | None:
        if source.kind != "text":
            return None
        head = "\n".join(source.head_lines(8)).lower()
        if (
            "report start" not in head
            and "campaign performance report" not in head
            and "begin rapport" not in head
        ):
            return None
        found = _campaign_preamble(rows_of(source)[""])
        if found is None or found[0] == 0:  # the report's lines come before its header
            return None
        return Detection(0.95, "Campaign Manager preamble (Report Start/End) and columns")

    def read(self, source: Source, options: ReadOptions) -> Extract:
        rows = rows_of(source)[""]
        found = _campaign_preamble(rows)
        if found is None:
            raise SostacError(f"{source.name}: no Campaign Manager header found.")
        index, report_start, report_end = found
        headers = [norm(c) for c in rows[index]]
        metrics: dict[int, str] = {}
        for i, name in enumerate(headers):
            metric = CAMPAIGN_METRICS.get(re.sub(r"\s*\([a-z]{3}\)$", "", name))
            if metric and metric not in metrics.values():
                metrics[i] = metric
        start_col = column_index(headers, *START_DATE)
        name_col = column_index(headers, *CAMPAIGN_NAME)
        id_col = column_index(headers, *CAMPAIGN_ID)
        currency_col = column_index(headers, "currency", "valuta")
        account_col = column_index(headers, "account name", "accountnaam")
        data = [r for r in rows[index + 1 :] if not is_blank(r)]
        dutch = bool(set(headers) & {"campagnenaam", "vertoningen", "klikken", "totaal besteed"})
        day_first = day_first_of([cell(r, start_col) for r in data[:50]], default=dutch)
        decimal = decimal_of(
            [cell(r, i) for r in data[:200] for i in metrics], "," if dutch else None
        )
        # Each row runs from its start date to the day before the next start date in the
        # report (daily or monthly breakdowns), the last one to the report's end.
        starts: list[date] = []
        if start_col is not None:
            for row in data:
                try:
                    day = read_date(cell(row, start_col), day_first=day_first)
                except ValueError:
                    continue
                if day:
                    starts.append(day)
        distinct = sorted(set(starts))
        if report_end is None and len(distinct) <= 1:
            raise SostacError(
                f"{source.name}: the report names no Report End, so its rows cannot be placed "
                "in time.",
                hint="Export the report again from Campaign Manager without editing its first "
                "lines.",
            )
        obs = Observations(self.channel, account=options.account or "")
        for n, row in enumerate(data, start=1):
            name = str(cell(row, name_col) or "").strip()
            if name.lower().startswith(("total", "totaal")) or not name:
                obs.skipped += 1
                continue
            obs.start_row()
            start = report_start
            if start_col is not None:
                try:
                    start = read_date(cell(row, start_col), day_first=day_first) or start
                except ValueError as exc:
                    obs.reject(n, str(rows[index][start_col]), str(exc))
                    obs.end_row()
                    continue
            if start is None:
                obs.reject(n, "Start Date", _("the row has no start date"))
                obs.end_row()
                continue
            later = [d for d in distinct if d > start]
            end = later[0] - timedelta(days=1) if later else (report_end or start)
            if not options.account and account_col is not None and cell(row, account_col):
                obs.account = str(cell(row, account_col)).strip()
            currency = str(cell(row, currency_col) or "").strip().upper() or None
            item = str(cell(row, id_col) or "").strip() or name
            for i, metric in metrics.items():
                obs.add(
                    n,
                    metric,
                    obs.number(n, str(rows[index][i]), cell(row, i), decimal),
                    start,
                    end,
                    grain="window",
                    dimension="campaign",
                    item=item,
                    currency=currency if metric in MONEY_METRICS else None,
                )
            obs.end_row()
        return Extract(
            observations=obs.frame(),
            rows_read=obs.rows_read + obs.skipped,
            skipped=obs.skipped,
            errors=obs.errors,
            account=obs.account,
            notes=["Rows are per campaign."],
        )


FORMATS: list[Format] = [LinkedInCampaignManager()]
