"""Database-level guarantees of the schema, enforced even when a bug bypasses the services."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select

from annotator.store.errors import ConcurrentChange
from annotator.store.models import (
    Annotation,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentMemo,
    DocumentZone,
)
from annotator.store.project import ProjectStore


@pytest.fixture
def linked(empty_project: ProjectStore) -> ProjectStore:
    """Two documents (ids 1, 2), each with an attribute, a zone, a memo and an annotation."""
    with empty_project.transaction() as session:
        coder = Coder(name="ana")
        code = Code(name="Fluff")
        session.add_all([coder, code])
        session.flush()
        assert (coder.id, code.id) == (1, 1)
        for n in (1, 2):
            doc = Document(
                title=f"W{n}", source_format="text", text="Hello there", text_hash=f"h{n}", length=11
            )
            doc.attributes.append(DocumentAttribute(name="fandom", value="X"))
            doc.zones.append(DocumentZone(kind="story", start=0, end=11))
            session.add(doc)
            session.flush()
            assert doc.id == n
            session.add(DocumentMemo(document_id=doc.id, coder_id=coder.id, text="m"))
            session.add(
                Annotation(
                    document_id=doc.id, code_id=code.id, coder_id=coder.id, start=0, end=5, quote="Hello"
                )
            )
    return empty_project


def _count(store: ProjectStore, model: type, **where: int) -> int:
    with store.reading() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(session.scalar(query) or 0)


def test_deleting_a_document_cascades_to_everything_attached(linked: ProjectStore) -> None:
    with linked.transaction() as session:
        session.execute(delete(Document).where(Document.id == 1))  # Core delete: the database does it
    for model in (DocumentAttribute, DocumentZone, DocumentMemo, Annotation):
        assert _count(linked, model, document_id=1) == 0, model.__name__
        assert _count(linked, model, document_id=2) == 1, model.__name__


def test_deleting_a_code_cascades_to_its_subcodes_and_annotations(linked: ProjectStore) -> None:
    with linked.transaction() as session:
        session.add(Code(name="Child", parent_id=1))
    with linked.transaction() as session:
        session.execute(delete(Code).where(Code.id == 1))
    assert _count(linked, Code) == 0
    assert _count(linked, Annotation) == 0
    assert _count(linked, Document) == 2


def test_a_missing_parent_row_is_refused(linked: ProjectStore) -> None:
    with pytest.raises(ConcurrentChange), linked.transaction() as session:
        session.execute(
            insert(Annotation),
            [{"document_id": 1, "code_id": 99, "coder_id": 1, "start": 0, "end": 2, "quote": "He"}],
        )


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3)])
def test_the_span_check_refuses_empty_reversed_and_negative_spans(
    linked: ProjectStore, start: int, end: int
) -> None:
    for model, extra in (
        (Annotation, {"code_id": 1, "coder_id": 1, "quote": ""}),
        (DocumentZone, {"kind": "story"}),
    ):
        with pytest.raises(ConcurrentChange, match=r"(?i)check"), linked.transaction() as session:
            session.execute(insert(model), [{"document_id": 1, "start": start, "end": end, **extra}])
    assert _count(linked, Annotation) == 2
    assert _count(linked, DocumentZone) == 2


def test_an_exact_duplicate_annotation_is_refused(linked: ProjectStore) -> None:
    row = {"document_id": 1, "code_id": 1, "coder_id": 1, "start": 0, "end": 5, "quote": "Hello"}
    with pytest.raises(ConcurrentChange, match=r"(?i)unique|duplicate"), linked.transaction() as session:
        session.execute(insert(Annotation), [row])
    # The same span by another coder, or with another code, is a different annotation.
    with linked.transaction() as session:
        coder, code = Coder(name="ben"), Code(name="Angst")
        session.add_all([coder, code])
        session.flush()
        session.execute(insert(Annotation), [{**row, "coder_id": coder.id}, {**row, "code_id": code.id}])
    assert _count(linked, Annotation, document_id=1) == 3


def test_coder_names_are_unique(linked: ProjectStore) -> None:
    with pytest.raises(ConcurrentChange, match=r"(?i)unique|duplicate"), linked.transaction() as session:
        session.add(Coder(name="ana"))


def test_ids_are_not_reused_after_a_delete(linked: ProjectStore) -> None:
    """Undo restores rows under their old ids; a new row must never have taken one."""
    with linked.transaction() as session:
        top = session.scalar(select(func.max(Annotation.id)))
        session.execute(delete(Annotation).where(Annotation.id == top))
    with linked.transaction() as session:
        new = Annotation(document_id=1, code_id=1, coder_id=1, start=1, end=3, quote="el")
        session.add(new)
        session.flush()
        assert top is not None and new.id > top
