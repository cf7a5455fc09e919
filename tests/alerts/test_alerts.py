"""`alert` against real receivers on 127.0.0.1: Slack, Teams and webhook payloads, SMTP with
STARTTLS and the digest's PDF, exactly once per change (also for two overlapping runs),
retries, holds and mutes."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from sostac_control.alerts import send
from sostac_control.alerts.run import run_alerts
from sostac_control.ingest import ingest_paths
from sostac_control.plan import load_plan
from sostac_control.store import alert_log
from tests.support.alert_servers import Receiver, start_receiver, start_smtp
from tests.support.status_workspace import build as build_flags_workspace

START, END = date(2026, 7, 1), date(2026, 9, 30)
AS_OF = date(2026, 8, 17)  # a Monday: the digest's day


def _plan_text(alerts: str) -> str:
    return f"""version: 1
name: Alert test plan
objectives:
  - id: reach-instagram
    title: Grow Instagram impressions
    start: {START}
    end: {END}
    kpis:
      - metric: impressions
        channel: instagram
        target: 200000
  - id: steady-facebook
    title: Keep Facebook steady
    start: {START}
    end: {END}
    kpis:
      - metric: impressions
        channel: facebook
        target: 91000
alerts:
{alerts}
"""


WEBHOOKS = """  destinations:
    - {name: team-slack, type: slack, url_env: TEST_SLACK_URL}
    - {name: team-teams, type: teams, url_env: TEST_TEAMS_URL}
    - {name: hook, type: webhook, url_env: TEST_HOOK_URL}
  rules:
    - name: drifting
      announce: [at_risk, off_track, stale, recovered]
      send_to: [team-slack, team-teams, hook]
"""


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """A webhook receiver; the three URL variables point at its /slack, /teams and /hook."""
    box, server = start_receiver()
    for name, path in (("SLACK", "slack"), ("TEAMS", "teams"), ("HOOK", "hook")):
        monkeypatch.setenv(f"TEST_{name}_URL", f"{box.url}/{path}")
    monkeypatch.setattr(send, "BACKOFF_BASE_S", 0.05)
    yield box
    server.shutdown()


def _workspace(
    tmp_path: Path, write_tidy, alerts: str, last_day: date = AS_OF
) -> tuple[Path, Path]:
    """Instagram far behind its target (1,000 a day for 200,000), Facebook on pace."""
    days = [START + timedelta(days=i) for i in range((last_day - START).days + 1)]
    rows = [(d, "instagram", "impressions", 1000, "ig") for d in days]
    rows += [(d, "facebook", "impressions", 1000, "fb") for d in days]
    db = tmp_path / "alerts.duckdb"
    [result] = ingest_paths([write_tidy(rows)], db)
    assert result.status == "loaded"
    plan = tmp_path / "plan.yaml"
    plan.write_text(_plan_text(alerts), encoding="utf-8")
    return db, plan


def test_off_track_is_announced_once_to_slack_teams_and_webhook_in_their_shapes(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    db, plan_path = _workspace(tmp_path, write_tidy, WEBHOOKS)
    plan = load_plan(plan_path)
    first = run_alerts(db, plan, AS_OF)
    second = run_alerts(db, plan, AS_OF)
    assert [o.status for o in first.outcomes] == ["sent"] * 3
    assert second.outcomes == []  # announced already: nothing new to say
    [slack] = receiver.bodies("/slack")
    assert slack["text"].startswith("Grow Instagram impressions: off track")
    assert slack["blocks"][0]["type"] == "header"
    assert slack["blocks"][1]["text"]["type"] == "mrkdwn"
    assert "chance" in slack["blocks"][1]["text"]["text"]
    [teams] = receiver.bodies("/teams")
    assert teams["type"] == "message"
    card = teams["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard"
    assert card["content"]["body"][0]["text"] == "Grow Instagram impressions: off track"
    [hook] = receiver.bodies("/hook")
    assert hook["payload_version"] == 1
    assert (hook["event"], hook["objective"], hook["status"]) == (
        "off_track",
        "reach-instagram",
        "off_track",
    )
    assert hook["as_of"] == AS_OF.isoformat()


def test_a_receiver_answering_500_then_200_gets_one_alert_and_the_log_shows_two_attempts(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    rules = WEBHOOKS.replace("send_to: [team-slack, team-teams, hook]", "send_to: [hook]")
    db, plan_path = _workspace(tmp_path, write_tidy, rules)
    receiver.answers = [500]
    run = run_alerts(db, load_plan(plan_path), AS_OF)
    assert [(o.status, o.attempts) for o in run.outcomes] == [("sent", 2)]
    assert len(receiver.bodies("/hook")) == 2  # the failed attempt and the delivered one
    [entry] = alert_log(db)
    assert (entry["status"], entry["attempts"], entry["last_error"]) == ("sent", 2, None)


def test_a_failed_send_is_logged_without_the_secret_url_and_retried_next_run(
    tmp_path: Path, write_tidy, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = WEBHOOKS.replace("send_to: [team-slack, team-teams, hook]", "send_to: [hook]")
    db, plan_path = _workspace(tmp_path, write_tidy, rules)
    monkeypatch.setenv("TEST_HOOK_URL", f"{receiver.url}/hook?token=s3cret-value")
    receiver.answers = [503, 503, 503]
    plan = load_plan(plan_path)
    failed = run_alerts(db, plan, AS_OF)
    assert failed.failed and "HTTP 503" in failed.outcomes[0].error
    assert "s3cret" not in str(alert_log(db)) and "s3cret" not in failed.outcomes[0].error
    retried = run_alerts(db, plan, AS_OF)
    assert [o.status for o in retried.outcomes] == ["sent"]
    assert alert_log(db)[0]["attempts"] == 4
    assert len(receiver.bodies("/hook?token=s3cret-value")) == 4


def test_two_overlapping_runs_send_each_alert_once(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    db, plan_path = _workspace(tmp_path, write_tidy, WEBHOOKS)
    env = {**os.environ, "SOSTAC_ALERT_BACKOFF": "0.05"}
    command = [sys.executable, "-m", "sostac_control", "alert", "--db", str(db)]
    command += ["--plan", str(plan_path), "--as-of", AS_OF.isoformat(), "--json"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert len(receiver.requests) == 3  # one per destination, not six
    assert sorted(r[0] for r in receiver.requests) == ["/hook", "/slack", "/teams"]
    assert sum(o.count('"sent"') for o in outputs) == 3


def test_a_stale_source_holds_every_alert_and_says_so_once(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    db, plan_path = _workspace(tmp_path, write_tidy, WEBHOOKS, last_day=AS_OF - timedelta(10))
    plan = load_plan(plan_path)
    run = run_alerts(db, plan, AS_OF)
    assert any("Instagram has no data after 07 Aug 2026" in reason for reason in run.held)
    assert all(o.status in ("held", "sent") for o in run.outcomes)
    assert not [b for b in receiver.bodies("/hook") if b["event"] == "off_track"]
    notices = receiver.bodies("/hook")
    assert notices and all(b["event"] == "held" for b in notices)
    assert "alerts held" in receiver.bodies("/slack")[0]["text"]
    before = len(receiver.requests)
    run_alerts(db, plan, AS_OF)
    assert len(receiver.requests) == before  # the hold is announced once


def test_a_refused_load_holds_alerts_until_a_good_load(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    db, plan_path = _workspace(tmp_path, write_tidy, WEBHOOKS)
    bad = tmp_path / "audience.csv"
    bad.write_text("when,what\n2026-08-01,coffee\n", encoding="utf-8")
    [refused] = ingest_paths([bad], db)
    assert refused.status == "refused"
    plan = load_plan(plan_path)
    held = run_alerts(db, plan, AS_OF, dry_run=True)
    assert any("audience.csv" in reason and "was refused" in reason for reason in held.held)
    ingest_paths([write_tidy([(AS_OF, "instagram", "impressions", 1000, "ig")], "more.csv")], db)
    released = run_alerts(db, plan, AS_OF, dry_run=True)
    assert released.held == []
    assert receiver.requests == []  # dry runs send nothing


def test_a_muted_objective_is_not_announced_until_its_day(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    muted = WEBHOOKS + "  mute:\n    - {objective: reach-instagram, until: 2026-08-20}\n"
    db, plan_path = _workspace(tmp_path, write_tidy, muted)
    run = run_alerts(db, load_plan(plan_path), AS_OF)
    assert run.outcomes == [] and "muted until 20 Aug 2026" in run.muted[0]
    assert receiver.requests == []


def test_weekly_digest_arrives_by_smtp_with_starttls_and_the_pdf_attached_once(
    tmp_path: Path, write_tidy, monkeypatch: pytest.MonkeyPatch
) -> None:
    box, controller, cert = start_smtp(tmp_path, "alerts@example.com", "smtp-pass-123")
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test's own certificate
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "smtp-pass-123")
        alerts = f"""  destinations:
    - name: lead-mail
      type: email
      smtp_host: 127.0.0.1
      smtp_port: {box.port}
      username: alerts@example.com
      password_env: TEST_SMTP_PASSWORD
      from: alerts@example.com
      to: [lead@example.com]
  rules:
    - {{name: monday-digest, digest: weekly, every: monday 08:00, send_to: [lead-mail]}}
"""
        db, plan_path = _workspace(tmp_path, write_tidy, alerts)
        plan = load_plan(plan_path)
        first = run_alerts(db, plan, AS_OF)
        second = run_alerts(db, plan, AS_OF)
    finally:
        controller.stop()
    assert [o.status for o in first.outcomes] == ["sent"], first.outcomes
    assert [o.status for o in second.outcomes] == ["already_sent"]
    [(sender, recipients, raw, was_tls)] = box.messages
    assert was_tls and sender == "alerts@example.com" and recipients == ["lead@example.com"]
    message = email.message_from_bytes(raw)
    assert message["Subject"].startswith("Weekly digest week 33 of 2026")
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Needs attention" in parts["text/html"].get_payload(decode=True).decode()
    pdf = parts["application/pdf"]
    assert pdf.get_filename() == "weekly-week-33-2026.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF")


def test_a_digest_is_not_due_before_its_moment(tmp_path: Path, write_tidy) -> None:
    alerts = """  destinations:
    - {name: hook, type: webhook, url_env: TEST_HOOK_URL}
  rules:
    - {name: friday-digest, digest: weekly, every: friday 17:00, send_to: [hook]}
"""
    db, plan_path = _workspace(tmp_path, write_tidy, alerts)
    from datetime import datetime

    plan = load_plan(plan_path)
    thursday = run_alerts(db, plan, date(2026, 8, 13), dry_run=True, now=datetime(2026, 8, 13, 9))
    friday = run_alerts(db, plan, date(2026, 8, 14), dry_run=True, now=datetime(2026, 8, 14, 17))
    assert [o.status for o in friday.outcomes] == ["would_send"]
    # Thursday still sees last Friday's digest as due: it was never sent.
    assert [o.key.split("|")[3] for o in thursday.outcomes] == ["2026-08-07"]


def test_a_recovery_is_announced_once_after_off_track(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    rules = WEBHOOKS.replace("send_to: [team-slack, team-teams, hook]", "send_to: [hook]")
    db, plan_path = _workspace(tmp_path, write_tidy, rules)
    plan = load_plan(plan_path)
    run_alerts(db, plan, AS_OF)
    days = range(1, 22)  # three weeks at six times the pace: back on course for the target
    later = [(AS_OF + timedelta(days=i), "instagram", "impressions", 6000, "ig") for i in days]
    later += [(AS_OF + timedelta(days=i), "facebook", "impressions", 1000, "fb") for i in days]
    ingest_paths([write_tidy(later, "later.csv")], db)
    day = AS_OF + timedelta(days=21)
    run_alerts(db, plan, day)
    run_alerts(db, plan, day)
    events = [(b["objective"], b["event"]) for b in receiver.bodies("/hook")]
    assert events == [("reach-instagram", "off_track"), ("reach-instagram", "recovered")]
    assert receiver.bodies("/hook")[1]["status"] == "on_track"


def test_every_run_repeats_once_a_day_while_the_status_lasts(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    rules = WEBHOOKS.replace("send_to: [team-slack, team-teams, hook]", "send_to: [hook]")
    rules = rules.replace("      announce:", "      repeat: every_run\n      announce:")
    db, plan_path = _workspace(tmp_path, write_tidy, rules, last_day=AS_OF + timedelta(days=1))
    plan = load_plan(plan_path)
    for day in (AS_OF, AS_OF, AS_OF + timedelta(days=1)):
        run_alerts(db, plan, day)
    assert [b["as_of"] for b in receiver.bodies("/hook")] == [
        AS_OF.isoformat(),
        (AS_OF + timedelta(days=1)).isoformat(),
    ]


def test_a_webhook_url_from_streamlit_secrets_is_used_and_never_logged(
    tmp_path: Path, write_tidy, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = WEBHOOKS.replace("send_to: [team-slack, team-teams, hook]", "send_to: [hook]")
    db, plan_path = _workspace(tmp_path, write_tidy, rules)
    monkeypatch.delenv("TEST_HOOK_URL")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    secret_url = f"{receiver.url}/hook/from-secrets-file"
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'TEST_HOOK_URL = "{secret_url}"\n', encoding="utf-8"
    )
    run = run_alerts(db, load_plan(plan_path), AS_OF)
    assert [o.status for o in run.outcomes] == ["sent"]
    assert len(receiver.bodies("/hook/from-secrets-file")) == 1
    assert "from-secrets-file" not in str(alert_log(db)) + str(run.to_dict())


def test_the_digest_in_slack_lists_what_needs_attention(
    tmp_path: Path, write_tidy, receiver: Receiver
) -> None:
    alerts = """  destinations:
    - {name: team-slack, type: slack, url_env: TEST_SLACK_URL}
  rules:
    - {name: monday-digest, digest: weekly, every: monday 08:00, send_to: [team-slack]}
"""
    db, plan_path = _workspace(tmp_path, write_tidy, alerts)
    run = run_alerts(db, load_plan(plan_path), AS_OF)
    assert [o.status for o in run.outcomes] == ["sent"]
    [slack] = receiver.bodies("/slack")
    text = slack["blocks"][1]["text"]["text"]
    assert slack["blocks"][0]["text"]["text"].startswith("Weekly digest week 33 of 2026")
    assert "10 Aug – 16 Aug 2026." in text
    assert "Needs attention: 1 KPI(s)." in text
    assert "• Impressions · Instagram: off track" in text


def test_a_crisis_and_a_stale_objective_are_each_announced_once(
    tmp_path: Path, receiver: Receiver
) -> None:
    """The status rules' flags workspace: a crisis on Facebook, a website KPI gone stale."""
    as_of = date(2026, 12, 1)
    db, plan_path = build_flags_workspace(tmp_path / "flags", as_of)
    alerts = """alerts:
  destinations:
    - {name: hook, type: webhook, url_env: TEST_HOOK_URL}
  rules:
    - {name: flags, announce: [stale, crisis], send_to: [hook]}
  stale_after_days: 60   # judge the flags, not the hold
"""
    plan_path.write_text(plan_path.read_text() + alerts, encoding="utf-8")
    plan = load_plan(plan_path)
    run_alerts(db, plan, as_of)
    run_alerts(db, plan, as_of)
    bodies = receiver.bodies("/hook")
    assert sorted((b["event"], b["objective"]) for b in bodies) == [
        ("crisis", "community"),
        ("stale", "web"),
    ]
    crisis = next(b for b in bodies if b["event"] == "crisis")
    assert crisis["crisis"]["began"] == (as_of - timedelta(days=3)).isoformat()
    assert "followers" in crisis["reason"]
