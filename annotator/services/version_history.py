"""The versions of updated works and what each update did to the annotations.

A document's current text is its newest version; earlier ones are rows of ``document_versions``
(read-only: shown, exported, never coded). :func:`update_rows` lists every annotation an update
re-anchored, with its old and new offsets and quotes, for the moved-annotations CSV and the counts
per class, coder and code (:func:`tally`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.services.codebook import codes_in
from annotator.services.conflict_messages import coder_names, document_titles
from annotator.services.errors import NotFoundError
from annotator.store.models import AnchorReview, Document, DocumentVersion
from annotator.store.project import ProjectStore

KINDS = ("exact", "changed", "orphaned")
EXACT_STATUS = "exact"  # what update_rows says of annotations no one needs to review


def dumped(rows: Any) -> str:
    """Rows (or lists) as the JSON a version row keeps; times as ISO text."""
    return json.dumps(rows, default=lambda value: value.isoformat(), separators=(",", ":"))


def loaded(text: str, *, dates: Sequence[str] = ()) -> Any:
    """What :func:`dumped` wrote, with the named row fields turned back into datetimes."""
    value = json.loads(text)
    if dates and isinstance(value, list):
        for row in value:
            for name in dates:
                if isinstance(row, dict) and isinstance(row.get(name), str):
                    row[name] = datetime.fromisoformat(row[name])
    return value


@dataclass(frozen=True, slots=True)
class VersionInfo:
    number: int
    imported_at: datetime
    length: int
    source_name: str
    current: bool
    replaced_at: datetime | None = None  # when the next version replaced it (None: current)


def versions_of(store: ProjectStore, document_id: int) -> list[VersionInfo]:
    """Every version of a document, oldest first; the last one is the current text."""
    with store.reading() as session:
        doc = session.execute(
            select(Document.imported_at, Document.length, Document.source_name).where(
                Document.id == document_id
            )
        ).first()
        if doc is None:
            raise NotFoundError(f"no document with id {document_id}")
        rows = session.execute(
            select(
                DocumentVersion.number,
                DocumentVersion.imported_at,
                DocumentVersion.length,
                DocumentVersion.source_name,
                DocumentVersion.replaced_at,
            )
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number)
        ).all()
    versions = [
        VersionInfo(r.number, r.imported_at, r.length, r.source_name, False, r.replaced_at) for r in rows
    ]
    number = versions[-1].number + 1 if versions else 1
    return [*versions, VersionInfo(number, doc.imported_at, doc.length, doc.source_name, True)]


def version_text(store: ProjectStore, document_id: int, number: int) -> str:
    """The text of one version (the current one included)."""
    with store.reading() as session:
        return _text_of(session, document_id, number)


def _text_of(session: Session, document_id: int, number: int) -> str:
    text = session.scalar(
        select(DocumentVersion.text).where(
            DocumentVersion.document_id == document_id, DocumentVersion.number == number
        )
    )
    if text is not None:
        return text
    highest = session.scalar(
        select(DocumentVersion.number)
        .where(DocumentVersion.document_id == document_id)
        .order_by(DocumentVersion.number.desc())
        .limit(1)
    )
    if number == (highest or 0) + 1:
        current = session.scalar(select(Document.text).where(Document.id == document_id))
        if current is not None:
            return current
    raise NotFoundError(f"document {document_id} has no version {number}")


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """One annotation an update re-anchored: from version ``old_version`` to the one after it."""

    document_id: int
    title: str
    old_version: int
    annotation_id: int
    coder: str
    code: str
    kind: str  # exact, changed, orphaned
    status: str  # exact (nothing to review), pending, accepted, reselected, dropped
    old_start: int
    old_end: int
    old_quote: str
    new_start: int | None
    new_end: int | None
    new_quote: str | None


def update_rows(
    store: ProjectStore, document_id: int | None = None, *, document_ids: Iterable[int] | None = None
) -> list[UpdateRow]:
    """Every annotation re-anchored by the updates of one document, several, or all (None), oldest
    update first."""
    wanted = None if document_id is None and document_ids is None else set(document_ids or ())
    if wanted is not None and document_id is not None:
        wanted.add(document_id)
    with store.reading() as session:
        query = select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.number)
        if wanted is not None:
            query = query.where(DocumentVersion.document_id.in_(sorted(wanted)))
        versions = session.execute(query.order_by(DocumentVersion.document_id, DocumentVersion.number)).all()
        reviews = session.execute(
            select(AnchorReview).where(AnchorReview.version_id.in_([v.id for v in versions]))
        ).scalars()
        by_version: dict[int, list[AnchorReview]] = {}
        for review in reviews:
            by_version.setdefault(review.version_id, []).append(review)
        titles = document_titles(session, {v.document_id for v in versions})
        paths = {c.id: c.path for c in codes_in(session, with_counts=False)}
        rows: list[UpdateRow] = []
        names: dict[int, str] = {}
        for version in versions:
            old = _text_of(session, version.document_id, version.number)
            new = _text_of(session, version.document_id, version.number + 1)
            exact = loaded(
                session.scalar(select(DocumentVersion.exact_anchors).where(DocumentVersion.id == version.id))
                or "[]"
            )
            names |= coder_names(
                session,
                {a[1] for a in exact} | {r.coder_id for r in by_version.get(version.id, [])} - set(names),
            )
            head = (version.document_id, titles.get(version.document_id, ""), version.number)
            for key, coder, code, old_start, old_end, new_start, new_end in exact:
                quote = old[old_start:old_end]
                rows.append(
                    UpdateRow(
                        *head,
                        key,
                        names.get(coder, ""),
                        paths.get(code, ""),
                        "exact",
                        EXACT_STATUS,
                        old_start,
                        old_end,
                        quote,
                        new_start,
                        new_end,
                        new[new_start:new_end],
                    )
                )
            for r in sorted(by_version.get(version.id, []), key=lambda r: r.old_start):
                placed = r.new_start is not None and r.new_end is not None and r.status != "dropped"
                rows.append(
                    UpdateRow(
                        *head,
                        r.annotation_id,
                        names.get(r.coder_id, ""),
                        paths.get(r.code_id, ""),
                        r.kind,
                        r.status,
                        r.old_start,
                        r.old_end,
                        r.old_quote,
                        r.new_start,
                        r.new_end,
                        new[r.new_start : r.new_end] if placed else None,
                    )
                )
        return rows


def write_update_csv(
    store: ProjectStore,
    out: TextIO,
    document_id: int | None = None,
    *,
    document_ids: Iterable[int] | None = None,
) -> int:
    """The moved-annotations CSV (one row per :class:`UpdateRow`); returns the number of rows."""
    # Imported here: the report writer pulls in numpy, which only exports need.
    from annotator.core.reports.data import Table
    from annotator.io.report_csv import write_report_csv

    rows = update_rows(store, document_id, document_ids=document_ids)
    header = tuple(f.name for f in fields(UpdateRow))
    return write_report_csv(Table(header, tuple(astuple(row) for row in rows)), out)


@dataclass(frozen=True)
class Tally:
    """How many annotations fell in each class, overall and per coder and per code."""

    counts: dict[str, int]
    by_coder: dict[str, dict[str, int]]
    by_code: dict[str, dict[str, int]]


def tally(items: Iterable[tuple[str, str, str]]) -> Tally:
    """Counts of ``(coder, code, kind)`` items; every class present in each count (0 if none)."""
    return tally_counted(Counter(items).items())


def tally_counted(counted: Iterable[tuple[tuple[str, str, str], int]]) -> Tally:
    """:func:`tally` of items already counted (an update counts 100k annotations by a few hundred
    coder-code-kind triples first)."""
    total: Counter[str] = Counter()
    by_coder: dict[str, Counter[str]] = {}
    by_code: dict[str, Counter[str]] = {}
    for (coder, code, kind), n in counted:
        total[kind] += n
        by_coder.setdefault(coder, Counter())[kind] += n
        by_code.setdefault(code, Counter())[kind] += n

    def full(counter: Counter[str]) -> dict[str, int]:
        return {kind: counter[kind] for kind in KINDS}

    return Tally(
        full(total),
        {name: full(c) for name, c in sorted(by_coder.items())},
        {name: full(c) for name, c in sorted(by_code.items())},
    )
