"""How a status looks on screen, defined once: its words, its chip colour, its table-cell colour."""

from __future__ import annotations

from sostac_control.engine.status import STATUSES

STATUS_WORDS = {status: status.replace("_", " ") for status in STATUSES}

# Streamlit badge colours (:green-badge[on track]) for the chips beside tiles and objectives.
CHIP_COLOURS = {
    "on_track": "green",
    "achieved": "green",
    "at_risk": "orange",
    "off_track": "red",
    "missed": "red",
    "too_early": "gray",
    "not_started": "gray",
    "no_data": "violet",
    "stale": "violet",
}

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
    "stale": "#e6dcf5",
}


def status_word(value: object) -> object:
    """A status name in words ("off_track" → "off track"); anything else as it is."""
    return STATUS_WORDS.get(value, value) if isinstance(value, str) else value


def status_words(value: object) -> str:
    """status_word as text, for table formatters."""
    return str(status_word(value))


def chip_markdown(status: str) -> str:
    """A status as a coloured chip in Streamlit markdown: :green-badge[on track]."""
    return f":{CHIP_COLOURS.get(status, 'gray')}-badge[{status_word(status)}]"
