"""Merging coders' projects: fold a source project (one coder's blind copy) into a target.

Blind coding means each coder codes a copy of the same project; merging brings their
annotations together so agreement can be computed and disagreements adjudicated. Matching is
by identity that survives copying, never by what a person might have retyped:

* documents by the hash of their text (a title edited in one copy does not matter; it is reported);
  a copy coded on an earlier version of a work the target has since updated matches that kept
  version, and its annotations are re-anchored onto the current text as the update re-anchored the
  target's own (``merge_versions``: exact ones moved silently, changed ones pending review,
  orphaned ones kept for review); a copy on a newer version than the target's is withheld and
  reported (update the work first),
* codes by path (a same-path code with another definition or colour is a reported conflict and the
  annotations attach to the target's code; a path differing only by letter case is reported and
  not merged, because folding it into the other spelling could join two different concepts),
* coders by name; annotations are de-duplicated on (document, code, coder, start, end).

The source is read once and checked whole first (``merge_validation``): a copy with any damage
(a code loop, an annotation pointing at nothing, a span beyond its text, a fabricated quote, a
colour that is markup …) is refused with every problem listed, and nothing is merged. The whole
merge is then one target transaction: it happens completely or not at all. Merging the same
source again adds nothing (and writes no merge record).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.core.gc_pause import gc_paused
from annotator.core.types import CodeInfo
from annotator.services import conflicts
from annotator.services.codebook import TEXT_FIELDS, add_code_in, codes_in, lock_codebook
from annotator.services.coders import ensure_coder_in
from annotator.services.errors import ServiceError
from annotator.services.merge_documents import DocumentMatching, merge_documents
from annotator.services.merge_report import (
    CodeConflict,
    MemoConflict,
    MergeReport,
)
from annotator.services.merge_source import SourceContents
from annotator.services.merge_validation import DamagedSourceError, read_checked_source
from annotator.services.merge_versions import OlderDocument, merge_older
from annotator.store.column_limits import max_length
from annotator.store.models import (
    Annotation,
    Coder,
    Document,
    DocumentMemo,
    MergeRecord,
)
from annotator.store.project import ProjectStore, open_project

__all__ = ["DamagedSourceError", "MergeReport", "merge_from", "merge_many", "merge_projects"]

_ANNOTATIONS = cast(Table, Annotation.__table__)  # Core insert: ~10x faster than ORM add_all


def _target_hashes(target: ProjectStore) -> set[str]:
    with target.reading() as session:
        return set(session.scalars(select(Document.text_hash)))


def _same_location(a: ProjectStore, b: ProjectStore) -> bool:
    if a.is_sqlite and b.is_sqlite and a.url.database and b.url.database:
        try:
            return os.path.samefile(a.url.database, b.url.database)
        except OSError:
            return False
    return a.url.render_as_string(hide_password=False) == b.url.render_as_string(hide_password=False)


def merge_projects(target: ProjectStore, source: ProjectStore) -> MergeReport:
    """Fold ``source`` into ``target`` in one target transaction; return what happened."""
    if _same_location(target, source):
        raise ServiceError("cannot merge a project into itself")
    # The whole source is checked before anything is written; the texts the target lacks (by
    # what it holds now) are kept from that one reading for the copies.
    data = read_checked_source(source, keep_texts_unless=_target_hashes(target))
    report = MergeReport(source=source.location)
    # The keys and rows of 100k annotations are acyclic: the collector's scans of them took about
    # a third of merging such a source again, and freed nothing.
    with gc_paused(), target.transaction() as session:
        matching = merge_documents(session, data, report)
        documents, matched = matching.mapping, matching.matched
        coders = _merge_coders(session, data, report)
        codes, blocked = _merge_codes(session, data, report)
        counts = _merge_annotations(session, data, matching, codes, coders, blocked, report)
        memos_added = _merge_document_memos(session, data, documents, coders, report)
        report = _with_counts(report, documents_matched=matched, document_memos_added=memos_added, **counts)
        if report.changed_anything:
            summary = json.dumps(report.to_json_dict() | {"recorded": True}, ensure_ascii=False)
            location = source.location[: max_length(MergeRecord.source)]
            session.add(MergeRecord(source=location, summary=summary))
            report = _with_counts(report, recorded=True)
    if report.documents_added:
        target.texts.clear()
    return report


def merge_from(target: ProjectStore, source_location: str) -> MergeReport:
    """Open the project at ``source_location`` (file path or URL), merge it, close it."""
    source = open_project(source_location)
    try:
        return merge_projects(target, source)
    finally:
        source.close()


def _with_counts(report: MergeReport, **values: Any) -> MergeReport:
    fields = {name: getattr(report, name) for name in report.__dataclass_fields__}
    return MergeReport(**(fields | values))


def _merge_coders(session: Session, data: SourceContents, report: MergeReport) -> dict[int, int]:
    """{source coder id: target coder id} for coders whose work the source holds (others add nothing)."""
    working = {a.coder_id for a in data.annotations} | {m.coder_id for m in data.memos}
    existing = {c.name: c for c in session.scalars(select(Coder))}
    used_colours = {c.colour.lower() for c in existing.values()}
    mapping: dict[int, int] = {}
    for coder_id, name, colour, role in data.coders:
        if coder_id not in working:
            continue
        coder = existing.get(name)
        if coder is None:
            coder = ensure_coder_in(session, name, role=role)
            if colour.lower() not in used_colours:
                coder.colour = colour.lower()  # keep the colour the team knows this coder by
            used_colours.add(coder.colour)
            existing[name] = coder
            report.coders_added.append(name)
        mapping[coder_id] = coder.id
    return mapping


def _merge_codes(
    session: Session, data: SourceContents, report: MergeReport
) -> tuple[dict[int, int], dict[int, int]]:
    """({source code id: target code id}, {source code id: index of the conflict blocking it})."""
    lock_codebook(session)  # the codebook read here stays as read: no code moved or deleted meanwhile
    target_codes = codes_in(session, with_counts=False)
    by_path = {c.path: c.id for c in target_codes}
    fields_by_id = {c.id: c for c in target_codes}
    by_folded = {c.path.casefold(): c.path for c in target_codes}
    mapping: dict[int, int] = {}
    blocked: dict[int, int] = {}
    for code in data.codes:  # codebook order: parents before children
        if code.parent_id is not None and code.parent_id in blocked:
            blocked[code.id] = blocked[code.parent_id]
            continue
        if code.path in by_path:
            target_id = by_path[code.path]
            differ = _differing_fields(fields_by_id.get(target_id), code)
            if differ:
                report.code_conflicts.append(CodeConflict(code.path, code.path, "fields differ", differ))
            mapping[code.id] = target_id
            continue
        if code.path.casefold() in by_folded:
            spelled = by_folded[code.path.casefold()]
            report.code_conflicts.append(CodeConflict(code.path, spelled, "case differs"))
            blocked[code.id] = len(report.code_conflicts) - 1
            continue
        parent = mapping[code.parent_id] if code.parent_id is not None else None
        texts = {name: getattr(code, name) for name in TEXT_FIELDS}
        created = add_code_in(session, code.name, parent, code.colour, **texts)
        mapping[code.id] = by_path[code.path] = created.id
        by_folded[code.path.casefold()] = code.path
        report.codes_added.append(code.path)
    return mapping, blocked


def _differing_fields(target: CodeInfo | None, source: CodeInfo) -> tuple[str, ...]:
    if target is None:  # created by this merge a moment ago: the same by construction
        return ()
    differ = ["colour"] if target.colour.lower() != source.colour.lower() else []
    differ += [name for name in TEXT_FIELDS if getattr(target, name).strip() != getattr(source, name).strip()]
    return tuple(differ)


def _merge_annotations(
    session: Session,
    data: SourceContents,
    matching: DocumentMatching,
    codes: dict[int, int],
    coders: dict[int, int],
    blocked: dict[int, int],
    report: MergeReport,
) -> dict[str, Any]:
    documents = matching.mapping
    existing: dict[tuple[int, int, int, int, int], str] = {}
    # What these coders have coded must stay as read until the rows below are in (PostgreSQL): an
    # annotation they are making now commits first and is read as a duplicate; later ones wait,
    # then see the merged rows. (Only their annotations can duplicate the source's.)
    conflicts.lock_ids(session, Coder.id, coders.values())
    if documents:
        query = select(
            Annotation.document_id,
            Annotation.code_id,
            Annotation.coder_id,
            Annotation.start,
            Annotation.end,
            Annotation.memo,
        ).where(Annotation.document_id.in_(sorted(set(documents.values()))))
        existing = {(r[0], r[1], r[2], r[3], r[4]): r[5] for r in session.execute(query)}
    source_paths = {c.id: c.path for c in data.codes}
    source_names = {c.id: c.name for c in data.coders}
    added: list[dict[str, Any]] = []
    duplicate = skipped = 0
    skipped_by_conflict: dict[int, int] = {}
    older = {doc_id: OlderDocument(version) for doc_id, version in matching.older.items()}
    withheld: dict[int, int] = {}
    for a in data.annotations:
        if a.code_id in blocked:
            skipped += 1
            skipped_by_conflict[blocked[a.code_id]] = skipped_by_conflict.get(blocked[a.code_id], 0) + 1
            continue
        if a.document_id in matching.withheld:
            withheld[a.document_id] = withheld.get(a.document_id, 0) + 1
            continue
        if a.document_id in older:
            older[a.document_id].annotations.append((a, codes[a.code_id], coders[a.coder_id]))
            continue
        key = (documents[a.document_id], codes[a.code_id], coders[a.coder_id], a.start, a.end)
        if key in existing:
            duplicate += 1
            if existing[key] != a.memo:
                report.memo_conflicts.append(
                    MemoConflict(
                        key[0],
                        source_paths[a.code_id],
                        source_names[a.coder_id],
                        a.start,
                        a.end,
                        existing[key],
                        a.memo,
                    )
                )
            continue
        existing[key] = a.memo
        added.append(
            {
                "document_id": key[0],
                "code_id": key[1],
                "coder_id": key[2],
                "start": a.start,
                "end": a.end,
                "quote": a.quote,
                "memo": a.memo,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
            }
        )
    for begin in range(0, len(added), 5000):
        session.execute(insert(_ANNOTATIONS), added[begin : begin + 5000])
    reanchored = merge_older(session, list(older.values()), existing, source_paths, source_names)
    report.memo_conflicts.extend(reanchored.memo_conflicts)
    report.orphaned.extend(reanchored.orphans)
    report.review_document_ids.extend(sorted(reanchored.review_document_ids))
    report.touched_document_ids.extend(
        sorted({row["document_id"] for row in added} | reanchored.annotation_document_ids)
    )
    report.withheld.extend(
        replace(w, annotations=withheld.get(doc_id, 0)) for doc_id, w in matching.withheld.items()
    )
    for index, count in skipped_by_conflict.items():
        conflict = report.code_conflicts[index]
        report.code_conflicts[index] = CodeConflict(
            conflict.source_path, conflict.target_path, conflict.kind, conflict.fields, count
        )
    return {
        "annotations_added": len(added) + reanchored.counts["exact"] + reanchored.counts["changed"],
        "annotations_duplicate": duplicate + reanchored.duplicate,
        "annotations_skipped": skipped,
        "reanchored": reanchored.counts,
    }


def _merge_document_memos(
    session: Session,
    data: SourceContents,
    documents: dict[int, int],
    coders: dict[int, int],
    report: MergeReport,
) -> int:
    if not data.memos:
        return 0
    existing = {
        (m.document_id, m.coder_id): m.text
        for m in session.execute(select(DocumentMemo.document_id, DocumentMemo.coder_id, DocumentMemo.text))
    }
    names = {c.id: c.name for c in data.coders}
    added = 0
    for memo in data.memos:
        key = (documents[memo.document_id], coders[memo.coder_id])
        if key in existing:
            if existing[key] != memo.text:
                report.memo_conflicts.append(
                    MemoConflict(key[0], "", names[memo.coder_id], 0, 0, existing[key], memo.text)
                )
            continue
        session.add(
            DocumentMemo(document_id=key[0], coder_id=key[1], text=memo.text, updated_at=memo.updated_at)
        )
        existing[key] = memo.text
        added += 1
        report.touched_document_ids.append(key[0])
    return added


def merge_many(target: ProjectStore, sources: Sequence[str]) -> list[MergeReport]:
    """Merge several sources one after another, each in its own transaction."""
    return [merge_from(target, location) for location in sources]
