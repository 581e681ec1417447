"""Figures the Documents and Codebook panels show beside each work and code.

``annotation_counts`` counts one coder's annotations (the panels' counts follow whose annotations
the viewer shows); ``word_counts`` counts the words of works that carry no word count of their
own (a plain-text import), by the same rule as the document header (``core.words.count_words``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from annotator.core.words import count_words
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore

# Texts are read this many at a time: a project of long works never sits in memory at once.
_TEXT_BATCH = 50


@dataclass(frozen=True)
class AnnotationCounts:
    """How many annotations each work and each code has (ids with none are left out)."""

    by_document: dict[int, int]
    by_code: dict[int, int]


def annotation_counts(store: ProjectStore, coder_id: int | None = None) -> AnnotationCounts:
    """Annotations per work and per code: of ``coder_id`` only, or of every coder (None)."""
    with store.reading() as session:
        by_document = select(Annotation.document_id, func.count()).group_by(Annotation.document_id)
        by_code = select(Annotation.code_id, func.count()).group_by(Annotation.code_id)
        if coder_id is not None:
            by_document = by_document.where(Annotation.coder_id == coder_id)
            by_code = by_code.where(Annotation.coder_id == coder_id)
        return AnnotationCounts(
            by_document={doc: n for doc, n in session.execute(by_document)},
            by_code={code: n for code, n in session.execute(by_code)},
        )


def word_counts(store: ProjectStore, document_ids: Iterable[int]) -> dict[int, int]:
    """The number of words in each document's text (ids of removed documents are left out)."""
    ids = sorted(set(document_ids))
    counts: dict[int, int] = {}
    for lo in range(0, len(ids), _TEXT_BATCH):
        batch = ids[lo : lo + _TEXT_BATCH]
        with store.reading() as session:
            rows = session.execute(select(Document.id, Document.text).where(Document.id.in_(batch)))
            for document_id, text in rows:
                counts[document_id] = count_words(text)
    return counts
