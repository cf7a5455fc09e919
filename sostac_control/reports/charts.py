"""Vector charts for reports: matplotlib's SVG backend, text kept as text (searchable PDFs).

Nothing here needs a browser or a display; the SVG goes inline into the report's HTML, which
WeasyPrint draws as vectors.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

import pandas as pd

from sostac_control.catalog import METRICS, format_value
from sostac_control.engine.status import compact
from sostac_control.i18n import _, day_month

INK = "#1f2937"
ACTUAL = "#2563eb"
TARGET = "#6b7280"
BAND = "#bfdbfe"
BAR = "#0f766e"
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays text: searchable and sharp in the PDF
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": "#d1d5db",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _pyplot() -> Any:
    """matplotlib's pyplot on the SVG backend, styled; imported on first use (it is slow to
    import, and most commands draw no chart)."""
    import matplotlib

    matplotlib.use("svg")  # no display, no browser: the file backend only
    import matplotlib.pyplot as plt

    plt.style.use(STYLE)
    return plt


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    _pyplot().close(figure)
    text = buffer.getvalue()
    # Inline SVG: drop the XML prologue and the fixed size so CSS sets the width.
    text = text[text.index("<svg") :]
    return re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", text, count=1)


def _axis_label(value: float, metric: str, currency: str) -> str:
    """A tick label: compact counts (381k), whole money above 100 (€15,000), else as shown."""
    if METRICS[metric].unit == "money" and abs(value) >= 100:
        return format_value(value, metric, currency)[:-3]  # drop the cents
    return compact(value, metric, currency)


def _axis_formatter(metric: str, currency: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: _axis_label(value, metric, currency))


def kpi_path_chart(path: pd.DataFrame, metric: str, currency: str, direction: str) -> str:
    """Cumulative actual against the target path, with the projection's 90% band."""
    from matplotlib.dates import AutoDateLocator, num2date
    from matplotlib.ticker import FuncFormatter

    def _day_tick(value: float, _pos: object = None) -> str:
        return day_month(num2date(value).date(), padded=True)

    figure, ax = _pyplot().subplots(figsize=(4.6, 1.9))
    days = pd.to_datetime(path["day"])
    if path["projected_low"].notna().any():
        ax.fill_between(
            days,
            path["projected_low"],
            path["projected_high"],
            color=BAND,
            lw=0,
            label=_("90% band"),
        )
        ax.plot(days, path["projected"], color=ACTUAL, lw=1, ls="--", label=_("projected"))
    kind = METRICS[metric].kind
    target_label = _("target path") if kind in ("sum", "unique", "level") else _("target")
    ax.plot(days, path["expected_cum"], color=TARGET, lw=1, ls=":", label=target_label)
    actual_label = _("actual (cumulative)") if kind in ("sum", "unique") else _("actual")
    ax.plot(days, path["actual_cum"], color=ACTUAL, lw=1.8, label=actual_label)
    ax.yaxis.set_major_formatter(_axis_formatter(metric, currency))
    ax.xaxis.set_major_formatter(FuncFormatter(_day_tick))
    ax.xaxis.set_major_locator(AutoDateLocator(maxticks=6))
    ax.grid(axis="y", color="#e5e7eb", lw=0.6)
    ax.set_ylim(bottom=0 if kind in ("sum", "unique") else None)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, fontsize=7, ncol=4)
    return _svg(figure)


def channel_bars(table: pd.DataFrame, metric: str, currency: str) -> str:
    """One horizontal bar per channel for one metric (channels without it left out)."""
    data = table[["label", metric]].dropna()
    data = data[data[metric] > 0].sort_values(metric)
    if data.empty:
        return ""
    from matplotlib.ticker import MaxNLocator

    figure, ax = _pyplot().subplots(figsize=(3.3, 0.35 + 0.28 * len(data)))
    ax.barh(data["label"].str.split(" \\(").str[0], data[metric], color=BAR, height=0.6)
    ax.xaxis.set_major_formatter(_axis_formatter(metric, currency))
    ax.xaxis.set_major_locator(MaxNLocator(4))
    peak = float(data[metric].max())
    for y, value in enumerate(data[metric]):
        ax.text(value + peak * 0.02, y, format_value(value, metric, currency), va="center")
    ax.set_xlim(0, peak * 1.35 if math.isfinite(peak) and peak > 0 else 1)
    ax.set_title(METRICS[metric].label, loc="left", fontsize=8.5, color=INK)
    return _svg(figure)
