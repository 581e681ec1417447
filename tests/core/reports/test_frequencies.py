"""Code frequencies by hand: segments, works, characters and share, groups rolled up, coders pooled."""

from __future__ import annotations

import pytest

from annotator.core.reports.data import ALL_CODERS
from annotator.core.reports.frequencies import code_frequencies
from tests.core.reports.builders import data, work


def test_frequencies_by_hand() -> None:
    d = data(
        [
            (1, 2, 10, 0, 10),  # ana: Slow burn 0-10
            (1, 3, 10, 5, 15),  # ana: Fluff 5-15, overlapping
            (2, 2, 11, 0, 4),  # ben: Slow burn in the other work
            (1, 2, 11, 8, 12),  # ben: Slow burn 8-12, overlapping ana's
        ],
        [work(1, 100), work(2, 100)],
    )
    report = code_frequencies(d)
    rows = {(r.code, r.coder): (r.segments, r.documents, r.characters) for r in report.rows}
    assert report.coders == ("ana", "ben", ALL_CODERS)
    assert rows[("Trope", "ana")] == (2, 1, 15)  # 0-15 once
    assert rows[("Trope/Slow burn", ALL_CODERS)] == (3, 2, 12 + 4)  # 0-12 in work 1, 0-4 in work 2
    assert rows[("Trope", ALL_CODERS)] == (4, 2, 15 + 4)
    assert rows[("Angst", "ben")] == (0, 0, 0)
    share = {(r.code, r.coder): r.share for r in report.rows}
    assert share[("Trope", ALL_CODERS)] == pytest.approx(19 / 200)
    assert [r.depth for r in report.rows if r.coder == "ana"] == [0, 1, 1, 0]
    assert report.tidy().rows[0] == ("Trope", "ana", "segments", 2)
    assert len(report.tidy().rows) == 4 * 3 * 4  # codes × columns × measures


def test_no_text_in_scope_leaves_the_share_undefined() -> None:
    report = code_frequencies(data([], []))
    assert {r.share for r in report.rows} == {None}
    assert report.characters_in_scope == 0
