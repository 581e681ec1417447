"""The viewer's rows of a document: the same annotations ``list_annotations`` gives, lean and by start."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from annotator.core.types import AnnotationInfo, ImportedDocument
from annotator.services import annotations as ann
from annotator.services import documents
from annotator.services.errors import NotFoundError
from annotator.services.highlights import highlight_rows
from annotator.store.models import Annotation, utcnow
from tests.services.conftest import TEXT, World


def _rows_of(found: list[AnnotationInfo]) -> list[tuple[int, int, int, int, int, str]]:
    ordered = sorted(found, key=lambda a: (a.start, a.end, a.id))
    return [(a.id, a.start, a.end, a.code_id, a.coder_id, a.memo) for a in ordered]


def test_rows_carry_id_span_code_coder_and_memo_ordered_by_start(world: World) -> None:
    fox = TEXT.index("🦊")
    late = ann.apply_code(world.store, world.doc, fox, fox + 1, world.angst, world.ana, memo="🦊 “why”")
    early = ann.apply_code(world.store, world.doc, 0, 3, world.fluff, world.ben)
    rows = highlight_rows(world.store, world.doc)
    assert rows == _rows_of(ann.list_annotations(world.store, world.doc))
    assert rows[0] == (early.id, 0, 3, world.fluff, world.ben, "")
    assert (late.id, fox, fox + 1, world.angst, world.ana, "🦊 “why”") in rows
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    assert all(type(r) is tuple and len(r) == 6 for r in rows)  # no quotes, no timestamps


def test_the_same_start_is_ordered_by_end_then_id(world: World) -> None:
    # The fixture has ana's and ben's [4, 9) with one code; add a shorter and a longer one.
    short = ann.apply_code(world.store, world.doc, 4, 6, world.angst, world.ana)
    long = ann.apply_code(world.store, world.doc, 4, 12, world.angst, world.ben)
    spans = [(r[1], r[2], r[0]) for r in highlight_rows(world.store, world.doc)]
    at_four = [s for s in spans if s[0] == 4]
    assert at_four[0] == (4, 6, short.id) and at_four[-1] == (4, 12, long.id)
    assert at_four == sorted(at_four)


def test_coder_ids_keep_only_those_coders(world: World) -> None:
    everyone = highlight_rows(world.store, world.doc)
    only_ana = highlight_rows(world.store, world.doc, [world.ana, world.ana])
    assert only_ana == [r for r in everyone if r[4] == world.ana] and len(only_ana) == 2
    assert highlight_rows(world.store, world.doc, [world.ben]) == [r for r in everyone if r[4] == world.ben]
    assert highlight_rows(world.store, world.doc, [world.ana, world.ben]) == everyone
    assert highlight_rows(world.store, world.doc, []) == []
    assert highlight_rows(world.store, world.doc, [world.ben + 1000]) == []


def test_a_document_without_annotations_has_no_rows(world: World) -> None:
    other = documents.add_document(world.store, ImportedDocument("Empty", "text", "Nothing coded."))
    assert highlight_rows(world.store, other.id) == []
    assert highlight_rows(world.store, other.id, [world.ana]) == []


def test_an_unknown_document_is_refused_in_one_line(world: World) -> None:
    with pytest.raises(NotFoundError) as info:
        highlight_rows(world.store, world.doc + 99)
    assert str(info.value) == f"no document with id {world.doc + 99}"


def test_only_the_asked_documents_rows_however_the_ids_interleave(world: World) -> None:
    """Coding two works side by side spreads a document's ids; none of the other's may leak in.

    Ids of the first work alternate with the second's (a dense range), then come one in five
    (a sparse range): both ways of reading the rows on SQLite are exercised.
    """
    text = "x" * 400
    first = documents.add_document(world.store, ImportedDocument("First", "text", text)).id
    second = documents.add_document(world.store, ImportedDocument("Second", "text", text)).id
    now = utcnow()
    layouts = {"alternating": [first, second] * 60, "one in five": [first] + [second] * 4}
    for pattern in layouts.values():
        rows = [
            {
                "document_id": doc,
                "start": i,
                "end": i + 7 + i % 3,
                "code_id": world.angst,
                "coder_id": (world.ana, world.ben)[i % 2],
                "quote": text[i : i + 7 + i % 3],
                "memo": f"m{i}" if i % 4 == 0 else "",
                "created_at": now,
                "updated_at": now,
            }
            for i, doc in enumerate(pattern * (120 // len(pattern)))
        ]
        with world.store.transaction() as session:
            session.execute(insert(Annotation), rows)
        for doc in (first, second):
            expected = _rows_of(ann.list_annotations(world.store, doc))
            assert highlight_rows(world.store, doc) == expected
            assert highlight_rows(world.store, doc, [world.ben]) == [r for r in expected if r[4] == world.ben]
        with world.store.transaction() as session:
            session.query(Annotation).filter(Annotation.document_id.in_([first, second])).delete()
    assert highlight_rows(world.store, first) == highlight_rows(world.store, second) == []


def test_starts_before_gives_the_rows_overlapping_the_start_of_the_work(world: World) -> None:
    long = ann.apply_code(world.store, world.doc, 0, len(TEXT), world.angst, world.ana)
    late = ann.apply_code(world.store, world.doc, 30, 40, world.fluff, world.ben)
    everyone = highlight_rows(world.store, world.doc)
    first = highlight_rows(world.store, world.doc, starts_before=30)
    assert first == [r for r in everyone if r[1] < 30]
    assert long.id in {r[0] for r in first} and late.id not in {r[0] for r in first}
    assert highlight_rows(world.store, world.doc, [world.ben], starts_before=31) == [
        r for r in everyone if r[1] < 31 and r[4] == world.ben
    ]
    assert highlight_rows(world.store, world.doc, starts_before=0) == []
