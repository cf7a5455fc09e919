"""A small workspace whose statuses show every flag: a gap with a culprit, a crisis, stale data
and a drift that is only a note. Dates are relative to the as-of day so the app, which judges
on today, shows the same as a test that passes the day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from sostac_control.ingest import ingest_paths

WEEK = [1.1, 1.15, 1.1, 1.05, 1.0, 0.8, 0.8]


def plan_text(as_of: date) -> str:
    start, end = as_of - timedelta(days=62), as_of + timedelta(days=28)
    return f"""version: 1
name: Flags plan
currency: EUR
objectives:
  - id: reach
    title: Reach on Instagram
    category: sizzle
    owner: Social media manager
    start: {start}
    end: {end}
    kpis:
      - metric: impressions
        channel: instagram
        target: 455000
  - id: community
    title: Community on Facebook
    category: speak
    owner: Community manager
    start: {start}
    end: {end}
    kpis:
      - metric: impressions
        channel: facebook
        target: 250000
  - id: web
    title: Visits to the webshop
    category: sell
    owner: Marketing lead
    start: {start}
    end: {end}
    kpis:
      - metric: sessions
        channel: website
        target: 36000
  - id: steady
    title: Clicks from LinkedIn
    category: serve
    owner: Marketing lead
    start: {start}
    end: {end}
    kpis:
      - metric: clicks
        channel: linkedin
        target: 3000
"""


def rows(as_of: date) -> list[str]:
    """Tidy CSV rows: 16 weeks of history and the period up to as_of."""
    rng = np.random.default_rng(5)
    start = as_of - timedelta(days=62)
    out = []
    day = start - timedelta(days=112)
    while day <= as_of:
        w = WEEK[day.weekday()]

        def noisy(level: float, sd: float = 0.12, w: float = w) -> float:
            return level * w * float(rng.lognormal(0, sd))

        drop = day >= as_of - timedelta(days=30)
        # Instagram: account "shop" falls to 30% a month ago; "brand" holds.
        out.append(f"{day},instagram,impressions,{noisy(3000):.0f},brand")
        out.append(f"{day},instagram,impressions,{noisy(2000 * (0.3 if drop else 1)):.0f},shop")
        # Facebook: calm, then an unfollow wave in the last four days.
        wave = day > as_of - timedelta(days=4)
        out.append(f"{day},facebook,impressions,{noisy(2800):.0f},page")
        out.append(f"{day},facebook,reactions,{noisy(90):.0f},page")
        out.append(f"{day},facebook,comments,{noisy(12, 0.3):.0f},page")
        net = -int(rng.integers(150, 250)) if wave else int(rng.integers(5, 20))
        out.append(f"{day},facebook,new_followers,{net},page")
        # Website: data stops ten days before as_of.
        if day <= as_of - timedelta(days=10):
            out.append(f"{day},website,sessions,{noisy(400):.0f},shop")
        # LinkedIn: 30% fewer clicks for three weeks; the target is modest.
        slow = 0.7 if day >= as_of - timedelta(days=21) else 1.0
        out.append(f"{day},linkedin,clicks,{noisy(50 * slow):.0f},company")
        day += timedelta(days=1)
    return out


def build(folder: Path, as_of: date) -> tuple[Path, Path]:
    """(database, plan) of the flags workspace, loaded through ingest."""
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / "flags.csv"
    csv.write_text("date,channel,metric,value,account\n" + "\n".join(rows(as_of)) + "\n")
    db, plan = folder / "flags.duckdb", folder / "plan.yaml"
    plan.write_text(plan_text(as_of))
    result = ingest_paths([csv], db)[0]
    assert result.status == "loaded", result.errors
    return db, plan
