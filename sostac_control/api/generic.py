"""The generic JSON source: any API that answers records with a date and numbers.

Configured in sources.yaml, without code (LinkedIn, TikTok, an in-house system):

    - name: linkedin-page
      type: json
      url: https://api.example.com/v1/stats   # or a path relative to base_url
      params: {organization: "1234"}          # fixed query parameters
      since_param: start                      # the period asked for, as ISO dates
      until_param: end
      token_env: LINKEDIN_TOKEN               # the token's environment variable
      auth_header: Authorization              # the header it goes in
      auth_scheme: Bearer                     # "Bearer <token>"; "" for the bare token
      records: data.elements                  # dotted path to the list of records
      date_field: day                         # ISO date, datetime, or epoch seconds/ms
      date_format: "%d-%m-%Y"                 # optional strptime format
      channel: linkedin                       # or channel_field: the record's channel
      account: koffiebar                      # or account_field: the record's account
      item_field: postId                      # optional: values per post (post grain)
      fields: {impressionCount: impressions, clickCount: clicks}
      pagination: {next: paging.next}         # a next link; or {page_param: page, start: 1}
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from sostac_control.api.chunks import Chunk, Row, dig, number, parse_time
from sostac_control.api.http import ApiSession, PageGuard
from sostac_control.api.sources import SourceConfig
from sostac_control.catalog import CHANNELS


def records(session: ApiSession, source: SourceConfig, since: date, until: date) -> Iterator[Chunk]:
    """Every page of records, a chunk per page."""
    options = source.options
    url = str(options.get("url") or "")
    url = urljoin(source.base_url + "/", url) if source.base_url else url
    params: dict[str, Any] = dict(options.get("params") or {})
    if options.get("since_param"):
        params[str(options["since_param"])] = since.isoformat()
    if options.get("until_param"):
        params[str(options["until_param"])] = until.isoformat()
    pagination = options.get("pagination") or {}
    page_param = pagination.get("page_param") if isinstance(pagination, dict) else None
    next_path = pagination.get("next") if isinstance(pagination, dict) else None
    page_number = int(pagination.get("start", 1)) if page_param else 0
    fields = {str(k): str(v) for k, v in (options.get("fields") or {}).items()}
    guard = PageGuard(session)
    next_url: str | None = url
    while next_url:
        query = dict(params)
        if page_param:
            query[str(page_param)] = page_number
        guard.check(next_url, query)
        page = session.get_json(next_url, query or None)
        found = dig(page, str(options.get("records", "")))
        if not isinstance(found, list):
            raise session._fail(
                f"no list of records at {options.get('records')!r} in the answer.",
                "Set `records:` to the dotted path of the list (e.g. data.elements).",
            )
        chunk = Chunk(label=f"page {len(guard.seen)}", records=len(found))
        for index, record in enumerate(found, start=1):
            chunk.rows.extend(
                _record_rows(
                    session, source, fields, record, since, until, f"{chunk.label}, record {index}"
                )
            )
        yield chunk
        if not found:
            break
        if page_param:
            page_number += 1
            continue
        link = dig(page, str(next_path)) if next_path else None
        if isinstance(link, str) and link:
            following = urljoin(next_url, link)
            if urlsplit(following).netloc != urlsplit(url).netloc:
                raise session._fail(
                    f"the next link {session.redact(following)} points to another host than "
                    f"{session.redact(url)}; the token is only sent to the configured host.",
                    "Point `url`/`base_url` at the host the API pages on, or fetch a shorter "
                    "period that fits on one page.",
                )
            next_url, params = following, {}
        else:
            next_url = None


def _record_rows(
    session: ApiSession,
    source: SourceConfig,
    fields: dict[str, str],
    record: Any,
    since: date,
    until: date,
    where: str,
) -> list[Row]:
    options = source.options
    if not isinstance(record, dict):
        return []
    day = _date(dig(record, str(options["date_field"])), options.get("date_format"))
    if day is None:
        raise session._fail(
            f"{where}: {options['date_field']!r} is {dig(record, str(options['date_field']))!r},"
            " not a date.",
            "Set `date_field:` to the field with the date, and `date_format:` if it is not ISO.",
        )
    if not since <= day <= until:
        return []
    channel = str(options.get("channel") or dig(record, str(options.get("channel_field"))) or "")
    if channel not in CHANNELS:
        raise session._fail(
            f"{where}: channel {channel!r} is not a known channel.",
            "Set `channel:` to one of: " + ", ".join(CHANNELS),
        )
    account_field = options.get("account_field")
    account = str(dig(record, str(account_field)) or "") if account_field else ""
    item_field = options.get("item_field")
    item = str(dig(record, str(item_field)) or "") if item_field else ""
    rows = []
    for field_path, metric in fields.items():
        value = number(dig(record, field_path))
        if value is not None:
            rows.append(Row(metric, day, value, item=item, channel=channel, account=account))
    return rows


def _date(value: Any, fmt: Any) -> date | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds or seconds
            return datetime.fromtimestamp(seconds, UTC).date()
        text = str(value).strip()
        if fmt:
            return datetime.strptime(text, str(fmt)).date()
        return date.fromisoformat(text) if len(text) == 10 else parse_time(text).date()
    except (ValueError, OverflowError, OSError):
        return None
