"""The first-run question "Who is coding?": asked when a project opens and no coder was ever chosen,
answered with the keys (typing over the login name, or picking a coder the project has), refused
while empty, remembered so it is asked once, and closing it unanswered codes as the login name
without remembering it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.services.coders import ensure_coder
from annotator.store.project import ProjectStore
from annotator.ui.dialogs.coder_dialog import CoderDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings, default_coder_name

Answer = Callable[[CoderDialog], None]


def _first_run_settings(tmp_path: Path, name: str = "first-run.ini") -> AppSettings:
    """Settings of an app that has never asked who is coding."""
    return AppSettings(QSettings(str(tmp_path / name), QSettings.Format.IniFormat))


def _open_answering(
    qtbot: QtBot, settings: AppSettings, store: ProjectStore, answer: Answer
) -> tuple[MainWindow, list[CoderDialog]]:
    """Open ``store`` in a new window; if the question comes, ``answer`` it with the keyboard."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    asked: list[CoderDialog] = []

    def when_asked() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, CoderDialog) and dialog not in asked:
            asked.append(dialog)
            try:
                # The keyboard is in the name box as soon as the question shows (the offscreen
                # platform may leave every window inactive, so the dialog's own focus is checked).
                qtbot.waitExposed(dialog)
                assert dialog.focusWidget() is dialog.name
                answer(dialog)
            finally:
                if dialog.isVisible():  # a failed check must not leave the test waiting
                    dialog.done(0)
        if window.workspace is None:  # still opening: the question is shown from a nested loop
            QTimer.singleShot(20, when_asked)

    QTimer.singleShot(0, when_asked)
    assert window.open_store(store)
    return window, asked


def test_the_first_project_asks_who_is_coding_once_and_remembers_the_answer(
    qtbot: QtBot, seeded_project: ProjectStore, tmp_path: Path
) -> None:
    settings = _first_run_settings(tmp_path)
    assert settings.chosen_coder_name() == ""

    def type_a_name(dialog: CoderDialog) -> None:
        line = dialog.name.lineEdit()
        assert line is not None
        assert line.text() == default_coder_name() and line.selectedText() == line.text()
        qtbot.keyClicks(dialog.name, "   ")  # only spaces: refused, the question stays
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.status.text() == "Coder name is empty."
        line.selectAll()
        qtbot.keyClicks(dialog.name, "Ana Lima")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    window, asked = _open_answering(qtbot, settings, seeded_project, type_a_name)
    assert len(asked) == 1 and asked[0].windowTitle() == "Who is coding?"
    assert window.session is not None and window.session.coder.name == "Ana Lima"
    assert window.coder_switcher.combo.currentText() == "Ana Lima"
    assert _first_run_settings(tmp_path).chosen_coder_name() == "Ana Lima"  # as a new run reads it
    window.close_project()
    # Opened again, by this run or the next: nobody is asked.
    again, asked_again = _open_answering(qtbot, _first_run_settings(tmp_path), seeded_project, type_a_name)
    assert asked_again == [] and again.session is not None and again.session.coder.name == "Ana Lima"
    again.close()


def test_a_coder_the_project_has_is_picked_from_the_list_with_the_arrow_keys(
    qtbot: QtBot, seeded_project: ProjectStore, tmp_path: Path
) -> None:
    ensure_coder(seeded_project, "bob")  # a teammate who coded this project before

    def pick_bob(dialog: CoderDialog) -> None:
        assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == ["bob"]
        qtbot.keyClick(dialog.name, Qt.Key.Key_Down)
        assert dialog.name.currentText() == "bob"
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    window, asked = _open_answering(qtbot, _first_run_settings(tmp_path), seeded_project, pick_bob)
    assert len(asked) == 1 and window.session is not None and window.session.coder.name == "bob"
    window.close()


def test_closing_the_question_unanswered_codes_as_the_login_name_and_asks_again_next_time(
    qtbot: QtBot, seeded_project: ProjectStore, tmp_path: Path
) -> None:
    settings = _first_run_settings(tmp_path)
    window, asked = _open_answering(
        qtbot, settings, seeded_project, lambda dialog: qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    )
    assert len(asked) == 1
    assert window.session is not None and window.session.coder.name == default_coder_name()
    assert settings.chosen_coder_name() == ""
    window.close()
