"""The main window: the start page or an open project's workspace, menus, shortcuts, status bar.

It only wires things together; each panel, dialog and action group lives in its own module.
The menus reach it only through the protocols in :mod:`annotator.ui.actions`, which it satisfies.
Opening a project (migrations may run) happens in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QStackedWidget, QWidget

from annotator.core.errors import USER_ERRORS, user_message
from annotator.ui.menus import build_menus
from annotator.ui.opening import open_for_app, open_in_background, redact_location
from annotator.ui.plain import window_title
from annotator.ui.screen_fit import fitted_geometry
from annotator.ui.settings import AppSettings, default_coder_name
from annotator.ui.start_page import StartPage
from annotator.ui.status_bar import CoderSwitcher, HiddenCount
from annotator.ui.team.menu import add_team_menu

if TYPE_CHECKING:
    from annotator.services.overview import ProjectOverview
    from annotator.services.search import SearchHit
    from annotator.store.project import ProjectStore
    from annotator.ui.dialogs.export_dialog import ExportDialog
    from annotator.ui.dialogs.import_dialog import ImportDialog
    from annotator.ui.dialogs.search_dialog import SearchDialog
    from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from annotator.ui.opening import OpenedProject
    from annotator.ui.session import ProjectSession
    from annotator.ui.workers import Worker
    from annotator.ui.workspace import Workspace

# The workspace and its viewer (numpy), the dialogs, the demo and the search are imported where
# they are first used: every module imported before the window shows is start-up time
# (tests/test_lazy_imports.py). The opening machinery (the store, SQLAlchemy) is imported here
# all the same: imported when a project is asked for, it would stall the window on the GUI
# thread while the project opens (tests/ui/test_opening_responsive.py).

PROJECT_FILTER = "Annotator projects (*.annotator);;All files (*)"
MESSAGE_MS = 8000


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or AppSettings()
        self.workspace: Workspace | None = None
        self.opening: Worker | None = None
        self.last_error = ""
        self.dialogs: list[QWidget] = []  # non-modal dialogs kept alive while shown
        self.start_page = StartPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_page)
        self.setCentralWidget(self.stack)
        self.coder_switcher = CoderSwitcher()
        self.hidden_count = HiddenCount()
        self.statusBar().addPermanentWidget(self.hidden_count)
        self.statusBar().addPermanentWidget(self.coder_switcher)
        self.coder_switcher.hide()
        self.menus = build_menus(self)
        # Merge, agreement, comparison and adjudication: like the File menu's, project actions.
        self.team_menu = add_team_menu(self, before=self.menus.help)
        self.menus.add_project_actions(self.team_menu.actions)
        self.start_page.newRequested.connect(self.ask_new_project)
        self.start_page.openRequested.connect(self.ask_open_project)
        self.start_page.urlRequested.connect(self.ask_server_url)
        self.start_page.demoRequested.connect(self.open_demo)
        self.start_page.recentRequested.connect(self.open_location)
        self.start_page.cancelRequested.connect(self.cancel_opening)
        self.coder_switcher.coderRequested.connect(self._coder_typed)
        self.coder_switcher.cancelled.connect(self._focus_text)
        self.search_dialog: SearchDialog | None = None
        if not self.settings.restore_geometry(self):
            self.setGeometry(fitted_geometry(self.screen().availableGeometry()))
        self._show_start_page()

    # --- state ----------------------------------------------------------------------------
    @property
    def session(self) -> ProjectSession | None:
        return self.workspace.session if self.workspace else None

    def undo(self) -> None:
        if self.session is not None:
            what = self.session.undo_stack.undo_text
            if self.session.undo() is not None:
                self.show_message(f"Undid: {what}")

    def redo(self) -> None:
        if self.session is not None:
            what = self.session.undo_stack.redo_text
            if self.session.redo() is not None:
                self.show_message(f"Redid: {what}")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    def show_error(self, text: str) -> None:
        self.last_error = text
        self.statusBar().showMessage(f"⚠ {text}", MESSAGE_MS * 2)
        if self.workspace is None:
            self.start_page.set_status(f"⚠ {text}")

    def _show_start_page(self) -> None:
        self.start_page.set_recent(self.settings.recent_projects())
        self.stack.setCurrentWidget(self.start_page)
        self.setWindowTitle("Annotator")
        self.coder_switcher.hide()
        self.hidden_count.set_count(0, False)
        self.menus.set_project_open(False)

    # --- opening --------------------------------------------------------------------------
    def ask_new_project(self) -> None:
        from annotator.ui.dialogs.new_project_dialog import ask_new_project, create_chosen_project

        chosen = ask_new_project(self, self.settings.last_folder())  # where, and which codebook
        if chosen is not None:
            path, codebook = chosen
            self.settings.set_last_folder(str(path.parent))
            self._open_in_background(lambda _w: create_chosen_project(path, codebook), "Creating project…")

    def ask_open_project(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open project", self.settings.last_folder(), PROJECT_FILTER
        )
        if name:
            self.settings.set_last_folder(str(Path(name).parent))
            self.open_location(name)

    def ask_server_url(self) -> None:
        url, ok = QInputDialog.getText(
            self, "Open server project", "PostgreSQL URL (postgresql+psycopg://user:password@host/database):"
        )
        if ok and url.strip():
            self.open_location(url.strip())

    def open_demo(self, path: Path | None = None) -> None:
        from annotator.ui.demo import open_demo_project

        self._open_in_background(lambda _w: open_demo_project(path), "Preparing the demo project…")

    def open_location(self, location: str) -> None:
        """Open a project file or server URL (in a worker: upgrading an old project takes time)."""
        shown = redact_location(location)
        self._open_in_background(lambda _w: open_for_app(location), f"Opening {shown}…")

    def _open_in_background(self, fn: Callable[[Worker], ProjectStore], message: str) -> None:
        """Open (and read what the window shows first) in a worker; the window stays responsive."""
        if self.opening is not None:
            return
        self.show_message(message)
        self.start_page.set_opening(message)
        coder = self.settings.chosen_coder_name() or None
        self.opening = open_in_background(fn, coder, self._opened, self._open_failed)

    def cancel_opening(self) -> None:
        """Stop waiting for the project being opened; if it opens after all, it is closed unseen."""
        if self.opening is None:
            return
        self.opening.cancel()
        self.opening = None
        self.start_page.set_opening(None)
        self.start_page.set_status("Opening cancelled.")
        self.show_message("Opening cancelled.")

    def _opened(self, opened: OpenedProject) -> None:
        self.opening = None
        self.start_page.set_opening(None)
        self.open_store(opened.store, opened.overview)

    def _open_failed(self, message: str) -> None:
        self.opening = None
        self.start_page.set_opening(None)
        self.show_error(message)

    def open_store(self, store: ProjectStore, overview: ProjectOverview | None = None) -> bool:
        """Show an open project (closing the one shown before); ``overview``: what the open read."""
        from annotator.ui.session import ProjectSession
        from annotator.ui.workspace import Workspace

        if self.workspace is not None:
            self.close_project()
        try:
            session = ProjectSession(store, self._coder_name(store, overview), self, overview)
        except USER_ERRORS as exc:
            store.close()  # or it would stay held, unseen
            self.show_error(user_message(exc))
            return False
        self.workspace = Workspace(self, session, self.settings.show_other_coders())
        self.stack.addWidget(self.workspace.pane)
        self.stack.setCurrentWidget(self.workspace.pane)
        self.settings.restore_dock_state(self)
        session.failed.connect(self.show_error)
        session.coderChanged.connect(lambda _c: self._coder_changed())
        session.countsStale.connect(self._coder_changed)
        session.undoStateChanged.connect(self.menus.update_undo)
        self.workspace.coding.message.connect(self.show_message)
        self.workspace.annotation.message.connect(self.show_message)
        self.workspace.codebook.message.connect(self.show_message)
        self.workspace.pane.message.connect(self.show_message)
        self.workspace.pane.hiddenCountChanged.connect(self._hidden_changed)
        self.settings.add_recent_project(store.location)
        self.setWindowTitle(window_title(f"{store.display_name} — Annotator"))
        self._coder_changed()
        self.coder_switcher.show()
        self.menus.set_project_open(True, self.workspace)
        self.start_page.set_status("")
        self.show_message(f"Opened {store.display_name}.")
        first = self.workspace.documents.model.document_at(0)
        if first is not None:
            self.workspace.documents.select_document(first.id)
        return True

    def close_project(self) -> None:
        if self.workspace is None:
            return
        self.workspace.save_pending()
        self.settings.save_window(self)
        workspace, self.workspace = self.workspace, None
        self.menus.set_project_open(False)
        self.stack.removeWidget(workspace.pane)
        workspace.dispose()
        for dialog in self.dialogs:
            dialog.close()
        self.dialogs.clear()
        self._show_start_page()

    # --- coder and view -------------------------------------------------------------------
    def _coder_name(self, store: ProjectStore, overview: ProjectOverview | None = None) -> str:
        """The coder chosen before, or (first project ever) the one the researcher names now."""
        chosen = self.settings.chosen_coder_name()
        if chosen:
            return chosen
        from annotator.services.coders import list_coders
        from annotator.ui.dialogs.coder_dialog import ask_coder_name

        coders = overview.coders if overview is not None else list_coders(store)
        known = [c.name for c in coders if c.role == "coder"]
        name = ask_coder_name(self, default_coder_name(), known)
        if name is None:  # closed unanswered: the login name for now, and the question next time
            return default_coder_name()
        self.settings.set_coder_name(name)
        return name

    def set_coder(self, name: str) -> None:
        if self.session is not None and self.session.set_coder(name):
            self.settings.set_coder_name(self.session.coder.name)
            self.show_message(f"Coding as {self.session.coder.name}.")

    def _coder_typed(self, name: str) -> None:
        """Enter in the coder box: switch, and go back to the text; a refused name is not kept."""
        self.set_coder(name)
        self._coder_changed()
        self._focus_text()

    def _focus_text(self) -> None:
        if self.workspace is not None:
            self.workspace.pane.viewer.setFocus()

    def _coder_changed(self) -> None:
        if self.session is not None:
            self.coder_switcher.set_coders(self.session.coders, self.session.coder)

    def _hidden_changed(self, hidden: int) -> None:
        shown = self.workspace is not None and self.workspace.pane.show_others
        self.hidden_count.set_count(hidden, shown)

    def set_show_others(self, shown: bool) -> None:
        self.settings.set_show_other_coders(shown)
        if self.workspace is not None:
            self.workspace.pane.set_show_others(shown)

    def focus_coder_switcher(self) -> None:
        """Put the keyboard in the coder box, its name selected, ready to type another."""
        self.coder_switcher.combo.setFocus()
        line = self.coder_switcher.combo.lineEdit()
        if line is not None:
            line.selectAll()

    # --- dialogs --------------------------------------------------------------------------
    def keep_dialog(self, dialog: QWidget) -> None:
        """Show a non-modal dialog and keep it alive until it or the project closes."""
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.dialogs.remove(dialog) if dialog in self.dialogs else None)
        dialog.show()

    def open_import_dialog(self) -> ImportDialog | None:
        # Imported on first use: it pulls in every document parser (bs4, lxml, docx, …),
        # which the first window does not need (start-up time).
        from annotator.ui.dialogs.import_dialog import ImportDialog

        if self.session is None:
            return None
        dialog = ImportDialog(self.session, self.settings, self)
        self.keep_dialog(dialog)
        return dialog

    def open_export_dialog(self) -> ExportDialog | None:
        from annotator.ui.dialogs.export_dialog import ExportDialog

        if self.workspace is None:
            return None
        dialog = ExportDialog(
            self.workspace.session, self.settings, self.workspace.segments.current_filter(), self
        )
        dialog.exported.connect(self.show_message)
        self.keep_dialog(dialog)
        return dialog

    def open_search_dialog(self) -> SearchDialog | None:
        from annotator.ui.dialogs.search_dialog import SearchDialog

        if self.workspace is None:
            return None
        if self.search_dialog is not None and self.search_dialog in self.dialogs:  # again, with its results
            self.search_dialog.bring_back()
            return self.search_dialog
        dialog = SearchDialog(self.workspace.session, self)
        dialog.hitActivated.connect(self._open_hit)
        self.search_dialog = dialog
        self.keep_dialog(dialog)
        return dialog

    def _open_hit(self, hit: SearchHit) -> None:
        """Show a search match: this window comes forward over the search window, the text focused."""
        if self.workspace is not None:
            self.raise_()
            self.activateWindow()
            self.workspace.open_hit(hit)
            self.show_message(f"Match in “{hit.title}”. Ctrl+Shift+F shows the search results again.")

    def open_shortcuts_dialog(self) -> ShortcutsDialog:
        from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        self.keep_dialog(dialog)
        return dialog

    # --- closing --------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_opening()  # a project still opening is closed when it arrives, not waited for
        if self.workspace is not None:
            self.workspace.save_pending()
            self.settings.save_window(self)
            self.workspace.session.flush_counts()
            self.close_project()
        else:
            self.settings.save_window(self, with_docks=False)
        super().closeEvent(event)
