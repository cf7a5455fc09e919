"""Undo by ownership: a value stays as long as any live load states it, and undoing a load
leaves the store exactly as if that load had never happened."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from sostac_control import store
from sostac_control.ingest import ingest_paths
from sostac_control.store import load_history, schema, undo_load


def _values(db: Path) -> list[tuple]:
    with store.reader(db) as con:
        return con.execute(
            "SELECT day, channel, account, metric, value FROM metric_values ORDER BY ALL"
        ).fetchall()


def test_same_file_twice_then_undo_the_first_keeps_every_value(write_tidy, db: Path) -> None:
    path = write_tidy(
        [("2026-07-01", "instagram", "impressions", 100, "kbn"),
         ("2026-07-02", "instagram", "impressions", 150, "kbn")]
    )  # fmt: skip
    [first] = ingest_paths([path], db)
    ingest_paths([path], db)
    before = _values(db)
    assert first.load_id is not None
    assert undo_load(db, first.load_id) == 2
    assert _values(db) == before
    assert [h["status"] for h in load_history(db)] == ["loaded", "removed"]


def test_undo_of_an_overlapping_older_load_keeps_the_value_both_state(write_tidy, db: Path) -> None:
    a = write_tidy(
        [("2026-07-01", "x", "impressions", 10, "kbn"),
         ("2026-07-02", "x", "impressions", 20, "kbn")], name="a.csv"
    )  # fmt: skip
    b = write_tidy(
        [("2026-07-02", "x", "impressions", 20, "kbn"),
         ("2026-07-03", "x", "impressions", 30, "kbn")], name="b.csv"
    )  # fmt: skip
    [load_a] = ingest_paths([a], db)
    ingest_paths([b], db)
    assert load_a.load_id is not None
    undo_load(db, load_a.load_id)
    assert [(row[0], row[4]) for row in _values(db)] == [
        (date(2026, 7, 2), 20.0),
        (date(2026, 7, 3), 30.0),
    ]


def test_undo_of_the_middle_of_ten_twenty_twenty_keeps_twenty(write_tidy, db: Path) -> None:
    ids = []
    for value, name in ((10, "one.csv"), (20, "two.csv"), (20, "three.csv")):
        path = write_tidy([("2026-07-01", "x", "impressions", value, "kbn")], name=name)
        [result] = ingest_paths([path], db)
        ids.append(result.load_id)
    undo_load(db, ids[1])
    with store.reader(db) as con:
        row = con.execute("SELECT value, source FROM metric_values").fetchone()
    assert row == (20.0, "three.csv")  # the newest live load states 20, and says so


def test_undo_of_the_newest_brings_back_the_previous_value_with_its_source(
    write_tidy, db: Path
) -> None:
    one = write_tidy([("2026-07-01", "x", "impressions", 10, "kbn")], name="one.csv")
    two = write_tidy([("2026-07-01", "x", "impressions", 12, "kbn")], name="two.csv")
    ingest_paths([one], db)
    [second] = ingest_paths([two], db)
    assert second.load_id is not None
    undo_load(db, second.load_id)
    with store.reader(db) as con:
        assert con.execute("SELECT value, source FROM metric_values").fetchall() == [
            (10.0, "one.csv")
        ]


def test_post_metadata_stays_while_a_later_load_states_the_post(db: Path) -> None:
    posts = pd.DataFrame(
        [{"channel": "facebook", "account": "kbn", "post_id": "1", "published_at": None,
          "post_type": "photo", "text": "Nieuwe koffie", "permalink": "", "labels": ""}]
    )  # fmt: skip
    ids = []
    for _ in range(2):
        with store.connect(db) as con, store.transaction(con):
            load_id = store.start_load(con, source="posts.csv", command="test")
            con.register("_posts", posts)
            store.merge_posts(con, load_id, "_posts")
            con.unregister("_posts")
        ids.append(load_id)
    with store.connect(db) as con:
        store.remove_load(con, ids[0])
        rows = con.execute("SELECT text FROM posts WHERE is_current").fetchall()
    assert rows == [("Nieuwe koffie",)]


def test_load_totals_sum_what_a_load_stated_per_metric_also_unchanged_values(
    write_tidy, db: Path
) -> None:
    path = write_tidy(
        [("2026-07-01", "x", "impressions", 10, "kbn"),
         ("2026-07-02", "x", "impressions", 20, "kbn"),
         ("2026-07-01", "x", "clicks", 3, "kbn")]
    )  # fmt: skip
    ingest_paths([path], db)
    [again] = ingest_paths([path], db)
    with store.reader(db) as con:
        assert store.load_totals(con, again.load_id or 0) == {"clicks": 3.0, "impressions": 30.0}


def test_schema_1_database_opens_upgraded_and_undo_works_on_its_loads(
    db: Path, monkeypatch
) -> None:
    # A file as schema 1 wrote it: load 1 set 10, load 2 replaced it by 12 (load 1's version
    # no longer current), load 2 also added a second day.
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    with store.connect(db) as con:
        for load_id, source in ((1, "one.csv"), (2, "two.csv")):
            con.execute(
                "INSERT INTO loads (load_id, source, format, loaded_at, status) "
                "VALUES (?, ?, 'tidy_csv', now(), 'loaded')",
                [load_id, source],
            )
        con.execute(
            """INSERT INTO observations VALUES
            (1, 1, 'x', 'kbn', 'impressions', 'day', '', '', '2026-07-01', '2026-07-01', 10, NULL,
             false),
            (2, 1, 'x', 'kbn', 'impressions', 'day', '', '', '2026-07-01', '2026-07-01', 12, NULL,
             true),
            (2, 2, 'x', 'kbn', 'impressions', 'day', '', '', '2026-07-02', '2026-07-02', 5, NULL,
             true)"""
        )
    monkeypatch.undo()
    with store.connect(db) as con:
        version = con.execute("SELECT max(version) FROM schema_version").fetchone()
    assert version == (store.SCHEMA_VERSION,)
    assert [(r[0], r[4]) for r in _values(db)] == [
        (date(2026, 7, 1), 12.0),
        (date(2026, 7, 2), 5.0),
    ]
    undo_load(db, 2)
    with store.reader(db) as con:
        assert con.execute("SELECT day, value, source FROM metric_values").fetchall() == [
            (date(2026, 7, 1), 10.0, "one.csv")
        ]


# --- every order of undo equals replaying the remaining loads ------------------------------

DAYS = [date(2026, 7, 1) + timedelta(days=i) for i in range(4)]
# A load states some of a small set of keys (2 metrics × 4 days) with values from a small range,
# so loads overlap, repeat values and change them.
LOAD = st.dictionaries(
    st.tuples(st.sampled_from(["impressions", "clicks"]), st.sampled_from(DAYS)),
    st.sampled_from([1.0, 2.0, 3.0]),
    min_size=1,
    max_size=6,
)


def _merge(db: Path, rows: dict[tuple[str, date], float], source: str) -> int:
    stage = pd.DataFrame(
        [
            {"channel": "x", "account": "kbn", "metric": metric, "grain": "day",
             "dimension": "", "item": "", "period_start": day, "period_end": day,
             "source_row": i + 1, "value": value, "currency": None}
            for i, ((metric, day), value) in enumerate(sorted(rows.items()))
        ]
    )  # fmt: skip
    with store.connect(db) as con, store.transaction(con):
        load_id = store.start_load(con, source=source, format="tidy_csv", command="test")
        con.register("_stage", stage)
        store.merge_observations(con, load_id, "_stage")
        con.unregister("_stage")
    return load_id


def _state(db: Path) -> list[tuple]:
    """Every current value with the source that set it and its row in that source."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT metric, day, value, source, source_row FROM metric_values ORDER BY ALL"
        ).fetchall()


class UndoEqualsReplay(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sostac-undo-"))
        self.db = self.folder / "store.duckdb"
        self.loads: dict[int, dict[tuple[str, date], float]] = {}  # live loads by id
        self.count = 0
        with store.connect(self.db):
            pass

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(rows=LOAD)
    def load(self, rows: dict[tuple[str, date], float]) -> None:
        self.count += 1
        load_id = _merge(self.db, rows, f"load{self.count}.csv")
        self.loads[load_id] = rows

    @precondition(lambda self: bool(self.loads))
    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        load_id = data.draw(st.sampled_from(sorted(self.loads)))
        undo_load(self.db, load_id)
        del self.loads[load_id]
        self.equals_a_replay_of_the_live_loads()

    def equals_a_replay_of_the_live_loads(self) -> None:
        replay = self.folder / f"replay{self.count}-{len(self.loads)}.duckdb"
        replay.unlink(missing_ok=True)
        with store.connect(replay):
            pass
        with store.reader(self.db) as con:
            sources = dict(con.execute("SELECT load_id, source FROM loads").fetchall())
        for load_id, rows in sorted(self.loads.items()):
            _merge(replay, rows, sources[load_id])
        assert _state(self.db) == _state(replay)
        replay.unlink()


UndoEqualsReplay.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_every_order_of_undo_equals_replaying_the_remaining_loads = UndoEqualsReplay.TestCase
