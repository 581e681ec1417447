"""The Documents panel with real AO3 metadata: columns appear, sort and filter; the header shows it."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.ui.main_window import MainWindow
from annotator.ui.models.codebook_model import COL_COUNT
from annotator.ui.models.documents_model import (
    COL_CODINGS,
    COL_FANDOMS,
    COL_RATING,
    COL_RELATIONSHIPS,
    COL_TITLE,
    COL_WORDS,
    COLUMNS,
)
from annotator.ui.panels.documents_columns import FLEXIBLE_MAX, FLEXIBLE_MIN, TITLE_FLOOR, TITLE_MIN
from annotator.ui.panels.documents_panel import DocumentsPanel
from annotator.ui.workspace import Workspace

AO3_SAMPLE = Path(__file__).resolve().parents[2] / "io" / "data" / "ao3-single-chapter.html"


def test_ao3_metadata_columns_filter_and_header(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None
    panel = ws.documents
    # Plain-text seeds carry no AO3 metadata: those columns are hidden rather than empty.
    assert all(panel.table.isColumnHidden(c) for c in (COL_RATING, COL_FANDOMS, COL_RELATIONSHIPS))
    dialog = window.open_import_dialog()
    assert dialog is not None
    dialog.set_paths([AO3_SAMPLE])
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.start()
    [work] = dialog.report.imported  # type: ignore[union-attr]
    # Metadata columns are the researcher's to add (header menu); the model has them all.
    assert all(panel.table.isColumnHidden(c) for c in (COL_RATING, COL_FANDOMS, COL_RELATIONSHIPS))
    row = panel.model.row_of(work.id)
    rating = work.attributes["rating"][0]
    assert rating == "Teen And Up Audiences"
    assert panel.model.index(row, COL_RATING).data() == "Teen"  # AO3's long rating, as readers say it
    assert panel.model.index(row, COL_FANDOMS).data() == ", ".join(work.attributes["fandoms"])

    # Attribute filter: name, then a value built from the data.
    assert panel.attribute_name.findText("rating") >= 0
    panel.set_attribute_filter("rating", rating)
    assert panel.proxy.rowCount() == 1 and panel.count_label.text() == "1 of 6 works"
    panel.set_attribute_filter("Any attribute", "")
    assert panel.proxy.rowCount() == 6
    qtbot.keyClicks(panel.search, work.attributes["fandoms"][0].split()[0].lower())
    assert panel.proxy.rowCount() == 1
    panel.search.clear()

    # Sorting by words: the AO3 work's stated 2,899 words sort below the seeds' counted thousands.
    panel.table.sortByColumn(COL_WORDS, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: all(panel.proxy.index(r, COL_WORDS).data() for r in range(6)), timeout=10_000)
    words = [int(panel.proxy.index(r, COL_WORDS).data().replace(",", "")) for r in range(6)]
    assert words == sorted(words, reverse=True) and 2899 in words
    row = words.index(2899)
    panel.table.selectRow(row)
    assert ws.pane.document is not None and ws.pane.document.id == work.id
    assert ws.pane.header.title.text() == work.title
    meta = ws.pane.header.meta.text()
    assert work.attributes["authors"][0] in meta and work.attributes["fandoms"][0] in meta and rating in meta


def test_the_header_counts_the_words_of_a_work_without_ao3_stats(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    doc = ws.pane.document
    expected = f"{len(doc.text.split()):,} words"
    # Counted after the first paint (it takes ~40 ms for a 5 MB work), then remembered.
    qtbot.waitUntil(lambda: expected in ws.pane.header.meta.text(), timeout=5_000)
    ws.pane.close_document()
    assert ws.pane.open_document(doc.id)
    assert expected in ws.pane.header.meta.text()


def test_typing_in_the_search_narrows_the_list_and_arrow_keys_open_the_works(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    panel = ws.documents
    titles = [d.title for d in panel.model.documents()]
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, titles[3][:3].upper())  # any case
    assert [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())] == [titles[3]]
    assert panel.count_label.text() == "1 of 5 works"
    qtbot.keyClick(panel.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)
    assert panel.proxy.rowCount() == 5 and panel.count_label.text() == "5 works"
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert ws.pane.document is not None and ws.pane.document.title == titles[0]
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert ws.pane.document.title == titles[1]
    qtbot.keyClick(panel.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert ws.pane.document.title == titles[4]
    assert panel.current_document_id() == ws.pane.document.id


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


_CLICKS = itertools.count()


def _header_menu(qtbot: QtBot, panel: DocumentsPanel) -> QMenu:
    """Right-click the Documents table's header, as a researcher asks for the column menu."""
    header = panel.table.horizontalHeader()
    # Alternately 40 px apart: two presses in one place would make a double-click.
    x = header.sectionViewportPosition(COL_TITLE) + 10 + 40 * (next(_CLICKS) % 2)
    point = QPoint(x, header.height() // 2)
    # Through the window, as the platform delivers it: that is where Qt makes the context menu event.
    window = header.window()
    handle = window.windowHandle()
    at = header.viewport().mapTo(window, point)
    QTest.mousePress(handle, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at)
    QTest.mouseRelease(handle, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at)
    menu = panel.columns.menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    return menu


def _choose(qtbot: QtBot, panel: DocumentsPanel, header: str) -> None:
    """Tick or untick ``header`` in the header's column menu with a click."""
    menu = _header_menu(qtbot, panel)
    [action] = [a for a in menu.actions() if a.text() == header]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def _visible_headers(panel: DocumentsPanel) -> list[str]:
    """The headers shown, left to right."""
    header = panel.table.horizontalHeader()
    shown = [c for c in range(len(COLUMNS)) if not panel.table.isColumnHidden(c)]
    return [COLUMNS[c][0] for c in sorted(shown, key=header.visualIndex)]


def test_every_work_has_its_words_counted_as_the_header_counts_them(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    panel = ws.documents
    model = panel.model
    qtbot.waitUntil(
        lambda: all(model.index(r, COL_WORDS).data() for r in range(model.rowCount())), timeout=10_000
    )
    assert ws.pane.document is not None
    first = model.index(model.row_of(ws.pane.document.id), COL_WORDS).data()
    qtbot.waitUntil(lambda: f"{first} words" in ws.pane.header.meta.text(), timeout=5_000)
    assert first == f"{len(ws.pane.document.text.split()):,}"
    assert "counted from the text" in str(
        model.headerData(COL_WORDS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    )
    menu = _header_menu(qtbot, panel)
    offered = {a.text(): a for a in menu.actions()}
    assert not offered["Rating (no work has one)"].isEnabled()  # plain-text works state no rating
    assert offered["Words"].isEnabled() and offered["Codings"].isEnabled()
    menu.close()


def test_the_header_menu_chooses_the_columns_and_the_choice_is_remembered(
    ao3_window: MainWindow, qtbot: QtBot
) -> None:
    panel = _workspace(ao3_window).documents
    assert _visible_headers(panel) == ["Title", "Words", "Codings"]
    menu = _header_menu(qtbot, panel)
    offered = {a.text(): a for a in menu.actions()}
    assert "Title" not in offered  # how a work is found: always there
    assert offered["Rating"].isEnabled() and not offered["Rating"].isChecked()
    assert offered["Words"].isChecked() and offered["Codings"].isChecked()
    assert offered["Published"].isEnabled()
    menu.close()
    _choose(qtbot, panel, "Rating")
    _choose(qtbot, panel, "Fandoms")
    _choose(qtbot, panel, "Words")
    assert _visible_headers(panel) == ["Title", "Codings", "Rating", "Fandoms"]
    location = _workspace(ao3_window).session.store.location
    ao3_window.close_project()
    ao3_window.open_location(location)
    qtbot.waitUntil(lambda: ao3_window.workspace is not None, timeout=20_000)
    assert _visible_headers(_workspace(ao3_window).documents) == ["Title", "Codings", "Rating", "Fandoms"]


def test_with_every_column_shown_the_title_keeps_room_and_codings_stay_in_view(
    ao3_window: MainWindow, qtbot: QtBot
) -> None:
    ao3_window.resize(1280, 720)
    panel = _workspace(ao3_window).documents
    for header in ("Rating", "Fandoms", "Relationships", "Authors", "Characters", "Tags"):
        _choose(qtbot, panel, header)
    assert _visible_headers(panel)[:3] == ["Title", "Words", "Codings"]  # the counts beside the title
    table, header_view = panel.table, panel.table.horizontalHeader()
    dock = _workspace(ao3_window).docks[0]
    for width in (260, 300, 400, 500):
        ao3_window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        QApplication.processEvents()
        assert abs(dock.width() - width) < 30, (width, dock.width())
        available = table.viewport().width()
        title = header_view.sectionSize(COL_TITLE)
        codings_end = header_view.sectionViewportPosition(COL_CODINGS) + header_view.sectionSize(COL_CODINGS)
        counts = header_view.sectionSize(COL_WORDS) + header_view.sectionSize(COL_CODINGS)
        assert title >= min(TITLE_MIN, available - counts) >= TITLE_FLOOR, (width, title)
        assert codings_end <= available, (width, codings_end, available)  # in view without scrolling
        metadata = [header_view.sectionSize(c) for c in (COL_RATING, COL_FANDOMS, COL_RELATIONSHIPS)]
        assert all(FLEXIBLE_MIN <= w <= FLEXIBLE_MAX for w in metadata), (width, metadata)


def test_filtering_the_list_never_opens_another_work(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    panel = ws.documents
    table = panel.table
    rect = table.visualRect(panel.proxy.index(2, COL_TITLE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = ws.pane.document
    assert opened is not None and panel.current_document_id() == opened.id
    panel.search.setFocus()
    with qtbot.assertNotEmitted(panel.documentActivated):
        qtbot.keyClicks(panel.search, panel.model.document_at(0).title[:6])  # type: ignore[union-attr]
        assert panel.proxy.rowCount() == 1 and ws.pane.document is opened
        assert panel.current_document_id() is None  # the open work is filtered out: no other row stands in
        qtbot.keyClick(panel.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)
    assert ws.pane.document is opened and panel.current_document_id() == opened.id  # back, and current


def test_codings_and_uses_count_the_coders_whose_annotations_are_shown(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    assert ws.pane.document is not None
    doc_id = ws.pane.document.id
    viewer = ws.pane.viewer
    for coder, start in (("alice", 0), ("bob", 40), ("bob", 80)):
        line = window.coder_switcher.combo.lineEdit()
        assert line is not None
        line.selectAll()
        qtbot.keyClicks(line, coder)
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert ws.session.coder.name == coder
        viewer.setFocus()
        viewer.select_span(start, start + 12)
        qtbot.keyClick(viewer, Qt.Key.Key_1)
    assert len(list_annotations(ws.session.store, doc_id)) == 3
    ws.session.flush_counts()
    documents, codebook = ws.documents.model, ws.codebook.model
    first_code = ws.session.codes[0].id

    def figures() -> tuple[str, str]:
        codings = documents.index(documents.row_of(doc_id), COL_CODINGS).data()
        return codings, codebook.index_of(first_code, COL_COUNT).data()

    assert figures() == ("2", "2")  # bob's own two; alice's one is hidden
    tip = documents.headerData(COL_CODINGS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "yours only" in str(tip)
    assert "yours only" in str(
        codebook.headerData(COL_COUNT, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    )
    qtbot.keyClick(
        window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert ws.pane.show_others
    assert figures() == ("3", "3")
    tip = documents.headerData(COL_CODINGS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "every coder" in str(tip)
    qtbot.keyClick(
        window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    line = window.coder_switcher.combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, "alice")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert figures() == ("1", "1")  # alice's own, now bob's are hidden
