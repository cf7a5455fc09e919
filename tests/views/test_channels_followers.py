"""The Channels page's followers per channel, read in one query, are metric_total's figures."""

from __future__ import annotations

import math
from datetime import date, timedelta

import duckdb

from sostac_control.engine.grains import metric_total
from sostac_control.views.channels import _followers

CHANNELS = ["instagram", "linkedin", "tiktok", "x"]


def test_followers_of_every_channel_in_one_query_match_metric_total() -> None:
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE observations (channel VARCHAR, account VARCHAR, metric VARCHAR,
           grain VARCHAR, dimension VARCHAR, item VARCHAR, period_start DATE,
           period_end DATE, value DOUBLE, currency VARCHAR, is_current BOOLEAN)"""
    )
    rows = []
    for d in range(60):
        day = date(2026, 3, 1) + timedelta(days=d)
        rows += [  # two named accounts on Instagram, one unnamed beside a named on LinkedIn
            ("instagram", "a", "followers", "day", "", "", day, day, 1000.0 + d, None),
            ("linkedin", "", "followers", "day", "", "", day, day, 99.0, None),
        ]
        if d % 7 == 0:  # weekly, and stops early
            rows.append(("instagram", "b", "followers", "day", "", "", day, day, 50.0 + d, None))
        if d < 20:
            rows.append(("linkedin", "c", "followers", "day", "", "", day, day, 300.0 + d, None))
    rows.append(
        ("x", "z", "followers", "window", "", "", date(2026, 2, 1), date(2026, 2, 28), 7.0, None)
    )
    con.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)", rows)
    for start, end in ((date(2026, 4, 1), date(2026, 4, 20)), (date(2026, 3, 5), date(2026, 3, 9))):
        got = _followers(con, CHANNELS, start, end)
        want = {c: metric_total(con, "followers", c, None, start, end).value for c in CHANNELS}
        assert want["tiktok"] is None and want["instagram"] and want["linkedin"] and want["x"]
        assert got.keys() == want.keys()
        for channel, value in want.items():
            if value is None:
                assert got[channel] is None, channel
            else:
                assert math.isclose(got[channel] or 0.0, value, rel_tol=1e-12), channel
    assert _followers(con, [], date(2026, 4, 1), date(2026, 4, 1)) == {}
