"""Merging coders' projects: which target document each source document is (``merge`` runs it).

By text hash first; then by a version the target keeps of a work it updated (the source was
coded on that older text: ``merge_versions`` re-anchors its annotations); a source whose own kept
versions include the target's text was coded on a newer version and its annotations are withheld.
A source document matching nothing is copied whole, with its attributes and zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.services.errors import ServiceError
from annotator.services.merge_report import MergeReport, OlderVersion, TitleMismatch, WithheldDocument
from annotator.services.merge_source import SourceContents, SourceDocument
from annotator.services.merge_versions import KeptVersion, kept_versions
from annotator.store.models import Document, DocumentAttribute, DocumentZone


@dataclass
class DocumentMatching:
    """How the source's documents map to the target's."""

    mapping: dict[int, int] = field(default_factory=dict)  # source document id -> target's
    matched: int = 0
    older: dict[int, KeptVersion] = field(default_factory=dict)  # coded on a kept version
    withheld: dict[int, WithheldDocument] = field(default_factory=dict)  # coded on a newer one


def merge_documents(session: Session, data: SourceContents, report: MergeReport) -> DocumentMatching:
    """Match each source document to a target document (by its text, or by a version the target
    keeps of it); missing documents are copied."""
    by_hash: dict[str, tuple[int, str]] = {}
    titles: dict[int, str] = {}
    existing = session.execute(select(Document.id, Document.title, Document.text_hash).order_by(Document.id))
    for doc_id, title, text_hash in existing:
        by_hash.setdefault(text_hash, (doc_id, title))
        titles[doc_id] = title
    elsewhere = {doc.text_hash for doc in data.documents} - by_hash.keys()
    elsewhere |= {h for doc in data.documents for h in data.version_hashes.get(doc.id, ())}
    kept = kept_versions(session, elsewhere)
    matching = DocumentMatching()
    mapping = matching.mapping
    for doc in data.documents:
        if doc.text_hash in by_hash:
            target_id, target_title = by_hash[doc.text_hash]
            mapping[doc.id] = target_id
            matching.matched += 1
            if target_title != doc.title:
                report.title_mismatches.append(TitleMismatch(target_id, target_title, doc.title))
        elif doc.text_hash in kept:
            version = kept[doc.text_hash]
            mapping[doc.id] = version.document_id
            matching.matched += 1
            matching.older[doc.id] = version
            title = titles[version.document_id]
            report.older_versions.append(
                OlderVersion(version.document_id, title, version.number, version.current)
            )
        elif (other := _other_version(data.version_hashes.get(doc.id, ()), by_hash, kept)) is not None:
            target_id, newer = other
            mapping[doc.id] = target_id  # its document memos still belong there
            matching.withheld[doc.id] = WithheldDocument(target_id, titles[target_id], doc.title, newer, 0)
        else:
            mapping[doc.id] = _copy_document(session, data, doc)
            # The same text twice in the source maps to the one copy.
            by_hash[doc.text_hash] = (mapping[doc.id], doc.title)
            report.documents_added.append(doc.title)
            report.added_document_ids.append(mapping[doc.id])
    return matching


def _other_version(
    source_versions: Sequence[str], by_hash: dict[str, tuple[int, str]], kept: dict[str, KeptVersion]
) -> tuple[int, bool] | None:
    """(target document, whether the source is newer) when an earlier text the source kept is the
    target's current text (the source is newer) or one of its kept texts (the two went apart)."""
    for hash_ in source_versions:
        if hash_ in by_hash:
            return by_hash[hash_][0], True
    for hash_ in source_versions:
        if hash_ in kept:
            return kept[hash_].document_id, False
    return None


def _copy_document(session: Session, data: SourceContents, doc: SourceDocument) -> int:
    text = data.texts.get(doc.text_hash)
    if text is None:  # the target held this text when the source was read, and lost it since
        raise ServiceError(
            f"“{doc.title}” was deleted from this project while the merge read its source; "
            "nothing was merged, merge again"
        )
    copy = Document(
        title=doc.title,
        source_format=doc.source_format,
        source_name=doc.source_name,
        text=text,
        text_hash=doc.text_hash,
        length=len(text),
        imported_at=doc.imported_at,
    )
    copy.attributes = [
        DocumentAttribute(name=a.name, value=a.value, position=a.position)
        for a in data.attributes.get(doc.id, [])
    ]
    copy.zones = [
        DocumentZone(kind=z.kind, start=z.start, end=z.end, label=z.label, chapter=z.chapter)
        for z in data.zones.get(doc.id, [])
    ]
    session.add(copy)
    session.flush()
    return copy.id
