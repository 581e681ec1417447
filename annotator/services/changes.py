"""What an action changed in a project: the one piece of news every view refreshes from.

Every service that changes the project returns a :class:`Change` (directly, or as ``.change`` of
the report it returns). The GUI publishes it through ``ProjectSession.publish`` and nowhere else;
each view asks the change what concerns it (``touches_annotations``, ``documents_touched`` …).

A change can also come from outside this process (another user on PostgreSQL, the CLI on the same
SQLite file). Then the app knows only roughly what happened: :meth:`Change.external` builds such a
change from a database notification's payload (:meth:`to_payload` writes one), and
:meth:`Change.unknown` one from a poll that only saw *that* something changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from annotator.core.types import AnnotationInfo

ORIGIN_LOCAL = "local"  # this process's own action (or its undo/redo)
ORIGIN_EXTERNAL = "external"  # another process or user, seen through a notification or a poll


def _merged(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(dict.fromkeys((*first, *second)))


@dataclass(frozen=True)
class Change:
    """Rows and areas an action touched. Empty means nothing changed (a refused or no-op action)."""

    annotations_added: tuple[AnnotationInfo, ...] = ()
    annotations_updated: tuple[AnnotationInfo, ...] = ()
    annotations_removed: tuple[int, ...] = ()
    # Documents whose annotations changed in bulk (a merge, a segments import, another process):
    # the rows are not listed, so views showing these documents reload their annotations.
    annotations_changed_in: tuple[int, ...] = ()
    documents_added: tuple[int, ...] = ()
    documents_removed: tuple[int, ...] = ()
    # Documents whose own memo (not an annotation memo) changed.
    document_memos_changed: tuple[int, ...] = ()
    # Documents whose title or attributes changed (never their text or spans).
    documents_edited: tuple[int, ...] = ()
    # Documents given a new version of their text (an updated work): views showing them reload
    # the text, zones and annotations, and forget cached texts.
    document_texts_changed: tuple[int, ...] = ()
    # Documents whose review queue of moved annotations changed (an update, a review decision).
    anchor_reviews_changed: tuple[int, ...] = ()
    # Documents where a "neither" adjudication decision was stored or taken back.
    adjudications_changed: tuple[int, ...] = ()
    # Where a decision was made or taken back: (document id, code id, start, end) of the decided
    # disagreement, so the comparison window re-reads only that region (not carried across processes).
    adjudicated_regions: tuple[tuple[int, int, int, int], ...] = ()
    # Documents whose coder assignments changed (who was assigned to code them).
    assignments_changed: tuple[int, ...] = ()
    codebook_changed: bool = False  # codes added, renamed, recoloured, moved, merged or deleted
    coders_changed: bool = False  # coders added or edited (a consensus coder created, a merge)
    # Set when the exact rows are not known (another process changed the project): views reload
    # what they show. Any field above may still name what is known.
    everything: bool = False
    origin: str = field(default=ORIGIN_LOCAL, compare=False)

    # --- building ---------------------------------------------------------------------------
    def __or__(self, other: Change) -> Change:
        """Both changes, as one action (e.g. a code created and applied by in-vivo coding)."""
        return Change(
            annotations_added=self.annotations_added + other.annotations_added,
            annotations_updated=self.annotations_updated + other.annotations_updated,
            annotations_removed=_merged(self.annotations_removed, other.annotations_removed),
            annotations_changed_in=_merged(self.annotations_changed_in, other.annotations_changed_in),
            documents_added=_merged(self.documents_added, other.documents_added),
            documents_removed=_merged(self.documents_removed, other.documents_removed),
            document_memos_changed=_merged(self.document_memos_changed, other.document_memos_changed),
            documents_edited=_merged(self.documents_edited, other.documents_edited),
            document_texts_changed=_merged(self.document_texts_changed, other.document_texts_changed),
            anchor_reviews_changed=_merged(self.anchor_reviews_changed, other.anchor_reviews_changed),
            adjudications_changed=_merged(self.adjudications_changed, other.adjudications_changed),
            adjudicated_regions=tuple(dict.fromkeys((*self.adjudicated_regions, *other.adjudicated_regions))),
            assignments_changed=_merged(self.assignments_changed, other.assignments_changed),
            codebook_changed=self.codebook_changed or other.codebook_changed,
            coders_changed=self.coders_changed or other.coders_changed,
            everything=self.everything or other.everything,
            origin=ORIGIN_EXTERNAL if ORIGIN_EXTERNAL in (self.origin, other.origin) else ORIGIN_LOCAL,
        )

    @classmethod
    def combine(cls, changes: Iterable[Change]) -> Change:
        total = cls()
        for change in changes:
            total = total | change
        return total

    @classmethod
    def unknown(cls) -> Change:
        """Another process changed the project and only *that* is known (e.g. a data-version poll)."""
        return cls(everything=True, codebook_changed=True, coders_changed=True, origin=ORIGIN_EXTERNAL)

    @classmethod
    def external(cls, payload: str) -> Change:
        """A change another process announced with :meth:`to_payload` (e.g. a PostgreSQL NOTIFY).

        Annotation rows are not carried across processes, only their ids and documents, so the
        receiving views reload those documents. An unreadable payload counts as :meth:`unknown`.
        """
        try:
            data = json.loads(payload)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            values: dict[str, Any] = {key: tuple(int(v) for v in data.get(key, ())) for key in _ID_FIELDS}
            values |= {key: bool(data.get(key, False)) for key in _FLAG_FIELDS}
        except (ValueError, TypeError):
            return cls.unknown()
        return cls(**values, origin=ORIGIN_EXTERNAL)

    def to_payload(self) -> str:
        """A compact JSON announcement of this change for other processes (see :meth:`external`)."""
        data: dict[str, Any] = {key: list(getattr(self, key)) for key in _ID_FIELDS if getattr(self, key)}
        data |= {key: True for key in _FLAG_FIELDS if getattr(self, key)}
        # Rows do not cross processes: the receiver reloads the documents they belong to.
        documents = sorted(set(self.annotations_changed_in) | self.annotation_documents())
        if documents:
            data["annotations_changed_in"] = documents
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    # --- asking ---------------------------------------------------------------------------
    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "origin")

    @property
    def is_external(self) -> bool:
        return self.origin == ORIGIN_EXTERNAL

    def touches_annotations(self) -> bool:
        """Whether coded spans may have changed (so lists, counts and agreement are stale)."""
        return bool(
            self.annotations_added
            or self.annotations_updated
            or self.annotations_removed
            or self.annotations_changed_in
            or self.documents_added
            or self.documents_removed
            or self.document_texts_changed
            or self.codebook_changed  # deleting or merging codes removes or moves annotations
            or self.everything
        )

    def touches_counts(self) -> bool:
        """Whether per-code, per-coder or per-document annotation counts may have changed."""
        return self.touches_annotations()

    def touches_adjudication(self) -> bool:
        """Whether disagreements or their resolutions may have changed."""
        return self.touches_annotations() or self.coders_changed or bool(self.adjudications_changed)

    def touches_documents(self) -> bool:
        """Whether the list of works, their titles or attributes may have changed."""
        return bool(
            self.documents_added
            or self.documents_removed
            or self.documents_edited
            or self.document_texts_changed
            or self.everything
        )

    def annotation_documents(self) -> set[int]:
        """Documents whose annotations this change names (added or updated rows)."""
        return {a.document_id for a in (*self.annotations_added, *self.annotations_updated)}


_ID_FIELDS = (
    "annotations_removed",
    "annotations_changed_in",
    "documents_added",
    "documents_removed",
    "document_memos_changed",
    "documents_edited",
    "document_texts_changed",
    "anchor_reviews_changed",
    "adjudications_changed",
    "assignments_changed",
)
_FLAG_FIELDS = ("codebook_changed", "coders_changed", "everything")

NOTHING = Change()
CODEBOOK = Change(codebook_changed=True)
