"""Crisis alarm: a sudden spike of negative signals in daily data (the social media plan's crisis
manual), separate from pacing.

The vocabulary (DESIGN.md) has no negative-feedback or hide metric, so the alarm reads the
negative signals that the stored metrics do carry:
- unfollows: a day's net new followers (`new_followers`, else the day's change of `followers`)
  falling below zero and far below its usual level;
- a pile-on: comments per impression jumping while reactions per impression fall, both at once
  (many comments with fewer likes is how a backlash looks in counts; a popular post raises
  both counts and neither rate).
Each signal is scored against the channel's 16-week baseline in robust units (median and MAD):
unfollow score = (usual − net) / scale on days with net < 0; pile-on score = min(comment z,
−reaction-rate z). A day scoring ≥ 4, or two days in a row ≥ 2.5, raises the alarm; the crisis
began on the first day of that run scoring ≥ 2, and its size is the worst day's figure against
the usual. The flag stays on the objective while the alarm fired within the last 14 days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sostac_control.catalog import ALL_CHANNELS, CHANNEL_LABELS
from sostac_control.engine.grains import base_sql, metric_daily, params
from sostac_control.engine.status_words import day_text
from sostac_control.i18n import _, number, signed

if TYPE_CHECKING:
    import duckdb

    from sostac_control.plan.model import Objective

BASELINE_DAYS = 16 * 7
RECENT_DAYS = 14
ALARM_SCORE = 4.0
RUN_SCORE = 2.5
START_SCORE = 2.0


@dataclass(frozen=True)
class Crisis:
    """A spike of negative signals: where, from which day, how big."""

    channel: str
    began: date
    signal: str  # unfollows | pile_on
    score: float  # the worst day's score in robust units
    size: str  # "net −140 followers on 12 Nov (usually +12 a day)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "began": self.began.isoformat(),
            "signal": self.signal,
            "score": round(self.score, 1),
            "size": self.size,
        }

    @property
    def text(self) -> str:
        label = CHANNEL_LABELS.get(self.channel, self.channel)
        return _("crisis on {channel} since {day}: {size}").format(
            channel=label, day=day_text(self.began), size=self.size
        )


@dataclass(frozen=True)
class CrisisPath:
    """Scores and alarms per day of the watched days."""

    unfollow: np.ndarray
    pile_on: np.ndarray
    alarm: np.ndarray  # bool per day
    began: np.ndarray  # index of the run's first day ≥ START_SCORE when alarmed, else -1


def _robust(values: np.ndarray) -> tuple[float, float]:
    v = values[np.isfinite(values)]
    if len(v) < 28:
        return math.nan, math.nan
    median = float(np.median(v))
    return median, 1.4826 * float(np.median(np.abs(v - median)))


def crisis_path(
    net_followers: np.ndarray,
    comments: np.ndarray,
    reactions: np.ndarray,
    impressions: np.ndarray,
    baseline_days: int,
) -> CrisisPath:
    """Score every day after the first `baseline_days` (arrays cover baseline + watched days)."""
    net = np.asarray(net_followers, float)
    com = np.asarray(comments, float)
    rea = np.asarray(reactions, float)
    imp = np.asarray(impressions, float)
    b = baseline_days
    usual_net, scale_net = _robust(net[:b])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_c = np.log((np.clip(com, 0, None) + 0.5) / imp)  # comments per impression
        rate = np.log((rea + 0.5) / imp)
    usual_c, scale_c = _robust(log_c[:b])
    usual_r, scale_r = _robust(rate[:b])
    watched = slice(b, len(net))
    with np.errstate(invalid="ignore"):
        if math.isfinite(usual_net):
            unfollow = (usual_net - net[watched]) / max(scale_net, 1.0)
            unfollow = np.where(net[watched] < 0, unfollow, 0.0)
        else:
            unfollow = np.zeros(len(net) - b)
        if math.isfinite(usual_c) and math.isfinite(usual_r):
            cz = (log_c[watched] - usual_c) / max(scale_c, 0.1)
            rz = (rate[watched] - usual_r) / max(scale_r, 0.05)
            pile_on = np.minimum(cz, -rz)
        else:
            pile_on = np.zeros(len(net) - b)
    unfollow = np.nan_to_num(unfollow, nan=0.0)
    pile_on = np.nan_to_num(pile_on, nan=0.0)
    score = np.maximum(unfollow, pile_on)
    prev = np.concatenate([[0.0], score[:-1]])
    alarm = (score >= ALARM_SCORE) | ((score >= RUN_SCORE) & (prev >= RUN_SCORE))
    began = np.full(len(score), -1)
    for t in np.flatnonzero(alarm):
        s = t
        while s > 0 and score[s - 1] >= START_SCORE:
            s -= 1
        began[t] = s
    return CrisisPath(unfollow, pile_on, alarm, began)


SIGNALS = ("new_followers", "comments", "reactions", "impressions")


def _net_followers(
    con: duckdb.DuckDBPyConnection, channel: str, start: date, end: date, net: np.ndarray
) -> np.ndarray:
    """Net new followers per day; from the daily change of `followers` without enough of them."""
    if np.isfinite(net).sum() >= 28:
        return net
    level = metric_daily(con, "followers", channel, None, start, end)["value"].to_numpy(float)
    return np.diff(level, prepend=np.nan)


def _signals(
    con: duckdb.DuckDBPyConnection, channels: list[str], start: date, end: date
) -> dict[str, dict[str, np.ndarray]]:
    """Per channel, the daily signal metrics over [start, end] (NaN: no data), in one query.

    As everywhere (grains.daily_many), a metric from per-post rows counts 0 on days without a
    post between its first and last post day.
    """
    frame = con.execute(
        f"""WITH {base_sql(list(SIGNALS), channels, None, by_account=False)}
        SELECT channel, metric, day, sum(value) AS value, bool_or(rule = 'post') AS from_posts
        FROM base GROUP BY ALL""",
        params(start, end),
    ).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    wide = frame.pivot_table(
        index="day", columns=["channel", "metric"], values="value", aggfunc="sum"
    ).reindex(days)
    spans = frame[frame["from_posts"]].groupby(["channel", "metric"])["day"].agg(["min", "max"])
    posted: dict[tuple[str, str], tuple[int, int]] = {
        (str(c), str(m)): (lo.toordinal(), hi.toordinal())
        for (c, m), lo, hi in zip(spans.index, spans["min"], spans["max"], strict=True)
    }
    ordinal = np.array([d.toordinal() for d in days])
    nothing = np.full(len(days), np.nan)
    out: dict[str, dict[str, np.ndarray]] = {}
    for channel in channels:
        out[channel] = {}
        for metric in SIGNALS:
            key = (channel, metric)
            values = wide[key].to_numpy(dtype=float) if key in wide.columns else nothing.copy()
            if key in posted:
                first, last = posted[key]
                gap = np.isnan(values) & (ordinal >= first) & (ordinal <= last)
                values[gap] = 0.0
            out[channel][metric] = values
    return out


def channel_crisis(
    con: duckdb.DuckDBPyConnection,
    channel: str,
    as_of: date,
    signals: dict[str, np.ndarray] | None = None,
) -> Crisis | None:
    """The channel's crisis in the last 14 days up to `as_of`, if its alarm fired (`signals`:
    the channel's daily signal metrics when already read)."""
    start = as_of - timedelta(days=BASELINE_DAYS + RECENT_DAYS - 1)
    series = signals if signals is not None else _signals(con, [channel], start, as_of)[channel]
    net = _net_followers(con, channel, start, as_of, series["new_followers"])
    path = crisis_path(
        net, series["comments"], series["reactions"], series["impressions"], BASELINE_DAYS
    )
    if not path.alarm.any():
        return None
    t = int(np.flatnonzero(path.alarm)[-1])
    first = int(path.began[t])
    run = slice(first, t + 1)
    worst_unfollow = float(path.unfollow[run].max())
    worst_pile = float(path.pile_on[run].max())
    began = start + timedelta(days=BASELINE_DAYS + first)
    base = slice(0, BASELINE_DAYS)
    if worst_unfollow >= worst_pile:
        k = first + int(path.unfollow[run].argmax())
        day = start + timedelta(days=BASELINE_DAYS + k)
        usual = float(np.nanmedian(net[base]))
        size = _("net {net} followers on {day} (usually {usual} a day)").format(
            net=signed(net[BASELINE_DAYS + k]), day=day_text(day), usual=signed(usual)
        )
        return Crisis(channel, began, "unfollows", worst_unfollow, size)
    k = first + int(path.pile_on[run].argmax())
    i = BASELINE_DAYS + k
    day = start + timedelta(days=i)
    usual_c = float(np.nanmedian(series["comments"][base]))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_now = series["reactions"][i] / series["impressions"][i]
        rate_usual = float(np.nanmedian(series["reactions"][base] / series["impressions"][base]))
    fall = (1 - rate_now / rate_usual) * 100 if rate_usual else math.nan
    size = _(
        "{comments} comments on {day} (usually {usual}) while reactions per impression fell {fall}%"
    ).format(
        comments=number(series["comments"][i]),
        day=day_text(day),
        usual=number(usual_c),
        fall=number(fall),
    )
    return Crisis(channel, began, "pile_on", worst_pile, size)


def plan_crises(
    con: duckdb.DuckDBPyConnection,
    objectives: list[Objective],
    as_of: date,
    loaded: list[set[str]] | None = None,
) -> dict[str, Crisis | None]:
    """Every channel of the objectives looked at once (one query): channel → crisis or None.
    `loaded` keeps the loaded channels once read, for objective_crisis."""
    known: dict[str, Crisis | None] = {}
    loaded = [] if loaded is None else loaded
    channels = (
        set().union(*(_channels(con, o, loaded) for o in objectives)) if objectives else set()
    )
    _look(con, sorted(channels), as_of, known)
    return known


def _channels(
    con: duckdb.DuckDBPyConnection, objective: Objective, loaded: list[set[str]] | None = None
) -> set[str]:
    """The objective's channels ("all": every loaded channel, read once per `loaded` list)."""
    channels = {k.channel for k in objective.kpis}
    if ALL_CHANNELS in channels:
        if not loaded:
            rows = con.execute("SELECT DISTINCT channel FROM observations WHERE is_current")
            found = {r[0] for r in rows.fetchall()}
            if loaded is None:
                return found
            loaded.append(found)
        channels = set(loaded[0])
    return channels


def _look(
    con: duckdb.DuckDBPyConnection,
    channels: list[str],
    as_of: date,
    known: dict[str, Crisis | None],
) -> None:
    if not channels:
        return
    start = as_of - timedelta(days=BASELINE_DAYS + RECENT_DAYS - 1)
    read = _signals(con, channels, start, as_of)
    for channel in channels:
        known[channel] = channel_crisis(con, channel, as_of, read[channel])


def objective_crisis(
    con: duckdb.DuckDBPyConnection,
    objective: Objective,
    as_of: date,
    known: dict[str, Crisis | None] | None = None,
    loaded: list[set[str]] | None = None,
) -> Crisis | None:
    """The worst crisis among the objective's channels, if any alarm fired in the last 14 days.

    `known` holds channels already looked at (a plan's objectives share channels); it is filled.
    """
    known = {} if known is None else known
    channels = _channels(con, objective, loaded)
    _look(con, sorted(channels - set(known)), as_of, known)
    found = [c for c in (known[ch] for ch in sorted(channels)) if c is not None]
    return max(found, key=lambda c: c.score) if found else None
