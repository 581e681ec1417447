"""The document row of an updated work: its new text, metadata and zones in place of the old.

``work_updates`` keeps the old ones in a version row first (``update_steps.append_version``);
redo passes the ids the first run gave the new attribute and zone rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from annotator.core.types import ImportedDocument
from annotator.services.documents import attribute_values, document_values, zone_values
from annotator.services.update_steps import UpdateRecord
from annotator.store.id_sequences import allocate_ids
from annotator.store.models import AnchorReview, Document, DocumentAttribute, DocumentZone

Row = dict[str, Any]


def replace_document(
    session: Session,
    document_id: int,
    new: ImportedDocument,
    imported_at: datetime,
    redo: UpdateRecord | None,
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Put the new text, title and zones in the document row; attributes the file does not
    name (the researchers' own) are kept, and so is the title unless the file is an AO3 download
    (other files have none but their name). Returns the new attribute and zone rows' ids."""
    values = document_values(new)
    if not new.source_format.startswith("ao3"):
        del values["title"]  # a text file's "title" is its file name: keep the work's own
    session.execute(
        update(Document).where(Document.id == document_id).values(**values, imported_at=imported_at)
    )
    attributes = dict(new.attributes)
    for name, value in (
        (r.name, r.value)
        for r in session.execute(
            select(DocumentAttribute.name, DocumentAttribute.value)
            .where(DocumentAttribute.document_id == document_id)
            .order_by(DocumentAttribute.position)
        )
    ):
        if name not in new.attributes:
            attributes.setdefault(name, []).append(value)
    session.execute(delete(DocumentAttribute).where(DocumentAttribute.document_id == document_id))
    session.execute(delete(DocumentZone).where(DocumentZone.document_id == document_id))
    attribute_rows = [{"document_id": document_id, **row} for row in attribute_values(attributes)]
    zone_rows = [{"document_id": document_id, **row} for row in zone_values(new.zones)]
    if redo is not None:
        for row, key in zip(attribute_rows, redo.attribute_ids, strict=True):
            row["id"] = key
        for row, key in zip(zone_rows, redo.zone_ids, strict=True):
            row["id"] = key
    return inserted(session, DocumentAttribute, attribute_rows), inserted(session, DocumentZone, zone_rows)


def inserted(
    session: Session,
    model: type[DocumentAttribute] | type[DocumentZone] | type[AnchorReview],
    rows: list[Row],
) -> tuple[int, ...]:
    """Insert rows; those without an id get new ones (one statement, not one per row)."""
    if not rows:
        return ()
    fresh = iter(allocate_ids(session, model.id, sum(1 for row in rows if "id" not in row)))
    rows = [row if "id" in row else {**row, "id": next(fresh)} for row in rows]
    session.execute(insert(model), rows)
    return tuple(int(row["id"]) for row in rows)
