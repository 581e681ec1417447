"""Coder lanes: which stretches count as agreed or disputed (plain Python, no display needed)."""

from __future__ import annotations

from annotator.ui.team.bands import band, band_colour
from annotator.ui.team.lane_model import LaneRun, lane_runs


def test_two_coders_overlapping_spans_split_into_agreed_and_disputed() -> None:
    runs = lane_runs([("ann", 1, 0, 10), ("ben", 1, 5, 15)], ["ann", "ben"])
    assert runs == {
        "ann": [LaneRun(0, 5, False), LaneRun(5, 10, True)],
        "ben": [LaneRun(5, 10, True), LaneRun(10, 15, False)],
    }


def test_agreement_needs_every_coder_and_the_same_code() -> None:
    spans = [("ann", 1, 0, 10), ("ben", 1, 0, 10), ("cat", 2, 0, 10)]
    three = lane_runs(spans, ["ann", "ben", "cat"])
    assert three["ann"] == [LaneRun(0, 10, False)]  # cat did not code 1 there
    assert lane_runs(spans, ["ann", "ben"])["ann"] == [LaneRun(0, 10, True)]
    only_code_2 = lane_runs(spans, ["ann", "ben", "cat"], code_id=2)
    assert only_code_2 == {"ann": [], "ben": [], "cat": [LaneRun(0, 10, False)]}


def test_a_dispute_on_any_code_marks_the_characters_disputed() -> None:
    spans = [("ann", 1, 0, 10), ("ben", 1, 0, 10), ("ann", 2, 4, 6)]
    assert lane_runs(spans, ["ann", "ben"])["ann"] == [
        LaneRun(0, 4, True),
        LaneRun(4, 6, False),
        LaneRun(6, 10, True),
    ]


def test_reliability_bands_follow_krippendorffs_thresholds() -> None:
    assert [band(v) for v in (None, 0.2, 0.4, 0.666, 0.667, 0.79, 0.8, 1.0)] == [
        "undefined",
        "poor",
        "low",
        "low",
        "tentative",
        "tentative",
        "reliable",
        "reliable",
    ]
    assert band_colour(None) is None
    assert len({band_colour(v) for v in (0.1, 0.5, 0.7, 0.9)}) == 4
