"""The coded-segments table model: passes QAbstractItemModelTester, flattens long text to one line,
labels codes by their path, and tells on hover where a segment sits in its work."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.services.segments import SegmentRow
from annotator.ui.models.segments_model import (
    COL_CODE,
    COL_DOCUMENT,
    COL_MEMO,
    COL_TEXT,
    SEGMENT_ROLE,
    SegmentsModel,
    code_label,
)
from tests.ui.shown import shown_text

pytestmark = pytest.mark.usefixtures("qapp")  # colours as decorations need an application


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


def test_hover_tells_where_the_segment_is_and_shows_the_whole_text() -> None:
    model = SegmentsModel()
    chapter_row = replace(_segment(5, "He said\nnothing."), chapter=3, start=120, end=136)
    model.set_rows([chapter_row, replace(_segment(6, "plain"), zone="", memo="Why: pining")])

    def tip(row: int, column: int) -> str:
        return shown_text(model.index(row, column).data(Qt.ItemDataRole.ToolTipRole))

    assert tip(0, COL_DOCUMENT) == "Stardust\nstory, chapter 3, characters 120–136"
    assert tip(1, COL_DOCUMENT) == "Stardust\ncharacters 0–5"
    assert tip(0, COL_TEXT) == "He said\nnothing."
    assert model.index(0, COL_MEMO).data(Qt.ItemDataRole.ToolTipRole) is None  # no memo: no tip
    assert model.index(1, COL_MEMO).data() == "Why: pining"
    assert model.index(1, COL_CODE).data(SEGMENT_ROLE) == 6


def test_code_cells_carry_the_codes_current_colour() -> None:
    colours = {2: "#ff8800"}
    model = SegmentsModel(colours.get)
    model.set_rows([_segment(1, "a"), replace(_segment(2, "b"), code_id=9)])
    assert model.index(0, COL_CODE).data(Qt.ItemDataRole.DecorationRole) == QColor("#ff8800")
    assert model.index(1, COL_CODE).data(Qt.ItemDataRole.DecorationRole) is None  # a deleted code
    assert code_label("Consent/Dubious/Retroactive") == "Consent › Dubious › Retroactive"


def test_pages_are_fetched_after_the_last_row_and_rows_go_in_their_place(qtmodeltester: object) -> None:
    everything = [replace(_segment(i, f"s{i}"), start=i * 10, end=i * 10 + 5) for i in range(1, 8)]
    asked: list[object] = []

    def fetch(after: object) -> tuple[list[SegmentRow], bool]:
        asked.append(after)
        rest = [
            r for r in everything if after is None or (r.document_id, r.start, r.end, r.annotation_id) > after
        ]
        return rest[:3], len(rest) > 3

    model = SegmentsModel(fetch=fetch)
    model.set_rows(everything[:3], more=True)
    assert model.canFetchMore() and not model.complete
    model.fetchMore()
    assert asked == [(1, 30, 35, 3)] and model.rowCount() == 6
    late = replace(_segment(99, "late"), start=65, end=66)
    assert not model.covers(late)  # past the loaded rows: the next page brings it
    early = replace(_segment(98, "early"), start=15, end=16)
    assert model.covers(early)
    model.insert_row(early)
    assert [r.annotation_id for r in model.rows()] == [1, 98, 2, 3, 4, 5, 6]
    assert model.remove_ids([98, 4, 1234]) == 2
    model.fetchMore()
    assert [r.annotation_id for r in model.rows()] == [1, 2, 3, 5, 6, 7]
    assert model.complete and not model.canFetchMore() and model.covers(late)
    model.set_rows(everything[:3], more=True)
    qtmodeltester.check(model)  # type: ignore[attr-defined]  # it fetches the pages itself
    assert model.rows() == everything
