"""Reliability bands for agreement values: exact threshold values fall in the higher band, negative
values (worse than chance) are poor, each band has its own colour from red to green, and the
tooltip states the same thresholds the colours use."""

from __future__ import annotations

from annotator.ui.team.bands import (
    AMBER,
    GREEN,
    POOR,
    RED,
    RELIABLE,
    TENTATIVE,
    THRESHOLDS_TOOLTIP,
    YELLOW_GREEN,
    band,
    band_colour,
)


def test_a_value_on_a_threshold_belongs_to_the_band_above_it() -> None:
    assert [band(v) for v in (RELIABLE, TENTATIVE, POOR)] == ["reliable", "tentative", "low"]
    assert [band(v) for v in (0.7999, 0.6669, 0.3999)] == ["tentative", "low", "poor"]


def test_agreement_worse_than_chance_is_poor_and_undefined_is_left_uncoloured() -> None:
    assert band(-0.35) == "poor" and band_colour(-0.35) == RED
    assert band(None) == "undefined" and band_colour(None) is None
    assert band_colour(0.0) == RED  # zero is a value (chance agreement), not "undefined"


def test_colours_run_from_red_to_green_and_the_tooltip_names_the_thresholds() -> None:
    assert [band_colour(v) for v in (0.1, 0.5, 0.7, 0.95)] == [RED, AMBER, YELLOW_GREEN, GREEN]
    for threshold in ("0.80", "0.667", "0.40"):
        assert threshold in THRESHOLDS_TOOLTIP
    assert f"{RELIABLE:.2f}" == "0.80" and f"{TENTATIVE:.3f}" == "0.667" and f"{POOR:.2f}" == "0.40"
