"""The Documents panel with real AO3 metadata: columns appear, sort and filter; the header shows it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.ui.main_window import MainWindow
from annotator.ui.models.documents_model import COL_FANDOMS, COL_RATING, COL_RELATIONSHIPS, COL_WORDS

AO3_SAMPLE = Path(__file__).resolve().parents[2] / "io" / "data" / "ao3-single-chapter.html"


def test_ao3_metadata_columns_filter_and_header(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None
    panel = ws.documents
    # Plain-text seeds carry no AO3 metadata: those columns are hidden rather than empty.
    assert all(panel.table.isColumnHidden(c) for c in (COL_RATING, COL_FANDOMS, COL_RELATIONSHIPS, COL_WORDS))
    dialog = window.open_import_dialog()
    assert dialog is not None
    dialog.set_paths([AO3_SAMPLE])
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.start()
    [work] = dialog.report.imported  # type: ignore[union-attr]
    assert not any(panel.table.isColumnHidden(c) for c in (COL_RATING, COL_FANDOMS, COL_WORDS))
    row = panel.model.row_of(work.id)
    rating = panel.model.index(row, COL_RATING).data()
    assert rating == work.attributes["rating"][0]
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

    # Sorting by words puts the AO3 work (the only one with a stated count) first when descending.
    panel.table.sortByColumn(COL_WORDS, Qt.SortOrder.DescendingOrder)
    assert panel.proxy.index(0, 0).data() == work.title
    panel.table.selectRow(0)
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
