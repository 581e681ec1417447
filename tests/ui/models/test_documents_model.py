"""The documents table model and its filter proxy: AO3 metadata columns, numeric word-count sorting,
free-text and attribute filters, and in-place updates when only the counts change."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.types import DocumentSummary
from annotator.ui.models.documents_model import (
    COL_CODINGS,
    COL_FANDOMS,
    COL_WORDS,
    DOCUMENT_ROLE,
    SORT_ROLE,
    DocumentFilterProxy,
    DocumentsModel,
    word_count,
)


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


def test_every_typed_word_must_match_somewhere_in_the_title_or_metadata() -> None:
    model = DocumentsModel()
    model.set_documents(_docs())
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("  WARS   explicit ")  # any case, any order, extra spaces ignored
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Apple"]
    proxy.set_text("wars potter mature")  # no single work has all three
    assert proxy.rowCount() == 0
    proxy.set_text("star")
    proxy.set_attribute("rating", "Explicit")  # both filters at once
    assert [proxy.index(r, 0).data(DOCUMENT_ROLE) for r in range(proxy.rowCount())] == [2]


def test_new_counts_update_rows_in_place_and_new_works_reset_the_table(qtbot: QtBot) -> None:
    model = DocumentsModel()
    model.set_documents(_docs())
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_documents([replace(d, annotation_count=d.annotation_count + 1) for d in _docs()])
    assert model.index(1, COL_CODINGS).data() == "1"  # was 0, shown as an empty cell
    with qtbot.waitSignal(model.modelReset):
        model.set_documents(_docs()[:2])
    assert model.row_of(3) == -1 and model.document_at(2) is None


def test_word_count_reads_ao3_figures_with_separators_and_ignores_others() -> None:
    assert word_count({"words": ["1,234,567"]}) == 1234567
    assert word_count({"words": ["12.345"]}) == 12345  # European thousands separator
    assert word_count({"words": ["12 345"]}) == 12345
    assert word_count({"words": ["about a thousand"]}) is None
    assert word_count({}) is None


def _changed_cells(model: DocumentsModel) -> list[tuple[int, int]]:
    cells: list[tuple[int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=None: cells.extend(
            (row, col)
            for row in range(top.row(), bottom.row() + 1)
            for col in range(top.column(), bottom.column() + 1)
        )
    )
    return cells


def test_one_moved_count_repaints_one_row_and_codings_only_the_works_named(qtbot: QtBot) -> None:
    model = DocumentsModel()
    docs = _docs()
    model.set_documents(docs)
    cells = _changed_cells(model)
    moved = [replace(d, annotation_count=d.annotation_count + 1) if d.id == docs[1].id else d for d in docs]
    with qtbot.assertNotEmitted(model.modelReset):
        assert model.set_documents(moved) == [1]
    assert {row for row, _col in cells} == {1}
    assert model.index(1, COL_CODINGS).data() == "1"
    cells.clear()
    own = {docs[2].id: 5}
    assert model.set_codings(lambda d: own.get(d.id, 0), "yours", only={docs[2].id}) == [2]
    assert cells == [(2, COL_CODINGS)]
    assert model.index(2, COL_CODINGS).data() == "5"
    assert model.set_codings(lambda d: own.get(d.id, 0), "yours") == [0, 1]  # 3 and 1 became 0
