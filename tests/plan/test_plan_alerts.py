"""The plan's `alerts:` section: read into settings, every problem with its line and a fix,
secrets refused, and listed in `plan schema`."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import jsonschema
import pytest
import yaml

from sostac_control.cli import main
from sostac_control.plan import PlanError, parse_plan

PLAN = """\
version: 1
name: Koffiebar Noord
objectives:
  - id: awareness
    title: Grow awareness
    start: 2026-07-01
    end: 2026-09-30
    kpis:
      - {metric: impressions, channel: instagram, target: 1000}
alerts:
  destinations:
    - {name: team-slack, type: slack, url_env: SLACK_WEBHOOK_URL}
    - name: lead-mail
      type: email
      smtp_host: smtp.example.com
      username: alerts@example.com
      password_env: SMTP_PASSWORD
      from: alerts@example.com
      to: [lead@example.com]
  rules:
    - name: drifting
      announce: [at_risk, off_track, recovered]
      level: kpi
      send_to: [team-slack]
    - {name: monday-digest, digest: weekly, every: Monday 8:00, send_to: [lead-mail]}
  mute:
    - {objective: awareness, until: 2026-08-15}
"""


def test_alert_rules_are_read_with_their_destinations_schedule_and_mutes() -> None:
    settings = parse_plan(PLAN).alerts
    slack, mail = settings.destinations
    assert (slack.type, slack.url_env) == ("slack", "SLACK_WEBHOOK_URL")
    assert (mail.smtp_port, mail.to, mail.password_env) == (
        587,
        ("lead@example.com",),
        "SMTP_PASSWORD",
    )
    drifting, digest = settings.rules
    assert drifting.events == ("at_risk", "off_track", "recovered") and drifting.level == "kpi"
    assert digest.is_digest and digest.every is not None
    assert (digest.every.weekday, digest.every.at) == (0, time(8, 0))
    assert settings.muted_until("awareness", date(2026, 8, 1)) == date(2026, 8, 15)
    assert settings.muted_until("awareness", date(2026, 8, 16)) is None


def _problems(text: str) -> list[tuple[int | None, str, str, str]]:
    with pytest.raises(PlanError) as info:
        parse_plan(text)
    return [(p.line, p.column, p.message, p.hint) for p in info.value.problems]


def test_a_webhook_url_written_in_the_plan_is_refused_with_its_line_and_the_fix() -> None:
    text = PLAN.replace(
        "url_env: SLACK_WEBHOOK_URL}", "url: 'https://hooks.slack.com/services/T0/B0/x'}"
    )
    problems = _problems(text)
    [(line, column, message, hint)] = [p for p in problems if p[1].endswith(".url")]
    assert line == 12 and column == "alerts.destinations[0].url"
    assert "secret" in message and "url_env" in hint
    assert "hooks.slack.com" not in message + hint


def test_unknown_destination_event_and_objective_each_name_their_line() -> None:
    text = PLAN.replace("send_to: [team-slack]", "send_to: [team-slak]")
    text = text.replace("recovered]", "recoverd]").replace(
        "objective: awareness,", "objective: awarenes,"
    )
    found = {column: (line, message, hint) for line, column, message, hint in _problems(text)}
    assert found["alerts.rules[0].send_to"][0] == 24
    assert "team-slack" in found["alerts.rules[0].send_to"][2]
    on = found["alerts.rules[0].announce"]
    assert on[0] == 22 and "recovered" in on[2]
    assert found["alerts.mute[0].objective"][0] == 27


def test_a_bad_schedule_says_how_to_write_one() -> None:
    problems = _problems(PLAN.replace("every: Monday 8:00", "every: someday"))
    [(line, column, _message, hint)] = problems
    assert (line, column) == (25, "alerts.rules[1].every")
    assert "monday 08:00" in hint


def test_plan_validate_reports_alert_problems_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("type: slack", "type: discord"), encoding="utf-8")
    assert main(["plan", "validate", str(path), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    [problem] = [p for p in document["problems"] if p["line"] == 12]
    assert problem["column"] == "alerts.destinations[0].type" and "slack" in problem["hint"]


def test_plan_schema_lists_the_alerts_section_and_accepts_the_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    alerts = schema["properties"]["alerts"]
    assert set(alerts["properties"]) == {
        "destinations",
        "rules",
        "mute",
        "stale_after_days",
        "hold_on_refused_load",
    }
    document = yaml.safe_load(PLAN)
    document["alerts"]["mute"][0]["until"] = "2026-08-15"
    for objective in document["objectives"]:
        objective["start"], objective["end"] = str(objective["start"]), str(objective["end"])
    jsonschema.validate(document, schema)
    document["alerts"]["destinations"][0]["url"] = "https://example.com"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_the_commented_alerts_example_of_plan_init_is_valid_once_uncommented() -> None:
    from sostac_control.plan.example import EXAMPLE_PLAN

    lines, inside = [], False
    for line in EXAMPLE_PLAN.splitlines():
        inside = inside or line.startswith("# alerts:")
        lines.append(line[2:] if inside and line.startswith("# ") else line)
    settings = parse_plan("\n".join(lines)).alerts
    assert [r.name for r in settings.rules] == ["drifting", "monday-digest"]
    assert [d.type for d in settings.destinations] == ["slack", "email"]
