"""One currency per sum: money in the plan's currency, other currencies converted or left out.

Stored money values keep the currency their export names (`observations.currency`). A reading
connection is told the plan's currency and its `currency_rates:` once (`use_plan_money`); every
query built on `grains.base_sql` then multiplies money by the rate of its currency and leaves
out money in a currency without a rate, so no sum ever mixes PHP with EUR or shows pesos with
a euro sign. `money_left_out` names what was left out, for the screens' notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from sostac_control.catalog import METRICS
from sostac_control.i18n import _, number

MONEY_METRICS = tuple(name for name, m in METRICS.items() if m.unit == "money" and m.kind == "sum")


def use_plan_money(
    con: duckdb.DuckDBPyConnection, currency: str, rates: Mapping[str, float] | None = None
) -> None:
    """Make this connection's sums count money in `currency`, converting with `rates`.

    `rates` maps a currency to its value in `currency` (USD: 0.92 means 1 USD = 0.92 EUR).
    Money without a currency (an export that names none) is taken to be in `currency`.
    """
    table = {currency: 1.0, "": 1.0, **{k.upper(): float(v) for k, v in (rates or {}).items()}}
    pairs = ", ".join(
        f"'{k}': {v!r}" for k, v in table.items() if k.replace("_", "").isalnum() or k == ""
    )
    con.execute(f"SET VARIABLE sostac_rates = MAP {{{pairs}}}::MAP(VARCHAR, DOUBLE)")


def money_sql(value: str = "value", metric: str = "metric", currency: str = "currency") -> str:
    """SQL for a stored value in the plan's currency; NULL when its currency has no rate.

    Without `use_plan_money` on the connection, money is taken as it is stored.
    """
    money = ", ".join(f"'{m}'" for m in MONEY_METRICS)
    return (
        f"CASE WHEN {metric} NOT IN ({money}) OR getvariable('sostac_rates') IS NULL "
        f"THEN {value} ELSE {value} * getvariable('sostac_rates')[coalesce({currency}, '')] END"
    )


@dataclass(frozen=True)
class LeftOut:
    """Money in a currency the plan gives no rate for: left out of every sum."""

    channel: str
    metric: str
    currency: str
    values: int
    total: float

    def sentence(self, plan_currency: str) -> str:
        return _(
            "{channel} {metric}: {n} amount(s) in {currency} ({total} {currency}) are left out "
            "of every sum: the plan counts in {plan_currency} and gives no rate for {currency}. "
            "Add `currency_rates: {{{currency}: …}}` to the plan to convert them."
        ).format(
            channel=self.channel,
            metric=self.metric,
            n=number(self.values),
            currency=self.currency,
            total=number(self.total, 2),
            plan_currency=plan_currency,
        )


def money_left_out(con: duckdb.DuckDBPyConnection) -> list[LeftOut]:
    """Per channel and currency, the stored money that this connection's rates leave out."""
    money = ", ".join(f"'{m}'" for m in MONEY_METRICS)
    rows = con.execute(
        f"""SELECT channel, metric, currency, count(*), sum(value) FROM observations
        WHERE is_current AND metric IN ({money}) AND getvariable('sostac_rates') IS NOT NULL
        GROUP BY ALL
        HAVING getvariable('sostac_rates')[coalesce(currency, '')] IS NULL
        ORDER BY channel, metric, currency"""
    ).fetchall()
    return [LeftOut(r[0], r[1], r[2], int(r[3]), float(r[4] or 0.0)) for r in rows]
