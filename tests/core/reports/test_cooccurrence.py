"""Co-occurrence: hand-computed cells for each proximity, and every pair checked against brute force."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.reports.cooccurrence import Proximity, code_cooccurrence, cooccurring_segments
from annotator.core.reports.data import ReportData
from annotator.core.validation import InvalidInputError
from tests.core.reports.builders import data, work

CHAPTERS = ((1, 0, 40), (2, 40, 100))
BREAKS = (19, 59)  # lines 0-19, 20-59, 60-99


def corpus(segments: list[tuple[int, int, int, int, int]]) -> ReportData:
    return data(segments, [work(1, 100, chapters=CHAPTERS, line_breaks=BREAKS), work(2, 100)])


def test_overlap_needs_a_shared_character() -> None:
    d = corpus([(1, 4, 10, 0, 10), (1, 2, 10, 10, 20), (1, 3, 10, 5, 6)])
    report = code_cooccurrence(d, Proximity("overlap"))
    assert report.cell("Angst", "Trope/Slow burn").pairs == 0  # they only touch
    cell = report.cell("Angst", "Trope/Fluff")
    assert (cell.pairs, cell.segments_a, cell.segments_b) == (1, 1, 1)
    assert cell.jaccard == pytest.approx(1.0)


def test_distance_counts_the_characters_between() -> None:
    d = corpus([(1, 4, 10, 0, 10), (1, 2, 10, 15, 20)])
    assert code_cooccurrence(d, Proximity("distance", 4)).cell("Trope/Slow burn", "Angst").pairs == 0
    assert code_cooccurrence(d, Proximity("distance", 5)).cell("Trope/Slow burn", "Angst").pairs == 1


def test_paragraphs_and_chapters() -> None:
    d = corpus([(1, 4, 10, 0, 5), (1, 2, 10, 15, 25), (1, 3, 10, 45, 50), (2, 3, 10, 0, 1)])
    paragraph = code_cooccurrence(d, Proximity("paragraph"))
    assert paragraph.cell("Angst", "Trope/Slow burn").pairs == 1  # Slow burn runs into line 2
    assert paragraph.cell("Angst", "Trope/Fluff").pairs == 0
    chapter = code_cooccurrence(d, Proximity("chapter"))
    assert chapter.cell("Angst", "Trope/Slow burn").pairs == 1
    assert chapter.cell("Trope/Slow burn", "Trope/Fluff").pairs == 0
    assert chapter.segments == (0, 1, 2, 1)


def test_different_coders_and_works_never_co_occur() -> None:
    d = corpus([(1, 4, 10, 0, 10), (1, 2, 11, 0, 10), (2, 3, 10, 0, 10)])
    assert sum(c.pairs for c in code_cooccurrence(d, Proximity("overlap")).cells) == 0


def test_a_cells_pairs_put_the_first_code_first() -> None:
    d = corpus([(1, 2, 10, 0, 10), (1, 4, 10, 5, 15), (1, 4, 10, 8, 9)])
    pairs = cooccurring_segments(d, Proximity("overlap"), 4, 2)
    assert [(a.id, b.id) for a, b in pairs] == [(2, 1), (3, 1)]
    report = code_cooccurrence(d, Proximity("overlap"))
    cell = report.cell("Angst", "Trope/Slow burn")
    assert (cell.pairs, cell.jaccard) == (2, pytest.approx(1.0))
    assert ("Angst", "Trope/Slow burn", "pairs", 2) in report.tidy().rows


def test_bad_proximities_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        Proximity("sentence")
    with pytest.raises(InvalidInputError):
        Proximity("distance", -1)


def unit(offset: int, mode: str) -> int:
    if mode == "paragraph":
        return sum(1 for b in BREAKS if b < offset)
    return sum(1 for _, start, _ in CHAPTERS if start <= offset)


def units(start: int, end: int, mode: str) -> set[int]:
    return set(range(unit(start, mode), unit(max(start, end - 1), mode) + 1))


def near(a: tuple[int, ...], b: tuple[int, ...], mode: str, distance: int) -> bool:
    (work_id, _, _, s1, e1), (_, _, _, s2, e2) = a, b
    if mode == "overlap":
        return s1 < e2 and s2 < e1
    if mode == "distance":
        return max(s1, s2) - min(e1, e2) <= distance
    # Work 2 has no chapters and no line breaks: all of it is one chapter and one paragraph.
    return work_id == 2 or bool(units(s1, e1, mode) & units(s2, e2, mode))


SPANS = st.lists(
    st.tuples(
        st.sampled_from([1, 2]),
        st.sampled_from([1, 2, 3, 4]),
        st.sampled_from([10, 11]),
        st.integers(0, 99),
        st.integers(1, 30),
    ),
    max_size=25,
)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(SPANS, st.sampled_from(["overlap", "distance", "paragraph", "chapter"]), st.integers(0, 12))
def test_pairs_and_jaccard_equal_brute_force(
    spans: list[tuple[int, int, int, int, int]], mode: str, distance: int
) -> None:
    segments = [(d, c, k, s, min(100, s + n)) for d, c, k, s, n in spans]
    d = data(segments, [work(1, 100, chapters=CHAPTERS, line_breaks=BREAKS), work(2, 100, line_breaks=())])
    report = code_cooccurrence(d, Proximity(mode, distance))
    ids = {c.path: c.id for c in d.codes}
    for cell in report.cells:
        a_code, b_code = ids[cell.code_a], ids[cell.code_b]
        pairs = [
            (i, j)
            for i, x in enumerate(segments)
            for j, y in enumerate(segments)
            if x[1] == a_code
            and y[1] == b_code
            and x[0] == y[0]
            and x[2] == y[2]
            and near(x, y, mode, distance)
        ]
        assert cell.pairs == len(pairs)
        met = len({i for i, _ in pairs}) + len({j for _, j in pairs})
        total = sum(1 for s in segments if s[1] in (a_code, b_code))
        assert cell.jaccard == (pytest.approx(met / total) if total else None)


def test_pairs_counted_in_small_chunks_give_the_same_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.core.reports import cooccurrence

    segments = [(1, 1 + i % 4, 10, (7 * i) % 90, (7 * i) % 90 + 9) for i in range(40)]
    d = data(segments, [work(1, 100, chapters=CHAPTERS, line_breaks=BREAKS)])
    whole = code_cooccurrence(d, Proximity("chapter"))
    listed = cooccurring_segments(d, Proximity("chapter"), 1, 4)
    monkeypatch.setattr(cooccurrence, "PAIRS_AT_ONCE", 3)
    assert code_cooccurrence(d, Proximity("chapter")) == whole
    assert cooccurring_segments(d, Proximity("chapter"), 1, 4) == listed
    assert sum(cell.pairs for cell in whole.cells) > 3 * 10
