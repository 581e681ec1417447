"""What merging one coder's project into another did: counts, and everything that needs a person.

The report is plain values so the CLI can print it, the GUI can show it, and the merge record
in the target project can keep its summary for the methods section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.services.changes import Change

MAX_ORPHANS_LISTED = 20  # in the text report; the JSON and the review queue hold them all


@dataclass(frozen=True, slots=True)
class TitleMismatch:
    """The same text (same hash) under another title; matching ignores titles, this is FYI."""

    target_document_id: int
    target_title: str
    source_title: str


@dataclass(frozen=True, slots=True)
class CodeConflict:
    """A source code the merge did not fold in silently.

    ``kind`` is ``"fields differ"`` (same path, other definition or colour: annotations attach to
    the target's code) or ``"case differs"`` (the target has the path in other letter case: the
    code and its annotations were NOT merged; rename one of them and merge again).
    """

    source_path: str
    target_path: str
    kind: str
    fields: tuple[str, ...] = ()
    annotations_skipped: int = 0


@dataclass(frozen=True, slots=True)
class MemoConflict:
    """A duplicate annotation (or document memo) whose memo differs; the target's was kept."""

    document_id: int
    code_path: str  # "" for a document memo
    coder: str
    start: int
    end: int
    target_memo: str
    source_memo: str


@dataclass(frozen=True, slots=True)
class OlderVersion:
    """A source document coded on an earlier version of a target document's text: its annotations
    were re-anchored onto the current text (``version`` of ``current``)."""

    target_document_id: int
    target_title: str
    version: int
    current: int


@dataclass(frozen=True, slots=True)
class WithheldDocument:
    """A source document coded on a newer (or another) version of a target document's text than
    the target has: its annotations were not merged (update the work in the target, merge again)."""

    target_document_id: int
    target_title: str
    source_title: str
    newer: bool  # the target's current text is an earlier version in the source
    annotations: int


@dataclass(frozen=True, slots=True)
class OrphanedAnnotation:
    """A source annotation whose text is gone from the target's current version: kept for review
    (pending, in the review queue), not placed on any text. ``start``/``end`` are in the old text."""

    document_id: int
    title: str
    code_path: str
    coder: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class MergeReport:
    source: str
    documents_added: list[str] = field(default_factory=list)  # titles
    added_document_ids: list[int] = field(default_factory=list)  # their ids in the target
    documents_matched: int = 0
    title_mismatches: list[TitleMismatch] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    code_conflicts: list[CodeConflict] = field(default_factory=list)
    coders_added: list[str] = field(default_factory=list)
    annotations_added: int = 0
    annotations_duplicate: int = 0
    annotations_skipped: int = 0
    document_memos_added: int = 0
    memo_conflicts: list[MemoConflict] = field(default_factory=list)
    recorded: bool = False  # whether a merge record was written (only when something was added)
    # Target documents that gained annotations or document memos (the rows are not listed).
    touched_document_ids: list[int] = field(default_factory=list)
    # Documents coded on an older version: annotations re-anchored, per class (exact, changed
    # and waiting for review, orphaned and kept for review), and the orphans themselves.
    older_versions: list[OlderVersion] = field(default_factory=list)
    reanchored: dict[str, int] = field(default_factory=lambda: {"exact": 0, "changed": 0, "orphaned": 0})
    orphaned: list[OrphanedAnnotation] = field(default_factory=list)
    review_document_ids: list[int] = field(default_factory=list)
    withheld: list[WithheldDocument] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.documents_added
            or self.codes_added
            or self.coders_added
            or self.annotations_added
            or self.document_memos_added
            or self.reanchored.get("orphaned", 0)
        )

    @property
    def change(self) -> Change:
        """What the merge changed, for the views (a merge adds rows in bulk: documents reload)."""
        added = tuple(self.added_document_ids)
        touched = tuple(d for d in dict.fromkeys(self.touched_document_ids) if d not in added)
        return Change(
            documents_added=added,
            annotations_changed_in=touched if self.annotations_added else (),
            document_memos_changed=touched if self.document_memos_added else (),
            codebook_changed=bool(self.codes_added),
            coders_changed=bool(self.coders_added),
            anchor_reviews_changed=tuple(dict.fromkeys(self.review_document_ids)),
        )

    def summary_lines(self) -> list[str]:
        """The report for a person: counts first, then each item that needs a look."""
        lines = [
            f"Merged {self.source}",
            f"  documents: {len(self.documents_added)} added, {self.documents_matched} matched by text",
            f"  codes: {len(self.codes_added)} added; coders: {len(self.coders_added)} added"
            + (f" ({', '.join(self.coders_added)})" if self.coders_added else ""),
            f"  annotations: {self.annotations_added} added, {self.annotations_duplicate} already present"
            + (f", {self.annotations_skipped} left out (see conflicts)" if self.annotations_skipped else ""),
        ]
        if self.older_versions:
            counts = self.reanchored
            lines.append(
                f"  re-anchored from older versions: {counts.get('exact', 0)} exact, "
                f"{counts.get('changed', 0)} changed (waiting for review), "
                f"{counts.get('orphaned', 0)} orphaned (text gone; kept for review)"
            )
        if self.document_memos_added:
            lines.append(f"  document memos: {self.document_memos_added} added")
        for v in self.older_versions:
            lines.append(
                f"  note: document {v.target_document_id} {v.target_title!r} was coded on version "
                f"{v.version} in the source; its annotations were re-anchored onto the current version "
                f"{v.current}"
            )
        for o in self.orphaned[:MAX_ORPHANS_LISTED]:
            lines.append(
                f"  orphaned: {o.coder}'s {o.code_path!r} [{o.start}, {o.end}) on document {o.document_id} "
                f"{o.title!r} ({_clipped(o.quote)!r}): its text is gone; see the review queue"
            )
        if len(self.orphaned) > MAX_ORPHANS_LISTED:
            lines.append(
                f"  … and {len(self.orphaned) - MAX_ORPHANS_LISTED} more orphaned (see the review queue)"
            )
        for w in self.withheld:
            which = "a newer" if w.newer else "another"
            lines.append(
                f"  not merged: {w.annotations} annotations on {w.source_title!r} were coded on {which} "
                f"version of document {w.target_document_id} {w.target_title!r} than this project has; "
                "update the work here to that version, then merge again"
            )
        for m in self.title_mismatches:
            lines.append(
                f"  note: document {m.target_document_id} {m.target_title!r} has the same text as "
                f"{m.source_title!r} in the source (matched by text; the target's title was kept)"
            )
        for c in self.code_conflicts:
            if c.kind == "case differs":
                lines.append(
                    f"  conflict: code {c.source_path!r} differs only by letter case from {c.target_path!r}; "
                    f"not merged ({c.annotations_skipped} annotations left out) - rename one and merge again"
                )
            else:
                lines.append(
                    f"  conflict: code {c.source_path!r} has another {', '.join(c.fields)} in the source; "
                    "the target's code was kept and the annotations attached to it"
                )
        for memo in self.memo_conflicts:
            where = "the document memo"
            if memo.code_path:
                where = f"code {memo.code_path!r} [{memo.start}, {memo.end})"
            lines.append(
                f"  conflict: {memo.coder}'s memo on {where} of document {memo.document_id} differs; "
                "the target's was kept"
            )
        if not self.changed_anything:
            lines.append("  nothing new: the target already holds everything in this source")
        return lines

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "documents_added": self.documents_added,
            "documents_matched": self.documents_matched,
            "title_mismatches": [
                {
                    "target_document_id": m.target_document_id,
                    "target_title": m.target_title,
                    "source_title": m.source_title,
                }
                for m in self.title_mismatches
            ],
            "codes_added": self.codes_added,
            "code_conflicts": [
                {
                    "source_path": c.source_path,
                    "target_path": c.target_path,
                    "kind": c.kind,
                    "fields": list(c.fields),
                    "annotations_skipped": c.annotations_skipped,
                }
                for c in self.code_conflicts
            ],
            "coders_added": self.coders_added,
            "annotations_added": self.annotations_added,
            "annotations_duplicate": self.annotations_duplicate,
            "annotations_skipped": self.annotations_skipped,
            "document_memos_added": self.document_memos_added,
            "memo_conflicts": [
                {
                    "document_id": m.document_id,
                    "code_path": m.code_path,
                    "coder": m.coder,
                    "start": m.start,
                    "end": m.end,
                    "target_memo": m.target_memo,
                    "source_memo": m.source_memo,
                }
                for m in self.memo_conflicts
            ],
            "older_versions": [
                {
                    "target_document_id": v.target_document_id,
                    "target_title": v.target_title,
                    "version": v.version,
                    "current": v.current,
                }
                for v in self.older_versions
            ],
            "reanchored": dict(self.reanchored),
            "orphaned": [
                {
                    "document_id": o.document_id,
                    "title": o.title,
                    "code_path": o.code_path,
                    "coder": o.coder,
                    "start": o.start,
                    "end": o.end,
                    "quote": o.quote,
                }
                for o in self.orphaned
            ],
            "withheld": [
                {
                    "target_document_id": w.target_document_id,
                    "target_title": w.target_title,
                    "source_title": w.source_title,
                    "newer": w.newer,
                    "annotations": w.annotations,
                }
                for w in self.withheld
            ],
            "recorded": self.recorded,
        }


def _clipped(quote: str, limit: int = 60) -> str:
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"
