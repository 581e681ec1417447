"""The store side of updating a work: reading and moving anchors in place, and undoing an update.

``work_updates`` runs an update; these are the steps it and its undo share. Annotations are moved
in place (``move_annotations``), never deleted and inserted again, so their rows keep everything
else and the search index of quotes and memos is touched only where a quote changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.core.reanchor import Alignment, Place
from annotator.core.text import text_hash
from annotator.core.types import ImportedDocument
from annotator.services import snapshots
from annotator.services.anchor_reviews import orphan_row
from annotator.services.conflict_messages import counted, quoted
from annotator.services.conflicts import ConflictError
from annotator.services.errors import NotFoundError
from annotator.services.staged_rows import is_sqlite, roomy_cache, stage
from annotator.services.version_history import dumped, loaded
from annotator.store.fast_reads import document_rows_query, fetch_rows
from annotator.store.models import (
    Adjudication,
    AnchorReview,
    Annotation,
    Document,
    DocumentAttribute,
    DocumentVersion,
    DocumentZone,
)
from annotator.store.project import ProjectStore

DOCUMENT_FIELDS = ("title", "source_format", "source_name", "text", "text_hash", "length", "imported_at")
Row = dict[str, Any]


@dataclass(frozen=True)
class UpdateRecord:
    """What undo and redo of one update need (kept by the command, not shown to anyone).

    ``left`` fingerprints the document's annotations as the last step left them, so undo and redo
    refuse when someone changed them since; the ids make redo put back the very same rows.
    """

    document_id: int
    version_id: int
    new: ImportedDocument
    imported_at: datetime
    attribute_ids: tuple[int, ...]
    zone_ids: tuple[int, ...]
    review_ids: Mapping[int, int]  # annotation id -> its review row's id
    old_hash: str  # the text the update replaced
    replaced_at: datetime
    left: Mapping[int, int]  # annotation id -> hash of its row, as the last step left it


def locked_document(session: Session, document_id: int) -> Row:
    columns = (Document.id, *(getattr(Document, name) for name in DOCUMENT_FIELDS))
    query = select(*columns).where(Document.id == document_id).with_for_update()
    row = session.execute(query).mappings().first()
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    return dict(row)


# What an update reads of every annotation (whole rows only for the few it cannot move exactly):
# the anchor, and what says which annotation it is.
_ANCHOR_COLUMNS = ("id", "code_id", "coder_id", "start", "end", "quote")
_ANNOTATIONS = cast(Table, Annotation.__table__)


def annotation_rows(session: Session, document_id: int) -> list[Row]:
    columns = [_ANNOTATIONS.c[name] for name in _ANCHOR_COLUMNS]
    # Planned like the viewer's read (SQLite: the table in id order, not index order plus a sort
    # of every row and quote); ordered by id, which those plans give without sorting.
    query = document_rows_query(session, columns, document_id)
    if query is None:
        return []
    # The driver's tuples, all at once, and dict displays: 100k rows in a third of the time.
    return [
        {"id": i, "code_id": code, "coder_id": coder, "start": start, "end": end, "quote": quote}
        for i, code, coder, start, end, quote in fetch_rows(session, query.order_by(_ANNOTATIONS.c.id))
    ]


def lock_as_read(session: Session, rows: Sequence[Row], ids: Iterable[int]) -> None:
    """PostgreSQL: lock the annotations about to be removed, refusing if any changed since
    ``rows`` were read. (Only those: the moved ones are checked as they are moved, see
    :func:`move_annotations`; locking every row of a large work costs seconds. The locked
    document row already holds back new annotations on it; an SQLite write transaction excludes
    every other writer from its start.) One statement: the rows as read are staged and joined,
    so a row changed or removed meanwhile is not counted (nor locked)."""
    if is_sqlite(session):
        return
    wanted = set(ids)
    if not wanted:
        return
    staged = [tuple(row[name] for name in _ANCHOR_COLUMNS) for row in rows if row["id"] in wanted]
    stage(
        session,
        "annotator_read",
        [(name, "text" if name == "quote" else "int") for name in _ANCHOR_COLUMNS],
        staged,
    )
    same = " AND ".join(f'a."{name}" = r."{name}"' for name in _ANCHOR_COLUMNS)
    locked = session.connection().exec_driver_sql(
        f"SELECT count(*) FROM (SELECT a.id FROM annotations AS a JOIN annotator_read AS r ON {same} "
        "FOR UPDATE OF a) AS locked"
    )
    if locked.scalar_one() != len(wanted):
        raise ConflictError("annotations on this work were changed or removed meanwhile; try again")


Anchor = tuple[int, int, int, int, int, str]  # id, code, coder, start, end, quote


def anchor(row: Row) -> Anchor:
    return row["id"], row["code_id"], row["coder_id"], row["start"], row["end"], row["quote"]


class Move(NamedTuple):
    """An annotation given a new span: ``row`` as read (its old anchor), and its new quote, or
    None where the quote stays (the same text, moved)."""

    row: Row
    start: int
    end: int
    quote: str | None

    def anchor(self) -> Anchor:
        row = self.row
        quote = row["quote"] if self.quote is None else self.quote
        return row["id"], row["code_id"], row["coder_id"], self.start, self.end, quote


def fingerprint(anchors: Iterable[Anchor]) -> dict[int, int]:
    """Each annotation's id and a hash of its anchor, code and coder: equal exactly when none of
    them changed (an update and its undo write nothing else of an annotation)."""
    return {a[0]: hash(a) for a in anchors}


_MOVES = [
    ("id", "int"),
    ("old_start", "int"),
    ("old_end", "int"),
    ("code_id", "int"),
    ("coder_id", "int"),
    ("start", "int"),
    ("end", "int"),
    ("parked", "int"),
    ("requote", "int"),
    ("quote", "text"),
]
# One statement per (parked, requote) group. A row is moved only if it still has the anchor, code
# and coder it was read with: on PostgreSQL another transaction may have changed it since (each
# row's current version is checked as the row is written), and then fewer rows are moved.
_MOVE = (
    'UPDATE annotations SET start = m.start{0}, "end" = m."end"{0}{1} FROM annotator_moves AS m '
    "WHERE annotations.id = m.id AND m.parked = {2} AND m.requote = {3} "
    'AND annotations.start = m.old_start AND annotations."end" = m.old_end '
    "AND annotations.code_id = m.code_id AND annotations.coder_id = m.coder_id"
)


def move_annotations(
    session: Session, document_id: int, moves: Sequence[Move], now: Sequence[Row], beyond: int
) -> None:
    """Give annotations new spans (and quotes, where given) in place; ``now`` are the document's
    annotations before the move. Refused (ConflictError) if any of them was changed or removed
    since it was read.

    A row may never hold, even for a moment, the span another row has with the same code and
    coder: the few moves that would land on a span still taken go first past ``beyond`` (longer
    than either text), and come back once every other row is in place. Every other move lands on
    a span no row holds, so one statement moves them all, in any order. In place, so the search
    index (which follows quotes and memos) is touched only where a quote changes; and checked as
    written, so no row needs locking first (on PostgreSQL a lock is a write of its own)."""
    if not moves:
        return
    taken = {(r["code_id"], r["coder_id"], r["start"], r["end"]): r["id"] for r in now}
    rows = []
    for row, start, end, quote in moves:
        key, code, coder = row["id"], row["code_id"], row["coder_id"]
        parked = int(taken.get((code, coder, start, end), key) != key)
        requoted = int(quote is not None)
        rows.append((key, row["start"], row["end"], code, coder, start, end, parked, requoted, quote or ""))
    stage(session, "annotator_moves", _MOVES, rows)
    connection = session.connection()
    # Each row is written once (on PostgreSQL every write is a new row version in every index):
    # rows whose quote changes get it in the same statement; the others keep theirs, so their
    # search index entries are not touched.
    any_parked = any(row[7] for row in rows)
    done = 0
    for requote in (0, 1) if any(row[8] for row in rows) else (0,):
        quote = ", quote = m.quote" if requote else ""
        if any_parked:
            done += connection.exec_driver_sql(_MOVE.format(f" + {int(beyond)}", quote, 1, requote)).rowcount
        done += connection.exec_driver_sql(_MOVE.format("", quote, 0, requote)).rowcount
    if done != len(rows):
        raise ConflictError("annotations on this work were changed or removed meanwhile; try again")
    if any_parked:
        session.execute(
            update(_ANNOTATIONS)
            .where(_ANNOTATIONS.c.document_id == document_id, _ANNOTATIONS.c.start >= beyond)
            .values(start=_ANNOTATIONS.c.start - beyond, end=_ANNOTATIONS.c.end - beyond)
        )


def check_left(title: str, rows: Sequence[Row], left: Mapping[int, int], would: str) -> None:
    """Refuse unless the document's annotations are exactly as the last step left them."""
    now = fingerprint(anchor(row) for row in rows)
    made = len(now.keys() - left.keys())
    removed = len(left.keys() - now.keys())
    edited = sum(1 for key in now.keys() & left.keys() if now[key] != left[key])
    parts = [
        f"{counted(n, 'annotation')} {verb}"
        for n, verb in ((made, "made"), (edited, "edited"), (removed, "removed"))
        if n
    ]
    if parts:
        raise ConflictError(f"{' and '.join(parts)} on {quoted(title)} since", would)


def delete_annotations(session: Session, ids: Sequence[int]) -> None:
    for i in range(0, len(ids), 10_000):  # bounded IN lists
        session.execute(delete(Annotation).where(Annotation.id.in_(ids[i : i + 10_000])))


def undo_update(store: ProjectStore, record: UpdateRecord) -> UpdateRecord:
    """Put back the version an update replaced, every annotation's old anchor (orphans included)
    and the adjudications; refused if anything the update left was changed since. Returns the
    record redo needs."""
    with store.transaction() as session:
        document_id = record.document_id
        doc = locked_document(session, document_id)
        version = (
            session.execute(select(DocumentVersion.__table__).where(DocumentVersion.id == record.version_id))
            .mappings()
            .first()
        )
        newest = session.scalar(
            select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == document_id)
        )
        if version is None or doc["text_hash"] != text_hash(record.new.text) or newest != version["number"]:
            raise ConflictError(f"{quoted(doc['title'])} was updated again since", "take that update back")
        reviews = snapshots.take(session, AnchorReview, AnchorReview.version_id == record.version_id)
        decided = sum(1 for r in reviews if r["status"] != "pending")
        if decided:
            raise ConflictError(
                f"{counted(decided, 'moved annotation')} on {quoted(doc['title'])} "
                f"{'was' if decided == 1 else 'were'} reviewed since",
                "take those decisions back",
            )
        annotations = annotation_rows(session, document_id)
        check_left(doc["title"], annotations, record.left, "move them back")
        old_spans = {a[0]: (a[3], a[4]) for a in loaded(version["exact_anchors"])}
        changed = {r["annotation_id"]: r for r in reviews if r["kind"] == "changed"}
        back: list[Move] = []
        for row in annotations:
            if row["id"] in changed:
                review = changed[row["id"]]
                back.append(Move(row, review["old_start"], review["old_end"], review["old_quote"]))
            elif row["id"] in old_spans and old_spans[row["id"]] != (row["start"], row["end"]):
                back.append(Move(row, *old_spans[row["id"]], None))
        beyond = len(version["text"]) + len(record.new.text) + 1
        with roomy_cache(session):
            move_annotations(session, document_id, back, annotations, beyond)
        orphans = [orphan_row(r) for r in reviews if r["kind"] == "orphaned"]
        snapshots.put_back(session, Annotation, orphans)
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(**{name: version[name] for name in DOCUMENT_FIELDS})
        )
        for model, column in (
            (DocumentAttribute, "attributes"),
            (DocumentZone, "zones"),
            (Adjudication, "adjudications"),
        ):
            session.execute(delete(model).where(model.document_id == document_id))
            snapshots.put_back(session, model, loaded(version[column], dates=("decided_at",)))
        session.execute(delete(AnchorReview).where(AnchorReview.version_id == record.version_id))
        session.execute(delete(DocumentVersion).where(DocumentVersion.id == record.version_id))
        moving = {move.row["id"] for move in back}
        after = [
            *(anchor(row) for row in annotations if row["id"] not in moving),
            *(move.anchor() for move in back),
            *(anchor(row) for row in orphans),
        ]
    store.texts.evict([document_id])
    return replace(record, left=fingerprint(after))


def append_version(
    session: Session,
    old: Row,
    annotations: Sequence[Row],
    places: Sequence[Place],
    replaced_at: datetime,
    redo: UpdateRecord | None,
) -> tuple[int, int]:
    """Keep the current text, metadata, zones and adjudications as a version; (its id, number)."""
    document_id = old["id"]
    highest = session.scalar(
        select(func.coalesce(func.max(DocumentVersion.number), 0)).where(
            DocumentVersion.document_id == document_id
        )
    )
    number = int(highest or 0) + 1
    exact = [
        [r["id"], r["coder_id"], r["code_id"], r["start"], r["end"], p.start, p.end]
        for r, p in zip(annotations, places, strict=True)
        if p.kind == "exact"
    ]
    version: Row = {
        "document_id": document_id,
        "number": number,
        **{name: old[name] for name in DOCUMENT_FIELDS},
        "replaced_at": replaced_at,
        "attributes": dumped(
            snapshots.take(session, DocumentAttribute, DocumentAttribute.document_id == document_id)
        ),
        "zones": dumped(snapshots.take(session, DocumentZone, DocumentZone.document_id == document_id)),
        "adjudications": dumped(
            snapshots.take(session, Adjudication, Adjudication.document_id == document_id)
        ),
        "exact_anchors": dumped(exact),
    }
    if redo is not None:
        version["id"] = redo.version_id
    version_id = session.execute(
        insert(DocumentVersion).returning(DocumentVersion.id), [version]
    ).scalar_one()
    return int(version_id), number


def move_adjudications(session: Session, document_id: int, alignment: Alignment) -> tuple[int, int]:
    """Re-anchor the document's "neither" decisions like annotations: (moved, removed)."""
    rows = snapshots.take(session, Adjudication, Adjudication.document_id == document_id)
    if not rows:
        return 0, 0
    old_text = alignment.old_text
    session.execute(delete(Adjudication).where(Adjudication.document_id == document_id))
    taken: set[tuple[int, int, int]] = set()
    kept = []
    moved = 0
    for row in rows:
        p = alignment.place(row["start"], row["end"], old_text[row["start"] : row["end"]])
        if p.start is None or p.end is None or (row["code_id"], p.start, p.end) in taken:
            continue
        taken.add((row["code_id"], p.start, p.end))
        kept.append({**row, "start": p.start, "end": p.end})
        moved += (p.start, p.end) != (row["start"], row["end"])
    snapshots.put_back(session, Adjudication, kept)
    return moved, len(rows) - len(kept)
