"""The review queue of an updated work: annotations whose text was edited or is gone.

An update (``work_updates``) leaves a ``pending`` review row for every annotation it could not
re-attach exactly. A reviewer accepts the span the update chose, re-selects another span of the
current text (which also brings an orphaned annotation back), or drops the annotation. Each
decision is one transaction and returns a :class:`Decision` that undo and redo restore exactly
(``version_commands``).

Until it is reviewed, a changed annotation is on the current text but not trusted:
:func:`pending_annotation_ids` is the one rule agreement, reports and exports ask (they leave
those annotations out, or flag them, and say how many).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from annotator.core.validation import validate_span
from annotator.services import conflicts, snapshots
from annotator.services.annotations import info_from_row
from annotator.services.changes import Change
from annotator.services.errors import NotFoundError, ServiceError
from annotator.store.models import AnchorReview, Annotation, Document, DocumentVersion, utcnow
from annotator.store.project import ProjectStore

PENDING = "pending"
CONTEXT = 120  # characters of text shown on each side of a quote
Row = dict[str, Any]


# --- the rule others ask ------------------------------------------------------------------------


def pending_annotation_ids(session: Session, document_ids: Iterable[int] | None = None) -> set[int]:
    """Annotations moved onto edited text by an update and not reviewed yet (caller's session)."""
    query = select(AnchorReview.annotation_id).where(
        AnchorReview.status == PENDING, AnchorReview.kind == "changed"
    )
    if document_ids is not None:
        query = query.where(AnchorReview.document_id.in_(sorted(set(document_ids))))
    return set(session.scalars(query))


def reviewed_or_unmoved() -> ColumnElement[bool]:
    """A condition on ``annotations``: not moved onto edited text and waiting for review.

    Agreement leaves the pending ones out (their text is not what the other coders saw) and the
    counts say how many: ``query.where(reviewed_or_unmoved())``.
    """
    pending = select(AnchorReview.annotation_id).where(
        AnchorReview.status == PENDING, AnchorReview.kind == "changed"
    )
    return Annotation.id.not_in(pending)


def pending_count(session: Session, document_id: int | None = None) -> int:
    """Reviews still to do (changed and orphaned), on one document or all."""
    query = select(func.count()).select_from(AnchorReview).where(AnchorReview.status == PENDING)
    if document_id is not None:
        query = query.where(AnchorReview.document_id == document_id)
    return int(session.scalar(query) or 0)


def review_note(waiting: int, left_out: str = "not counted") -> str:
    """The note of a report, list or agreement that left out ``waiting`` annotations waiting for
    review (``left_out`` says from what)."""
    if waiting == 1:
        return f"1 annotation moved by an update waits for review and is {left_out}"
    return f"{waiting:,} annotations moved by an update wait for review and are {left_out}"


# --- the queue ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One annotation to review, with its old text and where the update put it.

    Contexts are ``(text before, text after)`` the quote; the new ones are None when orphaned.
    """

    review_id: int
    annotation_id: int
    document_id: int
    code_id: int
    coder_id: int
    kind: str  # changed or orphaned
    status: str
    old_version: int  # the number of the version the annotation was made on
    old_start: int
    old_end: int
    old_quote: str
    old_context: tuple[str, str]
    new_start: int | None
    new_end: int | None
    new_quote: str | None
    new_context: tuple[str, str] | None
    place: int  # where the old text was in the new text (an orphan's re-selection starts there)

    @property
    def id(self) -> int:
        return self.review_id

    @property
    def new_version(self) -> int:
        """The version the update made (the current text while the review is pending)."""
        return self.old_version + 1


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def pending_reviews(store: ProjectStore, document_id: int | None = None) -> list[ReviewItem]:
    """The reviews still to do, by document and position in the old text."""
    return review_items(store, document_id, statuses=(PENDING,))


def review_items(
    store: ProjectStore, document_id: int | None = None, *, statuses: Sequence[str] | None = None
) -> list[ReviewItem]:
    """Reviews of updates (all, or with the given statuses) on one document or all."""
    with store.reading() as session:
        query = select(AnchorReview, DocumentVersion.number).join(
            DocumentVersion, DocumentVersion.id == AnchorReview.version_id
        )
        if document_id is not None:
            query = query.where(AnchorReview.document_id == document_id)
        if statuses is not None:
            query = query.where(AnchorReview.status.in_(list(statuses)))
        found = session.execute(
            query.order_by(
                AnchorReview.document_id, AnchorReview.version_id, AnchorReview.old_start, AnchorReview.id
            )
        ).all()
        old_texts: dict[int, str] = {}
        new_texts: dict[tuple[int, bool], str] = {}
        items = []
        for review, number in found:
            if review.version_id not in old_texts:
                old_texts[review.version_id] = (
                    session.scalar(
                        select(DocumentVersion.text).where(DocumentVersion.id == review.version_id)
                    )
                    or ""
                )
            # A review still to do is on the current text (a work with reviews to do is not
            # updated again; a merged copy several versions behind lands on the current text).
            waiting = review.status == PENDING
            if (review.version_id, waiting) not in new_texts:
                new_texts[review.version_id, waiting] = (
                    _current_text(session, review.document_id)
                    if waiting
                    else _text_after(session, review.document_id, number)
                )
            old, new = old_texts[review.version_id], new_texts[review.version_id, waiting]
            placed = (
                review.new_start is not None and review.new_end is not None and review.status != "dropped"
            )
            items.append(
                ReviewItem(
                    review_id=review.id,
                    annotation_id=review.annotation_id,
                    document_id=review.document_id,
                    code_id=review.code_id,
                    coder_id=review.coder_id,
                    kind=review.kind,
                    status=review.status,
                    old_version=number,
                    old_start=review.old_start,
                    old_end=review.old_end,
                    old_quote=review.old_quote,
                    old_context=_around(old, review.old_start, review.old_end),
                    new_start=review.new_start if placed else None,
                    new_end=review.new_end if placed else None,
                    new_quote=new[review.new_start : review.new_end] if placed else None,
                    new_context=_around(new, review.place, review.new_end or review.place)
                    if placed
                    else None,
                    place=review.place,
                )
            )
        return items


def _text_after(session: Session, document_id: int, number: int) -> str:
    """The text of the version after ``number``: a later kept version, or the current text."""
    later = session.scalar(
        select(DocumentVersion.text).where(
            DocumentVersion.document_id == document_id, DocumentVersion.number == number + 1
        )
    )
    if later is not None:
        return later
    return _current_text(session, document_id)


def _current_text(session: Session, document_id: int) -> str:
    return session.scalar(select(Document.text).where(Document.id == document_id)) or ""


# --- decisions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A review decided: the review and annotation rows before and after (None: no annotation)."""

    document_id: int
    review_before: Row
    review_after: Row
    annotation_before: Row | None
    annotation_after: Row | None

    @property
    def change(self) -> Change:
        return _change_between(self.document_id, self.annotation_before, self.annotation_after)


def _change_between(document_id: int, before: Row | None, after: Row | None) -> Change:
    reviews = Change(anchor_reviews_changed=(document_id,))
    if after is not None and before is None:
        return reviews | Change(annotations_added=(info_from_row(after),))
    if after is not None:
        return reviews | Change(annotations_updated=(info_from_row(after),))
    if before is not None:
        return reviews | Change(annotations_removed=(before["id"],))
    return reviews


def accept_review(store: ProjectStore, review_id: int) -> Change:
    """Keep a changed annotation where the update put it."""
    return decide(store, review_id, "accepted").change


def reselect_review(store: ProjectStore, review_id: int, start: int, end: int) -> Change:
    """Put the annotation on ``[start, end)`` of the current text (an orphaned one comes back)."""
    return decide(store, review_id, "reselected", (start, end)).change


def drop_review(store: ProjectStore, review_id: int) -> Change:
    """Remove the annotation (an orphaned one stays gone); undo brings it back."""
    return decide(store, review_id, "dropped").change


def decide(store: ProjectStore, review_id: int, status: str, span: tuple[int, int] | None = None) -> Decision:
    """Record one review decision (accepted, reselected with ``span``, dropped): one transaction."""
    with store.transaction() as session:
        found = conflicts.locked_rows(session, AnchorReview, AnchorReview.id == review_id)
        if not found:
            raise NotFoundError(f"no review with id {review_id}")
        review = found[0]
        if review["status"] != PENDING:
            raise ServiceError(f"that annotation was already reviewed ({review['status']})")
        before = _annotation(session, review["annotation_id"])
        if review["kind"] == "changed" and before is None:
            raise ServiceError("that annotation was removed since; there is nothing left to review")
        after: Row | None = before
        if status == "accepted" and review["kind"] == "orphaned":
            raise ServiceError(
                "an orphaned annotation has no place in the new text: re-select a span or drop it"
            )
        review_after = {**review, "status": status, "decided_at": utcnow()}
        if status == "reselected":
            assert span is not None
            text = session.scalar(select(Document.text).where(Document.id == review["document_id"])) or ""
            validate_span(*span, len(text))
            base = before if before is not None else orphan_row(review)
            after = {
                **base,
                "start": span[0],
                "end": span[1],
                "quote": text[span[0] : span[1]],
                "updated_at": utcnow(),
            }
            _check_free(session, after)
            review_after |= {"new_start": span[0], "new_end": span[1]}
        elif status == "dropped":
            after = None
        decision = Decision(review["document_id"], review, review_after, before, after)
        _put(session, decision.review_after, before, after)
        return decision


def restore_decision(store: ProjectStore, decision: Decision, *, undo: bool) -> Change:
    """Undo (or redo) a decision exactly; refused if its review or annotation changed since."""
    d = decision
    expected_review, wanted_review = (
        (d.review_after, d.review_before) if undo else (d.review_before, d.review_after)
    )
    expected, wanted = (
        (d.annotation_after, d.annotation_before) if undo else (d.annotation_before, d.annotation_after)
    )
    with store.transaction() as session:
        now = conflicts.locked_rows(session, AnchorReview, AnchorReview.id == d.review_before["id"])
        if now != [expected_review]:
            raise conflicts.ConflictError("that review was decided or taken back since")
        if expected is not None:
            conflicts.check_annotations_unchanged(session, [expected], would="overwrite it")
        elif _annotation(session, d.review_before["annotation_id"]) is not None:
            raise conflicts.ConflictError("the annotation was made again since")
        if wanted is not None and expected is None:
            conflicts.check_annotations_restorable(session, [wanted])
        _put(session, wanted_review, expected, wanted)
    return _change_between(d.document_id, expected, wanted)


def _annotation(session: Session, annotation_id: int) -> Row | None:
    rows = conflicts.locked_rows(session, Annotation, Annotation.id == annotation_id)
    return rows[0] if rows else None


def _check_free(session: Session, row: Mapping[str, Any]) -> None:
    clash = session.scalar(
        select(Annotation.id).where(
            Annotation.document_id == row["document_id"],
            Annotation.code_id == row["code_id"],
            Annotation.coder_id == row["coder_id"],
            Annotation.start == row["start"],
            Annotation.end == row["end"],
            Annotation.id != row["id"],
        )
    )
    if clash is not None:
        raise ServiceError(f"that span already has this code from this coder (annotation {clash})")


def _put(session: Session, review: Row, before: Row | None, after: Row | None) -> None:
    values = {k: v for k, v in review.items() if k != "id"}
    session.execute(update(AnchorReview).where(AnchorReview.id == review["id"]).values(**values))
    if before is not None and before != after:
        session.execute(delete(Annotation).where(Annotation.id == before["id"]))
    if after is not None and before != after:
        snapshots.put_back(session, Annotation, [after])


def orphan_row(review: Mapping[str, Any]) -> Row:
    """The annotation an orphaned review keeps, as it was on the old text."""
    return {
        "id": review["annotation_id"],
        "document_id": review["document_id"],
        "code_id": review["code_id"],
        "coder_id": review["coder_id"],
        "start": review["old_start"],
        "end": review["old_end"],
        "quote": review["old_quote"],
        "memo": review["memo"],
        "created_at": review["created_at"],
        "updated_at": review["updated_at"],
    }
