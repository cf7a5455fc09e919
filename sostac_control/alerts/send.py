"""Sending one alert to one destination: SMTP with STARTTLS, Slack, Teams, a JSON webhook.

Payloads follow each service's documented shape: Slack incoming webhooks take `text` (the
fallback and notification line) plus Block Kit `blocks`; Teams (Workflows "post to a channel
when a webhook request is received") takes a `message` with one Adaptive Card attachment; the
generic webhook gets the alert as a JSON object of our own (`payload_version` 1).

A failed attempt is retried with exponential backoff; every error is stripped of the
destination's secrets (webhook URL, SMTP password) before it is shown or stored.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import requests

from sostac_control.api.http import redact
from sostac_control.api.sources import _secret_from_files
from sostac_control.plan.alerts import Destination

ATTEMPTS_PER_RUN = 3
BACKOFF_BASE_S = float(os.environ.get("SOSTAC_ALERT_BACKOFF", "1.0"))
TIMEOUT_S = 20.0
STATUS_COLORS = {  # Adaptive Card text colours for the title
    "off_track": "attention",
    "missed": "attention",
    "at_risk": "warning",
    "stale": "warning",
    "held": "warning",
    "crisis": "attention",
}


@dataclass
class Message:
    """An alert's content, rendered per destination type."""

    title: str
    lines: list[str]  # plain sentences, one per line
    facts: dict[str, Any]  # the machine-readable alert (the generic webhook's payload)
    html: str = ""  # e-mail body (the digest's HTML); plain lines when empty
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)  # name, data, mime
    event: str = ""


class SendError(Exception):
    """A send failed; the message holds no secret. `attempts`: the tries this run made."""

    def __init__(self, message: str, attempts: int = 0) -> None:
        super().__init__(message)
        self.attempts = attempts


def read_secret(name: str) -> str:
    """A secret from the environment, else from .streamlit/secrets.toml; '' when missing."""
    return (os.environ.get(name) or _secret_from_files(name) or "").strip()


def check_secrets(destination: Destination) -> str:
    """Why the destination cannot send ('' when its secrets are set)."""
    for key in (destination.url_env, destination.password_env):
        if key and not read_secret(key):
            return (
                f"destination {destination.name}: the environment variable {key} is not set "
                "and .streamlit/secrets.toml has no key of that name"
            )
    return ""


def deliver(destination: Destination, message: Message, attempts_before: int = 0) -> int:
    """Send with up to ATTEMPTS_PER_RUN tries and backoff; the attempts made. SendError."""
    missing = check_secrets(destination)
    if missing:
        raise SendError(missing)
    secrets = tuple(s for s in (read_secret(destination.url_env or "_"),) if s)
    if destination.password_env:
        secrets += (read_secret(destination.password_env),)
    delay = BACKOFF_BASE_S
    for attempt in range(1, ATTEMPTS_PER_RUN + 1):
        try:
            _send_once(destination, message)
            return attempts_before + attempt
        except (SendError, OSError, smtplib.SMTPException, requests.RequestException) as exc:
            error = redact(f"{type(exc).__name__}: {exc}", secrets)
            if attempt == ATTEMPTS_PER_RUN:
                raise SendError(
                    f"{destination.name}: {error} (after {attempts_before + attempt} attempts)",
                    attempt,
                ) from None
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _send_once(destination: Destination, message: Message) -> None:
    if destination.type == "email":
        _send_mail(destination, message)
        return
    url = read_secret(destination.url_env)
    payload = {
        "slack": slack_payload,
        "teams": teams_payload,
        "webhook": webhook_payload,
    }[destination.type](message)
    answer = requests.post(url, json=payload, timeout=TIMEOUT_S)
    if answer.status_code >= 300:
        raise SendError(f"HTTP {answer.status_code} from the {destination.type} webhook")


def slack_payload(message: Message) -> dict[str, Any]:
    """Slack incoming webhook: `text` (notification fallback) and Block Kit blocks."""
    body = "\n".join(message.lines)
    return {
        "text": f"{message.title}\n{body}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body[:3000] or " "}},
        ],
    }


def teams_payload(message: Message) -> dict[str, Any]:
    """Teams Workflows webhook: a message with one Adaptive Card."""
    style = STATUS_COLORS.get(message.event, "good")
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": message.title,
                            "weight": "Bolder",
                            "size": "Medium",
                            "color": style,
                            "wrap": True,
                        },
                        *(
                            {"type": "TextBlock", "text": line, "wrap": True}
                            for line in message.lines
                        ),
                    ],
                },
            }
        ],
    }


def webhook_payload(message: Message) -> dict[str, Any]:
    """The generic JSON webhook: the alert's facts, title and lines."""
    return {
        "payload_version": 1,
        "source": "sostac-control",
        "title": message.title,
        "text": "\n".join(message.lines),
        **message.facts,
    }


def _send_mail(destination: Destination, message: Message) -> None:
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = destination.sender
    mail["To"] = ", ".join(destination.to)
    mail.set_content("\n".join([message.title, "", *message.lines]))
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    for name, data, mime in message.attachments:
        main, sub = mime.split("/", 1)
        mail.add_attachment(data, maintype=main, subtype=sub, filename=name)
    context = ssl.create_default_context()
    try:
        with smtplib.SMTP(destination.smtp_host, destination.smtp_port, timeout=TIMEOUT_S) as smtp:
            smtp.ehlo()
            smtp.starttls(context=context)  # never send a password or a report in the clear
            smtp.ehlo()
            if destination.username:
                smtp.login(destination.username, read_secret(destination.password_env))
            smtp.send_message(mail)
    except (socket.gaierror, ConnectionRefusedError) as exc:
        raise SendError(
            f"cannot reach the SMTP server {destination.smtp_host}:{destination.smtp_port} ({exc})"
        ) from None
