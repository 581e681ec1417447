"""The code details pane: it shows the selected code's name, use count and texts; Ctrl+Enter saves
what was typed as one undoable "Edit code"; Revert puts the stored texts back; and a refresh of
the same code (a new count) keeps what is being typed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from annotator.core.types import CodeInfo
from annotator.services import commands
from annotator.services.codebook import list_codes
from annotator.store.project import ProjectStore
from annotator.ui.panels.code_details import CodeDetails
from annotator.ui.session import ProjectSession


@pytest.fixture
def session(seeded_project: ProjectStore) -> Iterator[ProjectSession]:
    session = ProjectSession(seeded_project, "alice")
    yield session
    session.close()


def _details(qtbot: QtBot, session: ProjectSession) -> CodeDetails:
    details = CodeDetails(session)
    qtbot.addWidget(details)
    details.show()
    qtbot.waitExposed(details)
    details.activateWindow()
    qtbot.waitUntil(details.isActiveWindow)
    return details


def _retype(qtbot: QtBot, editor: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Click into a field, select what is there (Ctrl+A) and type over it."""
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)


def _code(session: ProjectSession, path: str) -> CodeInfo:
    return next(c for c in session.codes if c.path == path)


def _stored(session: ProjectSession, code_id: int) -> CodeInfo:
    return next(c for c in list_codes(session.store) if c.id == code_id)


def test_a_chosen_code_shows_its_name_count_and_texts_and_none_greys_the_pane(
    qtbot: QtBot, session: ProjectSession
) -> None:
    details = _details(qtbot, session)
    assert "Select a code" in details.heading.text()
    assert not details.short_name.isEnabled() and not details.save_button.isEnabled()
    session.run(lambda: commands.AddCode(session.store, "<i>Fluff</i> & co"))
    odd = next(c for c in session.codes if c.name == "<i>Fluff</i> & co")
    details.show_code(replace(odd, count=1, definition="Soft, low-stakes scenes."))
    heading = details.heading.text()
    assert "&lt;i&gt;Fluff&lt;/i&gt; &amp; co" in heading and "1 annotation<" in heading
    assert details.editors["definition"].toPlainText() == "Soft, low-stakes scenes."
    assert all(e.isEnabled() for e in details.editors.values())
    details.show_code(None)
    assert details.editors["definition"].toPlainText() == "" and not details.revert_button.isEnabled()


def test_ctrl_enter_saves_everything_typed_as_one_undo_step(qtbot: QtBot, session: ProjectSession) -> None:
    details = _details(qtbot, session)
    pining = _code(session, "Trope/Pining")
    assert not details.save()  # no code shown: nothing to save
    details.show_code(pining)
    assert details.short_name.text() == pining.short_name == "PIN"
    _retype(qtbot, details.short_name, "  PN ")
    _retype(qtbot, details.editors["inclusion"], "Longing that is not acted on.")
    qtbot.keyClick(details.editors["inclusion"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = _stored(session, pining.id)
    assert (stored.short_name, stored.inclusion) == ("PN", "Longing that is not acted on.")
    assert session.undo_stack.undo_text == "Edit code"
    session.undo()
    stored = _stored(session, pining.id)
    assert (stored.short_name, stored.inclusion) == ("PIN", pining.inclusion)


def test_revert_puts_back_the_stored_texts_and_a_refresh_keeps_typing(
    qtbot: QtBot, session: ProjectSession
) -> None:
    details = _details(qtbot, session)
    angst = _code(session, "Trope/Angst")
    details.show_code(angst)
    assert angst.example
    _retype(qtbot, details.editors["example"], "He left without a word.")
    details.refresh(replace(angst, count=3))  # someone coded with it meanwhile
    assert "3 annotations" in details.heading.text()
    assert details.editors["example"].toPlainText() == "He left without a word."
    qtbot.mouseClick(details.revert_button, Qt.MouseButton.LeftButton)
    assert details.editors["example"].toPlainText() == angst.example
    assert _stored(session, angst.id).example == angst.example
