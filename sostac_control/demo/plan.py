"""The demo plan: DESIGN.md's YAML, with targets set against the demo's own numbers.

The targets are chosen so that the demo shows each status worth seeing: Instagram on track,
Facebook drifting off track after its sudden drop, last summer's webshop objective achieved,
a ratio KPI (X engagement rate) and a lower-is-better KPI (Meta ads cost per purchase).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from sostac_control.demo.data import BRAND, DROP_DAYS, WEEKS

PLAN_MARKER = "# Demo plan written by `sostac-control demo`"

# --- targets ---------------------------------------------------------------------------------


def _nice(value: float) -> float:
    """Round a target the way a person would write it: three significant digits."""
    if value <= 0:
        return 0.0
    digits = 3 - int(np.floor(np.log10(value))) - 1
    return float(round(value, digits))


def _total(tidy: pd.DataFrame, metric: str, start: date, end: date) -> float:
    rows = tidy[
        (tidy["metric"] == metric)
        & (tidy["date"] >= pd.Timestamp(start))
        & (tidy["date"] <= pd.Timestamp(end))
    ]
    return float(rows["value"].sum())


def _projection(tidy: pd.DataFrame, metric: str, start: date, end: date, as_of: date) -> float:
    """The period's total so far plus the last 28 days' daily mean for the days still to come."""
    so_far = _total(tidy, metric, start, as_of)
    recent = _total(tidy, metric, as_of - timedelta(days=27), as_of) / 28
    return so_far + recent * (end - as_of).days


def plan_text(as_of: date, tidy: dict[str, pd.DataFrame]) -> str:
    """The demo plan (DESIGN.md's YAML), its targets set against the generated numbers."""
    start, end = as_of - timedelta(days=62), as_of + timedelta(days=28)  # 13 weeks, 9 gone
    past_start, past_end = as_of - timedelta(days=140), as_of - timedelta(days=50)
    budget_start = as_of - timedelta(days=7 * WEEKS - 1)
    pre_drop = as_of - timedelta(days=DROP_DAYS + 1)

    def proj(channel: str, metric: str) -> float:
        return _projection(tidy[channel], metric, start, end, as_of)

    ig_views = _nice(0.93 * proj("instagram", "views"))
    ig_baseline = _nice(
        _total(tidy["instagram"], "views", start - timedelta(days=91), start - timedelta(days=1))
    )
    # Facebook's target assumes the pace before the drop grew by 20%: the drop makes it drift.
    fb_rate = _total(tidy["facebook"], "engagements", pre_drop - timedelta(days=27), pre_drop) / 28
    fb_engagements = _nice(1.2 * fb_rate * ((end - start).days + 1))
    x_impressions = _nice(0.9 * proj("x", "impressions"))
    web_conversions = _nice(0.9 * _total(tidy["website"], "conversions", past_start, past_end))
    web_revenue = _nice(0.92 * _total(tidy["website"], "revenue", past_start, past_end))
    web_sessions = _nice(0.95 * proj("website", "sessions"))
    ads_conversions = _nice(0.92 * proj("meta_ads", "conversions"))
    li_clicks = _nice(0.9 * proj("linkedin", "clicks"))
    weeks_budget = (as_of + timedelta(days=28) - budget_start).days / 7

    def num(value: float) -> str:
        return f"{value:g}" if value < 1e6 else f"{value:.0f}"

    return f"""{PLAN_MARKER} for {as_of.isoformat()}.
# Every target below is made up for the demo; edit this file or write your own with
# `sostac-control plan init`.
version: 1
name: {BRAND} social media plan
currency: EUR
timezone: Europe/Amsterdam
objectives:
  - id: awareness-instagram
    title: Grow awareness among young professionals in Amsterdam Noord on Instagram
    category: sizzle
    owner: Social media manager
    start: {start}
    end: {end}
    kpis:
      - metric: views
        channel: instagram
        target: {num(ig_views)}
        baseline: {num(ig_baseline)}
  - id: community-facebook
    title: Keep the conversation going with regulars on Facebook
    category: speak
    owner: Community manager
    start: {start}
    end: {end}
    kpis:
      - metric: engagements
        channel: facebook
        target: {num(fb_engagements)}
  - id: conversation-x
    title: Start conversations about coffee on X
    category: speak
    owner: Community manager
    start: {start}
    end: {end}
    kpis:
      - metric: engagement_rate
        channel: x
        target: 0.045
        denominator: impressions
      - metric: impressions
        channel: x
        target: {num(x_impressions)}
  - id: webshop-summer
    title: Sell beans and gift cards in the webshop over the summer
    category: sell
    owner: Marketing lead
    start: {past_start}
    end: {past_end}
    kpis:
      - metric: conversions
        channel: website
        target: {num(web_conversions)}
      - metric: revenue
        channel: website
        target: {num(web_revenue)}
  - id: cheaper-customers
    title: Win new customers through Meta ads at a lower cost per purchase
    category: save
    owner: Marketing lead
    start: {start}
    end: {end}
    kpis:
      - metric: cpa
        channel: meta_ads
        target: 25
        direction: down
      - metric: conversions
        channel: meta_ads
        target: {num(ads_conversions)}
  - id: office-customers
    title: Serve office customers with answers and ordering info on LinkedIn and the website
    category: serve
    owner: Sales
    start: {start}
    end: {end}
    kpis:
      - metric: clicks
        channel: linkedin
        target: {num(li_clicks)}
      - metric: sessions
        channel: website
        target: {num(web_sessions)}
budget:
  - channel: instagram
    start: {budget_start}
    end: {end}
    money: 0
    hours: 160
    hourly_rate: 45
  - channel: facebook
    start: {budget_start}
    end: {end}
    money: 0
    hours: 90
    hourly_rate: 45
  - channel: x
    start: {budget_start}
    end: {end}
    money: 0
    hours: 60
    hourly_rate: 45
  - channel: linkedin
    start: {budget_start}
    end: {end}
    money: 0
    hours: 50
    hourly_rate: 55
  - channel: meta_ads
    start: {budget_start}
    end: {end}
    money: {num(_nice(62 * 7 * weeks_budget))}
    hours: 40
    hourly_rate: 55
content:
  # The 3-S model's guideline: at most 1 post in 10 promotes; these words mark the ones that do.
  promotional:
    keywords: [abonnement, meerprijs]
"""
