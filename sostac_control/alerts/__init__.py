"""Alerts: announce status changes and send the weekly digest by e-mail, Slack, Teams or webhook.

    events.py    what to announce on a day: status changes per rule, digests that are due, holds
    send.py      the destinations: SMTP with STARTTLS, Slack, Teams, JSON webhook; retries
    run.py       one `alert` run: events → claims in the sent-alert log → sends → log

The rules are the plan's `alerts:` section (plan/alerts.py, checked in plan/alerts_check.py);
the sent-alert log is the store's (store/alert_log.py). May import: plan, store, engine (the
statuses), api (secrets and redaction), reports (the digest), catalog, errors.
"""
