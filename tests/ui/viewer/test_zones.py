"""Zone styling: italic inset paratext, bold headings, untouched story text, block states and labels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette, QTextBlock, QTextDocument

from annotator.core import types as t
from annotator.core.offsets import OffsetMap
from annotator.ui.app import make_palette
from annotator.ui.viewer.zones import (
    apply_zone_styles,
    is_dark,
    label_font,
    muted_text,
    paratext_tint,
    story_font,
    zone_of_state,
    zone_state,
)

EM = 20.0


def styled(parts: list[tuple[str, str]], **chapters: int) -> tuple[QTextDocument, dict[int, str]]:
    """A document of one block per ``(kind, text)`` part, each part a zone of that kind."""
    text = "\n".join(body for _, body in parts)
    zones, at = [], 0
    for kind, body in parts:
        zones.append(t.ZoneSpec(kind, at, at + len(body), chapter=chapters.get(kind)))
        at += len(body) + 1
    document = QTextDocument()
    document.setDefaultFont(story_font())
    document.setPlainText(text)
    return document, apply_zone_styles(document, zones, OffsetMap(text), EM)


def font_of(block: QTextBlock) -> QFont:
    return block.begin().fragment().charFormat().font()


def blocks(document: QTextDocument) -> list[QTextBlock]:
    block, out = document.firstBlock(), []
    while block.isValid():
        out.append(block)
        block = block.next()
    return out


def test_each_zone_kind_gets_its_font(qapp: object) -> None:
    parts = [
        (t.ZONE_TITLE, "The Title"),
        (t.ZONE_SUMMARY, "A summary 😀 of it."),
        (t.ZONE_CHAPTER_HEADING, "Chapter One"),
        (t.ZONE_CHAPTER_NOTES, "Notes before the chapter."),
        (t.ZONE_STORY, "Once upon a time."),
        (t.ZONE_END_NOTES, "Thanks for reading."),
    ]
    document, _ = styled(parts)
    title, summary, heading, notes, story, end_notes = map(font_of, blocks(document))
    base = story_font().pointSizeF()
    for paratext in (summary, notes, end_notes):
        assert paratext.italic() and paratext.weight() == story.weight()
        assert paratext.pointSizeF() < base
    for bold in (title, heading):
        assert bold.weight() == QFont.Weight.Bold and not bold.italic()
        assert bold.pointSizeF() > base
    assert title.pointSizeF() > heading.pointSizeF()
    assert not story.italic() and story.weight() == QFont.Weight.Normal
    assert story.pointSizeF() == base


def test_blocks_record_their_zone_and_paratext_is_inset(qapp: object) -> None:
    parts = [(t.ZONE_TITLE, "Title"), (t.ZONE_NOTES, "First note. Second note."), (t.ZONE_STORY, "Story.")]
    document, _ = styled(parts)
    title, notes, story = blocks(document)
    assert zone_of_state(title.userState()) == (t.ZONE_TITLE, True)
    assert zone_of_state(notes.userState()) == (t.ZONE_NOTES, True)
    assert zone_of_state(story.userState()) == (None, False)  # story is left as Qt made it
    assert story.userState() == -1 and story.blockFormat().leftMargin() == 0
    fmt = notes.blockFormat()
    assert fmt.leftMargin() == fmt.rightMargin() > 0
    assert fmt.topMargin() > story.blockFormat().topMargin()
    assert title.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter


def test_zone_state_round_trips_for_every_kind() -> None:
    states = {zone_state(kind, first) for kind in t.ZONE_KINDS for first in (True, False)}
    assert len(states) == 2 * len(t.ZONE_KINDS) and min(states) >= 2  # -1 and 0 are Qt's
    for kind in t.ZONE_KINDS:
        for first in (True, False):
            assert zone_of_state(zone_state(kind, first)) == (kind, first)


def test_labels_name_paratext_unless_the_text_already_has_a_heading(qapp: object) -> None:
    _, labels = styled(
        [(t.ZONE_NOTES, "Author notes."), (t.ZONE_STORY, "Story."), (t.ZONE_CHAPTER_NOTES, "Chapter notes.")],
        chapter_notes=2,
    )
    assert labels == {0: "Author's notes", 2: "Chapter 2 notes"}
    _, labels = styled([(t.ZONE_HEADING, "Summary"), (t.ZONE_SUMMARY, "What happens.")])
    assert labels == {}  # the importer wrote "Summary" into the text: no second label


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_paratext_tint_and_muted_text_sit_between_the_palette_colours(qapp: object, dark: bool) -> None:
    palette = make_palette(dark)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    assert is_dark(palette) == dark
    tint = paratext_tint(palette)
    assert tint != base and abs(tint.lightnessF() - base.lightnessF()) < 0.1
    muted = muted_text(palette)
    assert (
        min(base.lightnessF(), text.lightnessF())
        < muted.lightnessF()
        < max(base.lightnessF(), text.lightnessF())
    )
    small = label_font(story_font())
    assert small.capitalization() == QFont.Capitalization.AllUppercase
    assert small.pointSizeF() < story_font().pointSizeF()
