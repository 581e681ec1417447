"""The rows of a merge source: as the driver reads them, and as a checked source hands them to the merge.

Codes, coders and zones keep ``Any`` for their fields: they are read before any check and may
hold anything a hand edit put there. The other rows carry the models' types: ``merge_validation``
hands them to a merge only once every check has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from annotator.core.types import CodeInfo
from annotator.store.models import (
    Annotation,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentMemo,
    DocumentVersion,
    DocumentZone,
)


class SourceCode(NamedTuple):
    id: int
    parent_id: Any
    name: Any
    short_name: Any
    colour: Any
    definition: Any
    inclusion: Any
    exclusion: Any
    example: Any
    position: Any


class SourceCoder(NamedTuple):
    id: int
    name: Any
    colour: Any
    role: Any


class SourceZone(NamedTuple):
    id: int
    document_id: Any
    kind: Any
    start: Any
    end: Any
    label: Any
    chapter: Any


class SourceDocument(NamedTuple):
    id: int
    title: str
    source_format: str
    source_name: str
    text_hash: str
    length: int
    imported_at: datetime


class SourceAttribute(NamedTuple):
    document_id: int
    name: str
    value: str
    position: int


class SourceAnnotation(NamedTuple):
    id: int
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    quote: str
    memo: str
    created_at: datetime
    updated_at: datetime


class SourceMemo(NamedTuple):
    document_id: int
    coder_id: int
    text: str
    updated_at: datetime


@dataclass(frozen=True)
class SourceContents:
    """A checked source, everything a merge needs; texts only of documents the target lacked."""

    documents: list[SourceDocument]  # by id
    attributes: dict[int, list[SourceAttribute]]  # by document id, in order
    zones: dict[int, list[SourceZone]]  # by document id
    texts: dict[str, str]  # by text hash
    codes: list[CodeInfo]  # codebook order: parents before children
    coders: list[SourceCoder]
    annotations: list[SourceAnnotation]  # by id
    memos: list[SourceMemo]
    # The hashes of the earlier texts each document kept when its work was updated in the copy
    # (by document id): a copy on a newer version than the target is recognised by them.
    version_hashes: dict[int, list[str]] = field(default_factory=dict)


SOURCE_COLUMNS: dict[str, tuple[Any, ...]] = {
    "documents": (
        Document.id,
        Document.title,
        Document.source_format,
        Document.source_name,
        Document.text_hash,
        Document.length,
        Document.imported_at,
    ),
    "attributes": (
        DocumentAttribute.id,
        DocumentAttribute.document_id,
        DocumentAttribute.name,
        DocumentAttribute.value,
        DocumentAttribute.position,
    ),
    "zones": tuple(getattr(DocumentZone, name) for name in SourceZone._fields),
    "codes": tuple(getattr(Code, name) for name in SourceCode._fields),
    "coders": tuple(getattr(Coder, name) for name in SourceCoder._fields),
    "annotations": tuple(getattr(Annotation, name) for name in SourceAnnotation._fields),
    "memos": (
        DocumentMemo.id,
        DocumentMemo.document_id,
        DocumentMemo.coder_id,
        DocumentMemo.text,
        DocumentMemo.updated_at,
    ),
    "versions": (DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.text_hash),
}
