"""A Graph-API-shaped HTTP server on 127.0.0.1 for the API tests (no patching of requests).

`FakeApi` serves Page insights, posts with lifetime insights, Instagram, Ads and YouTube
answers from deterministic data, and lets a test queue faults (429, 500, HTML, slow answers,
error objects) for a path. Every request is logged with its path and query.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from sostac_control.api.http import HttpPolicy

TOKEN = "EAAGm0PX4ZCpsBAZSecretToken1234567890"
PAGE_ID = "104729384756"
QUARTER = (date(2026, 7, 1), date(2026, 9, 30))
FAST = HttpPolicy(
    timeout_s=2.0,
    max_attempts=4,
    backoff_base_s=0.01,
    backoff_cap_s=0.05,
    total_time_s=30.0,
    max_pages=500,
)


@dataclass
class Reply:
    """A canned answer: status, body (dict → JSON, str as is), headers, delay before it."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def page_value(metric: str, day: date) -> float:
    """The fake Page's daily value of a Graph metric."""
    base = {
        "page_media_view": 5000,
        "page_total_media_view_unique": 3000,
        "page_post_engagements": 400,
        "page_daily_follows_unique": 12,
        "page_follows": 9000,
        "page_views_total": 150,
        "page_video_views": 800,
    }[metric]
    if metric == "page_follows":
        return base + (day - QUARTER[0]).days * 7
    return base + (day.toordinal() * 37) % 101


def posts_of_quarter() -> list[dict[str, Any]]:
    """A post every third day at 10:30 UTC, newest first (as Graph lists them)."""
    posts = []
    day = QUARTER[0]
    n = 0
    while day <= QUARTER[1]:
        n += 1
        posts.append(
            {
                "id": f"{PAGE_ID}_{9000 + n}",
                "created_time": f"{day}T10:30:00+0000",
                "message": f"Post {n}",
                "permalink_url": f"https://fb.example/p/{n}",
                "status_type": "added_photos",
                "shares": {"count": n % 5},
                "comments": {"data": [], "summary": {"total_count": n % 7}},
            }
        )
        day += timedelta(days=3)
    return list(reversed(posts))


def post_insights(post_id: str) -> dict[str, Any]:
    n = int(post_id.rsplit("_", 1)[1]) - 9000
    return {
        "data": [
            {"name": "post_media_view", "period": "lifetime", "values": [{"value": 1000 + n}]},
            {
                "name": "post_total_media_view_unique",
                "period": "lifetime",
                "values": [{"value": 700 + n}],
            },
            {
                "name": "post_reactions_by_type_total",
                "period": "lifetime",
                "values": [{"value": {"like": 20 + n, "love": 3}}],
            },
            {"name": "post_clicks", "period": "lifetime", "values": [{"value": 30 + n}]},
            {"name": "post_video_views", "period": "lifetime", "values": [{"value": 0}]},
        ]
    }


class FakeApi:
    """The server's state: canned faults per path and the default Graph-shaped answers."""

    def __init__(self, page_days: int = 15, posts_per_page: int = 10) -> None:
        self.page_days = page_days
        self.posts_per_page = posts_per_page
        self.faults: dict[str, list[Reply]] = {}
        self.routes: dict[str, Callable[[dict[str, str]], Reply]] = {}
        self.log: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.url = ""
        self.lock = threading.Lock()
        self.token = ""

    def fail(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to `path` with these replies, then normally."""
        self.faults.setdefault(path, []).extend(replies)

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [q for p, q, _ in self.log if p == path]

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Reply:
        auth = headers.get("Authorization", "")
        self.token = query.get("access_token") or auth.removeprefix("Bearer ")
        with self.lock:
            self.log.append((path, query, headers))
            queued = self.faults.get(path)
            if queued:
                return queued.pop(0)
        if path in self.routes:
            return self.routes[path](query)
        if path == f"/{PAGE_ID}/insights":
            return self.page_insights(query)
        if path == f"/{PAGE_ID}/posts":
            return self.posts(query)
        if path.endswith("/insights") and path.startswith(f"/{PAGE_ID}_"):
            return Reply(body=post_insights(path.split("/")[1]))
        return Reply(404, {"error": {"message": f"Unknown path {path}", "code": 803}})

    def page_insights(self, query: dict[str, str]) -> Reply:
        since = date.fromisoformat(query["since"])
        until = date.fromisoformat(query["until"])  # exclusive: end_time of the last day
        served_until = min(until, since + timedelta(days=self.page_days))
        metrics = query["metric"].split(",")
        data = []
        for metric in metrics:
            values = []
            day = since
            while day < served_until:
                values.append(
                    {
                        "value": page_value(metric, day),
                        "end_time": f"{day + timedelta(days=1)}T07:00:00+0000",
                    }
                )
                day += timedelta(days=1)
            data.append(
                {
                    "name": metric,
                    "period": "day",
                    "values": values,
                    "id": f"{PAGE_ID}/insights/{metric}/day",
                }
            )
        # Like Graph: `next` is always there and moves on by the same length, past `until`.
        nxt = {
            "metric": query["metric"],
            "period": "day",
            "since": served_until.isoformat(),
            "until": (served_until + timedelta(days=self.page_days)).isoformat(),
            "access_token": self.token,
        }
        return Reply(
            body={
                "data": data,
                "paging": {"next": f"{self.url}/{PAGE_ID}/insights?{urlencode(nxt)}"},
            }
        )

    def posts(self, query: dict[str, str]) -> Reply:
        since = date.fromisoformat(query["since"])
        until = date.fromisoformat(query["until"])
        found = [
            p
            for p in posts_of_quarter()
            if since <= date.fromisoformat(p["created_time"][:10]) < until
        ]
        offset = int(query.get("after", "0"))
        page = found[offset : offset + self.posts_per_page]
        body: dict[str, Any] = {"data": page, "paging": {}}
        if offset + self.posts_per_page < len(found):
            nxt = {**query, "after": str(offset + self.posts_per_page)}
            body["paging"]["next"] = f"{self.url}/{PAGE_ID}/posts?{urlencode(nxt)}"
        return Reply(body=body)


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
            reply = api.answer(unquote(parsed.path), query, dict(self.headers))
            if reply.delay_s:
                time.sleep(reply.delay_s)
            body = reply.body
            data = (json.dumps(body) if not isinstance(body, str) else body).encode()
            try:
                self.send_response(reply.status)
                content_type = (
                    "text/html"
                    if isinstance(body, str) and body.lstrip().startswith("<")
                    else "application/json"
                )
                self.send_header("Content-Type", reply.headers.get("Content-Type", content_type))
                for name, value in reply.headers.items():
                    if name != "Content-Type":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def serve_fake_api() -> Iterator[FakeApi]:
    """A Graph-shaped API on 127.0.0.1 (a random port), stopped when the generator ends."""
    api = FakeApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield api
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def write_sources(path, api_url: str, extra: str = "") -> Any:
    """A sources.yaml with a Page and a posts source pointing at the fake API."""
    path.write_text(
        f"""sources:
  - name: fb-page
    type: meta_page
    id: "{PAGE_ID}"
    account: koffiebarnoord
    token_env: TEST_META_TOKEN
    base_url: {api_url}
    lookback_days: 3
  - name: fb-posts
    type: meta_posts
    id: "{PAGE_ID}"
    account: koffiebarnoord
    token_env: TEST_META_TOKEN
    base_url: {api_url}
{extra}""",
        encoding="utf-8",
    )
    return path
