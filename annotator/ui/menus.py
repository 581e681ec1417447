"""The menu bar and its actions. Project actions dispatch to whatever workspace is open when they
fire; the Coding and Codes menus and the dock toggles are filled when a project opens.

The menus see the window only as a :class:`~annotator.ui.actions.MenuHost`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from annotator import __version__
from annotator.ui.actions import MenuHost, add_menu_action
from annotator.ui.plain import no_mnemonic
from annotator.ui.theme import ThemeMenu

if TYPE_CHECKING:
    from annotator.ui.workspace import Workspace

# What an action opens is imported by the slot that opens it (see "what the actions open" below):
# the first window needs none of it, and every module imported before it shows is start-up time
# (the REFI-QDA import alone brings lxml). tests/test_lazy_imports.py keeps it so.


class Menus:
    """The menus of the menu bar (``file`` … ``help``) and the actions that depend on a project."""

    def __init__(self, host: MenuHost) -> None:
        self.host = host
        self.project_actions: list[QAction] = []
        self.workspace_actions: list[QAction] = []  # removed from menus when the project closes
        bar = host.menuBar()
        add = self._add

        self.file = file = bar.addMenu("&File")
        add(file, "&New project…", ["Ctrl+N"], host.ask_new_project, project=False)
        add(file, "&Open project…", ["Ctrl+O"], host.ask_open_project, project=False)
        add(file, "Open &server URL…", [], host.ask_server_url, project=False)
        add(file, "Open the &demo project", [], host.open_demo, project=False)
        self.recent = file.addMenu("Open &recent")
        self.recent.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        add(file, "&Import works…", ["Ctrl+Shift+I"], host.open_import_dialog)
        add(file, "Import &codebook CSV…", [], self._import_codebook_csv)
        add(file, "Import &segments CSV…", [], self._import_segments_csv)
        add(file, "Import &REFI-QDA project…", [], self._import_qdpx_file)
        add(file, "&Update work…", [], self._update_work)
        add(file, "&Export CSV…", ["Ctrl+E"], host.open_export_dialog)
        file.addSeparator()
        add(file, "&Close project", ["Ctrl+W"], host.close_project)
        add(file, "&Quit", ["Ctrl+Q"], host.close, project=False)

        self.edit = edit = bar.addMenu("&Edit")
        self.undo = add(edit, "&Undo", ["Ctrl+Z"], host.undo)
        self.redo = add(edit, "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], host.redo)
        edit.addSeparator()
        add(edit, "&Find in document…", ["Ctrl+F"], lambda: self._pane_call(lambda p: p.find_bar.open_bar()))
        add(edit, "Find &next", ["F3"], lambda: self._pane_call(lambda p: p.find_bar.find_next()))
        add(
            edit,
            "Find &previous",
            ["Shift+F3"],
            lambda: self._pane_call(lambda p: p.find_bar.find_previous()),
        )
        add(edit, "&Search project…", ["Ctrl+Shift+F"], host.open_search_dialog)
        edit.addSeparator()
        add(edit, "Document &memo…", ["Ctrl+M"], lambda: self._pane_call(lambda p: p.ask_document_memo()))
        add(
            edit,
            "Document &title and attributes…",
            ["Ctrl+Shift+A"],
            self._edit_document_attributes,
        )

        self.coding = bar.addMenu("&Coding")
        self.codes = bar.addMenu("Co&des")

        self.view = bar.addMenu("&View")
        self.show_others = add(
            self.view,
            "Show &other coders' annotations",
            ["Ctrl+Shift+O"],
            lambda: host.set_show_others(self.show_others.isChecked()),
        )
        self.show_others.setCheckable(True)
        self.show_others.setChecked(host.settings.show_other_coders())
        add(self.view, "&Next document", ["Ctrl+PgDown"], lambda: self._documents_step(1))
        add(self.view, "&Previous document", ["Ctrl+PgUp"], lambda: self._documents_step(-1))
        add(self.view, "Switch &coder…", ["Ctrl+Shift+U"], host.focus_coder_switcher)
        add(self.view, "&Works and attributes table…", ["Ctrl+Shift+T"], self._open_works_table)
        add(self.view, "&Reports…", ["Ctrl+Shift+R"], self._open_reports)
        add(self.view, "&Versions of this work…", [], self._show_versions)
        add(self.view, "Review updated &annotations…", [], self._review_updates)
        self.snap_to_words = add(
            self.view, "Snap selections to whole &words (hold Alt to select freely)", [], self._snap_changed
        )
        self.snap_to_words.setCheckable(True)
        self.snap_to_words.setChecked(host.settings.snap_to_words())
        self.theme = ThemeMenu(self.view, host.settings, host.window())
        self.view.addSeparator()

        self.help = bar.addMenu("&Help")
        add(self.help, "&Keyboard shortcuts", ["F1"], host.open_shortcuts_dialog, project=False)
        add(self.help, "&About Annotator", [], self._about, project=False)

    def _add(
        self, menu: QMenu, text: str, keys: list[str], slot: Callable[[], object], *, project: bool = True
    ) -> QAction:
        action = add_menu_action(self.host.window(), menu, text, keys, slot)
        if project:
            self.project_actions.append(action)
        return action

    def add_project_actions(self, actions: Iterable[QAction]) -> None:
        """Actions from elsewhere (the Team menu) that, like these, work only while a project is open."""
        is_open = self.host.workspace is not None
        for action in actions:
            action.setEnabled(is_open)
            self.project_actions.append(action)

    # --- what the actions open (imported on first use) -------------------------------------
    def _import_codebook_csv(self) -> None:
        from annotator.ui.csv_imports import import_codebook_csv

        import_codebook_csv(self.host)

    def _import_segments_csv(self) -> None:
        from annotator.ui.csv_imports import import_segments_csv

        import_segments_csv(self.host)

    def _import_qdpx_file(self) -> None:
        from annotator.ui.qdpx_import import import_qdpx_file

        import_qdpx_file(self.host)

    def _update_work(self) -> None:
        from annotator.ui.updates.actions import update_work

        update_work(self.host)

    def _show_versions(self) -> None:
        from annotator.ui.updates.actions import show_versions

        show_versions(self.host)

    def _review_updates(self) -> None:
        from annotator.ui.updates.actions import review_updates

        review_updates(self.host)

    def _edit_document_attributes(self) -> None:
        from annotator.ui.dialogs.attributes_dialog import edit_current_document_attributes

        edit_current_document_attributes(self.host)

    def _open_works_table(self) -> None:
        from annotator.ui.works_table import open_works_table

        open_works_table(self.host)

    def _open_reports(self) -> None:
        from annotator.ui.reports import open_reports

        open_reports(self.host)

    # --- dispatch -------------------------------------------------------------------------
    def _pane_call(self, call: Callable[..., object]) -> None:
        if self.host.workspace is not None:
            call(self.host.workspace.pane)

    def _snap_changed(self) -> None:
        self.host.settings.set_snap_to_words(self.snap_to_words.isChecked())
        if self.host.workspace is not None:
            self.host.workspace.pane.viewer.snap_to_words = self.snap_to_words.isChecked()

    def _documents_step(self, delta: int) -> None:
        if self.host.workspace is not None:
            self.host.workspace.documents.step(delta)

    def _fill_recent(self) -> None:
        self.recent.clear()
        for location in self.host.settings.recent_projects():
            action = self.recent.addAction(no_mnemonic(location))
            action.triggered.connect(lambda _c=False, where=location: self.host.open_location(where))
        if self.recent.isEmpty():
            self.recent.addAction("(none yet)").setEnabled(False)

    def _about(self) -> None:
        QMessageBox.about(
            self.host.window(),
            "About Annotator",
            f"<b>Annotator {__version__}</b><p>A coding workbench for fandom-studies research.</p>",
        )

    # --- state ----------------------------------------------------------------------------
    def set_project_open(self, is_open: bool, workspace: Workspace | None = None) -> None:
        for action in self.project_actions:
            action.setEnabled(is_open)
        for action in self.workspace_actions:
            for menu in (self.coding, self.codes, self.view):
                menu.removeAction(action)
            self.host.window().removeAction(action)
        self.workspace_actions = []
        for menu in (self.coding, self.codes):
            menu.clear()
            menu.setEnabled(is_open)
        if workspace is not None:
            self._fill_workspace(workspace)
        self.update_undo()

    def _fill_workspace(self, workspace: Workspace) -> None:
        from annotator.ui.context_menus import install_context_menus
        from annotator.ui.updates.review_flags import install_review_flags

        workspace.pane.viewer.snap_to_words = self.snap_to_words.isChecked()
        install_context_menus(self.host, workspace)
        install_review_flags(workspace)
        coding = workspace.coding
        apply_menu = self.coding.addMenu("&Apply code")
        apply_menu.addActions(coding.shortcut_actions)
        self.coding.addAction(coding.quick_pick_action)
        self.coding.addAction(coding.in_vivo_action)
        self.coding.addSeparator()
        self.coding.addAction(coding.remove_action)
        self.coding.addAction(coding.extend_action)
        panel = workspace.codebook
        self.codes.addActions(
            [
                panel.apply_action,
                panel.add_action,
                panel.add_child_action,
                panel.rename_action,
                panel.recolour_action,
                panel.merge_action,
                panel.delete_action,
            ]
        )
        docks = [dock.toggleViewAction() for dock in workspace.docks]
        self.view.addActions(docks)
        self.workspace_actions = [*coding.actions, *docks]
        for action in coding.actions:
            self.host.window().addAction(action)

    def update_undo(self) -> None:
        session = self.host.session
        stack = session.undo_stack if session is not None else None
        self.undo.setEnabled(bool(stack and stack.can_undo))
        self.redo.setEnabled(bool(stack and stack.can_redo))
        self.undo.setText(f"&Undo {no_mnemonic(stack.undo_text)}" if stack and stack.can_undo else "&Undo")
        self.redo.setText(f"&Redo {no_mnemonic(stack.redo_text)}" if stack and stack.can_redo else "&Redo")


def build_menus(host: MenuHost) -> Menus:
    """Fill ``host``'s menu bar; the returned ``Menus`` names each menu (``help`` …) it made."""
    return Menus(host)
