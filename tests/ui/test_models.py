"""The Qt item models pass QAbstractItemModelTester and show what the researcher expects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from annotator.core.types import CodeInfo, DocumentSummary
from annotator.services.segments import SegmentRow
from annotator.ui.models.codebook_model import COL_COUNT, COL_KEY, COL_NAME, MIME_TYPE, CodebookModel
from annotator.ui.models.documents_model import (
    COL_CODINGS,
    COL_FANDOMS,
    COL_WORDS,
    SORT_ROLE,
    DocumentFilterProxy,
    DocumentsModel,
)
from annotator.ui.models.segments_model import COL_CODE, COL_TEXT, SegmentsModel

pytestmark = pytest.mark.usefixtures("qapp")  # swatches are QPixmaps, which need an application


def _codes() -> list[CodeInfo]:
    # Tree order, as list_codes returns it.
    return [
        CodeInfo(1, None, "Trope", "Trope", "#ff0000", count=0),
        CodeInfo(2, 1, "Slow burn", "Trope/Slow burn", "#00ff00", count=4),
        CodeInfo(3, 1, "Hurt/comfort", "Trope/Hurt\\/comfort", "#0000ff", count=1),
        CodeInfo(4, None, "Consent", "Consent", "#888888"),
        CodeInfo(5, 4, "Dubious", "Consent/Dubious", "#aa00aa"),
        CodeInfo(6, 5, "Retroactive", "Consent/Dubious/Retroactive", "#aa00aa"),
        CodeInfo(7, None, "POV", "POV", "#123456"),
        CodeInfo(8, 7, "First", "POV/First", "#123456"),
        CodeInfo(9, 7, "Second", "POV/Second", "#123456"),
        CodeInfo(10, 7, "Third", "POV/Third", "#123456"),
    ]


def test_codebook_model_passes_the_model_tester(qtmodeltester: object) -> None:
    model = CodebookModel()
    model.set_codes(_codes())
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    # In-place refresh (counts changed) and structural reset both keep the model consistent.
    model.set_codes([replace(c, count=c.count + 1) for c in _codes()])
    model.set_codes(_codes()[:5])
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


def test_codebook_model_shows_tree_counts_and_keys_for_the_first_nine_codes() -> None:
    model = CodebookModel()
    model.set_codes(_codes())
    assert model.rowCount() == 3
    trope = model.index(0, COL_NAME)
    assert model.rowCount(trope) == 2
    slow_burn = model.index(0, COL_NAME, trope)
    assert slow_burn.data() == "Slow burn"
    assert model.index(0, COL_COUNT, trope).data() == "4"
    assert model.index(0, COL_KEY, trope).data() == "2"  # tree order: Trope=1, Slow burn=2
    retro = model.index(0, COL_NAME, model.index(0, COL_NAME, model.index(1, COL_NAME)))
    assert retro.data() == "Retroactive" and model.parent(retro).data() == "Dubious"
    pov = model.index(2, COL_NAME)
    assert model.index(1, COL_KEY, pov).data() == "9"
    assert model.index(2, COL_KEY, pov).data() == ""  # the tenth code has no key


def test_codebook_model_keeps_indexes_when_only_counts_change(qtbot: QtBot) -> None:
    model = CodebookModel()
    model.set_codes(_codes())
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_codes([replace(c, count=7) for c in _codes()])
    assert model.index_of(2, COL_COUNT).data() == "7"
    with qtbot.waitSignal(model.modelReset):
        model.set_codes([*_codes(), CodeInfo(11, None, "New", "New", "#000000")])


def test_codebook_drop_asks_to_move_under_the_target_at_the_row(qtbot: QtBot) -> None:
    moves: list[tuple[int, int | None, int]] = []
    model = CodebookModel(on_move=lambda code, parent, position: moves.append((code, parent, position)))
    model.set_codes(_codes())
    data = model.mimeData([model.index_of(6)])
    assert data.hasFormat(MIME_TYPE)
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, model.index_of(1)) is False
    qtbot.waitUntil(lambda: moves == [(6, 1, 2)])  # appended after Trope's two sub-codes
    # Moving Third (row 2 under POV) to row 0 of POV; moving it down past itself counts the gap.
    model.dropMimeData(
        model.mimeData([model.index_of(10)]), Qt.DropAction.MoveAction, 0, 0, model.index_of(7)
    )
    model.dropMimeData(model.mimeData([model.index_of(8)]), Qt.DropAction.MoveAction, 3, 0, model.index_of(7))
    model.dropMimeData(model.mimeData([model.index_of(2)]), Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    qtbot.waitUntil(lambda: len(moves) == 4)
    assert moves[1:] == [(10, 7, 0), (8, 7, 2), (2, None, 1)]


def _docs() -> list[DocumentSummary]:
    return [
        DocumentSummary(
            1,
            "Stardust",
            "ao3-html",
            500,
            {"rating": ["Mature"], "fandoms": ["Star Wars"], "words": ["12,000"]},
            3,
        ),
        DocumentSummary(
            2,
            "Apple",
            "ao3-html",
            900,
            {"rating": ["Explicit"], "fandoms": ["Star Wars", "Harry Potter"], "words": ["900"]},
            0,
        ),
        DocumentSummary(3, "notes", "text", 50, {}, 11),
    ]


def test_documents_model_and_proxy_pass_the_model_tester(qtmodeltester: object) -> None:
    model = DocumentsModel()
    model.set_documents(_docs())
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("star")
    qtmodeltester.check(proxy, force_py=True)  # type: ignore[attr-defined]


def test_documents_model_sorts_words_as_numbers_and_filters_by_text_and_attribute() -> None:
    model = DocumentsModel()
    model.set_documents(_docs())
    assert model.index(0, COL_WORDS).data() == "12,000"
    assert model.index(1, COL_FANDOMS).data() == "Star Wars, Harry Potter"
    assert model.index(2, COL_CODINGS).data() == "11"
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_WORDS, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["Stardust", "Apple", "notes"]
    assert proxy.index(0, COL_WORDS).data(SORT_ROLE) == 12000
    proxy.set_text("harry")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Apple"]
    proxy.set_text("")
    proxy.set_attribute("rating", "Mature")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Stardust"]
    proxy.set_attribute(None, None)
    assert proxy.rowCount() == 3
    assert model.attribute_names() == ["fandoms", "rating", "words"]
    assert model.attribute_values("fandoms") == ["Harry Potter", "Star Wars"]


def _segment(annotation_id: int, text: str, code_path: str = "Trope/Slow burn") -> SegmentRow:
    return SegmentRow(
        annotation_id,
        1,
        "Stardust",
        "h",
        "story",
        None,
        0,
        len(text),
        text,
        2,
        code_path,
        "alice",
        "",
        None,
        None,
    )


def test_segments_model_passes_the_model_tester_and_flattens_long_text(qtmodeltester: object) -> None:
    model = SegmentsModel(lambda code_id: "#00ff00")
    long_text = "word\n" * 200
    model.set_rows([_segment(1, "short"), _segment(2, long_text, "Trope/Hurt\\/comfort")])
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    assert model.index(1, COL_CODE).data() == "Trope › Hurt/comfort"
    shown = model.index(1, COL_TEXT).data()
    assert "\n" not in shown and len(shown) <= 300 and shown.endswith("…")
    assert model.row_of(2) == 1 and model.row_of(99) == -1
