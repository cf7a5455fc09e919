"""The polite session against a real server on 127.0.0.1: retries, timeouts, errors, paging."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from sostac_control.api.http import ApiSession, FetchError, PageGuard, redact
from sostac_control.api.links import rebase, without_token
from tests.support.fake_api import FAST, TOKEN, FakeApi, Reply


@pytest.fixture
def session() -> Iterator[ApiSession]:
    """A session with tiny retry delays that knows the token."""
    with ApiSession(
        "fb-page",
        FAST,
        secrets=(TOKEN,),
        token_hint="set it in the environment variable META_TOKEN",
    ) as s:
        yield s


OK = Reply(body={"data": [{"value": 1}]})


def test_429_with_retry_after_waits_that_long_then_succeeds(
    fake_api: FakeApi, session: ApiSession
) -> None:
    fake_api.fail(
        "/x", Reply(429, {"error": {"message": "slow down"}}, headers={"Retry-After": "1"})
    )
    fake_api.routes["/x"] = lambda q: OK
    started = time.monotonic()
    assert session.get_json(f"{fake_api.url}/x") == OK.body
    assert time.monotonic() - started >= 1.0
    assert len(fake_api.requests_to("/x")) == 2


def test_500s_then_success_is_retried(fake_api: FakeApi, session: ApiSession) -> None:
    fake_api.fail("/x", Reply(500, "oops"), Reply(502, "<html>bad gateway</html>"))
    fake_api.routes["/x"] = lambda q: OK
    assert session.get_json(f"{fake_api.url}/x") == OK.body
    assert len(fake_api.requests_to("/x")) == 3


def test_a_permanent_500_gives_up_naming_the_source_and_saying_to_try_later(
    fake_api: FakeApi, session: ApiSession
) -> None:
    fake_api.routes["/x"] = lambda q: Reply(500, {"error": {"message": "Unknown error"}})
    with pytest.raises(FetchError) as caught:
        session.get_json(f"{fake_api.url}/x")
    assert caught.value.message.startswith("fb-page: ")
    assert "HTTP 500 after 4 attempts: Unknown error" in caught.value.message
    assert "later" in caught.value.hint
    assert len(fake_api.requests_to("/x")) == FAST.max_attempts


def test_malformed_json_is_a_clear_error(fake_api: FakeApi, session: ApiSession) -> None:
    fake_api.routes["/x"] = lambda q: Reply(
        200, '{"data": [1, 2', {"Content-Type": "application/json"}
    )
    with pytest.raises(FetchError, match="malformed JSON") as caught:
        session.get_json(f"{fake_api.url}/x")
    assert "fb-page" in caught.value.message and "base_url" in caught.value.hint


def test_an_html_error_page_is_named_as_such(fake_api: FakeApi, session: ApiSession) -> None:
    page = "<!DOCTYPE html><html><head><title>Sign in - Proxy</title></head><body/></html>"
    fake_api.routes["/x"] = lambda q: Reply(403, page)
    with pytest.raises(FetchError) as caught:
        session.get_json(f"{fake_api.url}/x")
    assert "an HTML page (Sign in - Proxy), HTTP 403, not JSON" in caught.value.message
    assert "base_url" in caught.value.hint


def test_an_expired_token_says_to_create_a_new_one_and_where_to_put_it(
    fake_api: FakeApi, session: ApiSession
) -> None:
    fake_api.routes["/x"] = lambda q: Reply(
        400,
        {
            "error": {
                "message": "Error validating access token: Session has expired",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
            }
        },
    )
    with pytest.raises(FetchError) as caught:
        session.get_json(f"{fake_api.url}/x")
    assert "access token is expired or invalid" in caught.value.message
    assert "Create a new access token" in caught.value.hint
    assert "META_TOKEN" in caught.value.hint
    assert len(fake_api.requests_to("/x")) == 1  # not retried


@pytest.mark.parametrize("code", [4, 17, 32])
def test_graph_rate_limit_codes_say_to_wait_and_fetch_again(
    fake_api: FakeApi, session: ApiSession, code: int
) -> None:
    fake_api.routes["/x"] = lambda q: Reply(
        400, {"error": {"message": f"(#{code}) Request limit reached", "code": code}}
    )
    with pytest.raises(FetchError) as caught:
        session.get_json(f"{fake_api.url}/x")
    assert "rate limit reached" in caught.value.message
    assert f"code {code}" in caught.value.message
    assert "wait" in caught.value.hint and "fetch again" in caught.value.hint


def test_a_slow_answer_past_the_timeout_fails_after_the_retries(fake_api: FakeApi) -> None:
    fake_api.routes["/x"] = lambda q: Reply(body={"data": []}, delay_s=0.6)
    policy = replace(FAST, timeout_s=0.15, max_attempts=2)
    with ApiSession("yt", policy) as session, pytest.raises(FetchError) as caught:
        session.get_json(f"{fake_api.url}/x")
    assert "yt: no answer within 0.15 s" in caught.value.message
    assert "(2 attempts)" in caught.value.message
    assert "timeout_seconds" in caught.value.hint


def test_the_cap_on_total_time_stops_retrying(fake_api: FakeApi) -> None:
    fake_api.routes["/x"] = lambda q: Reply(503, "busy", headers={"Retry-After": "30"})
    policy = replace(FAST, total_time_s=2.0, max_attempts=10)
    started = time.monotonic()
    with ApiSession("fb-page", policy) as session, pytest.raises(FetchError) as caught:
        session.get_json(f"{fake_api.url}/x")
    assert "HTTP 503 after 1 attempts" in caught.value.message
    assert "asked to wait 30 s (Retry-After)" in caught.value.message
    assert time.monotonic() - started < 1.5  # did not sleep 30 s it could not afford


def test_a_repeated_next_link_is_a_pagination_loop(session: ApiSession) -> None:
    guard = PageGuard(session)
    guard.check("http://api/x?after=1")
    guard.check("http://api/x?after=2")
    with pytest.raises(FetchError, match="pagination loop") as caught:
        guard.check("http://api/x?after=1")
    assert "after 2 pages" in caught.value.message


def test_pagination_stops_at_max_pages() -> None:
    with ApiSession("json", replace(FAST, max_pages=3)) as session:
        guard = PageGuard(session)
        for n in range(3):
            guard.check(f"http://api/x?page={n}")
        with pytest.raises(FetchError, match="stopped after 3 pages"):
            guard.check("http://api/x?page=4")


def test_redact_hides_tokens_in_urls_headers_and_known_values() -> None:
    text = (
        f"GET https://graph.facebook.com/v23.0/1/insights?metric=x&access_token={TOKEN}"
        f"&since=1 Authorization: Bearer abc.def-ghi key=s3cr3t value {TOKEN}"
    )
    shown = redact(text, (TOKEN,))
    assert TOKEN not in shown and "abc.def-ghi" not in shown and "s3cr3t" not in shown
    assert "metric=x&access_token=REDACTED&since=1" in shown


def test_without_token_drops_the_access_token_from_a_paging_link() -> None:
    url = f"https://graph.facebook.com/1/posts?limit=25&access_token={TOKEN}&after=QVF"
    assert without_token(url) == "https://graph.facebook.com/1/posts?limit=25&after=QVF"


def test_a_refused_connection_names_the_base_url_setting(session: ApiSession) -> None:
    with pytest.raises(FetchError, match="could not connect") as caught:
        session.get_json("http://127.0.0.1:9/x")
    assert "base_url" in caught.value.hint


def test_graph_paging_links_are_moved_onto_the_configured_base_url() -> None:
    link = "https://graph.facebook.com/v19.0/123/posts?limit=25&after=QVF"
    assert rebase(link, "http://127.0.0.1:8080/v23.0") == (
        "http://127.0.0.1:8080/v23.0/123/posts?limit=25&after=QVF"
    )
    assert rebase("https://graph.facebook.com/123/insights?since=1", "http://proxy/graph") == (
        "http://proxy/graph/123/insights?since=1"
    )
    assert rebase(link, "https://graph.facebook.com/v19.0") == link
