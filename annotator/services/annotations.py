"""Coding actions: apply a code to a span, remove it, change its span, code or memo; list them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.core.types import AnnotationInfo
from annotator.core.validation import validate_span
from annotator.core.words import name_from_words
from annotator.services import conflicts, snapshots
from annotator.services.codebook import add_code_in, get_code
from annotator.services.document_texts import current_text
from annotator.services.documents import document_text
from annotator.services.errors import NotFoundError, ServiceError
from annotator.store.id_sequences import highest_id_ever
from annotator.store.models import Annotation, Code, Coder, Document, utcnow
from annotator.store.project import ProjectStore

MAX_MEMO_LENGTH = 100_000


# The annotation's shape is written once: AnnotationInfo's fields are the table's columns (a test
# holds them equal), and every conversion between rows and AnnotationInfo goes through these.
ANNOTATION_FIELDS = tuple(f.name for f in fields(AnnotationInfo))
ANNOTATION_COLUMNS = tuple(getattr(Annotation, name) for name in ANNOTATION_FIELDS)


def info_of(row: Annotation) -> AnnotationInfo:
    """An ORM row as the plain value the views hold."""
    return AnnotationInfo(**{name: getattr(row, name) for name in ANNOTATION_FIELDS})


def info_from_row(row: Mapping[Any, Any]) -> AnnotationInfo:
    """A whole-row copy (see ``snapshots``) or a selected row mapping as an AnnotationInfo."""
    return AnnotationInfo(**{name: row[name] for name in ANNOTATION_FIELDS})


def row_of(info: AnnotationInfo) -> dict[str, Any]:
    """The table row an AnnotationInfo stands for, as ``snapshots.put_back`` restores it."""
    return {name: getattr(info, name) for name in ANNOTATION_FIELDS}


def _check_memo(memo: str) -> str:
    if len(memo) > MAX_MEMO_LENGTH:
        raise ServiceError(f"memo is {len(memo)} characters long; the limit is {MAX_MEMO_LENGTH}")
    return memo


def _key_shared(session: Session, column: InstrumentedAttribute[int], row_id: int) -> bool:
    """Whether the row exists, read with the key-share lock its foreign key check would take.

    Taken up front (PostgreSQL), the lock makes a delete of that row running now finish first and
    be seen here, instead of failing the insert with a foreign key violation; one starting later
    waits for this transaction. Only the id is read: a document's row holds its whole text.
    """
    query = select(column).where(column == row_id).with_for_update(read=True, key_share=True)
    return session.scalar(query) is not None


def _check_target(session: Session, document_id: int, code_id: int, coder_id: int) -> None:
    # The usual case in one statement (one round trip per coding): the three rows exist, and on
    # PostgreSQL each is key-share locked, as each check below would lock it.
    every = (
        select(Document.id)
        .join(Code, true())
        .join(Coder, true())
        .where(Document.id == document_id, Code.id == code_id, Coder.id == coder_id)
        .with_for_update(read=True, key_share=True)
    )
    if session.execute(every).first() is not None:
        return
    if not _key_shared(session, Document.id, document_id):
        raise NotFoundError(f"no document with id {document_id}")
    if not _key_shared(session, Code.id, code_id):
        if code_id <= highest_id_ever(session, Code.id):
            raise NotFoundError(f"the code with id {code_id} no longer exists: it was deleted meanwhile")
        raise NotFoundError(f"no code with id {code_id}")
    if not _key_shared(session, Coder.id, coder_id):
        raise NotFoundError(f"no coder with id {coder_id}")


def _check_not_duplicate(
    session: Session,
    document_id: int,
    code_id: int,
    coder_id: int,
    start: int,
    end: int,
    own: int | None = None,
) -> None:
    clash = session.scalar(
        select(Annotation.id).where(
            Annotation.document_id == document_id,
            Annotation.code_id == code_id,
            Annotation.coder_id == coder_id,
            Annotation.start == start,
            Annotation.end == end,
        )
    )
    if clash is not None and clash != own:
        raise ServiceError(f"that span already has this code from this coder (annotation {clash})")


def apply_code(
    store: ProjectStore,
    document_id: int,
    start: int,
    end: int,
    code_id: int,
    coder_id: int,
    memo: str = "",
    *,
    shown_hash: str | None = None,
) -> AnnotationInfo:
    """Code ``[start, end)`` of a document; the quote is cut from the stored text. With
    ``shown_hash`` (the text the span was selected on), a work updated since is refused."""
    with store.transaction() as session:
        text = current_text(session, store, document_id, shown_hash)
        return apply_code_in(session, text, document_id, start, end, code_id, coder_id, memo)


def apply_code_in(
    session: Session,
    text: str,
    document_id: int,
    start: int,
    end: int,
    code_id: int,
    coder_id: int,
    memo: str = "",
) -> AnnotationInfo:
    """:func:`apply_code` inside a caller's transaction; ``text`` is the document's stored text."""
    validate_span(start, end, len(text))
    _check_target(session, document_id, code_id, coder_id)
    _check_not_duplicate(session, document_id, code_id, coder_id, start, end)
    now = utcnow()
    row = Annotation(
        document_id=document_id,
        start=start,
        end=end,
        code_id=code_id,
        coder_id=coder_id,
        quote=text[start:end],
        memo=_check_memo(memo),
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():  # a savepoint: the transaction stays usable after a clash
            session.add(row)
            session.flush()
    except IntegrityError:
        # PostgreSQL: another process coded the same span with the same code for the same coder
        # and committed between the check above and this insert. Refuse it the usual way.
        _check_not_duplicate(session, document_id, code_id, coder_id, start, end)
        raise
    return info_of(row)


IN_VIVO_NAME_LENGTH = 80


def in_vivo_name(words: str) -> str:
    """The name of an in-vivo code: the selected words, whitespace collapsed, punctuation trimmed."""
    name = name_from_words(words, IN_VIVO_NAME_LENGTH)
    if not name:
        raise ServiceError("select some words to name the new code after")
    return name


def in_vivo_name_at(store: ProjectStore, document_id: int, start: int, end: int) -> str:
    """The name in-vivo coding ``[start, end)`` would give; a bad span is refused before naming."""
    text = document_text(store, document_id)
    validate_span(start, end, len(text))
    return in_vivo_name(text[start:end])


def code_in_vivo(
    store: ProjectStore,
    document_id: int,
    start: int,
    end: int,
    coder_id: int,
    parent_id: int | None = None,
    *,
    shown_hash: str | None = None,
) -> AnnotationInfo:
    """Create a code named after the words of ``[start, end)`` and apply it to them: one transaction.

    Either both the code and the annotation are stored or neither is (a bad span, an unknown coder
    or a name already taken refuses the whole action). The new code's id is the annotation's code.
    """
    with store.transaction() as session:
        text = current_text(session, store, document_id, shown_hash)
        validate_span(start, end, len(text))
        code = add_code_in(session, in_vivo_name(text[start:end]), parent_id)
        return apply_code_in(session, text, document_id, start, end, code.id, coder_id)


def get_annotation(store: ProjectStore, annotation_id: int) -> AnnotationInfo:
    with store.reading() as session:
        return info_of(_get(session, annotation_id))


def _get(session: Session, annotation_id: int) -> Annotation:
    row = session.get(Annotation, annotation_id)
    if row is None:
        raise NotFoundError(f"no annotation with id {annotation_id}")
    return row


def remove_annotations(
    store: ProjectStore,
    annotation_ids: Sequence[int],
    *,
    expected: Sequence[Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Delete annotations; return their rows so undo can restore them exactly.

    With ``expected`` (the rows as the caller last left them: undo of Apply code, redo of a
    removal), refuse with a :class:`ConflictError` unless every one is still exactly that row.
    """
    ids = list(dict.fromkeys(annotation_ids))
    with store.transaction() as session:
        if expected is not None:
            conflicts.check_annotations_unchanged(
                session, [dict(r) for r in expected], would=f"delete {conflicts.them(len(expected))}"
            )
        rows = snapshots.take(session, Annotation, Annotation.id.in_(ids))
        if len(rows) != len(ids):
            missing = sorted(set(ids) - {r["id"] for r in rows})
            raise NotFoundError(f"no annotation with id {missing[0]}")
        session.execute(delete(Annotation).where(Annotation.id.in_(ids)))
        return rows


def restore_annotations(store: ProjectStore, rows: Sequence[dict[str, Any]]) -> list[AnnotationInfo]:
    """Put removed annotations back under their ids (refused if their work or code is gone, or
    the same span was coded again by the same coder with the same code meanwhile)."""
    with store.transaction() as session:
        conflicts.check_annotations_restorable(session, rows)
        snapshots.put_back(session, Annotation, rows)
        restored = session.scalars(select(Annotation).where(Annotation.id.in_([r["id"] for r in rows]))).all()
        return [info_of(r) for r in restored]


@dataclass(frozen=True)
class AnnotationEdit:
    """The editable state of an annotation; services return the state before an edit for undo."""

    start: int
    end: int
    code_id: int
    memo: str
    updated_at: datetime | None = None


def edit_annotation(
    store: ProjectStore,
    annotation_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    code_id: int | None = None,
    memo: str | None = None,
    updated_at: datetime | None = None,
    expected: Mapping[str, Any] | None = None,
) -> tuple[AnnotationInfo, AnnotationEdit]:
    """Change an annotation's span, code or memo; return (new state, previous state).

    ``updated_at`` defaults to now; undo and redo pass the time the state they restore had, and
    ``expected``, the whole row as they last left it: anything else is refused (ConflictError).
    """
    with store.transaction() as session:
        if expected is not None:
            conflicts.check_annotations_unchanged(session, [dict(expected)], would="overwrite it")
        row = _get(session, annotation_id)
        before = AnnotationEdit(row.start, row.end, row.code_id, row.memo, row.updated_at)
        new_start = row.start if start is None else start
        new_end = row.end if end is None else end
        new_code = row.code_id if code_id is None else code_id
        if (new_start, new_end) != (row.start, row.end):
            text = current_text(session, store, row.document_id)
            validate_span(new_start, new_end, len(text))
            row.quote = text[new_start:new_end]
        if new_code != row.code_id:
            get_code(session, new_code)
        if (new_start, new_end, new_code) != (row.start, row.end, row.code_id):
            _check_not_duplicate(
                session, row.document_id, new_code, row.coder_id, new_start, new_end, own=row.id
            )
        row.start, row.end, row.code_id = new_start, new_end, new_code
        if memo is not None:
            row.memo = _check_memo(memo)
        row.updated_at = updated_at or utcnow()
        session.flush()
        return info_of(row), before


def list_annotations(
    store: ProjectStore, document_id: int | None = None, coder_ids: Sequence[int] | None = None
) -> list[AnnotationInfo]:
    """Annotations ordered by document and start; selects columns only (no ORM objects)."""
    query = select(*ANNOTATION_COLUMNS).order_by(
        Annotation.document_id, Annotation.start, Annotation.end, Annotation.id
    )
    if document_id is not None:
        query = query.where(Annotation.document_id == document_id)
    if coder_ids is not None:
        query = query.where(Annotation.coder_id.in_(list(coder_ids)))
    with store.reading() as session:
        return [info_from_row(row._mapping) for row in session.execute(query)]
