"""Counts moved by a change, told from the change alone, or None when it cannot be told."""

from __future__ import annotations

from annotator.core.types import AnnotationInfo, CodeInfo, DocumentSummary
from annotator.services.changes import Change
from annotator.ui.count_deltas import AnnotationKeys, moved


def _row(annotation_id: int, document_id: int, code_id: int, coder_id: int) -> AnnotationInfo:
    return AnnotationInfo(annotation_id, document_id, 0, 5, code_id, coder_id, "", "quote")


def test_an_action_and_its_undo_move_the_counts_and_back() -> None:
    keys = AnnotationKeys()
    added = keys.deltas_of(Change(annotations_added=(_row(1, 10, 7, 3),)))
    assert added is not None
    assert (added.by_document(), added.by_code(), added.by_coder()) == ({10: 1}, {7: 1}, {3: 1})
    assert added.by_document(coder_id=4) == {}
    undone = keys.deltas_of(Change(annotations_removed=(1,)))
    assert undone is not None and undone.by_code() == {7: -1}


def test_a_recode_moves_one_use_from_the_old_code_to_the_new() -> None:
    keys = AnnotationKeys()
    keys.deltas_of(Change(annotations_added=(_row(1, 10, 7, 3),)))
    recoded = keys.deltas_of(Change(annotations_updated=(_row(1, 10, 8, 3),)))
    assert recoded is not None
    assert (recoded.by_code(), recoded.by_document()) == ({7: -1, 8: 1}, {})
    memo_only = keys.deltas_of(Change(annotations_updated=(_row(1, 10, 8, 3),)))
    assert memo_only is not None and memo_only.by_key == {}


def test_rows_never_seen_bulk_and_outside_changes_cannot_be_counted() -> None:
    keys = AnnotationKeys()
    assert keys.deltas_of(Change(annotations_removed=(99,))) is None
    assert keys.deltas_of(Change(annotations_updated=(_row(98, 1, 1, 1),))) is None
    assert keys.deltas_of(Change(annotations_changed_in=(1,))) is None
    assert keys.deltas_of(Change(annotations_added=(_row(2, 1, 1, 1),), codebook_changed=True)) is None
    assert keys.deltas_of(Change.external('{"annotations_removed": [3]}')) is None
    # A row seen in an uncountable change is still remembered: its undo is countable.
    assert keys.deltas_of(Change(annotations_removed=(2,))) is not None


def test_moved_replaces_only_the_items_whose_count_moved() -> None:
    docs = [DocumentSummary(1, "A", "text", 10, {}, 4), DocumentSummary(2, "B", "text", 10, {}, 0)]
    codes = [CodeInfo(7, None, "Angst", "Angst", "#ff0000", count=2)]
    result = moved(docs, {2: 1})
    assert result[0] is docs[0] and result[1].annotation_count == 1
    assert moved(codes, {7: -1})[0].count == 1
    assert moved(docs, {}) is docs
    # With the works' places (10,000 works: no scan of them all), the same items come back.
    places = {d.id: place for place, d in enumerate(docs)}
    assert moved(docs, {2: 1, 1: -2, 99: 5}, places) == moved(docs, {2: 1, 1: -2, 99: 5})
    assert moved(docs, {2: 1}, places)[0] is docs[0] and moved(docs, {2: 0}, places)[1] is docs[1]
