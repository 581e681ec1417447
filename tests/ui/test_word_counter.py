"""Words counted off the GUI thread reach the view that asked (a closed view: tests/ui/test_workers.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.services.documents import list_documents
from annotator.store.project import ProjectStore
from annotator.ui.word_counter import WordCounter


def test_counts_reach_the_open_view(qtbot: QtBot, seeded_project: ProjectStore) -> None:
    got: list[dict[int, int]] = []
    owner = QWidget()
    counter = WordCounter(owner, got.append)
    ids = [d.id for d in list_documents(seeded_project)]
    counter.count(seeded_project, ids)
    assert counter.busy
    qtbot.waitUntil(lambda: not counter.busy, timeout=20_000)
    assert sorted(got[0]) == sorted(ids) and all(n > 100 for n in got[0].values())
    owner.deleteLater()
