"""Coding actions: apply a code to the selection (keys 1–9, quick pick, double-click), in-vivo
coding, removing, re-coding and re-spanning an annotation. Each runs one undoable command."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.core.types import CodeInfo
from annotator.core.words import trim_space
from annotator.services import commands
from annotator.ui.document_pane import DocumentPane
from annotator.ui.key_assignments import KEYS, KeyAssignments
from annotator.ui.models.codebook_model import shortcut_codes
from annotator.ui.plain import no_mnemonic
from annotator.ui.quick_pick import QuickPick
from annotator.ui.session import ProjectSession


class CodingController(QObject):
    """Owns the coding ``QAction``s; ``selected_code`` tells in-vivo coding where to file codes."""

    message = Signal(str)  # a hint for the status bar ("select some text first")

    def __init__(
        self,
        session: ProjectSession,
        pane: DocumentPane,
        selected_code: Callable[[], CodeInfo | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.pane = pane
        self.selected_code = selected_code
        self.window = parent
        self.popup: QuickPick | None = None
        self.shortcut_actions: list[QAction] = []
        self.keys: KeyAssignments | None = None  # the researcher's number keys (else the first nine)
        for number in KEYS:
            action = QAction(f"Apply code {number}", parent)
            action.setShortcut(QKeySequence(str(number)))
            action.triggered.connect(lambda _checked=False, n=number: self.apply_shortcut(n))
            self.shortcut_actions.append(action)
        self.quick_pick_action = self._action("Quick pick a code…", ["Ctrl+K", "Q"], self.open_quick_pick)
        self.in_vivo_action = self._action("In-vivo code", ["Ctrl+I"], self.in_vivo)
        self.remove_action = self._action("Remove annotation", ["Delete"], self.remove_selected)
        self.extend_action = self._action(
            "Extend/shrink to selection", ["Ctrl+Shift+E"], self.extend_to_selection
        )
        self.actions = [
            *self.shortcut_actions,
            self.quick_pick_action,
            self.in_vivo_action,
            self.remove_action,
            self.extend_action,
        ]
        pane.annotationSelected.connect(lambda _a: self._update_enabled())
        pane.documentOpened.connect(lambda _d: self._update_enabled())
        session.changed.connect(lambda _c: self._update_shortcut_texts())
        self._update_shortcut_texts()
        self._update_enabled()

    def _action(self, text: str, keys: list[str], slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def use_keys(self, keys: KeyAssignments) -> None:
        """Apply codes by the researcher's key assignments from now on."""
        self.keys = keys
        keys.assignmentsChanged.connect(self._update_shortcut_texts)
        self._update_shortcut_texts()

    def code_for_key(self, number: int) -> CodeInfo | None:
        if self.keys is not None:
            return self.keys.code_for_key(number)
        codes = shortcut_codes(self.session.codes)
        return codes[number - 1] if 1 <= number <= len(codes) else None

    def _update_shortcut_texts(self) -> None:
        for number, action in zip(KEYS, self.shortcut_actions, strict=True):
            code = self.code_for_key(number)
            action.setText(no_mnemonic(f"Apply “{code.name}”") if code else f"Apply code {number}")
            action.setEnabled(code is not None)

    def _update_enabled(self) -> None:
        has_doc = self.pane.document is not None
        has_annotation = self.pane.selected_annotation() is not None
        self.quick_pick_action.setEnabled(has_doc)
        self.in_vivo_action.setEnabled(has_doc)
        self.remove_action.setEnabled(has_annotation)
        self.extend_action.setEnabled(has_annotation)

    # --- applying -------------------------------------------------------------------------
    def _selection(self) -> tuple[int, int] | None:
        if self.pane.document is None:
            self.message.emit("Open a document first.")
            return None
        span = self.pane.viewer.selected_span()
        if span is None:
            self.message.emit("Select some text first, then pick a code.")
        return span

    def apply_code(self, code_id: int) -> bool:
        span = self._selection()
        if span is None or self.pane.document is None:
            return False
        store, doc_id, coder_id = self.session.store, self.pane.document.id, self.session.coder.id
        code = self.session.code(code_id)
        name = code.name if code else str(code_id)
        shown = self.pane.document.text_hash
        command = commands.ApplyCode(store, doc_id, span[0], span[1], code_id, coder_id, shown_hash=shown)
        command.text = f"Apply “{name}”"  # what Undo names in the menu and the status bar
        if self.session.run(lambda: command, self) is None:
            self.pane.reload()  # refused: a work updated meanwhile now shows its new text
            return False
        self.message.emit(f"Coded {span[1] - span[0]} characters as “{name}”.")
        return True

    def apply_shortcut(self, number: int) -> bool:
        code = self.code_for_key(number)
        return False if code is None else self.apply_code(code.id)

    def open_quick_pick(self) -> QuickPick | None:
        if self._selection() is None:
            return None
        self.popup = QuickPick(self.session.codes, self.window)
        self.popup.picked.connect(self.apply_code)
        viewer = self.pane.viewer
        rect = viewer.cursorRect()
        point = viewer.viewport().mapToGlobal(QPoint(max(rect.left(), 20), rect.bottom() + 6))
        self.popup.popup_at(point)
        return self.popup

    def in_vivo(self) -> bool:
        selection = self._selection()
        if selection is None or self.pane.document is None:
            return False
        span = trim_space(self.pane.document.text, *selection)  # the code's words, not the space
        group = self.selected_code()
        if (
            group is not None
            and group.parent_id is not None
            and not any(c.parent_id == group.id for c in self.session.codes)
        ):
            group = self.session.code(group.parent_id)  # a leaf is selected: file beside it
        parent_id = group.id if group else None
        store, doc_id, coder_id = self.session.store, self.pane.document.id, self.session.coder.id
        shown = self.pane.document.text_hash
        start, end = span
        done = self.session.run(
            lambda: commands.InVivoCode(store, doc_id, start, end, coder_id, parent_id, shown_hash=shown),
            self,
        )
        if done is None:
            self.pane.reload()  # refused: a work updated meanwhile now shows its new text
        return done is not None

    # --- editing annotations --------------------------------------------------------------
    def remove_selected(self) -> bool:
        annotation = self.pane.selected_annotation()
        if annotation is None:
            self.message.emit("Click a highlight to select an annotation first.")
            return False
        store = self.session.store
        if self.session.run(lambda: commands.RemoveAnnotations(store, [annotation.id])) is None:
            return False
        code = self.session.code(annotation.code_id)
        what = f"“{code.name}” " if code else ""
        self.message.emit(f"Removed the {what}annotation. Ctrl+Z undoes.")
        return True

    def recode(self, annotation_id: int, code_id: int) -> bool:
        store = self.session.store
        return (
            self.session.run(
                lambda: commands.EditAnnotation(store, annotation_id, code_id=code_id, text="Change code")
            )
            is not None
        )

    def extend_to_selection(self) -> bool:
        annotation = self.pane.selected_annotation()
        span = self.pane.viewer.selected_span()
        if annotation is None or span is None:
            self.message.emit("Select an annotation, then select the text it should cover.")
            return False
        self.pane.edit_span(annotation.id, span[0], span[1])
        return True
