"""What a service changed, so views refresh just that instead of reloading everything."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.types import AnnotationInfo


@dataclass(frozen=True)
class Change:
    annotations_added: tuple[AnnotationInfo, ...] = ()
    annotations_updated: tuple[AnnotationInfo, ...] = ()
    annotations_removed: tuple[int, ...] = ()
    documents_added: tuple[int, ...] = ()
    documents_removed: tuple[int, ...] = ()
    codebook_changed: bool = False
    coders_changed: bool = False
    document_memo_changed: int | None = None

    def __or__(self, other: Change) -> Change:
        return Change(
            annotations_added=self.annotations_added + other.annotations_added,
            annotations_updated=self.annotations_updated + other.annotations_updated,
            annotations_removed=self.annotations_removed + other.annotations_removed,
            documents_added=self.documents_added + other.documents_added,
            documents_removed=self.documents_removed + other.documents_removed,
            codebook_changed=self.codebook_changed or other.codebook_changed,
            coders_changed=self.coders_changed or other.coders_changed,
            document_memo_changed=other.document_memo_changed or self.document_memo_changed,
        )
