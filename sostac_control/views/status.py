"""What the Status page shows besides the statuses themselves: the scorecard rows of an
objective and the week-by-week history as tables (objectives × weeks, KPIs × weeks)."""

from __future__ import annotations

import pandas as pd

from sostac_control.engine.status import ObjectiveStatus


def scorecard_rows(objective: ObjectiveStatus) -> pd.DataFrame:
    """One row per KPI: label, status (a status name), chance in whole percents, why, the
    culprit of a gap, notes."""
    return pd.DataFrame(
        [
            {
                "KPI": k.label,
                "status": k.status,
                # Whole percents: a chance is an estimate, not a measurement.
                "chance": None if k.probability is None else round(100 * k.probability),
                "why": k.reason,
                "culprit": k.attribution.text if k.attribution is not None else "",
                "notes": "; ".join(k.notes),
            }
            for k in objective.kpis
        ]
    )


def history_tables(replay: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """status.history's replay pivoted to (objectives × weeks, KPIs × weeks) of status names,
    the weeks in order and labelled by their day ("06 Jul")."""
    replay = replay.assign(**{"week of": pd.to_datetime(replay["day"]).dt.strftime("%d %b")})
    order = list(dict.fromkeys(replay["week of"]))
    objectives = (
        replay.drop_duplicates(["day", "objective_id"])
        .pivot(index="objective", columns="week of", values="objective_status")
        .reindex(columns=order)
    )
    kpis = replay.pivot_table(
        index=["objective_id", "kpi"], columns="week of", values="status", aggfunc="first"
    ).reindex(columns=order)
    return objectives, kpis
