"""Markup in every user-editable field is shown as typed, everywhere it is shown, and loads nothing.

A project whose document title, attributes, memo, code fields, coder name, annotation memo and
quote all hold an ``<img src="/dev/zero">`` payload, and whose coder and code colours were
injected by a hostile merge, is opened in every widget, tooltip and dialog that shows them.
Labels must be plain text; tooltips and rich labels must show the payload literally and hold
no image (checked before Qt lays the markup out, so a regression fails here instead of having
Qt read the file the payload names).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox, QToolTip
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from annotator.core.codebook import display_path
from annotator.core.types import ImportedDocument
from annotator.services.annotations import apply_code
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document, set_document_memo
from annotator.store.models import Code, Coder
from annotator.store.project import ProjectStore
from annotator.ui.app import _show_unexpected
from annotator.ui.main_window import MainWindow
from annotator.ui.models.documents_model import COL_TITLE
from annotator.ui.models.segments_model import COL_CODE, COL_CODER, COL_DOCUMENT, COL_MEMO, COL_TEXT
from annotator.ui.panels.codebook_panel import deletion_message
from annotator.ui.plain import FALLBACK_COLOUR
from annotator.ui.session import ProjectSession
from annotator.ui.settings import AppSettings
from annotator.ui.team import AgreementDialog
from annotator.ui.team.comparison_window import ComparisonWindow
from annotator.ui.viewer import DocumentViewer
from tests.ui.shown import has_image, shown_text

PAYLOAD = '<img src="/dev/zero"><b>bold</b>&lt;i&gt;'
DRAFT = "<b>Unused draft code</b><!--"  # would hide the rest of the delete warning
# A merged colour that breaks out of a style attribute; PostgreSQL keeps at most 9 characters.
LONG_COLOUR = '#ff0000"><img src="/dev/zero"><b x="'
SHORT_COLOUR = '"><img x>'
TEXT = f"Opening words. {PAYLOAD} Closing words of the work.\n"


@dataclass
class Hostile:
    store: ProjectStore
    document_id: int
    code_id: int
    draft_id: int
    annotation_id: int
    colour: str


@pytest.fixture
def hostile(seeded_project: ProjectStore, backend: str) -> Hostile:
    store = seeded_project
    doc = add_document(
        store,
        ImportedDocument(
            title=PAYLOAD,
            source_format="text",
            text=TEXT,
            attributes={"authors": [PAYLOAD], "fandoms": [PAYLOAD], PAYLOAD: [PAYLOAD]},
        ),
    )
    texts = {key: PAYLOAD for key in ("short_name", "definition", "inclusion", "exclusion", "example")}
    code = add_code(store, PAYLOAD, **texts)
    draft = add_code(store, DRAFT)
    coder = ensure_coder(store, PAYLOAD)
    bob = ensure_coder(store, "bob")
    start = TEXT.index(PAYLOAD)
    annotation = apply_code(store, doc.id, start, start + len(PAYLOAD), code.id, coder.id, memo=PAYLOAD)
    apply_code(store, doc.id, 0, start + 5, code.id, bob.id)  # a disagreement with the payload coder
    set_document_memo(store, doc.id, PAYLOAD, PAYLOAD)
    colour = LONG_COLOUR if backend == "sqlite" else SHORT_COLOUR
    with store.transaction() as session:  # what an unvalidated merge would have written
        session.execute(update(Coder).where(Coder.id == coder.id).values(colour=colour))
        session.execute(update(Code).where(Code.id == code.id).values(colour=colour))
    return Hostile(store, doc.id, code.id, draft.id, annotation.id, colour)


@pytest.fixture
def window(qtbot: QtBot, hostile: Hostile, app_settings: AppSettings) -> Iterator[MainWindow]:
    """The main window on the hostile project, coding as the coder whose name is the payload."""
    app_settings.set_coder_name(PAYLOAD)
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_store(hostile.store)
    ws = win.workspace
    assert ws is not None and ws.session.coder.name == PAYLOAD
    assert ws.pane.open_document(hostile.document_id)
    yield win
    win.close()


def assert_plain(label: QLabel, expected: str | None = None) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText
    if expected is None:
        assert PAYLOAD in label.text()
    else:
        assert label.text() == expected


def assert_shows(markup: str, literal: str = PAYLOAD) -> None:
    """``markup`` (a tooltip or rich text) loads no image and shows ``literal`` as typed."""
    assert not has_image(markup), markup
    assert literal in shown_text(markup), shown_text(markup)


def answer_dialog(read: list[tuple[str, Qt.TextFormat]], tries: int = 300) -> None:
    """Read the open modal box's or input dialog's text and its format, then say no / cancel."""
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, QMessageBox):
        read.append((dialog.text(), dialog.textFormat()))
        dialog.button(QMessageBox.StandardButton.No).click()
    elif isinstance(dialog, QInputDialog):
        label = dialog.findChild(QLabel)
        assert label is not None
        read.append((label.text(), label.textFormat()))
        dialog.reject()
    elif tries:  # the dialog runs its own event loop; look again on a later turn
        QTimer.singleShot(10, lambda: answer_dialog(read, tries - 1))


def read_dialog(open_it: Callable[[], object]) -> tuple[str, Qt.TextFormat]:
    read: list[tuple[str, Qt.TextFormat]] = []
    QTimer.singleShot(0, lambda: answer_dialog(read))
    open_it()
    assert len(read) == 1
    return read[0]


def viewer_tooltip(viewer: DocumentViewer, start: int, end: int) -> str:
    """The tooltip a hover over ``[start, end)`` shows, through the viewer's own ToolTip event."""
    viewer.scroll_to_span(start, end)
    rects = viewer.span_rects(start, end)
    assert rects
    viewer.viewport().grab()  # paints: the viewer maps points to characters with what it painted
    point = rects[0].center().toPoint()
    text = viewer.tooltip_text_at(QPointF(point))
    assert not has_image(text), text  # checked before Qt shows it: a regression fails, not aborts
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewer.viewport().mapToGlobal(point))
    QApplication.sendEvent(viewer.viewport(), event)
    assert QToolTip.text() == text
    QToolTip.hideText()
    return text


def test_documents_panel_and_header(window: MainWindow, hostile: Hostile) -> None:
    ws = window.workspace
    assert ws is not None
    model = ws.documents.model
    index = model.index(model.row_of(hostile.document_id), COL_TITLE)
    assert index.data() == PAYLOAD
    assert_shows(index.data(Qt.ItemDataRole.ToolTipRole), f"{PAYLOAD}\nauthors: {PAYLOAD}")
    assert_shows(index.data(Qt.ItemDataRole.ToolTipRole), f"{PAYLOAD}: {PAYLOAD}")
    header = ws.pane.header
    assert_plain(header.title, PAYLOAD)
    assert_shows(header.title.toolTip())
    assert_plain(header.meta)
    assert_shows(header.meta.toolTip(), f"{PAYLOAD}: {PAYLOAD}")
    assert_shows(header.memo_button.toolTip())


def test_codebook_panel_details_and_its_dialogs(window: MainWindow, hostile: Hostile) -> None:
    ws = window.workspace
    assert ws is not None
    panel = ws.codebook
    panel.select_code(hostile.code_id)
    index = panel.model.index_of(hostile.code_id)
    assert index.data() == PAYLOAD
    assert_shows(index.data(Qt.ItemDataRole.ToolTipRole))
    details = panel.details
    heading = details.heading.text()
    assert_shows(heading)
    assert hostile.colour not in heading and FALLBACK_COLOUR in heading
    assert details.short_name.text() == PAYLOAD
    assert all(editor.toPlainText() == PAYLOAD for editor in details.editors.values())

    text, form = read_dialog(lambda: panel.delete_code(hostile.code_id))
    assert (text, form) == (deletion_message(PAYLOAD, 1, 2), Qt.TextFormat.PlainText)
    text, form = read_dialog(lambda: panel.delete_code(hostile.draft_id))
    assert form == Qt.TextFormat.PlainText and "This deletes 1 code and 0 annotations" in text
    assert panel.model.index_of(hostile.code_id).isValid()  # "No" deleted nothing

    text, form = read_dialog(panel.ask_add_sub_code)
    assert form == Qt.TextFormat.PlainText and PAYLOAD in text
    text, form = read_dialog(panel.ask_merge)
    assert form == Qt.TextFormat.PlainText and PAYLOAD in text


def test_annotation_panel_viewer_tooltip_and_segments(
    window: MainWindow, hostile: Hostile, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    ws.pane.select_annotation(hostile.annotation_id)
    panel = ws.annotation
    assert panel.annotation is not None and panel.annotation.id == hostile.annotation_id
    assert_plain(panel.coder, PAYLOAD)
    assert_shows(panel.quote.text(), f"“{PAYLOAD}”")
    assert panel.memo.toPlainText() == PAYLOAD

    start = TEXT.index(PAYLOAD)
    tip = viewer_tooltip(ws.pane.viewer, start + 1, start + 2)
    assert_shows(tip, f"{PAYLOAD} · {PAYLOAD}\n{PAYLOAD}")  # code · coder, then the memo
    assert hostile.colour not in tip and FALLBACK_COLOUR in tip

    segments = ws.segments
    segments.set_filter(document=hostile.document_id)
    segments.refresh_now()
    model = segments.model
    row = model.row_of(hostile.annotation_id)
    assert row >= 0
    for column in (COL_DOCUMENT, COL_CODE, COL_CODER, COL_TEXT, COL_MEMO):
        index = model.index(row, column)
        assert PAYLOAD in index.data()
        assert_shows(index.data(Qt.ItemDataRole.ToolTipRole))
    assert segments.status.textFormat() == Qt.TextFormat.PlainText  # it reports typed filters


def test_document_memo_dialog(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    text, form = read_dialog(ws.pane.ask_document_memo)
    assert form == Qt.TextFormat.PlainText and text == f"Your memo on “{PAYLOAD}”:"


@pytest.fixture
def lead(hostile: Hostile) -> Iterator[ProjectSession]:
    session = ProjectSession(hostile.store, "lead")
    yield session
    session.close()


def test_comparison_window_and_adjudication(qtbot: QtBot, hostile: Hostile, lead: ProjectSession) -> None:
    window = ComparisonWindow(lead, (PAYLOAD, "bob"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.document.setCurrentIndex(window.document.findData(hostile.document_id))
    assert_plain(window.coders_label, f"Coders: {PAYLOAD}, bob")
    assert window.disagreements.model().rowCount() >= 1
    window.select_row(0)
    panel = window.panel
    assert panel.item is not None
    details = panel.details.text()
    assert panel.details.textFormat() == Qt.TextFormat.RichText
    assert_shows(details, f"{PAYLOAD} [")
    assert_shows(details, display_path(panel.item.code_path))  # as people read it, not CSV-escaped
    button = panel.coder_buttons[PAYLOAD]
    assert_shows(button.toolTip(), f"{PAYLOAD}'s version becomes the consensus")
    assert button.text().replace("&&", "&") == f"Accept {PAYLOAD}"

    start = TEXT.index(PAYLOAD)
    tip = viewer_tooltip(window.viewer, start + 8, start + 9)
    assert_shows(tip, PAYLOAD)
    assert hostile.colour not in tip


def test_agreement_cell_tooltips(qtbot: QtBot, hostile: Hostile, lead: ProjectSession) -> None:
    dialog = AgreementDialog(lead)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=20_000)
    assert_plain(dialog.status, dialog.status.text())
    table = dialog.table
    tips = [
        table.item(row, column).toolTip()
        for row in range(table.rowCount())
        for column in range(table.columnCount())
        if table.item(row, column) is not None and table.item(row, column).toolTip()
    ]
    assert tips
    for tip in tips:
        assert not has_image(tip), tip
    assert any(f"only {PAYLOAD} " in shown_text(tip) for tip in tips)
    pairs = [table.item(row, 1).text() for row in range(table.rowCount()) if table.item(row, 1)]
    assert any(PAYLOAD in pair for pair in pairs)


def test_last_resort_error_box(qtbot: QtBot) -> None:
    def raise_it() -> None:
        try:
            raise ValueError(PAYLOAD)
        except ValueError as exc:
            _show_unexpected(ValueError, exc, exc.__traceback__)

    read: list[tuple[str, Qt.TextFormat]] = []

    def close_box(tries: int = 300) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            read.append((box.text(), box.textFormat()))
            box.close()
        elif tries:
            QTimer.singleShot(10, lambda: close_box(tries - 1))

    QTimer.singleShot(0, close_box)
    raise_it()
    assert len(read) == 1
    text, form = read[0]
    assert form == Qt.TextFormat.PlainText and f"ValueError: {PAYLOAD}" in text
