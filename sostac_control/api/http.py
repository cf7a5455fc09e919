"""The polite HTTP session every API source uses: timeouts, retries, pagination, redaction.

One `requests.Session` per fetch. Every call has a timeout; 429 and 5xx answers are retried with
exponential backoff and jitter, honouring `Retry-After`; the whole fetch has a cap on its total
time; pagination stops at a repeated link or a page limit. Every text that can reach a user
(an error message, a log line, a URL) goes through `redact`, so a token never shows.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import requests

from sostac_control.errors import SostacError
from sostac_control.i18n import _

log = logging.getLogger("sostac_control.api")

_TOKEN_PARAM = re.compile(
    r"((?:access_token|token|api_key|apikey|key|client_secret|password)=)[^&\s\"'<>]+",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
REDACTED = "REDACTED"

# Graph API error codes that mean "slow down" (application, user, page, ad account limits).
GRAPH_RATE_LIMIT_CODES = {
    4,
    17,
    32,
    613,
    80000,
    80001,
    80002,
    80003,
    80004,
    80005,
    80006,
    80008,
    80009,
    80014,
}
GRAPH_TOKEN_CODES = {102, 190, 463, 467}
GRAPH_PERMISSION_CODES = {10, 200, 210, 270, 294}


class FetchError(SostacError):
    """A fetch that failed; the message names the source and the hint says what to do."""


@dataclass(frozen=True)
class HttpPolicy:
    """How patient and how polite a fetch is. Tests shrink the delays."""

    timeout_s: float = 30.0  # per request: connect and read
    max_attempts: int = 5  # per request, counting the first one
    backoff_base_s: float = 1.0  # first retry waits about this long, then doubles
    backoff_cap_s: float = 60.0  # no single wait is longer (unless Retry-After asks)
    total_time_s: float = 900.0  # the whole fetch stops after this
    max_pages: int = 2000  # pagination guard


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with access tokens, API keys, bearer tokens and the given secret values removed."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = _TOKEN_PARAM.sub(lambda m: m.group(1) + REDACTED, text)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, text)


@dataclass
class ApiSession:
    """One source's HTTP session: get_json with retries, and the page loop guard."""

    source: str  # the configured source name, used in every message
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    headers: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    token_hint: str = ""  # how to renew the token, e.g. "set $META_TOKEN"
    base_url: str = ""  # paging links to other hosts are moved onto it (see rebase)
    requests_made: int = 0
    started_at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self._http = requests.Session()
        self._http.headers.update({"Accept": "application/json", "User-Agent": "sostac-control"})
        self._http.headers.update(self.headers)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def _remaining_s(self) -> float:
        return self.policy.total_time_s - (time.monotonic() - self.started_at)

    def _fail(self, message: str, hint: str) -> FetchError:
        return FetchError(self.redact(f"{self.source}: {message}"), self.redact(hint))

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """GET `url` and return the decoded JSON; retries 429/5xx; FetchError otherwise."""
        shown = self.redact(_with_params(url, params))
        attempt = 0
        while True:
            attempt += 1
            remaining = self._remaining_s()
            if remaining <= 0:
                raise self._fail(
                    _(
                        "stopped after {seconds} s, the cap on a fetch's time (while requesting "
                        "{url})."
                    ).format(seconds=f"{self.policy.total_time_s:g}", url=shown),
                    _(
                        "Fetch a shorter period with --since/--until, or raise "
                        "total_time_seconds for this source in sources.yaml."
                    ),
                )
            timeout = min(self.policy.timeout_s, max(remaining, 0.05))
            log.debug("GET %s (attempt %d)", shown, attempt)
            self.requests_made += 1
            try:
                response = self._http.get(url, params=params, timeout=timeout)
            except requests.Timeout as exc:
                if attempt < self.policy.max_attempts and self._pause(attempt, None):
                    continue
                raise self._fail(
                    _("no answer within {seconds} s from {url} ({n} attempts).").format(
                        seconds=f"{timeout:g}", url=shown, n=attempt
                    ),
                    _(
                        "The platform is slow or unreachable; try again later, or raise "
                        "timeout_seconds for this source in sources.yaml."
                    ),
                ) from exc
            except requests.ConnectionError as exc:
                if attempt < self.policy.max_attempts and self._pause(attempt, None):
                    continue  # a dropped connection is often gone a moment later
                raise self._fail(
                    _("could not connect to {url} ({n} attempts).").format(url=shown, n=attempt),
                    _("Check the network and the source's base_url in sources.yaml."),
                ) from exc
            except requests.RequestException as exc:
                raise self._fail(
                    _("the request to {url} failed: {error}: {detail}.").format(
                        url=shown, error=type(exc).__name__, detail=exc
                    ),
                    _("Check the source's base_url in sources.yaml, and fetch again."),
                ) from exc
            status = response.status_code
            if status == 429 or status >= 500:
                retry_after = _retry_after_s(response.headers.get("Retry-After"))
                if attempt < self.policy.max_attempts and self._pause(attempt, retry_after):
                    continue
                detail = self._error_detail(response)
                if retry_after is not None and retry_after >= self._remaining_s():
                    detail += _(
                        "; it asked to wait {seconds} s (Retry-After), longer than the time "
                        "left for this fetch"
                    ).format(seconds=f"{retry_after:.0f}")
                what = _("rate limited (HTTP 429)") if status == 429 else f"HTTP {status}"
                raise self._fail(
                    _("{url} kept answering {what} after {n} attempts{detail}.").format(
                        url=shown, what=what, n=attempt, detail=detail
                    ),
                    _(
                        "The platform is limiting or failing requests; wait a while and fetch "
                        "again. What was already loaded stays loaded."
                    )
                    if status == 429
                    else _(
                        "The platform has trouble right now; fetch again later. What was "
                        "already loaded stays loaded."
                    ),
                )
            return self._decode(response, shown)

    def _pause(self, attempt: int, retry_after_s: float | None) -> bool:
        """Sleep before the next attempt; False when the time cap does not allow it."""
        delay = min(self.policy.backoff_cap_s, self.policy.backoff_base_s * 2 ** (attempt - 1))
        delay *= 0.5 + random.random() / 2  # jitter: spread out clients that failed together
        if retry_after_s is not None:
            delay = max(delay, retry_after_s)
        if delay >= self._remaining_s():
            return False
        log.info("%s: waiting %.2f s before retrying", self.source, delay)
        time.sleep(delay)
        return True

    def _error_detail(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return ""
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and error.get("message"):
            return f": {error['message']}"
        return ""

    def _decode(self, response: requests.Response, shown: str) -> Any:
        status = response.status_code
        text = response.text
        content_type = response.headers.get("Content-Type", "")
        try:
            body = json.loads(text) if text.strip() else None
        except ValueError as exc:
            looks_html = "html" in content_type or text.lstrip()[:15].lower().startswith(
                ("<!doctype", "<html")
            )
            if looks_html:
                title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
                named = f" ({title.group(1).strip()[:80]})" if title else ""
                raise self._fail(
                    _("{url} answered with an HTML page{title}, HTTP {status}, not JSON.").format(
                        url=shown, title=named, status=status
                    ),
                    _(
                        "base_url may point at a website, a login page or a proxy's error page "
                        "instead of the API; check it in sources.yaml."
                    ),
                ) from exc
            raise self._fail(
                _("{url} answered with malformed JSON (HTTP {status}): {detail}.").format(
                    url=shown, status=status, detail=exc
                ),
                _(
                    "The answer was cut off or is not an API response; fetch again, and check "
                    "base_url in sources.yaml if it persists."
                ),
            ) from exc
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            raise self._api_error(body["error"], status, shown)
        if status >= 400:
            raise self._fail(
                _("{url} answered HTTP {status}.").format(url=shown, status=status),
                self._status_hint(status),
            )
        if body is None:
            raise self._fail(
                _("{url} answered with an empty body (HTTP {status}).").format(
                    url=shown, status=status
                ),
                _("Check base_url and the ids in sources.yaml."),
            )
        return body

    def _status_hint(self, status: int) -> str:
        if status in (401, 403):
            return _("The token was refused. {hint}").format(
                hint=self.token_hint or _("Renew the token.")
            )
        if status == 404:
            return _("Check the ids and base_url of this source in sources.yaml.")
        return _("Check the source's settings in sources.yaml.")

    def _api_error(self, error: dict[str, Any], status: int, shown: str) -> FetchError:
        """A Graph (or Google) API error object turned into a message a user can act on."""
        code = error.get("code")
        message = str(error.get("message", "")).strip() or _("no message")
        where = _("the API refused {url} (HTTP {status}, code {code}): {message}").format(
            url=shown, status=status, code=code, message=message
        )
        if code in GRAPH_TOKEN_CODES or status == 401:
            return self._fail(
                _("the access token is expired or invalid ({where}).").format(where=where),
                _("Create a new access token and {then}.").format(
                    then=self.token_hint or _("set it again")
                ),
            )
        if code in GRAPH_RATE_LIMIT_CODES:
            return self._fail(
                _("rate limit reached ({where}).").format(where=where),
                _(
                    "The platform limits how many calls an app, page or ad account may make; "
                    "wait (often up to an hour) and fetch again. What was already loaded stays "
                    "loaded; the next fetch continues from there."
                ),
            )
        if code in GRAPH_PERMISSION_CODES or status == 403:
            return self._fail(
                _("missing permission ({where}).").format(where=where),
                _(
                    "The token lacks a permission (e.g. read_insights, pages_read_engagement, "
                    "instagram_manage_insights, ads_read; for YouTube the yt-analytics.readonly "
                    "scope); create a token with it. {hint}"
                ).format(hint=self.token_hint),
            )
        if code == 100:
            return self._fail(
                _("a parameter was refused ({where}).").format(where=where),
                _(
                    "A metric name may be deprecated or an id wrong; set `metrics:` for this "
                    "source in sources.yaml to names the API accepts (see the README's API "
                    "section for the mapping)."
                ),
            )
        return self._fail(where + ".", _("Check the source's settings in sources.yaml."))


class PageGuard:
    """Stops pagination that repeats a link or never ends."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session
        self.seen: set[str] = set()

    def check(self, url: str, params: dict[str, Any] | None = None) -> None:
        """Raise when this page was already fetched or the page limit is reached."""
        page = _with_params(url, params)
        if page in self.seen:
            raise self.session._fail(
                _(
                    "pagination loop: the API gave {page} as the next page again after {n} pages."
                ).format(page=self.session.redact(page), n=len(self.seen)),
                _(
                    "The API's paging is broken; fetch a shorter period with --since/--until. "
                    "What was already loaded stays loaded."
                ),
            )
        if len(self.seen) >= self.session.policy.max_pages:
            raise self.session._fail(
                _("stopped after {n} pages (max_pages).").format(n=len(self.seen)),
                _("Fetch a shorter period, or raise max_pages for this source in sources.yaml."),
            )
        self.seen.add(page)


class _RedactingFilter(logging.Filter):
    """Redacts tokens in urllib3's debug lines, which print every requested URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactingFilter())


def _with_params(url: str, params: dict[str, Any] | None) -> str:
    if not params:
        return url
    request = requests.Request("GET", url, params=params).prepare()
    return request.url or url


def _retry_after_s(value: str | None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
