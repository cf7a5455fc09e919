"""Alerts: announce status changes and send the weekly digest by e-mail, Slack, Teams or webhook.

rules.py     the plan's `alerts:` section: destinations, rules, mutes (models only)
plan_rules.py checking that section with lines and hints, like the rest of the plan
events.py    what to announce on a day: status changes per rule, digests that are due, holds
log.py       the sent-alert log in the database: claim before sending, never twice
send.py      the destinations: SMTP with STARTTLS, Slack, Teams, JSON webhook; retries
run.py       one `alert` run: events → claims → sends → log
"""
