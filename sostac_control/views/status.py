"""What the Status page shows besides the statuses themselves: the scorecard rows of an
objective and the week-by-week history as tables (objectives × weeks, KPIs × weeks)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sostac_control.engine.status import ObjectiveStatus
from sostac_control.i18n import day_month


@dataclass(frozen=True)
class ScorecardLine:
    """One KPI of an objective on the Status page, as one line of text."""

    kpi: str
    status: str
    chance: str  # " · 83% chance", or "" when there is no chance to show
    why: str


def scorecard_lines(objective: ObjectiveStatus) -> list[ScorecardLine]:
    """The scorecard of an objective as lines (a phone shows every part of them)."""
    return [
        ScorecardLine(
            k.label,
            k.status,
            "" if k.probability is None else f" · {round(100 * k.probability)}% chance",
            k.reason,
        )
        for k in objective.kpis
    ]


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
    the newest week first (so the current weeks are on screen) and labelled by their day."""
    weeks = [day_month(d, padded=True) for d in pd.to_datetime(replay["day"])]
    replay = replay.assign(**{"week of": weeks})
    order = list(dict.fromkeys(replay.sort_values("day", ascending=False)["week of"]))
    objectives = (
        replay.drop_duplicates(["day", "objective_id"])
        .pivot(index="objective", columns="week of", values="objective_status")
        .reindex(columns=order)
    )
    kpis = replay.pivot_table(
        index=["objective_id", "kpi"], columns="week of", values="status", aggfunc="first"
    ).reindex(columns=order)
    return objectives, kpis
