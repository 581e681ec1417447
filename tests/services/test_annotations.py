"""Coding actions: apply, remove, restore, edit (span, recode, memo), list; bad input changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from annotator.core.validation import InvalidInputError, InvalidSpanError
from annotator.services import annotations as ann
from annotator.services.errors import NotFoundError, ServiceError
from tests.dumps import dump_tables
from tests.services.conftest import OLD, TEXT, World


def _unchanged(world: World, action: Callable[[], Any], error: type[Exception], *words: str) -> str:
    """Run a refused ``action``: it raises ``error`` naming ``words`` and the project is untouched."""
    before = dump_tables(world.store)
    with pytest.raises(error) as info:
        action()
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert "\n" not in message
    assert dump_tables(world.store) == before
    return message


def test_apply_code_stores_the_quote_cut_from_the_stored_text(world: World) -> None:
    fox = TEXT.index("🦊")
    info = ann.apply_code(world.store, world.doc, fox - 4, fox + 1, world.angst, world.ben, memo="cute")
    assert info.quote == "fox 🦊" == TEXT[fox - 4 : fox + 1]
    assert (info.document_id, info.code_id, info.coder_id, info.memo) == (
        world.doc,
        world.angst,
        world.ben,
        "cute",
    )
    assert info.created_at is not None and info.created_at == info.updated_at
    assert ann.get_annotation(world.store, info.id) == info
    assert info in ann.list_annotations(world.store)


def test_the_whole_text_can_be_coded(world: World) -> None:
    info = ann.apply_code(world.store, world.doc, 0, len(TEXT), world.angst, world.ana)
    assert info.quote == TEXT


def test_the_same_span_with_another_code_or_coder_is_allowed(world: World) -> None:
    ann.apply_code(world.store, world.doc, 4, 9, world.fluff, world.ana)
    ann.apply_code(world.store, world.doc, 4, 10, world.slow_burn, world.ana)
    assert len(ann.list_annotations(world.store, world.doc)) == 5


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (-1, 4, ("-1", "negative")),
        (5, 5, ("5", "before its end")),
        (9, 4, ("9", "4")),
        (0, len(TEXT) + 1, (str(len(TEXT) + 1), str(len(TEXT)), "past the end")),
        (10**9, 10**9 + 5, ("past the end",)),
    ],
)
def test_apply_code_refuses_a_bad_span(world: World, start: int, end: int, words: tuple[str, ...]) -> None:
    _unchanged(
        world,
        lambda: ann.apply_code(world.store, world.doc, start, end, world.angst, world.ana),
        InvalidSpanError,
        *words,
    )


def test_apply_code_refuses_unknown_targets(world: World) -> None:
    _unchanged(
        world,
        lambda: ann.apply_code(world.store, 999, 0, 3, world.angst, world.ana),
        NotFoundError,
        "document",
        "999",
    )
    _unchanged(
        world,
        lambda: ann.apply_code(world.store, world.doc, 0, 3, 999, world.ana),
        NotFoundError,
        "code",
        "999",
    )
    _unchanged(
        world,
        lambda: ann.apply_code(world.store, world.doc, 0, 3, world.angst, 999),
        NotFoundError,
        "coder",
        "999",
    )


def test_apply_code_refuses_an_exact_duplicate(world: World) -> None:
    [first] = [a for a in ann.list_annotations(world.store, coder_ids=[world.ana]) if a.start == 4]
    _unchanged(
        world,
        lambda: ann.apply_code(world.store, world.doc, 4, 9, world.slow_burn, world.ana),
        ServiceError,
        "already has this code",
        str(first.id),
    )


def test_apply_code_refuses_a_huge_memo(world: World) -> None:
    _unchanged(
        world,
        lambda: ann.apply_code(world.store, world.doc, 0, 3, world.angst, world.ana, memo="x" * 100_001),
        ServiceError,
        "memo",
        "100001",
        "100000",
    )


def test_remove_and_restore_put_back_identical_rows(world: World) -> None:
    before = dump_tables(world.store)
    ids = [a.id for a in ann.list_annotations(world.store, coder_ids=[world.ana])]
    rows = ann.remove_annotations(world.store, [*ids, ids[0]])  # a repeated id counts once
    assert sorted(r["id"] for r in rows) == ids
    assert ann.list_annotations(world.store, coder_ids=[world.ana]) == []
    restored = ann.restore_annotations(world.store, rows)
    assert sorted(a.id for a in restored) == ids
    assert dump_tables(world.store) == before


def test_remove_refuses_unknown_ids_and_removes_none(world: World) -> None:
    known = ann.list_annotations(world.store)[0].id
    _unchanged(world, lambda: ann.remove_annotations(world.store, [known, 4242]), NotFoundError, "4242")
    _unchanged(world, lambda: ann.get_annotation(world.store, 4242), NotFoundError, "4242")


def _ana_slow_burn(world: World) -> int:
    return next(
        a.id for a in ann.list_annotations(world.store, coder_ids=[world.ana]) if a.code_id == world.slow_burn
    )


def test_edit_span_recuts_the_quote_and_returns_the_previous_state(world: World) -> None:
    annotation_id = _ana_slow_burn(world)
    info, before = ann.edit_annotation(world.store, annotation_id, start=10, end=15)
    assert (info.start, info.end, info.quote) == (10, 15, "brown")
    assert (before.start, before.end, before.code_id, before.memo) == (4, 9, world.slow_burn, "quick")
    assert info.updated_at is not None and info.updated_at > OLD
    assert info.created_at == OLD
    assert ann.get_annotation(world.store, annotation_id) == info


def test_recode_and_memo_edit(world: World) -> None:
    annotation_id = _ana_slow_burn(world)
    info, _ = ann.edit_annotation(world.store, annotation_id, code_id=world.angst)
    assert (info.code_id, info.quote, info.memo) == (world.angst, "quick", "quick")
    info, before = ann.edit_annotation(world.store, annotation_id, memo="a longer thought\nwith two lines")
    assert (info.memo, before.memo) == ("a longer thought\nwith two lines", "quick")
    info, _ = ann.edit_annotation(world.store, annotation_id, memo="")
    assert info.memo == ""


def test_edit_refuses_bad_values_and_changes_nothing(world: World) -> None:
    a = _ana_slow_burn(world)
    edit = ann.edit_annotation
    _unchanged(world, lambda: edit(world.store, a, start=9, end=4), InvalidSpanError, "9", "4")
    _unchanged(world, lambda: edit(world.store, a, end=len(TEXT) + 3), InvalidSpanError, "past the end")
    _unchanged(world, lambda: edit(world.store, a, start=-2), InvalidSpanError, "negative")
    _unchanged(world, lambda: edit(world.store, a, code_id=999), NotFoundError, "code", "999")
    _unchanged(world, lambda: edit(world.store, a, memo="m" * 100_001), ServiceError, "memo")
    _unchanged(world, lambda: edit(world.store, 999, memo="x"), NotFoundError, "annotation", "999")
    # Moving onto the span of ana's other annotation with the same code would duplicate it.
    fluff = next(x for x in ann.list_annotations(world.store) if x.code_id == world.fluff)
    _unchanged(
        world,
        lambda: edit(world.store, fluff.id, start=4, end=9, code_id=world.slow_burn),
        ServiceError,
        "already",
    )


def test_every_bad_input_is_an_invalid_input_error(world: World) -> None:
    """The CLI and GUI catch this one base class; nothing a user can type may escape it."""
    for action in (
        lambda: ann.apply_code(world.store, world.doc, 3, 2, world.angst, world.ana),
        lambda: ann.apply_code(world.store, 77, 0, 1, world.angst, world.ana),
        lambda: ann.edit_annotation(world.store, 77),
        lambda: ann.remove_annotations(world.store, [77]),
    ):
        with pytest.raises(InvalidInputError):
            action()


def test_list_filters_by_document_and_coder_in_text_order(world: World) -> None:
    ann.apply_code(world.store, world.doc, 0, 3, world.angst, world.ben)
    listed = ann.list_annotations(world.store)
    assert [(a.start, a.end) for a in listed] == sorted((a.start, a.end) for a in listed)
    assert {a.coder_id for a in ann.list_annotations(world.store, coder_ids=[world.ben])} == {world.ben}
    assert len(ann.list_annotations(world.store, coder_ids=[world.ana, world.ben])) == 4
    assert ann.list_annotations(world.store, document_id=world.doc + 1) == []
    for a in listed:
        assert a.quote == TEXT[a.start : a.end]


def test_the_annotation_type_has_exactly_the_table_columns() -> None:
    """AnnotationInfo, the rows undo keeps and the table are one shape: a new column needs all three."""
    from dataclasses import fields

    from annotator.core.types import AnnotationInfo
    from annotator.store.models import Annotation

    assert [f.name for f in fields(AnnotationInfo)] == list(ann.ANNOTATION_FIELDS)
    assert set(ann.ANNOTATION_FIELDS) == set(Annotation.__table__.columns.keys())


def test_rows_and_infos_convert_both_ways_without_loss(world: World) -> None:
    info = ann.apply_code(world.store, world.doc, 30, 35, world.angst, world.ben, "a memo")
    row = ann.row_of(info)
    assert ann.info_from_row(row) == info
    removed = ann.remove_annotations(world.store, [info.id])
    assert [ann.info_from_row(r) for r in removed] == [info]
    assert ann.restore_annotations(world.store, removed) == [info]
