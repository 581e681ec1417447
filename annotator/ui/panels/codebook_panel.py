"""The Codebook panel: the code tree (with its number keys), its editing actions, and the details pane.

Double-clicking a code applies it to the selected text; F2 renames inline; dragging a code onto
another files it there; right-click offers the same actions and assigns the code a number key.
Every edit is one undoable command run through the session.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QFrame,
    QHeaderView,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.types import CodeInfo
from annotator.services import commands
from annotator.services.changes import Change
from annotator.services.codebook import deletion_impact
from annotator.ui.flow_bar import ActionBar
from annotator.ui.key_assignments import KeyAssignments
from annotator.ui.models.codebook_model import COL_COUNT, COL_KEY, COL_NAME, CodebookModel
from annotator.ui.models.segments_model import code_label
from annotator.ui.panels.code_details import CodeDetails
from annotator.ui.panels.codebook_menu import show_codebook_menu
from annotator.ui.plain import ask_item, ask_text, confirm, window_title
from annotator.ui.session import ProjectSession


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def deletion_message(name: str, codes: int, annotations: int) -> str:
    return (
        f"Delete “{name}”?\n\nThis deletes {_plural(codes, 'code')} and "
        f"{_plural(annotations, 'annotation')}. Undo (Ctrl+Z) brings them back."
    )


class CodebookPanel(QWidget):
    applyRequested = Signal(int)  # code id: apply it to the current text selection
    currentCodeChanged = Signal(object)  # CodeInfo | None
    message = Signal(str)  # what a deletion did, for the status bar

    def __init__(
        self, session: ProjectSession, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CodebookModel(on_rename=self.rename_code, on_move=self.move_code)
        location = session.store.location
        self.keys = KeyAssignments(settings or QSettings(), location, lambda: session.codes, self)
        self.model.set_key_source(self.keys.keys_by_code)
        self.keys.assignmentsChanged.connect(lambda: self.model.set_key_source(self.keys.keys_by_code))
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        # Fitted here, not by ResizeToContents: that re-reads every row after each count change.
        header.setSectionResizeMode(COL_COUNT, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_KEY, QHeaderView.ResizeMode.Fixed)
        self.model.modelReset.connect(self._fit_number_columns)
        self.model.dataChanged.connect(self._widen_number_columns)
        self.tree.expanded.connect(self._fit_number_columns)
        self.details = CodeDetails(session)
        self.toolbar = ActionBar()  # wraps in a narrow dock instead of hiding buttons behind "››"
        self.add_action = self._action(
            "Add code…", "Add", "Ctrl+Shift+N", self.ask_add_code, "New top-level code"
        )
        self.add_child_action = self._action(
            "Add sub-code…",
            "Sub-code",
            "Ctrl+Alt+N",
            self.ask_add_sub_code,
            "New code under the selected one",
        )
        self.rename_action = self._action(
            "Rename code", "Rename", "F2", self.start_rename, "Rename the selected code"
        )
        self.recolour_action = self._action(
            "Change colour…", "Colour", "", self.ask_recolour, "Change the code's colour"
        )
        self.merge_action = self._action(
            "Merge into…", "Merge", "", self.ask_merge, "Merge into another code (moves its annotations)"
        )
        self.delete_action = self._action(
            "Delete code…", "Delete", "Ctrl+Shift+Delete", self.ask_delete, "Delete code and its annotations"
        )
        self.apply_action = self._action(
            "Apply to selection",
            "Apply",
            "",
            lambda: self._double_clicked(self.tree.currentIndex()),
            "Apply the code to the selected text",
        )
        for action in (
            self.add_action,
            self.add_child_action,
            self.rename_action,
            self.recolour_action,
            self.merge_action,
            self.delete_action,
        ):
            self.toolbar.add_action(action)
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.rename_action)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("codebook_splitter")  # its sizes are kept between runs
        details_area = QScrollArea()  # lets the tree have the room; the form scrolls instead
        details_area.setWidget(self.details)
        details_area.setWidgetResizable(True)
        details_area.setFrameShape(QFrame.Shape.NoFrame)
        splitter.addWidget(self.tree)
        splitter.addWidget(details_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([330, 270])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        self.splitter = splitter
        self.tree.doubleClicked.connect(self._double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(lambda pos: show_codebook_menu(self, pos))
        session.changed.connect(self._on_change)
        session.countsStale.connect(self.refresh)
        self._connect_selection()
        self.refresh()
        self.tree.expandAll()
        self._fit_number_columns()

    def _action(self, text: str, short: str, keys: str, slot: object, tip: str) -> QAction:
        action = QAction(text, self)
        action.setIconText(short)  # the toolbar's label; menus show the full text
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _connect_selection(self) -> None:
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

    # --- state ----------------------------------------------------------------------------
    def current_code(self) -> CodeInfo | None:
        return self.model.code_at(self.tree.currentIndex())

    def select_code(self, code_id: int | None) -> None:
        index = self.model.index_of(code_id) if code_id is not None else QModelIndex()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(index, flags)
        if index.isValid():
            self.tree.scrollTo(index)

    def refresh(self) -> None:
        """Show the session's codes; keep what was expanded and selected."""
        current = self.current_code()
        if self.model.same_tree(self.session.codes):  # counts moved: rows update in place
            self.model.set_codes(self.session.codes)
        else:
            shown = self.model.codes()
            collapsed = {c.id for c in shown if not self.tree.isExpanded(self.model.index_of(c.id))}
            self.model.set_codes(self.session.codes)
            for code in self.model.codes():
                self.tree.setExpanded(self.model.index_of(code.id), code.id not in collapsed)
        if current is not None and self.model.index_of(current.id).isValid():
            if not self.tree.currentIndex().isValid():
                self.select_code(current.id)
            self.details.refresh(self.session.code(current.id))
        else:
            self.details.show_code(self.current_code())
        self._update_enabled()

    def _fit_number_columns(self, _expanded: QModelIndex | None = None) -> None:
        """Fit Uses and Key to every shown row (when the rows change, not their figures)."""
        for column in (COL_COUNT, COL_KEY):
            self.tree.resizeColumnToContents(column)

    def _widen_number_columns(self, top: QModelIndex, bottom: QModelIndex, _roles: object = None) -> None:
        """Make room for a figure that grew: only the changed rows are measured."""
        header = self.tree.header()
        for column in (COL_COUNT, COL_KEY):
            if top.column() <= column <= bottom.column():
                for row in range(top.row(), bottom.row() + 1):
                    wanted = self.tree.sizeHintForIndex(self.model.index(row, column, top.parent())).width()
                    if wanted > header.sectionSize(column):
                        header.resizeSection(column, wanted)

    def _on_change(self, change: Change) -> None:
        if change.codebook_changed or change.everything:
            self.refresh()

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        before = self.model.code_at(previous)
        if before is not None and self.details.code is not None and self.details.code.id == before.id:
            self.details.save()  # don't lose a definition typed before clicking elsewhere
        code = self.model.code_at(current)
        self.details.show_code(self.session.code(code.id) if code else None)
        self._update_enabled()
        self.currentCodeChanged.emit(code)

    def _update_enabled(self) -> None:
        has_code = self.current_code() is not None
        for action in (
            self.apply_action,
            self.add_child_action,
            self.rename_action,
            self.recolour_action,
            self.merge_action,
            self.delete_action,
        ):
            action.setEnabled(has_code)

    def _double_clicked(self, index: QModelIndex) -> None:
        code = self.model.code_at(index)
        if code is not None:
            self.applyRequested.emit(code.id)

    # --- edits (no dialogs: tests and other panels call these) ----------------------------
    def add_code(self, name: str, parent_id: int | None = None) -> int | None:
        store = self.session.store
        command = commands.AddCode(store, name, parent_id)
        if self.session.run(lambda: command) is None:
            return None
        code_id = command.code_id
        if parent_id is not None:
            self.tree.expand(self.model.index_of(parent_id))
        self.select_code(code_id)
        return code_id

    def rename_code(self, code_id: int, name: str) -> bool:
        store = self.session.store
        return self.session.run(lambda: commands.UpdateCode(store, code_id, name=name)) is not None

    def recolour_code(self, code_id: int, colour: str) -> bool:
        store = self.session.store
        return self.session.run(lambda: commands.UpdateCode(store, code_id, colour=colour)) is not None

    def move_code(self, code_id: int, parent_id: int | None, position: int | None = None) -> bool:
        store = self.session.store
        moved = self.session.run(lambda: commands.MoveCode(store, code_id, parent_id, position)) is not None
        if moved:
            if parent_id is not None:
                self.tree.expand(self.model.index_of(parent_id))
            self.select_code(code_id)
        return moved

    def merge_codes(self, source_id: int, target_id: int) -> bool:
        store = self.session.store
        merged = self.session.run(lambda: commands.MergeCodes(store, source_id, target_id)) is not None
        if merged:
            self.select_code(target_id)
        return merged

    def delete_code(self, code_id: int) -> bool:
        """Delete after the researcher confirms, having been told how much goes with it."""
        code = self.session.code(code_id)
        if code is None:
            return False
        impact = deletion_impact(self.session.store, code_id)
        if not confirm(self, "Delete code", deletion_message(code.name, impact.codes, impact.annotations)):
            return False
        store = self.session.store
        if self.session.run(lambda: commands.DeleteCode(store, code_id)) is None:
            return False
        more = impact.codes - 1
        also = f" with {_plural(more, 'sub-code')}" if more else ""
        self.message.emit(
            f"Deleted “{code.name}”{also} and {_plural(impact.annotations, 'annotation')}. Ctrl+Z undoes."
        )
        return True

    # --- dialogs --------------------------------------------------------------------------
    def ask_add_code(self, parent_id: int | None = None) -> None:
        parent = self.session.code(parent_id) if parent_id is not None else None
        where = f" under “{parent.name}”" if parent else ""
        name = ask_text(self, "Add code", f"Name of the new code{where}:")
        if name is not None and name.strip():
            self.add_code(name, parent_id)

    def ask_add_sub_code(self) -> None:
        code = self.current_code()
        if code is not None:
            self.ask_add_code(code.id)

    def start_rename(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(COL_NAME))

    def ask_recolour(self) -> None:
        code = self.current_code()
        if code is None:
            return
        colour = QColorDialog.getColor(QColor(code.colour), self, window_title(f"Colour of “{code.name}”"))
        if colour.isValid():
            self.recolour_code(code.id, colour.name())

    def ask_merge(self) -> None:
        code = self.current_code()
        if code is None:
            return
        targets = [
            c for c in self.session.codes if c.id != code.id and not c.path.startswith(code.path + "/")
        ]
        labels = [code_label(c.path) for c in targets]
        label = ask_item(self, "Merge codes", f"Move the annotations of “{code.name}” into:", labels)
        if label is not None and label in labels:
            self.merge_codes(code.id, targets[labels.index(label)].id)

    def ask_delete(self) -> None:
        code = self.current_code()
        if code is not None:
            self.delete_code(code.id)
