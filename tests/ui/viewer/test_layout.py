"""Block layout: a run-on line shown as display blocks wraps inside a centred column, honours block
formats, and every laid-out line maps back exactly to the stored text, emoji and combining marks too.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.display import DisplayMap, display_breaks, display_text, inserted
from annotator.ui.viewer.layout import MIN_TOP, Column, lay_out_block, needs_layout, underline_room
from annotator.ui.viewer.zones import story_font

COLUMN = Column(left=40.0, width=300.0, paragraph_gap=12.0)
SENTENCE = "Plain words in a sentence that runs on for a while. "
FAMILY = "👩\u200d👩\u200d👧"


def document_of(text: str) -> QPlainTextEdit:
    """An editor holding ``text`` as the viewer gets it: the same font and wrap mode."""
    editor = QPlainTextEdit()
    editor.setFont(story_font())
    editor.setPlainText(text)
    return editor


def blocks_of(editor: QPlainTextEdit) -> list[QTextBlock]:
    block, out = editor.document().firstBlock(), []
    while block.isValid():
        out.append(block)
        block = block.next()
    return out


def test_column_is_centred_at_most_a_measure_wide_and_clear_of_the_gutter() -> None:
    wide = Column.centred(1200.0, 600.0, 40.0, 10.0)
    assert wide.width == 600.0 and wide.left == 300.0 and wide.paragraph_gap == 10.0
    narrow = Column.centred(400.0, 600.0, 40.0, 10.0)
    assert narrow.left == 40.0 and narrow.left + narrow.width <= 400.0
    tiny = Column.centred(50.0, 600.0, 40.0, 10.0)
    assert tiny.width == 80.0 and tiny.left >= 40.0  # never collapses to nothing


def test_a_long_block_wraps_inside_the_column_and_is_recognised_as_ours(qapp: object) -> None:
    editor = document_of(SENTENCE * 12)
    block = editor.document().firstBlock()
    assert needs_layout(block.layout())
    assert lay_out_block(block, COLUMN)  # line count changed: the scroll bar must hear of it
    layout = block.layout()
    assert layout.lineCount() > 3
    assert layout.lineAt(0).y() >= MIN_TOP
    assert not needs_layout(layout)
    tops = [layout.lineAt(i).y() for i in range(layout.lineCount())]
    assert tops == sorted(set(tops))
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        assert line.x() >= COLUMN.left
        assert line.x() + line.naturalTextWidth() <= COLUMN.left + COLUMN.width + 0.5
    assert not lay_out_block(block, COLUMN)  # same column again: same line count


def test_block_format_margins_alignment_and_line_height_are_honoured(qapp: object) -> None:
    editor = document_of(f"{SENTENCE * 4}\nShort.\n{SENTENCE * 4}")
    plain, centred, spaced = blocks_of(editor)
    fmt = QTextBlockFormat()
    fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    QTextCursor(centred).mergeBlockFormat(fmt)
    fmt = QTextBlockFormat()
    fmt.setLeftMargin(30.0)
    fmt.setTopMargin(50.0)
    fmt.setLineHeight(250, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    QTextCursor(spaced).mergeBlockFormat(fmt)
    for block in (plain, centred, spaced):
        lay_out_block(block, COLUMN)
    first = plain.layout().lineAt(0)
    assert first.x() == COLUMN.left
    short = centred.layout().lineAt(0)
    middle = short.x() + short.naturalTextWidth() / 2
    assert middle == pytest.approx(COLUMN.left + COLUMN.width / 2, abs=1.0)
    inset = spaced.layout()
    assert inset.lineAt(0).x() == COLUMN.left + 30.0
    assert inset.lineAt(0).y() >= 50.0 > first.y()  # its own top margin, not the paragraph gap
    plain_step = plain.layout().lineAt(1).y() - first.y()
    assert inset.lineAt(1).y() - inset.lineAt(0).y() > 1.4 * plain_step


def test_a_block_starts_below_the_last_lines_underline_room_and_a_joined_one_at_line_spacing(
    qapp: object,
) -> None:
    editor = document_of(f"{SENTENCE * 4}\n{SENTENCE * 4}\n{SENTENCE * 4}")
    first, paragraph, joined = blocks_of(editor)
    lay_out_block(first, COLUMN)
    lay_out_block(paragraph, COLUMN)
    lay_out_block(joined, COLUMN, joined=True)
    lines = first.layout()
    height = lines.lineAt(0).height()
    line_step = lines.lineAt(1).y() - lines.lineAt(0).y()
    room = underline_room(height)
    assert room > 0.4 * height
    assert lines.lineAt(0).y() == pytest.approx(COLUMN.paragraph_gap + room, abs=0.1)

    def step_into(block: QTextBlock) -> float:
        """From the previous block's last line to this block's first, as the editor stacks them."""
        previous = block.previous().layout()
        bottom = previous.boundingRect().bottom()
        return bottom + block.layout().lineAt(0).y() - previous.lineAt(previous.lineCount() - 1).y()

    assert step_into(joined) == pytest.approx(line_step, abs=MIN_TOP + 0.01)
    assert step_into(paragraph) == pytest.approx(line_step + COLUMN.paragraph_gap, abs=MIN_TOP + 0.01)


@pytest.fixture(scope="module")
def fonts_loaded(qapp: object) -> None:
    """Lays out one block first, so font loading is not timed as part of an example."""
    editor = document_of(SENTENCE)
    lay_out_block(editor.document().firstBlock(), COLUMN)


PIECES = ["word", "longerword", " ", " ", ". ", "! ", "😀", FAMILY, "🇫🇷", "cafe\u0301", "中文", "\u0301"]
run_on_texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=80).map("".join)


@given(run_on_texts, st.integers(8, 60))
def test_laid_out_lines_map_back_exactly_to_the_stored_text(
    fonts_loaded: None, text: str, target: int
) -> None:
    breaks = display_breaks(text, target=target)
    editor = document_of(display_text(text, breaks))
    offsets = DisplayMap(text, inserted(text, breaks))
    covered: list[tuple[int, int]] = []
    for block in blocks_of(editor):
        lay_out_block(block, Column(20.0, 80.0, 4.0))
        units = block.text().encode("utf-16-le")
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            u16_start = block.position() + line.textStart()
            start = offsets.to_code_point(u16_start)
            end = offsets.to_code_point(u16_start + line.textLength())
            assert offsets.to_utf16(start) == u16_start  # no line starts inside a surrogate pair
            shown = units[2 * line.textStart() : 2 * (line.textStart() + line.textLength())]
            assert shown.decode("utf-16-le") == text[start:end]
            if i > 0:  # a wrapped line never parts an accent from its letter, nor a ZWJ sequence
                mark_on_letter = unicodedata.combining(text[start]) and text[start - 1].isalpha()
                assert not mark_on_letter and "\u200d" not in text[start - 1 : start + 1]
            covered.append((start, end))
        separator = block.position() + block.length() - 1
        if block.next().isValid() and not offsets.is_inserted(separator):
            # The line end between display blocks: a stored space or "\n" (or one the viewer
            # inserted, which stands for no stored character).
            end_of_block = covered[-1][1]
            assert text[end_of_block] in " \n"
            covered.append((end_of_block, end_of_block + 1))
    assert covered[0][0] == 0 and covered[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(covered))
