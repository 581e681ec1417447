"""Updated works keep their codes: a re-downloaded work becomes a new version of its document.

:func:`update_document` reads the new file with the importers, finds its document (by AO3 work
id, or the one named), and in ONE transaction appends the current text, metadata, zones and
adjudications to ``document_versions``, puts the new ones in the document row, and re-anchors
every annotation with :func:`annotator.core.reanchor.reanchor`:

- **exact** annotations move with their text (their old offsets go into the version row);
- **changed** ones move to the edited span the alignment chose, and wait for review in
  ``anchor_reviews`` with their old quote;
- **orphaned** ones leave the current annotations (their text is gone); the review row keeps the
  whole annotation under its id, so re-selecting a span or undoing the update restores it.

Undo (:func:`undo_update`) puts the previous version and every old anchor back; redo
(:func:`redo_update`) re-applies the update with the very same ids (re-anchoring is
deterministic). The review queue, version history and the moved-annotations report are in
``anchor_reviews`` and ``version_history`` and re-exported here as one API.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.gc_pause import gc_paused
from annotator.core.reanchor import Alignment, Place, placed_spans
from annotator.core.text import text_hash
from annotator.core.types import ImportedDocument
from annotator.services.anchor_reviews import (
    ReviewItem,
    accept_review,
    drop_review,
    pending_annotation_ids,
    pending_count,
    pending_reviews,
    reselect_review,
    review_items,
)
from annotator.services.changes import Change
from annotator.services.codebook import codes_in
from annotator.services.conflict_messages import coder_names, counted, quoted
from annotator.services.conflicts import ConflictError
from annotator.services.document_replacement import replace_document
from annotator.services.documents import check_imported
from annotator.services.errors import NotFoundError, ServiceError
from annotator.services.staged_rows import roomy_cache, stage
from annotator.services.update_steps import (
    Move,
    Row,
    UpdateRecord,
    anchor,
    annotation_rows,
    append_version,
    check_left,
    delete_annotations,
    fingerprint,
    lock_as_read,
    locked_document,
    move_adjudications,
    move_annotations,
    undo_update,
)
from annotator.services.version_history import (
    UpdateRow,
    VersionInfo,
    tally,
    tally_counted,
    update_rows,
    version_text,
    versions_of,
    write_update_csv,
)
from annotator.store.id_sequences import allocate_ids
from annotator.store.models import (
    AnchorReview,
    Document,
    DocumentAttribute,
    utcnow,
)
from annotator.store.project import ProjectStore

__all__ = [
    "ReviewItem",
    "UpdateRecord",
    "UpdateReport",
    "UpdateRow",
    "VersionInfo",
    "accept_review",
    "drop_review",
    "pending_annotation_ids",
    "pending_count",
    "pending_reviews",
    "read_update",
    "redo_update",
    "reselect_review",
    "review_items",
    "tally",
    "undo_update",
    "update_document",
    "update_rows",
    "version_text",
    "versions_of",
    "write_update_csv",
]

_ORPHANED = Place("orphaned", None, None)
WORK_ID = "ao3_work_id"  # the attribute the AO3 importers store the work id under


@dataclass(frozen=True)
class UpdateReport:
    """One update: counts per class, and per coder and code (names) per class."""

    document_id: int
    title: str
    version: int  # the number of the new, current version
    counts: dict[str, int]
    by_coder: dict[str, dict[str, int]]
    by_code: dict[str, dict[str, int]]
    adjudications_moved: int
    adjudications_removed: int
    record: UpdateRecord = field(repr=False, compare=False)

    @property
    def change(self) -> Change:
        return update_change(self.document_id)


def update_change(document_id: int) -> Change:
    return Change(
        document_texts_changed=(document_id,),
        annotations_changed_in=(document_id,),
        documents_edited=(document_id,),
        adjudications_changed=(document_id,),
        anchor_reviews_changed=(document_id,),
    )


# --- the update ---------------------------------------------------------------------------------


def read_update(store: ProjectStore, path: Path) -> ImportedDocument:
    """The new version of a work, read by the importers (a UserError names what is wrong)."""
    if store.holds_file(path):
        raise ServiceError(f"{path.name}: that is this project's own file, not a work")
    # Imported here: the parsers are needed only to read works (see documents.import_files).
    from annotator.io.importers import read_document

    return read_document(path)


def update_document(store: ProjectStore, path: Path, *, document_id: int | None = None) -> UpdateReport:
    """Make the work in ``path`` the new version of its document (matched by AO3 work id, or
    ``document_id``), in one transaction. Refused if no document or several match, the text is
    the current one, or annotations still wait for review since the document's last update."""
    return apply_update(store, read_update(store, path), document_id=document_id)


def apply_update(
    store: ProjectStore, new: ImportedDocument, *, document_id: int | None = None
) -> UpdateReport:
    """:func:`update_document` for a work already read (e.g. in a worker thread)."""
    check_imported(new)
    with store.transaction() as session:
        report = _perform(session, _matching_document(session, new, document_id), new, None)
    store.texts.evict([report.document_id])
    return report


def redo_update(store: ProjectStore, record: UpdateRecord) -> UpdateReport:
    """Apply an undone update again, with the ids of its first run (refused if anything changed)."""
    with store.transaction() as session:
        report = _perform(session, record.document_id, record.new, record)
    store.texts.evict([record.document_id])
    return report


def _matching_document(session: Session, new: ImportedDocument, document_id: int | None) -> int:
    work_ids = new.attributes.get(WORK_ID, [])
    name = new.source_name or new.title
    if document_id is not None:
        if session.get(Document, document_id) is None:
            raise NotFoundError(f"no document with id {document_id}")
        theirs = _attribute_values(session, document_id, WORK_ID)
        if work_ids and theirs and set(work_ids).isdisjoint(theirs):
            raise ServiceError(
                f"{name} is AO3 work {work_ids[0]}, but document {document_id} is work {theirs[0]}; "
                "choose the document it updates"
            )
        return document_id
    if not work_ids:
        raise ServiceError(f"{name} has no AO3 work id; choose the document it updates (--document ID)")
    query = select(DocumentAttribute.document_id).where(
        DocumentAttribute.name == WORK_ID, DocumentAttribute.value.in_(work_ids)
    )
    matches = sorted(set(session.scalars(query)))
    if not matches:
        raise ServiceError(f"no work in this project is AO3 work {work_ids[0]} ({name}); import it instead")
    if len(matches) > 1:
        shown = ", ".join(str(m) for m in matches[:5])
        raise ServiceError(
            f"documents {shown} are all AO3 work {work_ids[0]}; choose the one {name} updates (--document ID)"
        )
    return matches[0]


def _attribute_values(session: Session, document_id: int, name: str) -> list[str]:
    query = select(DocumentAttribute.value).where(
        DocumentAttribute.document_id == document_id, DocumentAttribute.name == name
    )
    return list(session.scalars(query.order_by(DocumentAttribute.position)))


def _perform(
    session: Session, document_id: int, new: ImportedDocument, redo: UpdateRecord | None
) -> UpdateReport:
    """The update in the caller's transaction; ``redo`` gives the ids and times of the first run."""
    old = locked_document(session, document_id)
    if redo is not None and old["text_hash"] != redo.old_hash:
        raise ConflictError(f"{quoted(old['title'])} was updated since", "replace that version")
    if text_hash(new.text) == old["text_hash"]:
        raise ServiceError(
            f"{new.source_name or new.title} is the text {quoted(old['title'])} has now; nothing to update"
        )
    waiting = pending_count(session, document_id)
    if waiting:
        raise ServiceError(
            f"{counted(waiting, 'annotation')} on {quoted(old['title'])} still wait for review since its "
            "last update; review them first"
        )
    annotations = annotation_rows(session, document_id)
    if redo is not None:
        check_left(old["title"], annotations, redo.left, "move them")
    alignment = Alignment.between(old["text"], new.text)
    # 100k rows and places, no cycles: the collector's scans would cost a third.
    with gc_paused(), roomy_cache(session):
        places = _without_clashes(
            annotations, placed_spans(alignment, [(r["start"], r["end"], r["quote"]) for r in annotations])
        )
        replaced_at = redo.replaced_at if redo is not None else utcnow()
        version_id, number = append_version(session, old, annotations, places, replaced_at, redo)
        attribute_ids, zone_ids = replace_document(session, document_id, new, replaced_at, redo)
        kept, moved, reviews = _moved(annotations, places, alignment)
        orphans = [row["id"] for row, p in zip(annotations, places, strict=True) if p.kind == "orphaned"]
        lock_as_read(session, annotations, orphans)  # the moved ones are checked as they move
        review_ids = _insert_reviews(session, version_id, reviews, redo)
        delete_annotations(session, orphans)
        beyond = len(old["text"]) + len(new.text) + 1
        move_annotations(session, document_id, moved, annotations, beyond)
        adjudications = move_adjudications(session, document_id, alignment)
        record = UpdateRecord(
            document_id=document_id,
            version_id=version_id,
            new=new,
            imported_at=replaced_at,
            attribute_ids=attribute_ids,
            zone_ids=zone_ids,
            review_ids=review_ids,
            old_hash=old["text_hash"],
            replaced_at=replaced_at,
            left=fingerprint(
                [*(anchor(row) for row in annotations if row["id"] in kept), *(m.anchor() for m in moved)]
            ),
        )
        return _report(session, record, number + 1, annotations, places, adjudications)


def _without_clashes(annotations: Sequence[Row], places: Sequence[Place]) -> list[Place]:
    """Orphan a placement that would land on a span the same coder already has with the same code
    (the table allows one such annotation) or outside any sensible span; exact ones win."""
    taken: set[tuple[int, int, int, int]] = set()
    result = list(places)
    for kind in ("exact", "changed"):
        for i, p in enumerate(result):
            if p.kind != kind:
                continue
            row = annotations[i]
            key = (row["code_id"], row["coder_id"], p.start or 0, p.end or 0)
            if p.start is None or p.end is None or not 0 <= p.start < p.end or key in taken:
                result[i] = _ORPHANED
            else:
                taken.add(key)
    return result


# A review row as staged: the annotation's own memo, times, code and coder are copied in SQL.
_REVIEWS = [
    ("id", "int"),
    ("annotation_id", "int"),
    ("kind", "text"),
    ("old_start", "int"),
    ("old_end", "int"),
    ("old_quote", "text"),
    ("new_start", "int"),
    ("new_end", "int"),
    ("place", "int"),
]


def _moved(
    annotations: Sequence[Row], places: Sequence[Place], alignment: Alignment
) -> tuple[set[int], list[Move], list[tuple[object, ...]]]:
    """(ids of annotations left as they are, the moves of the others still placed, review rows
    as staged without their ids)."""
    new_text = alignment.new_text
    starts = alignment.block_starts
    kept: set[int] = set()
    moved: list[Move] = []
    reviews: list[tuple[object, ...]] = []
    for row, p in zip(annotations, places, strict=True):
        kind, start, end = p
        if kind == "exact" and start == row["start"] and end == row["end"]:
            kept.add(row["id"])
            continue
        if start is not None and end is not None:
            moved.append(Move(row, start, end, None if kind == "exact" else new_text[start:end]))
        if kind != "exact":
            place = start if start is not None else _near(alignment, starts, row["start"])
            reviews.append((row["id"], kind, row["start"], row["end"], row["quote"], start, end, place))
    return kept, moved, reviews


def _near(alignment: Alignment, starts: Sequence[int], old: int) -> int:
    """Where old offset ``old`` is in the new text: mapped if it survived, else just after the
    surviving text before it."""
    i = bisect_right(starts, old) - 1
    if i < 0:
        return 0
    block = alignment.blocks[i]
    return block.new_start + min(old, block.old_end) - block.old_start


def _insert_reviews(
    session: Session, version_id: int, reviews: list[tuple[object, ...]], redo: UpdateRecord | None
) -> dict[int, int]:
    """Insert the review rows (before orphans leave ``annotations``: their memo and times are
    copied from there); annotation id -> review id."""
    if not reviews:
        return {}
    if redo is not None:
        ids = [redo.review_ids[int(cast(int, review[0]))] for review in reviews]
    else:
        ids = allocate_ids(session, AnchorReview.id, len(reviews))
    stage(
        session,
        "annotator_reviews",
        _REVIEWS,
        [(key, *review) for key, review in zip(ids, reviews, strict=True)],
    )
    made = session.connection().exec_driver_sql(
        "INSERT INTO anchor_reviews (id, version_id, document_id, annotation_id, code_id, coder_id, kind, "
        "status, old_start, old_end, old_quote, new_start, new_end, place, memo, created_at, updated_at, "
        f"decided_at) SELECT r.id, {int(version_id)}, a.document_id, a.id, a.code_id, a.coder_id, r.kind, "
        "'pending', r.old_start, r.old_end, r.old_quote, r.new_start, r.new_end, r.place, a.memo, "
        "a.created_at, a.updated_at, NULL FROM annotator_reviews AS r JOIN annotations AS a "
        "ON a.id = r.annotation_id"
    )
    if made.rowcount != len(reviews):
        raise ConflictError("annotations on this work were changed or removed meanwhile; try again")
    return {int(cast(int, review[0])): key for review, key in zip(reviews, ids, strict=True)}


def _report(
    session: Session,
    record: UpdateRecord,
    version: int,
    annotations: Sequence[Row],
    places: Sequence[Place],
    adjudications: tuple[int, int],
) -> UpdateReport:
    counted_ids = Counter(
        (row["coder_id"], row["code_id"], p.kind) for row, p in zip(annotations, places, strict=True)
    )
    coders = coder_names(session, {r["coder_id"] for r in annotations})
    paths = {c.id: c.path for c in codes_in(session, with_counts=False)}
    counted_kinds = tally_counted(
        ((coders.get(coder, ""), paths.get(code, ""), kind), n)
        for (coder, code, kind), n in counted_ids.items()
    )
    return UpdateReport(
        document_id=record.document_id,
        title=session.scalar(select(Document.title).where(Document.id == record.document_id)) or "",
        version=version,
        counts=counted_kinds.counts,
        by_coder=counted_kinds.by_coder,
        by_code=counted_kinds.by_code,
        adjudications_moved=adjudications[0],
        adjudications_removed=adjudications[1],
        record=record,
    )
