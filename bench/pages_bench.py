"""Speed of the KPI pages on ~10 million observations.

Builds (once, cached under /tmp) a database of 40 accounts × 12 channels × 3 years of daily
totals of 20 metrics (≈10.5M rows) plus 100,000 posts with per-post rows, generated inside
DuckDB. Then, per page: the median server-side time of the page's one call into
sostac_control (uncached, a fresh read-only connection each time), the DuckDB-only floor (the
plainest SQL that computes the same figures), and the size of what the page sends to the
browser (the protobuf bytes of every element of an AppTest run: figures' JSON, tables'
Arrow bytes, texts), with the page's full uncached AppTest run time beside it.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sostac_control import store
from sostac_control.catalog import CHANNELS
from sostac_control.plan.model import BudgetLine, ContentRules, Kpi, Objective, Plan
from sostac_control.views import channels, content, kpi_detail, overview, roi

CACHE = Path(os.environ.get("SOSTAC_BENCH_DIR", "/tmp/sostac_bench"))
DB = CACHE / "pages_v1.duckdb"
PLAN = CACHE / "pages_plan.yaml"
END = date(2026, 11, 22)
START = END - timedelta(days=3 * 365)
ACCOUNTS = 40
METRICS = (
    "impressions",
    "views",
    "engagements",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "video_views",
    "profile_visits",
    "new_followers",
    "posts",
    "sessions",
    "conversions",
    "leads",
    "revenue",
    "spend",
    "followers",
    "reach",
)
POSTS = 100_000
POST_METRICS = ("impressions", "reach", "engagements", "reactions", "comments", "clicks")
ROUNDS = 3

Q_START = date(2026, 10, 1)
Q_END = date(2026, 12, 31)
KPIS = [
    ("awareness", "impressions", "instagram", 5e7, "up"),
    ("awareness", "reach", "instagram", 2e7, "up"),
    ("engage", "engagement_rate", "facebook", 0.5, "up"),
    ("engage", "engagements", "all", 1e8, "up"),
    ("community", "followers", "linkedin", 1e6, "up"),
    ("sell", "conversions", "meta_ads", 5e7, "up"),
    ("sell", "cpa", "meta_ads", 1.0, "down"),
    ("sell", "roi", "meta_ads", 0.5, "up"),
    ("web", "sessions", "website", 5e7, "up"),
    ("save", "cpc", "google_ads", 1.0, "down"),
]


def build(db: Path) -> None:
    """Generate the benchmark database inside DuckDB (takes a minute or less)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    days = (END - START).days + 1
    with store.connect(tmp) as con:
        con.execute(
            "INSERT INTO loads (load_id, source, format, loaded_at, status) "
            "VALUES (1, 'bench', 'bench', now(), 'loaded')"
        )
        con.execute(
            f"""INSERT INTO observations
            SELECT 1, NULL, c.channel, 'account' || a.range::VARCHAR, m.metric, 'day', '', '',
                   (DATE '{START}' + d.range::INTEGER), (DATE '{START}' + d.range::INTEGER),
                   CASE WHEN m.metric = 'followers' THEN 1000 + d.range * 3 + a.range
                        ELSE floor(random() * 1000 * (1 + 0.3 * sin(d.range / 7.0)))
                   END,
                   NULL, true
            FROM (SELECT unnest({list(CHANNELS)}::VARCHAR[]) AS channel) c,
                 range({ACCOUNTS}) a, range({days}) d,
                 (SELECT unnest({list(METRICS)}::VARCHAR[]) AS metric) m
            ORDER BY c.channel, a.range, d.range"""
        )
        organic = [c for c in CHANNELS if not c.endswith("_ads") and c != "website"]
        con.execute(
            f"""CREATE TEMP TABLE bench_posts AS
            SELECT p.range AS n,
                   list_extract({organic}::VARCHAR[], 1 + (p.range % {len(organic)})::INTEGER)
                       AS channel,
                   'account' || (p.range % {ACCOUNTS})::VARCHAR AS account,
                   'post' || p.range::VARCHAR AS post_id,
                   TIMESTAMP '{START}' + to_minutes((random() * {days} * 1440)::BIGINT)
                       AS published_at,
                   list_extract(['image', 'reel', 'carousel', 'video'], 1 + (p.range % 4)::INTEGER)
                       AS post_type,
                   CASE WHEN p.range % 9 = 0 THEN 'Nu #korting op bonen' ELSE 'Verhaal ' || p.range
                   END AS text
            FROM range({POSTS}) p"""
        )
        con.execute(
            """INSERT INTO posts SELECT 1, channel, account, post_id, published_at, post_type,
                   text, 'https://example.com/' || post_id, NULL, true FROM bench_posts"""
        )
        con.execute(
            f"""INSERT INTO observations
            SELECT 1, NULL, p.channel, p.account, m.metric, 'post', 'post', p.post_id,
                   p.published_at::DATE, p.published_at::DATE, floor(random() * 500), NULL, true
            FROM bench_posts p, (SELECT unnest({list(POST_METRICS)}::VARCHAR[]) AS metric) m
            ORDER BY p.published_at"""
        )
        con.execute("CHECKPOINT")
    tmp.rename(db)


def bench_plan() -> Plan:
    """A plan of 5 objectives and 10 KPIs over the last quarter, with budget lines."""
    objectives: dict[str, Objective] = {}
    for objective_id, metric, channel, target, direction in KPIS:
        objective = objectives.setdefault(
            objective_id,
            Objective(objective_id, objective_id.title(), "sizzle", "Bench", Q_START, Q_END),
        )
        objective.kpis.append(
            Kpi(
                metric,
                channel,
                None,
                target,
                None,
                None,
                direction,
                Q_START,
                Q_END,  # type: ignore[arg-type]
                objective_id=objective_id,
            )
        )
    budget = [
        BudgetLine(channel, date(2024, 1, 1), Q_END, money=50000, hours=500, hourly_rate=50)
        for channel in CHANNELS
    ]
    rules = ContentRules(promotional_hashtags=("korting",))
    return Plan("Bench plan", "EUR", None, list(objectives.values()), budget, rules)


def _median(func: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _call(func: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    def run() -> Any:
        with store.reader(DB) as con:
            return func(con, *args)

    return run


def _sql(sql: str, params: dict[str, Any] | None = None) -> Callable[[], Any]:
    def run() -> Any:
        with store.reader(DB) as con:
            return con.execute(sql, params or {}).fetchall()

    return run


def _floor_overview() -> Callable[[], Any]:
    """The plainest SQL for the same figures: each KPI's metric per day over its period and the
    period before, in one scan."""
    metrics = sorted(
        {m for _, m, _, _, _ in KPIS}
        | {"engagements", "impressions", "spend", "conversions", "revenue", "clicks"}
    )
    quoted = ", ".join(f"'{m}'" for m in metrics)
    return _sql(
        f"""SELECT channel, metric, period_start, sum(value) FROM observations
        WHERE is_current AND metric IN ({quoted}) AND period_start BETWEEN $s AND $e
        GROUP BY ALL""",
        {"s": Q_START - timedelta(days=Q_END.toordinal() - Q_START.toordinal() + 120), "e": Q_END},
    )


def _page_payload(page: str, query: dict[str, str] | None = None) -> tuple[float, int]:
    """(seconds, bytes) of one uncached AppTest run of the page on the bench database."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["SOSTAC_DB"], os.environ["SOSTAC_PLAN"] = str(DB), str(PLAN)
    st.cache_data.clear()
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app_pages" / page), default_timeout=600
    )
    for key, value in (query or {}).items():
        at.query_params[key] = value
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return seconds, _proto_bytes(at._tree)


def _proto_bytes(node: Any) -> int:
    total = 0
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ByteSize"):
        total += proto.ByteSize()
    for child in getattr(node, "children", {}).values():
        total += _proto_bytes(child)
    return total


def write_plan_file(plan: Plan) -> None:
    lines = ["version: 1", f"name: {plan.name}", "currency: EUR", "objectives:"]
    for o in plan.objectives:
        lines += [
            f"  - id: {o.id}",
            f"    title: {o.title}",
            "    category: sizzle",
            "    owner: Bench",
            f"    start: {o.start}",
            f"    end: {o.end}",
            "    kpis:",
        ]
        for k in o.kpis:
            lines += [
                f"      - metric: {k.metric}",
                f"        channel: {k.channel}",
                f"        target: {k.target}",
                f"        direction: {k.direction}",
            ]
    lines.append("budget:")
    for b in plan.budget:
        lines += [
            f"  - channel: {b.channel}",
            f"    start: {b.start}",
            f"    end: {b.end}",
            f"    money: {b.money}",
            f"    hours: {b.hours}",
            f"    hourly_rate: {b.hourly_rate}",
        ]
    lines += ["content:", "  promotional:", "    hashtags: ['#korting']"]
    PLAN.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    print("== KPI pages on ~10M observations (bench/pages_bench.py)", flush=True)
    if not DB.exists():
        started = time.perf_counter()
        build(DB)
        print(f"built {DB} in {time.perf_counter() - started:.1f} s", flush=True)
    plan = bench_plan()
    write_plan_file(plan)
    with store.reader(DB) as con:
        rows = con.execute("SELECT count(*) FROM observations").fetchone()
    print(
        f"{rows[0] if rows else 0:,} observation rows, {len(plan.kpis)} KPIs; "
        f"median of {ROUNDS} uncached runs; 'page' = one uncached AppTest run of the page; "
        "payload = protobuf bytes sent to the browser",
        flush=True,
    )
    as_of = END
    week = (END - timedelta(days=27), END)
    year = (date(END.year, 1, 1), END)
    quoted_cmp = ", ".join(f"'{m}'" for m in channels.COMPARED)
    quoted_cost = ", ".join(f"'{m}'" for m in roi.COST_METRICS)
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any], str, dict[str, str]]] = [
        ("Overview", _call(overview.overview, plan, as_of), _floor_overview(), "overview.py", {}),
        (
            "KPI detail",
            _call(kpi_detail.kpi_detail, plan, "engage", 0, as_of),
            _sql("""SELECT period_start, sum(value) FILTER (WHERE metric = 'engagements'),
                        sum(value) FILTER (WHERE metric = 'impressions') FROM observations
                 WHERE is_current AND channel = 'facebook' AND grain = 'day'
                   AND metric IN ('engagements', 'impressions')
                   AND period_start BETWEEN DATE '2026-06-01' AND DATE '2026-12-31'
                 GROUP BY ALL"""),
            "kpi.py",
            {"objective": "engage", "kpi": "0"},
        ),
        (
            "Channels (4 weeks)",
            _call(channels.compare_channels, *week, None, "week"),
            _sql(
                f"""SELECT channel, date_trunc('week', period_start), metric, sum(value)
                  FROM observations WHERE is_current AND metric IN ({quoted_cmp})
                  AND period_start BETWEEN $s AND $e GROUP BY ALL""",
                {"s": week[0], "e": week[1]},
            ),
            "channels.py",
            {},
        ),
        (
            "ROI (year to date)",
            _call(roi.roi_report, plan, *year, None),
            _sql(
                f"""SELECT channel, date_trunc('quarter', period_start), metric, sum(value)
                  FROM observations WHERE is_current AND metric IN ({quoted_cost})
                  AND period_start BETWEEN $s AND $e GROUP BY ALL""",
                {"s": year[0], "e": year[1]},
            ),
            "roi.py",
            {},
        ),
        (
            "Content (4 weeks)",
            _call(content.content_report, *week, plan.content, None),
            _sql(
                """SELECT p.post_type, count(*), sum(o.value) FROM posts p JOIN observations o
                 ON o.grain = 'post' AND o.item = p.post_id AND o.channel = p.channel
                 WHERE p.published_at::DATE BETWEEN $s AND $e GROUP BY ALL""",
                {"s": week[0], "e": week[1]},
            ),
            "content.py",
            {},
        ),
    ]
    print(f"{'page':<20} {'compute':>9} {'duckdb floor':>13} {'page run':>9} {'payload':>10}")
    for name, compute, floor, page, query in cases:
        seconds, _ = _median(compute)
        floor_seconds, _ = _median(floor)
        page_seconds, payload = _page_payload(page, query)
        verdict = "ok" if seconds < 0.5 and payload < 2_000_000 else "over the aim"
        print(
            f"{name:<20} {seconds:>8.3f}s {floor_seconds:>12.3f}s {page_seconds:>8.2f}s "
            f"{payload / 1000:>8.0f} kB  {verdict}",
            flush=True,
        )
    print(
        "aim: compute < 0.5 s and payload < 2 MB per page; results are cached per data "
        "version, so a rerun without a new load costs only the drawing."
    )
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} (1/5/15 min) at the end of the run; other work on the machine slows "
        "every figure above, the DuckDB floor included"
    )


if __name__ == "__main__":
    main()
