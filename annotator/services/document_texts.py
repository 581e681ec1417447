"""A document's text inside a write's transaction, as stored now.

The text cache (``ProjectStore.texts``) spares re-reading megabytes per action, but another process
may have updated the work since this one cached it. A write that cuts quotes from the text checks
the cached copy's hash against the stored one first.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.services import conflicts
from annotator.services.errors import NotFoundError
from annotator.store.models import Document
from annotator.store.project import ProjectStore


def current_text(
    session: Session, store: ProjectStore, document_id: int, shown_hash: str | None = None
) -> str:
    """The document's text as stored now, inside a write's transaction: the cached copy when its
    hash is the stored one (another process may have updated the work since it was cached).

    ``shown_hash`` is the hash of the text the user selected on: a span on a text that was updated
    since is refused (ConflictError), never cut from the new text at the old offsets.
    """
    row = session.execute(
        select(Document.title, Document.text_hash).where(Document.id == document_id)
    ).first()
    if row is None:
        raise NotFoundError(f"no document with id {document_id}")
    if shown_hash is not None and row.text_hash != shown_hash:
        store.texts.evict([document_id])
        raise conflicts.ConflictError(
            f"{conflicts.quoted(row.title)} was updated since it was shown and has a new version of its "
            "text; nothing was coded: select the span again on the new text"
        )
    text = store.texts.get(document_id)
    if text is None or store.texts.hash_of(document_id) != row.text_hash:
        text = session.scalar(select(Document.text).where(Document.id == document_id)) or ""
        store.texts.put(document_id, text, row.text_hash)
    return text
