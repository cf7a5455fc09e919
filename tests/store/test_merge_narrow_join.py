"""The re-load's join is narrowed to the key columns that vary in the load: a column with one
value in every staged row (grain, dimension, item; period_end equal to period_start) is tested
as a filter on the stored rows instead. Exact: a stored key that differs from a staged one only
in such a column is another key, never matched, updated or stated by the load."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sostac_control import store
from sostac_control.store import undo_load
from sostac_control.store.merge import _fixed_key_parts

DAY = date(2026, 7, 1)
WEEK_END = date(2026, 7, 7)
# (grain, dimension, item, period_end, value): keys alike in channel, account, metric and day.
DAY_ROW = ("day", "", "", DAY, 100.0)
POST_ROW = ("post", "post", "p1", DAY, 5.0)
WINDOW_ROW = ("window", "", "", WEEK_END, 700.0)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"source_row": i + 1, "channel": "instagram", "account": "kbn",
             "metric": "impressions", "grain": grain, "dimension": dimension, "item": item,
             "period_start": DAY, "period_end": end, "value": value, "currency": None}
            for i, (grain, dimension, item, end, value) in enumerate(rows)
        ]
    )  # fmt: skip


def _load(db: Path, rows: list[tuple]) -> store.LoadOutcome:
    with store.connect(db) as con, store.transaction(con):
        return store.record_load(
            con,
            store.NewLoad(source=f"{len(rows)}.csv"),
            store.LoadBatch(observations=_frame(rows)),
        )


def _current(db: Path) -> list[tuple]:
    with store.reader(db) as con:
        return con.execute(
            """SELECT grain, dimension, item, period_end, value, load_id FROM observations
               ORDER BY ALL"""
        ).fetchall()


@pytest.mark.both_backends
def test_keys_differing_only_in_a_column_fixed_by_the_load_are_never_merged(db: Path) -> None:
    first = _load(db, [DAY_ROW, POST_ROW, WINDOW_ROW])  # mixed: joined on every column
    assert first.counts.inserted == 3
    one = first.load_id
    day_again = _load(db, [("day", "", "", DAY, 120.0)])  # grain, item, period_end fixed
    assert (day_again.counts.updated, day_again.counts.inserted) == (1, 0)
    window_again = _load(db, [WINDOW_ROW])  # period_end differs from period_start: joined
    assert (window_again.counts.unchanged, window_again.counts.inserted) == (1, 0)
    other_post = _load(db, [("post", "post", "p2", DAY, 5.0)])  # same value, another item
    assert (other_post.counts.inserted, other_post.counts.unchanged) == (1, 0)
    assert _current(db) == [
        ("day", "", "", DAY, 120.0, day_again.load_id),
        ("post", "post", "p1", DAY, 5.0, one),
        ("post", "post", "p2", DAY, 5.0, other_post.load_id),
        ("window", "", "", WEEK_END, 700.0, one),
    ]
    with store.reader(db) as con:  # each load stated its own keys only
        stated = con.execute(
            "SELECT load_id, count(*) FROM statements GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    assert stated == [(one, 3), (day_again.load_id, 1), (window_again.load_id, 1),
                      (other_post.load_id, 1)]  # fmt: skip
    undo_load(db, day_again.load_id)
    assert _current(db)[0] == ("day", "", "", DAY, 100.0, one)


def _narrowed(rows: list[tuple], channels: list[str], metrics: list[str]) -> tuple:
    """_fixed_key_parts of staged (grain, dimension, item, period_end) rows on day DAY."""
    with duckdb.connect() as con:
        con.execute(
            """CREATE TABLE stage (grain VARCHAR, dimension VARCHAR, item VARCHAR,
                                   period_start DATE, period_end DATE)"""
        )
        con.executemany("INSERT INTO stage VALUES (?, ?, ?, ?, ?)",
                        [(g, d, i, DAY, end) for g, d, i, end in rows])  # fmt: skip
        return _fixed_key_parts(con, "stage", channels, metrics)


@pytest.mark.parametrize(
    ("rows", "joined", "fixed"),
    [
        # one grain, dimension and item in every row, period_end = period_start
        ([("day", "", "", DAY)] * 3,
         ("account", "period_start"), ["grain = 'day'", "item = ''", "period_end = period_start"]),
        # a NULL item in one row: it would match nothing, so the item stays joined
        ([("day", "", "", DAY), ("day", "", None, DAY)],
         ("account", "item", "period_start"), ["dimension = ''"]),
        # the first row's item NULL: joined too
        ([("day", "", None, DAY), ("day", "", None, DAY)],
         ("account", "item", "period_start"), ["grain = 'day'"]),
        # two grains, a window: joined on them
        ([("day", "", "", DAY), ("window", "", "", WEEK_END)],
         ("account", "grain", "period_start", "period_end"), ["item = ''"]),
    ],
)  # fmt: skip
def test_only_columns_with_one_value_in_every_row_leave_the_join(
    rows: list[tuple], joined: tuple, fixed: list[str]
) -> None:
    where, columns = _narrowed(rows, ["x"], ["clicks"])
    assert columns == joined
    assert all(f in where for f in fixed)
    for column in ("channel", "metric"):  # one of each: in the scope's IN list already
        assert column not in columns
    _, both = _narrowed(rows, ["x", "instagram"], ["clicks", "reach"])
    assert both[:2] == ("channel", "account") and "metric" in both
