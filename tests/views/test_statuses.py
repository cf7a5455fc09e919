"""Status badges: readable by everyone (WCAG AA contrast, words and a symbol, not colour alone)."""

from __future__ import annotations

import pytest

from sostac_control.engine.status import STATUSES
from sostac_control.views.statuses import BADGES, chip_markdown, contrast_ratio


@pytest.mark.parametrize("status", sorted(BADGES))
def test_every_badge_meets_wcag_aa_contrast(status: str) -> None:
    _, foreground, background = BADGES[status]
    assert contrast_ratio(foreground, background) >= 4.5


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_status_has_a_badge_with_its_words_and_a_symbol() -> None:
    for status in STATUSES:
        symbol, _, _ = BADGES[status]
        html = chip_markdown(status)
        assert f"{symbol} {status.replace('_', ' ')}</span>" in html
    symbols = {BADGES[s][0] for s in ("on_track", "at_risk", "off_track", "no_data")}
    assert len(symbols) == 4  # the statuses that matter most differ in shape, not colour
