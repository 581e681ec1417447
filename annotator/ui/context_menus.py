"""Right-click menus on the works in the Documents dock and on the annotations in the viewer.

Installed from outside the widgets (``Qt.CustomContextMenu``), so neither the panel nor the viewer
knows about the window's dialogs. Each menu is built by a function the handler calls, holding the
existing ``QAction`` objects where there are some (Remove annotation, Quick pick, In-vivo code),
so shortcuts and enabled states match the menu bar. The codebook's menu is in
:mod:`annotator.ui.panels.codebook_menu`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu

from annotator.core.types import AnnotationInfo, DocumentSummary
from annotator.services import commands
from annotator.services.document_deletion import DeleteDocuments
from annotator.services.segments import SegmentFilter
from annotator.ui.actions import MenuHost
from annotator.ui.dialogs.attributes_dialog import edit_document_attributes
from annotator.ui.dialogs.export_dialog import ExportDialog
from annotator.ui.models.segments_model import code_label
from annotator.ui.plain import ask_item, ask_multiline_text, confirm, no_mnemonic
from annotator.ui.updates.actions import show_versions
from annotator.ui.viewer.selection import copying_menu
from annotator.ui.workspace import Workspace

ContextHost = MenuHost  # what these menus need of the window: dialogs, settings, the status bar


def _action(menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    return action


# --- documents ------------------------------------------------------------------------------


def build_document_menu(host: ContextHost, workspace: Workspace, doc: DocumentSummary) -> QMenu:
    """Open, document memo, export this work's segments, edit title and attributes, delete."""
    menu = QMenu(workspace.documents)
    _action(menu, "Open", lambda: workspace.open_document(doc.id))
    _action(menu, "Document memo…", lambda: _document_memo(workspace, doc.id))
    _action(menu, "Export segments of this work…", lambda: _export_document(host, workspace, doc.id))
    _action(menu, "Edit title and attributes…", lambda: edit_document_attributes(host, doc.id))
    _action(menu, "Versions…", lambda: show_versions(host, doc.id))
    menu.addSeparator()
    _action(menu, "Delete work…", lambda: delete_document(host, workspace, doc))
    return menu


def _document_memo(workspace: Workspace, document_id: int) -> None:
    if workspace.open_document(document_id):
        workspace.pane.ask_document_memo()


def _export_document(host: ContextHost, workspace: Workspace, document_id: int) -> None:
    only_this = SegmentFilter(document_ids=(document_id,))
    dialog = ExportDialog(workspace.session, host.settings, only_this, host.window())
    dialog.exported.connect(host.show_message)
    host.keep_dialog(dialog)


def delete_document(host: ContextHost, workspace: Workspace, doc: DocumentSummary) -> bool:
    """Delete a work (after the researcher confirms) with its annotations and memos; undoable."""
    counted = f"its {doc.annotation_count} annotations, memos" if doc.annotation_count else "its memos"
    question = (
        f"Delete “{doc.title}”?\n\nThis deletes the work with {counted} and attributes. "
        "Undo (Ctrl+Z) brings it back."
    )
    if not confirm(host.window(), "Delete work", question):
        return False
    store, session = workspace.session.store, workspace.session
    if session.run(lambda: DeleteDocuments(store, [doc.id], f"“{doc.title}”")) is None:
        return False
    host.show_message(f"Deleted “{doc.title}”. Ctrl+Z undoes.")
    return True


def show_document_menu(host: ContextHost, workspace: Workspace, pos: QPoint) -> None:
    table = workspace.documents.table
    index = table.indexAt(pos)
    if not index.isValid():
        return
    panel = workspace.documents
    doc = panel.model.document_at(panel.proxy.mapToSource(index).row())
    if doc is None:
        return
    menu = build_document_menu(host, workspace, doc)
    menu.exec(table.viewport().mapToGlobal(pos))
    menu.deleteLater()


# --- annotations in the viewer ------------------------------------------------------------------


def annotation_under(workspace: Workspace, pos: QPoint) -> AnnotationInfo | None:
    """The annotation a right-click at ``pos`` is about: the selected one if it is there, else the
    first there (which becomes selected, as a left click would make it)."""
    viewer = workspace.pane.viewer
    under = [h.annotation_id for h in viewer.highlights_at(QPointF(pos))]
    if not under:
        return None
    chosen = viewer.selected_annotation_id if viewer.selected_annotation_id in under else under[0]
    viewer.set_selected_annotation(chosen)
    return workspace.pane.annotation(chosen)


def build_viewer_menu(workspace: Workspace, pos: QPoint) -> QMenu:
    """The annotation's actions (when one is under ``pos``), coding actions for a selection, then
    the viewer's own Copy / Select all."""
    viewer, coding = workspace.pane.viewer, workspace.coding
    menu = QMenu(viewer)
    annotation = annotation_under(workspace, pos)
    if annotation is not None:
        code = workspace.session.code(annotation.code_id)
        title = menu.addAction(no_mnemonic(f"Annotation: {code.name if code else '?'}"))
        title.setEnabled(False)
        _action(menu, "Change code…", lambda: recode(workspace, annotation))
        _action(menu, "Edit memo…", lambda: edit_memo(workspace, annotation))
        _action(menu, "Copy quote", lambda: QGuiApplication.clipboard().setText(annotation.quote))
        menu.addAction(coding.remove_action)
        menu.addSeparator()
    if viewer.selected_span() is not None:
        menu.addAction(coding.quick_pick_action)
        menu.addAction(coding.in_vivo_action)
        menu.addSeparator()
    standard = viewer.createStandardContextMenu(pos)  # Copy as the viewer copies: the work's text
    for action in copying_menu(standard, viewer.copy_text).actions():
        action.setParent(menu)
        menu.addAction(action)
    standard.deleteLater()
    return menu


def recode(workspace: Workspace, annotation: AnnotationInfo) -> bool:
    codes = [c for c in workspace.session.codes if c.id != annotation.code_id]
    labels = [code_label(c.path) for c in codes]
    label = ask_item(workspace.pane, "Change code", "Code this annotation as:", labels)
    if label is None or label not in labels:
        return False
    return workspace.coding.recode(annotation.id, codes[labels.index(label)].id)


def edit_memo(workspace: Workspace, annotation: AnnotationInfo) -> bool:
    text = ask_multiline_text(workspace.pane, "Annotation memo", "Memo on this annotation:", annotation.memo)
    if text is None or text == annotation.memo:
        return False
    store = workspace.session.store
    edit = commands.EditAnnotation(store, annotation.id, memo=text, text="Edit memo")
    return workspace.session.run(lambda: edit) is not None


def show_viewer_menu(workspace: Workspace, pos: QPoint) -> None:
    viewer = workspace.pane.viewer
    menu = build_viewer_menu(workspace, pos)
    menu.exec(viewer.viewport().mapToGlobal(pos))
    menu.deleteLater()


def install_context_menus(host: ContextHost, workspace: Workspace) -> None:
    """Right-click menus on the open project's works and annotations."""
    table = workspace.documents.table
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.customContextMenuRequested.connect(lambda pos: show_document_menu(host, workspace, pos))
    viewer = workspace.pane.viewer
    viewer.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    viewer.customContextMenuRequested.connect(lambda pos: show_viewer_menu(workspace, pos))
