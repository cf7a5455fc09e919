"""The commented example plan that `plan init` writes: a Dutch coffee bar's second half-year."""

from __future__ import annotations

EXAMPLE_PLAN = """\
# A social media plan for sostac-control (plan file version 1).
#
# Check it with:   sostac-control plan validate data/plan.yaml
# Track it with:   sostac-control status --plan data/plan.yaml
# Editors can check and complete this file with the JSON Schema from `sostac-control plan schema`.
#
# Dates are written YYYY-MM-DD. Numbers use a decimal point and no thousands separators
# (450000, not 450.000). Rates are fractions: 0.045 means 4.5%.

version: 1
name: Koffiebar Noord social media plan H2 2026
currency: EUR                       # money figures (spend, cpa, budgets) are in this currency
# currency_rates: {USD: 0.92}       # optional: 1 USD = 0.92 EUR, to convert other currencies
timezone: Europe/Amsterdam          # optional; timestamps in exports are converted to it
# language: nl                      # optional: the dashboard and reports in Dutch (nl) or English

# SOSTAC Objectives. Each has a unique id (used in links and commands), a title, one of the
# 5 S's as its category (sell, serve, sizzle, speak, save), an owner who answers for it, a
# period, and the KPIs that measure it.
objectives:
  - id: awareness-instagram
    title: Grow awareness among young professionals on Instagram
    category: sizzle                # sizzle: extend the brand online
    owner: Social media manager
    start: 2026-07-01
    end: 2026-09-30
    kpis:
      - metric: impressions         # sum metric: the target is the total over the period
        channel: instagram
        account: koffiebarnoord     # optional: one account; default all of the channel
        target: 450000
        baseline: 300000            # optional: the same period last year, for the SMART check
      - metric: engagement_rate     # ratio metric: ratio of the period's sums
        channel: instagram
        target: 0.045               # 4.5%
        baseline: 0.038
        denominator: impressions    # impressions (default), reach or followers
      - metric: followers           # level metric: the value on the period's last day
        channel: instagram
        target: 12000
        baseline: 10400

  - id: lunch-sales
    title: Sell more lunch deals through social ads
    category: sell                  # sell: grow sales
    owner: Marketing lead
    start: 2026-09-01
    end: 2026-12-31
    kpis:
      - metric: conversions
        channel: meta_ads
        target: 600
        baseline: 420
      - metric: cpa                 # cost per acquisition: lower is better (direction: down)
        channel: meta_ads
        target: 12.5
        baseline: 14
      - metric: link_clicks
        channel: all                # all channels together, each with its own aggregation
        target: 9000
        start: 2026-10-01           # a KPI may have its own period inside the objective's
        end: 2026-12-31

  - id: conversations-facebook
    title: Answer and start conversations with regulars on Facebook
    category: speak                 # speak: get closer to customers
    owner: Community manager
    start: 2026-07-01
    end: 2026-12-31
    kpis:
      - metric: comments
        channel: facebook
        target: 1500
        baseline: 1100
      - metric: engagement_rate
        channel: facebook
        target: 0.06
        denominator: reach          # engagements per unique account reached
        direction: up               # up (higher is better) is the default for this metric

# The 3 M's per channel and period: money (media spend), people time (hours) and its rate.
# People cost (hours x hourly_rate) counts in ROI.
budget:
  - channel: instagram
    start: 2026-07-01
    end: 2026-09-30
    money: 3000
    hours: 120
    hourly_rate: 45
  - channel: meta_ads
    start: 2026-09-01
    end: 2026-12-31
    money: 7500
    hours: 40
    hourly_rate: 45
  - channel: facebook
    start: 2026-07-01
    end: 2026-12-31
    money: 0
    hours: 150
    hourly_rate: 38

# Optional. What makes a post promotional, for the 1-in-10 guideline of the 3-S model (at most
# one post in ten sells; the rest inform or entertain). A post counts as promotional when it
# carries one of these hashtags, contains one of these words, or has one of these labels.
content:
  promotional:
    hashtags: ["#aanbieding", "#lunchdeal", "#korting"]
    keywords: [korting, actie, bestel nu, "2 voor 1"]
    labels: [promotie]

# Optional. Alerts for `sostac-control alert` (run it from cron or a systemd timer). Secrets
# never go in the plan: name the environment variable (or .streamlit/secrets.toml key) that
# holds the webhook URL or the SMTP password. Remove the '# ' to use it.
# alerts:
#   destinations:
#     - {name: team-slack, type: slack, url_env: SLACK_WEBHOOK_URL}   # or teams, webhook
#     - name: lead-mail
#       type: email                    # SMTP, always with STARTTLS
#       smtp_host: smtp.example.com
#       smtp_port: 587
#       username: alerts@example.com
#       password_env: SMTP_PASSWORD
#       from: alerts@example.com
#       to: [marketing@example.com]
#   rules:
#     - name: drifting                 # announce each change once
#       announce: [at_risk, off_track, stale, recovered, achieved]
#       send_to: [team-slack]
#     - {name: monday-digest, digest: weekly, every: monday 08:00, send_to: [lead-mail]}
#   mute:
#     - {objective: awareness-instagram, until: 2026-08-15}
"""
