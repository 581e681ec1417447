"""Merging a coder's copy made on another version of a work's text.

A work updated in the team's project (``work_updates``) keeps its earlier texts in
``document_versions``. A coder's copy made before the update still holds the older text: it
matches no current text by hash, but it matches a kept version, and its annotations are
re-anchored onto the current text with :func:`annotator.core.reanchor.reanchor`, the way the
update re-anchored the project's own:

- **exact** ones land at their moved offsets, silently;
- **changed** ones land on the edited span the alignment chose and wait for review in
  ``anchor_reviews`` (pending, under the version the copy was coded on, with the old quote);
- **orphaned** ones (their text is gone) are put on no text: a pending review row keeps the whole
  annotation under a reserved id, so re-selecting a span brings it in, as after an update.

A placement that would land where the same coder already has the same code is orphaned (exact
ones win), as in an update. Merging again adds nothing: an exact one is then a duplicate
annotation, a changed or orphaned one already has its review row (whatever was decided since).

The reverse, a copy coded on a *newer* text than the project's, is not guessed at: changing the
team's text is an update, with its own review of everyone's annotations. Those annotations are
withheld and the report says to update the work first and merge again (document memos, which
hold no spans, are merged).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from annotator.core.reanchor import Alignment, Anchor, Placement, reanchor
from annotator.services.document_replacement import inserted
from annotator.services.merge_report import MemoConflict, OrphanedAnnotation
from annotator.services.merge_source import SourceAnnotation
from annotator.store.id_reservations import reserve_ids
from annotator.store.models import AnchorReview, Annotation, Document, DocumentVersion

KINDS = ("exact", "changed", "orphaned")
Row = dict[str, Any]
SpanKey = tuple[int, int, int, int, int]  # document, code, coder, start, end
_ANNOTATIONS = cast(Table, Annotation.__table__)


@dataclass(frozen=True, slots=True)
class KeptVersion:
    """A version the target keeps of one of its documents (the text a copy may have been coded on)."""

    document_id: int
    version_id: int
    number: int
    current: int  # the number of the document's current version


def kept_versions(session: Session, hashes: Iterable[str]) -> dict[str, KeptVersion]:
    """The target's kept versions with these text hashes: for each hash, the newest such version
    of the lowest-numbered document holding one. Their documents are locked for the transaction."""
    wanted = sorted(set(hashes))
    found: dict[str, tuple[int, int, int]] = {}
    for begin in range(0, len(wanted), 10_000):
        query = (
            select(
                DocumentVersion.text_hash,
                DocumentVersion.document_id,
                DocumentVersion.id,
                DocumentVersion.number,
            )
            .where(DocumentVersion.text_hash.in_(wanted[begin : begin + 10_000]))
            .order_by(DocumentVersion.document_id, DocumentVersion.number.desc())
        )
        for hash_, document_id, version_id, number in session.execute(query):
            found.setdefault(hash_, (document_id, version_id, number))
    if not found:
        return {}
    documents = sorted({document_id for document_id, _, _ in found.values()})
    # No update replaces these texts or moves their annotations until the merge commits
    # (PostgreSQL; an SQLite writer is alone); versions are only appended, so those found stay.
    session.execute(select(Document.id).where(Document.id.in_(documents)).with_for_update())
    numbers = (
        select(DocumentVersion.document_id, func.max(DocumentVersion.number))
        .where(DocumentVersion.document_id.in_(documents))
        .group_by(DocumentVersion.document_id)
    )
    newest = {document_id: int(number) for document_id, number in session.execute(numbers)}
    return {
        hash_: KeptVersion(document_id, version_id, number, newest[document_id] + 1)
        for hash_, (document_id, version_id, number) in found.items()
    }


@dataclass
class OlderDocument:
    """A source document coded on a kept version of a target document, and its annotations to
    merge as (source annotation, target code id, target coder id)."""

    version: KeptVersion
    annotations: list[tuple[SourceAnnotation, int, int]] = field(default_factory=list)


@dataclass
class Reanchored:
    """What re-anchoring added: per class, the documents touched, the orphans to list."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    duplicate: int = 0
    annotation_document_ids: set[int] = field(default_factory=set)
    review_document_ids: set[int] = field(default_factory=set)
    orphans: list[OrphanedAnnotation] = field(default_factory=list)
    memo_conflicts: list[MemoConflict] = field(default_factory=list)


def merge_older(
    session: Session,
    older: Sequence[OlderDocument],
    existing: MutableMapping[SpanKey, str],
    code_paths: Mapping[int, str],
    coder_names: Mapping[int, str],
) -> Reanchored:
    """Re-anchor and add the annotations of documents coded on kept versions, in the caller's
    transaction; ``existing`` holds the target's annotation keys (and memos) and gains the new ones."""
    result = Reanchored()
    if not older:
        return result
    reviewed = _reviewed(session, {o.version.document_id for o in older})
    plain: list[Row] = []
    needing_ids: list[tuple[Row | None, Row]] = []  # (annotation row or None if orphaned, review row)
    for document in older:
        if not document.annotations:
            continue
        version = document.version
        old_text, new_text, title = _texts(session, version)
        anchors = [Anchor(i, a.start, a.end, a.quote) for i, (a, _, _) in enumerate(document.annotations)]
        placements = reanchor(old_text, new_text, anchors)
        alignment: Alignment | None = None
        block_starts: list[int] = []
        # Exact ones first: they win a span a changed one would also land on (as in an update).
        order = sorted(range(len(placements)), key=lambda i: placements[i].kind != "exact")
        for i in order:
            source, code_id, coder_id = document.annotations[i]
            placement = placements[i]
            review_key = (version.version_id, code_id, coder_id, source.start, source.end)
            if placement.kind != "exact" and review_key in reviewed:
                result.duplicate += 1  # merged before: its review row is there, decided or not
                continue
            key = (version.document_id, code_id, coder_id, placement.start or 0, placement.end or 0)
            if placement.kind == "exact" and key in existing:
                result.duplicate += 1
                if existing[key] != source.memo:
                    result.memo_conflicts.append(
                        MemoConflict(
                            key[0],
                            code_paths[source.code_id],
                            coder_names[source.coder_id],
                            key[3],
                            key[4],
                            existing[key],
                            source.memo,
                        )
                    )
                continue
            if placement.kind != "orphaned" and (key in existing or not _sensible(placement)):
                placement = Placement(placement.key, "orphaned", None, None)
            if placement.kind == "orphaned" and alignment is None:
                alignment = Alignment.between(old_text, new_text)  # only to say where it was
                block_starts = [block.old_start for block in alignment.blocks]
            reviewed.add(review_key)
            result.counts[placement.kind] += 1
            row = _annotation_row(version.document_id, code_id, coder_id, source, placement, new_text)
            if row is not None:
                existing[key] = source.memo
                result.annotation_document_ids.add(version.document_id)
            if placement.kind == "exact":
                plain.append(cast(Row, row))
                continue
            place = (
                placement.start
                if placement.start is not None
                else _near(cast(Alignment, alignment), block_starts, source.start)
            )
            needing_ids.append((row, _review_row(version, code_id, coder_id, source, placement, place)))
            result.review_document_ids.add(version.document_id)
            if placement.kind == "orphaned":
                result.orphans.append(
                    OrphanedAnnotation(
                        version.document_id,
                        title,
                        code_paths[source.code_id],
                        coder_names[source.coder_id],
                        source.start,
                        source.end,
                        source.quote,
                    )
                )
    for begin in range(0, len(plain), 5000):
        session.execute(insert(_ANNOTATIONS), plain[begin : begin + 5000])
    _add_with_reviews(session, needing_ids)
    return result


def _reviewed(session: Session, document_ids: set[int]) -> set[tuple[int, int, int, int, int]]:
    """(version, code, coder, old start, old end) of every review row on these documents."""
    query = select(
        AnchorReview.version_id,
        AnchorReview.code_id,
        AnchorReview.coder_id,
        AnchorReview.old_start,
        AnchorReview.old_end,
    ).where(AnchorReview.document_id.in_(sorted(document_ids)))
    return {tuple(row) for row in session.execute(query)}  # type: ignore[misc]


def _texts(session: Session, version: KeptVersion) -> tuple[str, str, str]:
    """(the kept version's text, the current text, the title); :func:`kept_versions` locked the row."""
    old = session.scalar(select(DocumentVersion.text).where(DocumentVersion.id == version.version_id)) or ""
    current = session.execute(
        select(Document.text, Document.title).where(Document.id == version.document_id)
    ).one()
    return old, current.text, current.title


def _sensible(placement: Placement) -> bool:
    start, end = placement.start, placement.end
    return start is not None and end is not None and 0 <= start < end


def _annotation_row(
    document_id: int,
    code_id: int,
    coder_id: int,
    source: SourceAnnotation,
    placement: Placement,
    new_text: str,
) -> Row | None:
    if placement.start is None or placement.end is None:
        return None
    quote = source.quote if placement.kind == "exact" else new_text[placement.start : placement.end]
    return {
        "document_id": document_id,
        "code_id": code_id,
        "coder_id": coder_id,
        "start": placement.start,
        "end": placement.end,
        "quote": quote,
        "memo": source.memo,
        "created_at": source.created_at,
        "updated_at": source.updated_at,
    }


def _review_row(
    version: KeptVersion,
    code_id: int,
    coder_id: int,
    source: SourceAnnotation,
    placement: Placement,
    place: int,
) -> Row:
    """The pending review of a changed or orphaned annotation, as an update writes it."""
    return {
        "version_id": version.version_id,
        "document_id": version.document_id,
        "code_id": code_id,
        "coder_id": coder_id,
        "kind": placement.kind,
        "status": "pending",
        "old_start": source.start,
        "old_end": source.end,
        "old_quote": source.quote,
        "new_start": placement.start,
        "new_end": placement.end,
        "place": place,
        "memo": source.memo,
        "created_at": source.created_at,
        "updated_at": source.updated_at,
        "decided_at": None,
    }


def _near(alignment: Alignment, starts: Sequence[int], old: int) -> int:
    """Where old offset ``old`` is in the new text: mapped if it survived, else just after the
    surviving text before it (where an update starts an orphan's re-selection)."""
    i = bisect_right(starts, old) - 1
    if i < 0:
        return 0
    block = alignment.blocks[i]
    return block.new_start + min(old, block.old_end) - block.old_start


def _add_with_reviews(session: Session, pairs: Sequence[tuple[Row | None, Row]]) -> None:
    """Insert changed annotations and every review row: each review names its annotation's id (an
    orphan's id is reserved, never used by another row, so re-selecting can put it back)."""
    if not pairs:
        return
    ids = iter(reserve_ids(session, Annotation.id, len(pairs)))
    annotations: list[Row] = []
    reviews: list[Row] = []
    for annotation, review in pairs:
        annotation_id = next(ids)
        if annotation is not None:
            annotations.append({**annotation, "id": annotation_id})
        reviews.append({**review, "annotation_id": annotation_id})
    for begin in range(0, len(annotations), 5000):
        session.execute(insert(_ANNOTATIONS), annotations[begin : begin + 5000])
    inserted(session, AnchorReview, reviews)
