"""Visible-line geometry: text ranges become one rectangle per line they cover, and points map back
to the character drawn under them (UTF-16 positions, as Qt counts them).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QPlainTextEdit

from annotator.ui.viewer.geometry import VisibleLines
from annotator.ui.viewer.layout import Column, lay_out_block
from annotator.ui.viewer.zones import story_font

COLUMN = Column(left=40.0, width=260.0, paragraph_gap=12.0)
LONG = "Words in a line long enough to wrap several times inside a narrow column of text. " * 3
EMOJI = "Mixed 😀 and 👩\u200d👩\u200d👧 with cafe\u0301 too."


@pytest.fixture
def lines(qapp: object) -> tuple[QPlainTextEdit, VisibleLines]:
    """Two blocks, a long wrapped one and one with emoji, laid out and stacked from y = 0."""
    editor = QPlainTextEdit()
    editor.setFont(story_font())
    editor.setPlainText(f"{LONG}\n{EMOJI}")
    visible = VisibleLines()
    block, y = editor.document().firstBlock(), 0.0
    while block.isValid():
        lay_out_block(block, COLUMN)
        height = block.layout().boundingRect().bottom()
        visible.add_block(block, QPointF(0.0, y), height)
        y += height
        block = block.next()
    return editor, visible


def test_a_range_within_a_line_is_one_rectangle_and_neighbours_abut(
    lines: tuple[QPlainTextEdit, VisibleLines],
) -> None:
    _, visible = lines
    first = visible.lines[0]
    (whole,) = visible.rects(6, 20)
    (left,) = visible.rects(6, 11)
    (right,) = visible.rects(11, 20)
    assert left.left() == whole.left() and right.right() == whole.right()
    assert left.right() == pytest.approx(right.left())
    assert whole.top() == first.top and whole.height() == first.height
    assert first.left < whole.left() < whole.right() < first.right
    assert visible.rects(0, 1)[0].left() == first.left == COLUMN.left


def test_a_range_across_wrapped_lines_gets_one_rectangle_per_line(
    lines: tuple[QPlainTextEdit, VisibleLines],
) -> None:
    _, visible = lines
    first, second, third = visible.lines[:3]
    start, end = first.start + 5, third.start + 5
    rects = visible.rects(start, end)
    assert len(rects) == 3
    assert [r.top() for r in rects] == [first.top, second.top, third.top]
    # Runs on to the end of each line's text, its trailing space included.
    assert rects[0].right() == pytest.approx(visible.x_at(first, first.end))
    assert rects[0].right() >= first.right
    assert rects[1].left() == second.left and rects[1].right() >= second.right
    assert rects[2].left() == third.left < rects[2].right()
    # Across the block break: the rest of the long block, then the start of the next one.
    last_of_long = visible.blocks[1].first_line - 1
    across = visible.rects(visible.lines[last_of_long].end - 3, visible.lines[last_of_long + 1].start + 3)
    assert [r.top() for r in across] == [visible.lines[last_of_long].top, visible.lines[last_of_long + 1].top]


def test_a_range_that_starts_or_ends_at_a_wrap_stays_on_its_own_line(
    lines: tuple[QPlainTextEdit, VisibleLines],
) -> None:
    _, visible = lines
    first, second = visible.lines[:2]
    assert first.end == second.start  # a wrap inside one block: no character between the lines
    starting = visible.rects(second.start, second.start + 4)
    assert [r.top() for r in starting] == [second.top]
    ending = visible.rects(first.end - 4, first.end)
    assert [r.top() for r in ending] == [first.top]


def test_each_character_is_found_under_the_middle_of_its_rectangle(
    lines: tuple[QPlainTextEdit, VisibleLines],
) -> None:
    editor, visible = lines
    block = editor.document().lastBlock()
    base = block.position()
    units, boxless = 0, set()
    for char in EMOJI:
        width = len(char.encode("utf-16-le")) // 2
        rects = visible.rects(base + units, base + units + width)
        if rects:
            assert visible.character_at(rects[0].center()) == base + units, char
        else:
            boxless.add(char)
        units += width
    assert boxless <= {"\u0301", "\u200d", "👩", "👧"}  # marks and the rest of a cluster draw no box
    line = visible.lines[-1]
    assert visible.character_at(QPointF(line.left - 5, line.top + 2)) is None
    assert visible.character_at(QPointF(line.right + 5, line.top + 2)) is None
    assert visible.character_at(QPointF(line.left + 5, line.top + line.height + 200)) is None
    assert visible.line_at_y(line.top + 1) is line
    assert visible.first_position == 0 and visible.last_position == base + units + 1
