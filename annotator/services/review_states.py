"""Where each review of an updated work stands, read narrowly (four columns, no texts).

The review queue and the "needs review" flag re-read this after every decision (theirs or
another user's): :func:`~annotator.services.anchor_reviews.review_items` also cuts quotes and
contexts out of two versions of the text, which for a long work with a thousand reviews costs
a fifth of a second a time; this costs a couple of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from annotator.store.models import AnchorReview
from annotator.store.project import ProjectStore


@dataclass(frozen=True, slots=True)
class ReviewState:
    review_id: int
    annotation_id: int
    kind: str  # changed or orphaned
    status: str  # pending, accepted, reselected, dropped
    new_start: int | None
    new_end: int | None


def review_states(store: ProjectStore, document_id: int, *, pending_only: bool = False) -> list[ReviewState]:
    """The reviews of one work (of every update), in no particular order."""
    query = select(
        AnchorReview.id,
        AnchorReview.annotation_id,
        AnchorReview.kind,
        AnchorReview.status,
        AnchorReview.new_start,
        AnchorReview.new_end,
    ).where(AnchorReview.document_id == document_id)
    if pending_only:
        query = query.where(AnchorReview.status == "pending")
    with store.reading() as session:
        return [ReviewState(*row) for row in session.execute(query)]  # ORDER BY id: a full scan
