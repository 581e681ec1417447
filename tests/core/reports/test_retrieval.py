"""Retrieval queries (A, A within B, A not B), grouping, context and memo search."""

from __future__ import annotations

import pytest

from annotator.core.reports.retrieval import (
    MemoRow,
    Retrieved,
    context_around,
    grouped,
    matching_memos,
    select_segments,
)
from annotator.core.validation import InvalidInputError
from tests.core.reports.builders import data, work


def test_within_and_not_compare_one_coders_segments() -> None:
    d = data(
        [
            (1, 4, 10, 10, 20),  # Angst inside ana's Slow burn
            (1, 2, 10, 5, 25),
            (1, 4, 11, 10, 20),  # ben: inside ana's span, but ben coded no Trope
            (1, 4, 10, 30, 40),  # ana: touches ana's Fluff? no, it ends where Fluff starts
            (1, 3, 10, 40, 45),
        ],
        [work(1)],
    )
    assert [s.id for s in select_segments(d, 4)] == [1, 3, 4]
    assert [s.id for s in select_segments(d, 4, within=1)] == [1]
    assert [s.id for s in select_segments(d, 4, without=1)] == [3, 4]
    assert [s.id for s in select_segments(d, 1)] == [2, 5]
    with pytest.raises(InvalidInputError):
        select_segments(d, 4, within=1, without=2)


def test_context_stays_inside_the_text() -> None:
    assert context_around("abcdefgh", 2, 4, 3) == ("ab", "efg")
    # Code points, like every offset: the family emoji is five of them.
    assert context_around("👩\u200d👩\u200d👧x", 5, 6, 1) == ("👧", "")


def hit(code: str, doc: int, start: int) -> Retrieved:
    return Retrieved(code, "ana", doc, f"W{doc}", None, start, start + 1, "", "t", "", "")


def test_grouping_by_code_follows_the_codebook_and_by_work_the_ids() -> None:
    hits = [hit("B", 2, 5), hit("A", 1, 9), hit("B", 1, 3)]
    by_code = grouped(hits, "code", ["A", "B"])
    assert [(k, [(h.document_id, h.start) for h in g]) for k, g in by_code] == [
        ("A", [(1, 9)]),
        ("B", [(1, 3), (2, 5)]),
    ]
    assert [k for k, _ in grouped(hits, "work")] == ["1: W1", "2: W2"]
    with pytest.raises(InvalidInputError):
        grouped(hits, "colour")


def test_memo_search_ignores_case_and_empty_memos() -> None:
    rows = [
        MemoRow("annotation", 1, "Work", "ana", "Pining here", "Angst", 0, 4, "text", 7),
        MemoRow("document", 1, "Work", "ben", "Overall: slow"),
        MemoRow("annotation", 1, "Work", "ana", "   ", "Angst", 5, 9, "pining", 8),
    ]
    assert [r.memo for r in matching_memos(rows, "PINING")] == ["Pining here"]
    assert [r.kind for r in matching_memos(rows, "")] == ["document", "annotation"]
