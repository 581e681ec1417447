"""The change stream's message: combining changes, asking them, and carrying them between processes."""

from __future__ import annotations

from dataclasses import fields

from annotator.core.types import AnnotationInfo
from annotator.services.changes import CODEBOOK, NOTHING, ORIGIN_EXTERNAL, Change


def _annotation(annotation_id: int, document_id: int) -> AnnotationInfo:
    return AnnotationInfo(annotation_id, document_id, 0, 4, code_id=1, coder_id=1, memo="", quote="Rey.")


def test_combining_keeps_every_document_memo_and_every_row() -> None:
    first = Change(document_memos_changed=(3,), annotations_removed=(7,))
    second = Change(
        document_memos_changed=(5,), annotations_added=(_annotation(9, 5),), codebook_changed=True
    )
    both = first | second
    assert both.document_memos_changed == (3, 5)  # the old `|` kept only one: a refresh was lost
    assert both.annotations_removed == (7,) and [a.id for a in both.annotations_added] == [9]
    assert both.codebook_changed and not both.coders_changed
    assert Change.combine([first, second, first]) == both | first
    assert (first | first).annotations_removed == (7,)


def test_an_empty_change_is_falsy_and_touches_nothing() -> None:
    assert not NOTHING and not Change()
    assert not NOTHING.touches_annotations() and not NOTHING.touches_adjudication()
    assert CODEBOOK and CODEBOOK.touches_annotations()  # deleting or merging codes moves annotations


def test_each_view_question_answers_from_explicit_fields() -> None:
    assert Change(annotations_updated=(_annotation(1, 2),)).touches_annotations()
    assert Change(annotations_changed_in=(2,)).touches_counts()
    assert not Change(document_memos_changed=(2,)).touches_annotations()
    assert Change(adjudications_changed=(2,)).touches_adjudication()
    assert not Change(adjudications_changed=(2,)).touches_annotations()
    assert Change(coders_changed=True).touches_adjudication()
    assert Change(annotations_added=(_annotation(1, 2), _annotation(2, 4))).annotation_documents() == {2, 4}


def test_a_change_crosses_to_another_process_as_a_payload() -> None:
    local = Change(
        annotations_added=(_annotation(1, 2),),
        annotations_updated=(_annotation(3, 4),),
        annotations_removed=(8, 9),
        documents_removed=(6,),
        document_memos_changed=(2,),
        codebook_changed=True,
    )
    seen = Change.external(local.to_payload())
    assert seen.is_external and seen.origin == ORIGIN_EXTERNAL and not local.is_external
    # Rows stay home: the receiver learns which documents to reload and which ids went away.
    assert seen.annotations_added == () and seen.annotations_changed_in == (2, 4)
    assert seen.annotations_removed == (8, 9) and seen.documents_removed == (6,)
    assert seen.document_memos_changed == (2,) and seen.codebook_changed and not seen.coders_changed
    assert Change.external(Change().to_payload()) == Change()
    assert len(local.to_payload()) < 200


def test_an_unreadable_payload_or_a_bare_poll_means_reload_everything() -> None:
    for payload in ("", "not json", "[1, 2]", '{"annotations_removed": ["x"]}'):
        change = Change.external(payload)
        assert change == Change.unknown() and change.everything and change.is_external
    assert Change.unknown().touches_annotations() and Change.unknown().codebook_changed


def test_every_field_survives_combining() -> None:
    """A field added to Change later must be merged by `|` too (this is what lost memo refreshes)."""
    full = Change(
        annotations_added=(_annotation(1, 1),),
        annotations_updated=(_annotation(2, 1),),
        annotations_removed=(3,),
        annotations_changed_in=(4,),
        documents_added=(5,),
        documents_removed=(6,),
        document_memos_changed=(7,),
        adjudications_changed=(8,),
        codebook_changed=True,
        coders_changed=True,
        everything=True,
        origin=ORIGIN_EXTERNAL,
    )
    for f in fields(Change):
        assert getattr(Change() | full, f.name) == getattr(full, f.name), f.name
        assert getattr(full | Change(), f.name) == getattr(full, f.name), f.name
