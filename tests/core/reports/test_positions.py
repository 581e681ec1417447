"""Where codes fall: thirds of the work and chapters, and one work's strips."""

from __future__ import annotations

from annotator.core.reports.data import NO_VALUE
from annotator.core.reports.positions import code_positions, document_strip, part_of
from tests.core.reports.builders import data, work


def test_thirds_by_the_start() -> None:
    assert [part_of(s, 90) for s in (0, 29, 30, 59, 60, 89)] == [
        "start",
        "start",
        "middle",
        "middle",
        "end",
        "end",
    ]
    assert part_of(0, 0) == "end"  # an empty work has no start or middle


def test_positions_by_hand() -> None:
    d = data(
        [(1, 4, 10, 0, 5), (1, 4, 11, 50, 55), (1, 2, 10, 95, 99), (1, 4, 10, 10, 12)],
        [work(1, 99, chapters=((1, 0, 60), (2, 60, 99)))],
        chapters=[1, 1, 2, None],
    )
    report = code_positions(d)
    assert report.chapters == ("1", "2", NO_VALUE)
    angst = report.codes.index("Angst")
    assert report.by_part[angst] == (2, 1, 0)
    assert report.by_chapter[angst] == (2, 0, 1)
    trope = report.codes.index("Trope")
    assert report.by_part[trope] == (0, 0, 1) and report.by_chapter[trope] == (0, 1, 0)
    assert ("Angst", "chapter", NO_VALUE, "segments", 1) in report.tidy().rows


def test_a_works_strips_in_codebook_order() -> None:
    d = data([(1, 4, 10, 0, 5), (1, 2, 11, 50, 55), (2, 3, 10, 0, 5)], [work(1), work(2)])
    strip = document_strip(d, 1)
    assert strip.codes == ("Trope/Slow burn", "Angst")
    assert [(s.code, s.coder, s.start) for s in strip.spans] == [
        ("Trope/Slow burn", "ben", 50),
        ("Angst", "ana", 0),
    ]
    assert strip.tidy().rows[0][-1] == 0.5
