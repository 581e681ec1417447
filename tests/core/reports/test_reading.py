"""Wide tables and a coded work cut for reading: hand-computed cases and properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.reports.data import Table
from annotator.core.reports.reading import CodedSpan, CodedWork, paragraphs, wide


def test_wide_puts_each_measure_in_a_column() -> None:
    long = Table(
        ("code", "coder", "measure", "value"),
        (
            ("A", "ana", "segments", 3),
            ("A", "ana", "share", 0.5),
            ("B", "ana", "segments", 1),
            ("B", "ana", "share", None),
        ),
    )
    assert wide(long) == Table(
        ("code", "coder", "segments", "share"), (("A", "ana", 3, 0.5), ("B", "ana", 1, None))
    )


def test_a_list_stays_as_it_is() -> None:
    rows = Table(("document_id", "code", "start"), ((1, "A", 0),))
    assert wide(rows) is rows


def test_overlapping_spans_cut_a_line_into_pieces_and_memos_go_to_the_line_they_end_on() -> None:
    work = CodedWork(
        1,
        "t",
        "abcdef\nghij",
        (CodedSpan("A", "ana", 1, 4), CodedSpan("B", "ben", 3, 9, "a memo")),
    )
    first, second = paragraphs(work)
    assert [(p.text, p.spans) for p in first.pieces] == [("a", ()), ("bc", (0,)), ("d", (0, 1)), ("ef", (1,))]
    assert [(p.text, p.spans) for p in second.pieces] == [("gh", (1,)), ("ij", ())]
    assert first.memos_ending == () and second.memos_ending == (1,)
    assert first.spans == (0, 1) and second.spans == (1,)


texts = st.text(alphabet=st.sampled_from("ab\n😀é\u0301"), min_size=0, max_size=30)


@settings(derandomize=True, max_examples=200)
@given(texts, st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=6))
def test_pieces_rebuild_the_text_and_each_lies_inside_its_spans(
    text: str, bounds: list[tuple[int, int]]
) -> None:
    spans = tuple(
        CodedSpan("A", "ana", min(a, b), max(a, b) + 1, "m") for a, b in bounds if max(a, b) + 1 <= len(text)
    )
    work = CodedWork(1, "t", text, spans)
    found = paragraphs(work)
    assert "\n".join("".join(p.text for p in para.pieces) for para in found) == text
    for para in found:
        at = para.start
        for piece in para.pieces:
            end = at + len(piece.text)
            inside = {i for i, s in enumerate(spans) if s.start <= at and end <= s.end}
            assert set(piece.spans) == inside
            at = end
    # Every memo shows once.
    assert sorted(i for para in found for i in para.memos_ending) == list(range(len(spans)))
