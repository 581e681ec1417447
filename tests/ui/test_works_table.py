"""View ▸ Works and attributes table: edit cells, sort by header, filter, bulk edit, undo with Ctrl+Z."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from annotator.services import document_attributes as attrs
from annotator.services.changes import Change
from annotator.services.documents import list_documents, load_document
from annotator.ui.main_window import MainWindow
from annotator.ui.models.documents_model import COL_TITLE
from annotator.ui.models.works_table_model import SORT_ROLE
from annotator.ui.works_table import BulkEditDialog, WorksTable

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _open_table(window: MainWindow, qtbot: QtBot) -> WorksTable:
    qtbot.keyClick(window, Qt.Key.Key_T, CTRL | SHIFT)
    [table] = [d for d in window.dialogs if isinstance(d, WorksTable)]
    qtbot.waitExposed(table)
    table.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is table)
    return table


def _column(table: WorksTable, header: str) -> int:
    model = table.proxy
    return next(
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header
    )


def _cell(table: WorksTable, row: int, column: int) -> QModelIndex:
    return table.proxy.index(row, column)


def _click(
    qtbot: QtBot,
    table: WorksTable,
    index: QModelIndex,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.mouseClick(
        table.table.viewport(), Qt.MouseButton.LeftButton, modifier, table.table.visualRect(index).center()
    )


def _edit_cell(qtbot: QtBot, table: WorksTable, index: QModelIndex, text: str) -> None:
    """Double-click the cell, replace its text, press Enter."""
    view = table.table
    _click(qtbot, table, index)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() == view.State.NoState)  # the view commits queued


def test_a_title_edited_in_a_cell_is_stored_shown_everywhere_and_undone_with_ctrl_z(
    window: MainWindow, qtbot: QtBot
) -> None:
    store = window.session.store  # type: ignore[union-attr]
    table = _open_table(window, qtbot)
    first = list_documents(store)[0]
    assert _cell(table, 0, 0).data() == first.title  # import order until a header is clicked
    _edit_cell(qtbot, table, _cell(table, 0, 0), "<img src=/dev/zero> renamed")

    assert load_document(store, first.id).title == "<img src=/dev/zero> renamed"
    assert _cell(table, 0, 0).data() == "<img src=/dev/zero> renamed"
    ws = window.workspace
    assert ws is not None
    documents = ws.documents.model
    assert documents.index(documents.row_of(first.id), COL_TITLE).data() == "<img src=/dev/zero> renamed"

    qtbot.keyClick(table.table, Qt.Key.Key_Z, CTRL)  # in the table's own window
    assert load_document(store, first.id).title == first.title
    assert _cell(table, 0, 0).data() == first.title
    assert documents.index(documents.row_of(first.id), COL_TITLE).data() == first.title


def test_an_attribute_cell_takes_comma_separated_values_and_adds_a_column(
    ao3_window: MainWindow, qtbot: QtBot
) -> None:
    store = ao3_window.session.store  # type: ignore[union-attr]
    table = _open_table(ao3_window, qtbot)
    fandoms = _column(table, "Fandoms")
    first = list_documents(store)[0]  # a plain-text seed: no fandom until now
    _edit_cell(qtbot, table, _cell(table, 0, fandoms), "Star Wars,  Original Work ,")
    assert load_document(store, first.id).attributes["fandoms"] == ["Star Wars", "Original Work"]
    assert _cell(table, 0, fandoms).data() == "Star Wars, Original Work"
    words = _column(table, "Words")
    _edit_cell(qtbot, table, _cell(table, 0, words), "1,234")  # one figure, not two values
    assert load_document(store, first.id).attributes["words"] == ["1,234"]
    assert ao3_window.session.undo_stack.undo_text == "Set “Words”"  # type: ignore[union-attr]


def test_clicking_a_header_sorts_numbers_as_numbers_and_the_filter_keeps_matching_works(
    ao3_window: MainWindow, qtbot: QtBot
) -> None:
    table = _open_table(ao3_window, qtbot)
    words = _column(table, "Words")
    qtbot.waitUntil(lambda: all(_cell(table, r, words).data() for r in range(table.proxy.rowCount())))
    header = table.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + _header_point(table, words),
    )
    shown = [_cell(table, r, words).data(SORT_ROLE) for r in range(table.proxy.rowCount())]
    assert shown == sorted(shown) and len(set(shown)) > 2
    assert max(shown) >= 10_000  # "12,345" sorts after "2,899" as a number, not as text

    rating = _column(table, "Rating")
    qtbot.keyClicks(table.filter, "general audiences")
    assert table.proxy.rowCount() == 1
    assert _cell(table, 0, rating).data() == "General Audiences"
    assert table.count.text() == "1 of 7 works"
    table.filter.clear()
    assert table.proxy.rowCount() == 7


def _header_point(table: WorksTable, column: int):  # type: ignore[no-untyped-def]
    header = table.table.horizontalHeader()
    from PySide6.QtCore import QPoint

    return QPoint(
        header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2
    )


def test_set_attribute_for_selected_works_is_one_undo_step(window: MainWindow, qtbot: QtBot) -> None:
    store = window.session.store  # type: ignore[union-attr]
    table = _open_table(window, qtbot)
    ids = [d.id for d in list_documents(store)]
    _click(qtbot, table, _cell(table, 0, 0))
    _click(qtbot, table, _cell(table, 2, 0), CTRL)
    assert table.selected_documents() == [ids[0], ids[2]]
    qtbot.mouseClick(table.bulk_button, Qt.MouseButton.LeftButton)
    [dialog] = table.findChildren(BulkEditDialog)
    qtbot.waitExposed(dialog)
    line = dialog.name.lineEdit()
    assert line is not None
    qtbot.keyClick(line, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(line, "Language")
    qtbot.keyClicks(dialog.values, "English")
    qtbot.keyClick(dialog.values, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [load_document(store, i).attributes.get("language") for i in ids[:3]] == [
        ["English"],
        None,
        ["English"],
    ]
    assert _cell(table, 0, _column(table, "Language")).data() == "English"

    qtbot.keyClick(table.table, Qt.Key.Key_Z, CTRL)
    assert all("language" not in load_document(store, i).attributes for i in ids)
    assert "Language" not in [
        table.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(table.proxy.columnCount())
    ]


def test_the_table_follows_changes_made_elsewhere(window: MainWindow, qtbot: QtBot) -> None:
    """Another user renames a work (their own connection); the news arrives through the one door."""
    session = window.session
    assert session is not None
    table = _open_table(window, qtbot)
    first = list_documents(session.store)[0]
    edit = attrs.rename_document(session.store, first.id, "Renamed by Bob")
    session.publish(Change.external(edit.change.to_payload()))
    assert _cell(table, 0, 0).data() == "Renamed by Bob"


def test_news_arriving_while_a_cell_is_edited_does_not_undo_the_typing(
    window: MainWindow, qtbot: QtBot
) -> None:
    session = window.session
    assert session is not None
    table = _open_table(window, qtbot)
    first = list_documents(session.store)[0]
    view = table.table
    index = _cell(table, 0, 0)
    _click(qtbot, table, index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, "Typed while Bob worked")
    edit = attrs.set_attribute(session.store, first.id, "Fandoms", ["Bob's fandom"])  # the same work
    session.publish(Change.external(edit.change.to_payload()))
    assert editor.text() == "Typed while Bob worked"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() == view.State.NoState)
    assert load_document(session.store, first.id).title == "Typed while Bob worked"
    assert _cell(table, 0, 0).data() == "Typed while Bob worked"
    assert _cell(table, 0, _column(table, "Fandoms")).data() == "Bob's fandom"  # shown once the editor closed
