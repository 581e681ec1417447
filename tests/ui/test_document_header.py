"""The strip above the text: the work's title (as plain text), a metadata line with AO3's or a counted
word count, and the document memo button that shows whether a memo exists."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.types import DocumentView
from annotator.ui.document_header import DocumentHeader, meta_line
from annotator.ui.fitted_label import fit_parts
from tests.ui.shown import shown_text

AO3_ATTRIBUTES = {
    "authors": ["quietwolf"],
    "fandoms": ["Star Wars", "Harry Potter", "Good Omens", "Sherlock"],
    "rating": ["Mature"],
    "words": ["12,345"],
}


def _work(
    text: str = "one two three", attributes: dict[str, list[str]] | None = None, memo: str = ""
) -> DocumentView:
    return DocumentView(7, "<b>Stardust</b> & Ash", text, "hash", [], attributes or {}, memo)


def _header(qtbot: QtBot) -> DocumentHeader:
    header = DocumentHeader()
    qtbot.addWidget(header)
    header.show()
    qtbot.waitExposed(header)
    return header


def test_the_metadata_line_names_authors_first_fandoms_and_ao3s_word_count() -> None:
    assert meta_line(_work(attributes=AO3_ATTRIBUTES), words=3) == (
        "by quietwolf  ·  Star Wars, Harry Potter, Good Omens +1  ·  Mature  ·  12,345 words"
    )
    assert meta_line(_work(), words=1234) == "1,234 words"  # no AO3 count: the counted one
    assert meta_line(_work()) == ""


def test_the_title_is_plain_text_and_the_memo_button_shows_a_memo_exists(qtbot: QtBot) -> None:
    header = _header(qtbot)
    assert header.title.text() == "No document open" and not header.memo_button.isEnabled()
    header.set_document(_work(attributes=AO3_ATTRIBUTES, memo="Check the ending again."))
    assert header.title.text() == "<b>Stardust</b> & Ash"
    assert header.title.textFormat() == Qt.TextFormat.PlainText  # shown as typed, never as markup
    assert header.memo_button.text() == "Document memo ✎"
    assert shown_text(header.memo_button.toolTip()) == "Check the ending again."
    with qtbot.waitSignal(header.memoRequested):
        qtbot.mouseClick(header.memo_button, Qt.MouseButton.LeftButton)
    header.set_memo("   ")
    assert header.memo_button.text() == "Document memo"
    assert "Ctrl+M" in header.memo_button.toolTip()


def test_a_plain_text_work_gets_its_words_counted_after_it_is_shown_and_remembered(qtbot: QtBot) -> None:
    header = _header(qtbot)
    work = _work(text="It was a dark and stormy night.\nThe end.")
    header.set_document(work)
    assert header.meta.text() == ""  # not before the first paint
    qtbot.waitUntil(lambda: header.meta.text() == "9 words")
    header.set_document(None)
    header.set_document(work)
    assert header.meta.text() == "9 words"  # counted once per work


def test_the_word_count_comes_before_the_long_relationship_list(qtbot: QtBot) -> None:
    attributes = {**AO3_ATTRIBUTES, "relationships": ["Kylo Ren/Reader", "Armitage Hux & Kylo Ren"]}
    line = meta_line(_work(attributes=attributes))
    assert line.endswith("12,345 words  ·  Kylo Ren/Reader, Armitage Hux & Kylo Ren")
    header = _header(qtbot)
    header.resize(700, 80)
    header.set_document(_work(attributes=attributes))
    metrics = header.meta.fontMetrics()
    shown_up_to_words = line[: line.index("words") + len("words")]
    # The words stay readable in a narrow header; what is cut off is the end of the relationships.
    assert metrics.horizontalAdvance(line) > header.meta.width()
    assert metrics.horizontalAdvance(shown_up_to_words) <= header.meta.width()
    # Cut between parts, never inside one: "…Reader, Armitage Hu" was on screen before.
    assert header.meta.shown_text() == shown_up_to_words + "  · …"
    header.resize(2000, 80)
    qtbot.waitUntil(lambda: header.meta.shown_text() == line)


def test_a_narrow_header_cuts_the_title_after_a_whole_word(qtbot: QtBot) -> None:
    header = _header(qtbot)
    header.set_document(_work(attributes=AO3_ATTRIBUTES))
    header.resize(120, 80)
    qtbot.waitUntil(lambda: header.title.shown_text() != header.title.text())
    shown = header.title.shown_text()
    assert shown.endswith("…") and header.title.text().startswith(shown[:-1].rstrip())
    assert shown[:-1].rstrip() in ("<b>Stardust</b>", "<b>Stardust</b> &", "")


def test_fit_parts_drops_whole_parts_then_whole_words() -> None:
    def up_to(n: int) -> Callable[[str], bool]:
        return lambda s: len(s) <= n

    text = "by ann  ·  Star Wars  ·  Mature"
    assert fit_parts(text, "  ·  ", up_to(100)) == text
    assert fit_parts(text, "  ·  ", up_to(25)) == "by ann  ·  Star Wars  · …"
    assert fit_parts(text, "  ·  ", up_to(12)) == "by ann  · …"
    assert fit_parts("one two three", "", up_to(9)) == "one two …"
    assert fit_parts("unbreakable", "", up_to(5)) == "…"
