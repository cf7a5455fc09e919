"""`status` on a cache miss: the plan judged on the database (the engine, and with it pandas,
is imported only here; status_cmd.py imports this module when it must compute)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sostac_control import store
from sostac_control.cli.options import json_default
from sostac_control.dbfile import StoreRef
from sostac_control.engine.series import read_kpi_series
from sostac_control.engine.status import HISTORY_DAYS, PlanStatus, evaluate_plan
from sostac_control.plan.model import Plan


def status_entry(db: StoreRef, plan: Plan, as_of: date) -> dict[str, Any]:
    """What `status` prints, as plain JSON values: the `--json` document and, for the text
    output, each KPI's label, each crisis in words and the plan's currency."""
    with store.reader(db) as con:
        kpi_series = None
        if plan.kpis:  # every sum and ratio KPI's series in one query
            start = min(k.start for k in plan.kpis) - timedelta(days=HISTORY_DAYS)
            end = max(k.end for k in plan.kpis)
            kpi_series = read_kpi_series(con, plan.kpis, start, end, budget=plan.budget)
        result = evaluate_plan(con, plan, as_of, kpi_series=kpi_series)
    return entry_of(result, plan.currency)


def entry_of(result: PlanStatus, currency: str) -> dict[str, Any]:
    document = json.loads(json.dumps(result.to_dict(), default=json_default))
    words = {
        "currency": currency,
        "objectives": [
            {
                "crisis": None if o.crisis is None else o.crisis.text,
                "labels": [k.label for k in o.kpis],
            }
            for o in result.objectives
        ],
    }
    return {"document": document, "words": words}
