"""The fake Graph API behaves like Graph where the connectors depend on it."""

from __future__ import annotations

from tests.support.fake_api import FakeApi


def test_fake_page_insights_next_link_runs_past_the_period_like_graph(fake_api: FakeApi) -> None:
    reply = fake_api.page_insights(
        {"metric": "page_media_view", "since": "2026-07-01", "until": "2026-07-03"}
    )
    assert len(reply.body["data"][0]["values"]) == 2
    assert "since=2026-07-03" in reply.body["paging"]["next"]
