"""The database's schema: the natural keys and the forward migrations that build it.

MIGRATIONS[i] brings a database from version i to i + 1; `connect` runs the missing steps.
"""

from __future__ import annotations

import duckdb

from sostac_control.errors import SostacError

# The natural key of an observation: one value of one metric for one thing over one period.
OBSERVATION_KEY = (
    "channel",
    "account",
    "metric",
    "grain",
    "dimension",
    "item",
    "period_start",
    "period_end",
)
POST_KEY = ("channel", "account", "post_id")
POST_VALUES = ("published_at", "post_type", "text", "permalink", "labels")

# Schema 3's current-values table and view (see the third migration).
_OBSERVATIONS_OWNED = """CREATE TABLE observations (
    key_id BIGINT NOT NULL,        -- one per natural key; statements refer to it
    load_id INTEGER NOT NULL,      -- the load that set the current value
    source_row INTEGER,            -- 1-based data row of that load's file (or record)
    channel VARCHAR NOT NULL,
    account VARCHAR NOT NULL,      -- '' when the export does not name one
    metric VARCHAR NOT NULL,
    grain VARCHAR NOT NULL,        -- 'day' | 'post' | 'window'
    dimension VARCHAR NOT NULL,    -- '' for account totals; else 'post', 'campaign', ...
    item VARCHAR NOT NULL,         -- post id, campaign name, country, ...; '' for totals
    period_start DATE NOT NULL,    -- day grain: the day; post grain: the publish day
    period_end DATE NOT NULL,      -- equal to period_start except for windows
    value DOUBLE NOT NULL,
    currency VARCHAR,              -- money metrics: the currency the source named
    is_current BOOLEAN NOT NULL    -- always true since schema 3; kept for schema-1 queries
)"""
_METRIC_VALUES_OWNED = """CREATE VIEW metric_values AS
    SELECT o.period_start AS day, o.period_end, o.channel, o.account, o.metric,
           o.grain, o.dimension, o.item, o.value, o.currency,
           l.source, o.source_row, l.format, l.loaded_at, o.load_id
    FROM observations o JOIN loads l USING (load_id)"""

# Forward migrations: MIGRATIONS[i] brings a database from version i to i + 1. Never edit a
# released step; append a new one, so a database made by an older version opens in a newer one.
MIGRATIONS: list[list[str]] = [
    [
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version VALUES (0)",
        "CREATE SEQUENCE load_id_seq START 1",
        """CREATE TABLE loads (
            load_id INTEGER PRIMARY KEY,
            source VARCHAR NOT NULL,       -- file name, or 'api:<source name>'
            sha256 VARCHAR,
            format VARCHAR,
            platform VARCHAR,
            channel VARCHAR,
            grain VARCHAR,
            account VARCHAR,
            command VARCHAR,               -- 'cli ingest', 'app upload', 'demo', 'fetch', ...
            loaded_at TIMESTAMP NOT NULL,
            rows_read INTEGER DEFAULT 0,
            inserted INTEGER DEFAULT 0,
            updated INTEGER DEFAULT 0,
            unchanged INTEGER DEFAULT 0,
            skipped INTEGER DEFAULT 0,
            rejected INTEGER DEFAULT 0,
            first_day DATE,
            last_day DATE,
            status VARCHAR NOT NULL,       -- 'loaded' | 'removed'
            removed_at TIMESTAMP
        )""",
        """CREATE TABLE observations (
            load_id INTEGER NOT NULL,
            source_row INTEGER,            -- 1-based data row of the source file (or record)
            channel VARCHAR NOT NULL,
            account VARCHAR NOT NULL,      -- '' when the export does not name one
            metric VARCHAR NOT NULL,
            grain VARCHAR NOT NULL,        -- 'day' | 'post' | 'window'
            dimension VARCHAR NOT NULL,    -- '' for account totals; else 'post', 'campaign', ...
            item VARCHAR NOT NULL,         -- post id, campaign name, country, ...; '' for totals
            period_start DATE NOT NULL,    -- day grain: the day; post grain: the publish day
            period_end DATE NOT NULL,      -- equal to period_start except for windows
            value DOUBLE NOT NULL,
            currency VARCHAR,              -- money metrics: the currency the source named
            is_current BOOLEAN NOT NULL    -- the newest version of this key
        )""",
        """CREATE TABLE posts (
            load_id INTEGER NOT NULL,
            channel VARCHAR NOT NULL,
            account VARCHAR NOT NULL,
            post_id VARCHAR NOT NULL,
            published_at TIMESTAMP,
            post_type VARCHAR,
            text VARCHAR,
            permalink VARCHAR,
            labels VARCHAR,
            is_current BOOLEAN NOT NULL
        )""",
        """CREATE TABLE rejects (
            load_id INTEGER NOT NULL,
            row INTEGER,
            "column" VARCHAR,
            message VARCHAR NOT NULL
        )""",
        """CREATE TABLE fetch_state (
            source VARCHAR PRIMARY KEY,    -- a configured API source
            last_day DATE,                 -- the newest day loaded from it
            fetched_at TIMESTAMP
        )""",
        """CREATE VIEW metric_values AS
            SELECT o.period_start AS day, o.period_end, o.channel, o.account, o.metric,
                   o.grain, o.dimension, o.item, o.value, o.currency,
                   l.source, o.source_row, l.format, l.loaded_at, o.load_id
            FROM observations o JOIN loads l USING (load_id)
            WHERE o.is_current""",
    ],
    # The sent-alert log (one row per alert and destination; the key makes a second send of
    # the same alert impossible) and the refused files, which hold alerts until a good load.
    [
        """CREATE TABLE alert_log (
            alert_key VARCHAR PRIMARY KEY, -- rule|subject|event|occasion|destination
            rule VARCHAR NOT NULL,
            subject VARCHAR NOT NULL,      -- objective:<id>, kpi:<id>#<n>, digest, data
            event VARCHAR NOT NULL,        -- at_risk, off_track, recovered, digest, held, ...
            occasion VARCHAR NOT NULL,     -- which episode, day or week the alert is about
            destination VARCHAR NOT NULL,
            as_of DATE NOT NULL,
            title VARCHAR NOT NULL,        -- the alert's words; never a secret
            status VARCHAR NOT NULL,       -- 'sending' | 'sent' | 'failed'
            attempts INTEGER NOT NULL DEFAULT 0,
            claimed_at TIMESTAMP NOT NULL,
            sent_at TIMESTAMP,
            last_error VARCHAR
        )""",
        """CREATE TABLE refused_files (
            refused_at TIMESTAMP NOT NULL,
            source VARCHAR NOT NULL,
            message VARCHAR NOT NULL
        )""",
    ],
    # Schema 3: ownership. Every load's statement of every key is kept (`statements`), also when
    # it found the value unchanged; `observations` holds one row per key: the value the newest
    # live load states, and the load that set it. Undo deletes a load's statements and derives
    # each of its keys again from the loads that remain. A version-1 file keeps its history:
    # each stored version becomes a statement of the load that wrote it (schema 1 did not record
    # which loads restated a value unchanged, so those restatements cannot be recovered).
    [
        """CREATE TABLE statements (
            load_id INTEGER NOT NULL,
            key_id BIGINT NOT NULL,
            source_row INTEGER,
            value DOUBLE NOT NULL,
            currency VARCHAR
        )""",
        f"""CREATE TABLE _keyed AS SELECT *,
            dense_rank() OVER (ORDER BY {", ".join(OBSERVATION_KEY)}) AS key_id
            FROM observations""",
        """INSERT INTO statements
            SELECT load_id, key_id, source_row, value, currency FROM _keyed
            ORDER BY load_id, key_id""",
        "DROP VIEW metric_values",
        "DROP TABLE observations",
        _OBSERVATIONS_OWNED,
        f"""INSERT INTO observations
            SELECT key_id, load_id, source_row, {", ".join(OBSERVATION_KEY)}, value, currency, true
            FROM _keyed WHERE is_current ORDER BY key_id""",
        "DROP TABLE _keyed",
        _METRIC_VALUES_OWNED,
    ],
    # The PRIMARY KEY index on loads cost a new 256 KB block at every checkpoint (DuckDB 1.4's
    # index storage): the file grew by 256 KB per small load. load_id comes from a sequence, so
    # the table keeps its ids unique without an index.
    [
        "ALTER TABLE loads RENAME TO loads_with_index",
        """CREATE TABLE loads (
            load_id INTEGER NOT NULL, source VARCHAR NOT NULL, sha256 VARCHAR,
            format VARCHAR, platform VARCHAR, channel VARCHAR, grain VARCHAR, account VARCHAR,
            command VARCHAR, loaded_at TIMESTAMP NOT NULL, rows_read INTEGER DEFAULT 0,
            inserted INTEGER DEFAULT 0, updated INTEGER DEFAULT 0, unchanged INTEGER DEFAULT 0,
            skipped INTEGER DEFAULT 0, rejected INTEGER DEFAULT 0, first_day DATE,
            last_day DATE, status VARCHAR NOT NULL, removed_at TIMESTAMP
        )""",
        "INSERT INTO loads SELECT * FROM loads_with_index",
        "DROP TABLE loads_with_index",
    ],
    # Schema 5: who did it. Every load and undo names its actor (the signed-in user's e-mail,
    # or the local user's name) and every plan edit and alert-rule change is a row of `changes`.
    [
        "ALTER TABLE loads ADD COLUMN actor VARCHAR",
        "ALTER TABLE loads ADD COLUMN removed_by VARCHAR",
        """CREATE TABLE changes (
            changed_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,        -- e-mail when signed in, else the local user
            what VARCHAR NOT NULL,         -- 'plan' | 'alert rules' | 'workspace'
            detail VARCHAR NOT NULL        -- what changed, in words
        )""",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)

# A new DuckLake store starts at schema 4 in one step: DuckLake has no sequences and no
# PRIMARY KEY/UNIQUE constraints (load ids come from lake.next_load_id; fetch_state and
# alert_log are kept unique by their writers), and it needs `store_clock` (see lake.py).
# The steps after LAKE_BASE_VERSION run on both backends.
LAKE_BASE_VERSION = 4
LAKE_BASE: list[str] = [
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "INSERT INTO schema_version VALUES (0)",
    "CREATE TABLE store_clock (writes BIGINT NOT NULL)",
    "INSERT INTO store_clock VALUES (0)",
    MIGRATIONS[3][1],  # loads, without the index
    _OBSERVATIONS_OWNED,
    MIGRATIONS[0][5],  # posts
    MIGRATIONS[0][6],  # rejects
    MIGRATIONS[0][7].replace("PRIMARY KEY", "NOT NULL"),  # fetch_state
    MIGRATIONS[1][0].replace("PRIMARY KEY", "NOT NULL"),  # alert_log
    MIGRATIONS[1][1],  # refused_files
    MIGRATIONS[2][0],  # statements
    _METRIC_VALUES_OWNED,
]


def migrate(con: duckdb.DuckDBPyConnection, *, lake: bool = False) -> int:
    """Bring the schema up to SCHEMA_VERSION; returns the version the store had before.

    `lake`: the connection works on a DuckLake store (a new one starts from LAKE_BASE)."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    before = 0
    if has_table and has_table[0]:
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
        before = int(row[0]) if row and row[0] is not None else 0
    if before > SCHEMA_VERSION:
        raise SostacError(
            f"The database was made by a newer sostac-control (schema {before}, "
            f"this one knows up to {SCHEMA_VERSION}).",
            hint="Upgrade sostac-control, or point --db at another file.",
        )
    if lake and before == 0:
        _run_step(con, LAKE_BASE, LAKE_BASE_VERSION)
        before = LAKE_BASE_VERSION
    for version in range(before, SCHEMA_VERSION):
        _run_step(con, MIGRATIONS[version], version + 1)
    return before


def _run_step(con: duckdb.DuckDBPyConnection, statements: list[str], version: int) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in statements:
            con.execute(statement)
        con.execute("UPDATE schema_version SET version = ?", [version])
    except Exception:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")  # on DuckLake a conflict fails here (and rolls back by itself)
