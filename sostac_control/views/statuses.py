"""How a status looks on screen, defined once: its words, its chip colour, its table-cell colour."""

from __future__ import annotations

from sostac_control.engine.status import STATUSES
from sostac_control.engine.status_words import STATUS_WORDS

# A status in words, in the current language: defined once, with the reasons' words.
assert set(STATUS_WORDS) == set(STATUSES)

# Status badges: a symbol and the words, dark text on a light tint. Every pair meets WCAG AA
# (contrast_ratio >= 4.5, tests/views/test_statuses.py), and the symbol and words carry the
# status without the colour.
BADGES = {
    "on_track": ("✓", "#14532d", "#dcfce7"),
    "achieved": ("★", "#14532d", "#bbf7d0"),
    "at_risk": ("▲", "#7c2d12", "#ffedd5"),
    "off_track": ("✕", "#7f1d1d", "#fee2e2"),
    "missed": ("✕", "#7f1d1d", "#fecaca"),
    "stale": ("⏸", "#1e3a8a", "#dbeafe"),
    "too_early": ("…", "#374151", "#f3f4f6"),
    "not_started": ("○", "#374151", "#f3f4f6"),
    "no_data": ("?", "#4c1d95", "#ede9fe"),
}
OTHER_BADGE = ("•", "#374151", "#f3f4f6")

# Soft cell colours, so a week-by-week table of statuses reads like a heat map.
CELL_COLOURS = {
    "on_track": "#d8f2e0",
    "at_risk": "#ffe6bf",
    "off_track": "#ffcfcf",
    "achieved": "#c9ebd2",
    "missed": "#f4bcbc",
    "too_early": "#eeeeee",
    "not_started": "#f6f6f6",
    "no_data": "#e6dcf5",
    "stale": "#dbeafe",
}


def status_word(value: object) -> object:
    """A status name in words ("off_track" → "off track"); anything else as it is."""
    return STATUS_WORDS.get(value, value) if isinstance(value, str) else value


def status_words(value: object) -> str:
    """status_word as text, for table formatters."""
    return str(status_word(value))


def chip_markdown(status: str) -> str:
    """A status as a badge (HTML for st.markdown with unsafe_allow_html): symbol and words."""
    symbol, fg, bg = BADGES.get(status, OTHER_BADGE)
    return (
        f'<span class="sostac-badge" style="color:{fg};background:{bg};border:1px solid {fg};'
        f'border-radius:0.5rem;padding:0 0.45em;font-size:0.875rem;white-space:nowrap">'
        f"{symbol} {status_word(status)}</span>"
    )


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (AA asks 4.5 for normal text)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
