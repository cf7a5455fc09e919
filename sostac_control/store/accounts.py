"""Which accounts the database knows per channel, and the account a user gave a format before.

An export that names no account (a Meta page daily series, some daily exports) belongs to one
of the channel's accounts; `ingest` asks these questions to match it, so an unnamed series is
never stored beside a named one of the same account (which would count it twice).
"""

from __future__ import annotations

import duckdb


def named_accounts(con: duckdb.DuckDBPyConnection, channel: str) -> list[str]:
    """The named accounts with current values on `channel`, sorted."""
    rows = con.execute(
        """SELECT DISTINCT account FROM observations
        WHERE is_current AND channel = ? AND account <> '' ORDER BY account""",
        [channel],
    ).fetchall()
    return [r[0] for r in rows]


def remembered_account(
    con: duckdb.DuckDBPyConnection, channel: str, format_name: str
) -> str | None:
    """The account of the newest live load of this format on `channel` that named one."""
    row = con.execute(
        """SELECT account FROM loads
        WHERE status = 'loaded' AND format = ? AND channel = ? AND coalesce(account, '') <> ''
          AND position(',' IN account) = 0
        ORDER BY loaded_at DESC, load_id DESC LIMIT 1""",
        [format_name, channel],
    ).fetchone()
    return str(row[0]) if row else None


def unnamed_beside_named(con: duckdb.DuckDBPyConnection) -> list[tuple[str, list[str], int]]:
    """Channels holding values without an account beside named accounts.

    (channel, named accounts, unnamed values): the metric engine leaves the unnamed values out
    of every sum, so the Data page asks for their account.
    """
    rows = con.execute(
        """SELECT channel,
                  list(DISTINCT account ORDER BY account) FILTER (WHERE account <> ''),
                  count(*) FILTER (WHERE account = '')
        FROM observations WHERE is_current
        GROUP BY channel
        HAVING count(*) FILTER (WHERE account = '') > 0
           AND count(*) FILTER (WHERE account <> '') > 0
        ORDER BY channel"""
    ).fetchall()
    return [(r[0], list(r[1]), int(r[2])) for r in rows]
