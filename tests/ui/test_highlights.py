"""Which annotations the viewer shows, and how: the coder's own in the code's colour, other coders'
only when asked for and then dimmed, a deleted code still visible, and the hidden ones counted."""

from __future__ import annotations

from annotator.core.types import AnnotationInfo, CodeInfo, CoderInfo
from annotator.ui.highlights import UNKNOWN_COLOUR, HighlightContext
from annotator.ui.viewer import Highlight

CODES = {
    1: CodeInfo(1, None, "Slow burn", "Trope/Slow burn", "#00aa00"),
    2: CodeInfo(2, None, "Pining", "Trope/Pining", "#aa00aa"),
}
CODERS = {10: CoderInfo(10, "alice", "#111111"), 11: CoderInfo(11, "bob", "#222222")}
# (annotation id, start, end, code id, coder id, memo), as the store hands an open work's rows
ROWS = [
    (100, 0, 20, 1, 10, "mine"),
    (101, 5, 30, 2, 11, "bob's"),
    (102, 40, 50, 7, 10, ""),  # its code was deleted in another window
    (103, 60, 70, 1, 11, ""),
]


def _context(show_others: bool) -> HighlightContext:
    return HighlightContext(codes=CODES, coders=CODERS, coder_id=10, show_others=show_others)


def test_only_the_coders_own_annotations_are_shown_and_the_others_are_counted() -> None:
    context = _context(show_others=False)
    assert context.highlights(ROWS) == [
        Highlight(100, 0, 20, "#00aa00", "Trope › Slow burn", "alice", "mine", False),
        Highlight(102, 40, 50, UNKNOWN_COLOUR, "(deleted code)", "alice", "", False),
    ]
    assert context.hidden_count(ROWS) == 2
    assert context.shows(10) and not context.shows(11)


def test_shown_on_request_other_coders_annotations_are_dimmed_and_none_are_hidden() -> None:
    context = _context(show_others=True)
    shown = {h.annotation_id: h for h in context.highlights(ROWS)}
    assert sorted(shown) == [100, 101, 102, 103]
    assert shown[101] == Highlight(101, 5, 30, "#aa00aa", "Trope › Pining", "bob", "bob's", True)
    assert not shown[100].dimmed and shown[103].dimmed
    assert context.hidden_count(ROWS) == 0


def test_a_new_annotation_looks_the_same_as_when_the_work_is_reopened() -> None:
    context = _context(show_others=True)
    for row in ROWS:
        aid, start, end, code_id, coder_id, memo = row
        annotation = AnnotationInfo(aid, 1, start, end, code_id, coder_id, memo, quote="…")
        assert context.visible(annotation)
        assert context.highlight(annotation) == context.highlights([row])[0]
    mine_only = _context(show_others=False)
    assert not mine_only.visible(AnnotationInfo(101, 1, 5, 30, 2, 11, "", ""))


def test_codes_of_the_same_name_in_two_groups_are_told_apart_by_their_group() -> None:
    """Hovering an overlap names each code with its group: "Captor/captive" exists under two groups,
    and a name with a slash reads as written, not CSV-escaped."""
    codes = {
        1: CodeInfo(1, None, "Captor/captive", "Trope/Captor\\/captive", "#00aa00"),
        2: CodeInfo(2, None, "Captor/captive", "Power dynamics/Captor\\/captive", "#aa00aa"),
    }
    context = HighlightContext(codes=codes, coders=CODERS, coder_id=10, show_others=True)
    shown = context.highlights([(1, 0, 20, 1, 10, ""), (2, 5, 30, 2, 11, "")])
    assert [h.code_name for h in shown] == ["Trope › Captor/captive", "Power dynamics › Captor/captive"]
