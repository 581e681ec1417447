"""Which coders, codes, documents and zones a team comparison looks at, resolved against a project.

Agreement, the disagreements export and adjudication all start from the same choice; this module
turns the names a person typed (coder names, code paths, document ids, zone kinds) into ids and
plain values, with one clear error for anything that does not exist, and loads the coded spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from annotator.core.agreement import CodedSpan, Continuum, SpanColumns
from annotator.core.agreement_table import MAX_CODERS
from annotator.core.codebook import CodeNode, code_paths, subtree_ids, tree_order
from annotator.core.disagreements import difference, union
from annotator.core.types import PARATEXT_ZONES, ZONE_KINDS
from annotator.services.anchor_reviews import pending_annotation_ids, review_note, reviewed_or_unmoved
from annotator.services.assignments import read_assignments
from annotator.services.codebook import find_code_by_path
from annotator.services.coders import ROLE_CODER, find_coder
from annotator.services.errors import NotFoundError, ServiceError
from annotator.services.span_reads import span_table
from annotator.store.models import Annotation, Assignment, Code, Coder, Document, DocumentZone

GROUP_SUFFIX = "/*"  # "Trope/*": the group and all its sub-codes pooled, like "*" for all codes


@dataclass(frozen=True)
class TeamFilter:
    """A person's choice; empty fields mean "all". ``code_paths`` and ``code_group`` exclude each other.

    Default coders are those with the role "coder" who coded something in the chosen documents
    or were assigned one of them (the consensus is left out unless named). Default codes are those
    the chosen coders used in the chosen documents.
    ``zones`` keeps only text inside zones of those kinds; ``exclude_paratext`` drops summaries
    and notes (``PARATEXT_ZONES``) and keeps everything else.
    """

    coders: tuple[str, ...] = ()
    code_paths: tuple[str, ...] = ()
    code_group: str = ""
    document_ids: tuple[int, ...] = ()
    zones: tuple[str, ...] = ()
    exclude_paratext: bool = False


@dataclass(frozen=True)
class TeamScope:
    """A filter resolved to ids, with what a report needs to label its rows."""

    coder_ids: dict[str, int]  # name -> id, in report order
    code_ids: dict[str, int]  # path -> id, in codebook order
    group: str  # the pooled group's key ("Trope/*"), or "" when there is none
    documents: dict[int, str]  # id -> title, by id
    continua: tuple[Continuum, ...]
    notes: tuple[str, ...] = field(default=())
    # Document id -> the chosen coders assigned to it, for documents with any assignment (even of
    # coders not chosen). There only those coders count; the others are missing, not "coded nothing".
    assignments: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def assignment_rule(self) -> str:
        """Which rule decided who counts on each document, in one sentence for reports."""
        if not self.assignments:
            return (
                "No coder assignments are recorded for these documents: every chosen coder counts on "
                "every document, and a coder without spans in one counts as having coded nothing there."
            )
        rest = len(self.documents) - len(self.assignments)
        text = (
            f"{len(self.assignments)} of {len(self.documents)} documents have recorded coder assignments: "
            "there only the assigned coders count and the others are treated as missing (not as having "
            "coded nothing)"
        )
        if rest:
            text += f"; on the other {rest}, every chosen coder counts"
        return text + "."

    @property
    def coders(self) -> tuple[str, ...]:
        return tuple(self.coder_ids)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.code_ids)

    @property
    def characters_in_scope(self) -> int:
        return sum(
            c.length if c.included is None else sum(e - s for s, e in c.included) for c in self.continua
        )


def resolve_scope(session: Session, flt: TeamFilter) -> TeamScope:
    """Check every name in ``flt`` and resolve it; raise ``NotFoundError`` for the first unknown one."""
    if flt.code_paths and flt.code_group:
        raise ServiceError("choose either codes or a code group, not both")
    unknown_zones = sorted(set(flt.zones) - set(ZONE_KINDS))
    if unknown_zones:
        raise ServiceError(f"unknown zone {unknown_zones[0]!r}; zones are: {', '.join(ZONE_KINDS)}")
    if flt.zones and flt.exclude_paratext:
        raise ServiceError("choose either zones to keep or excluding paratext, not both")
    notes: list[str] = []
    documents = _documents(session, flt.document_ids)
    coder_ids = _coders(session, flt.coders, flt.document_ids)
    paths = code_paths(_nodes(session))
    code_ids, group = _codes(session, flt, paths, coder_ids, documents)
    continua = _continua(session, documents, flt, notes)
    assignments = _assignments(session, documents, coder_ids, notes)
    waiting = _waiting_for_review(session, documents, coder_ids, code_ids)
    if waiting:
        notes.append(review_note(waiting, "left out of agreement"))
    if not documents:
        notes.append("no documents in scope: the project has none or none were selected")
    if len(coder_ids) < 2:
        found = ", ".join(coder_ids) or "none"
        notes.append(f"agreement needs at least two coders; this selection has {len(coder_ids)} ({found})")
    if documents and not code_ids:
        notes.append("no codes in scope: the chosen coders have not coded these documents")
    return TeamScope(coder_ids, code_ids, group, documents, tuple(continua), tuple(notes), assignments)


def _assignments(
    session: Session, documents: dict[int, str], coder_ids: dict[str, int], notes: list[str]
) -> dict[int, frozenset[str]]:
    names = {coder_id: name for name, coder_id in coder_ids.items()}
    found = read_assignments(session, documents) if documents else {}
    chosen = {doc: frozenset(names[c] for c in ids if c in names) for doc, ids in found.items()}
    short = [doc for doc, coders in chosen.items() if len(coders) < 2]
    if short and len(coder_ids) >= 2:
        shown = ", ".join(str(d) for d in short[:10]) + (" …" if len(short) > 10 else "")
        notes.append(
            f"{len(short)} document(s) have fewer than two of the chosen coders assigned and are left out "
            f"of the figures: {shown}"
        )
    return chosen


def _nodes(session: Session) -> list[CodeNode]:
    rows = session.execute(select(Code.id, Code.parent_id, Code.name, Code.position)).all()
    return [CodeNode(r.id, r.parent_id, r.name, r.position) for r in rows]


def _documents(session: Session, wanted: Sequence[int]) -> dict[int, str]:
    query = select(Document.id, Document.title).order_by(Document.id)
    if wanted:
        query = query.where(Document.id.in_(sorted(set(wanted))))
    documents = {doc_id: title for doc_id, title in session.execute(query)}
    missing = sorted(set(wanted) - set(documents))
    if missing:
        raise NotFoundError(f"no document with id {missing[0]}")
    return documents


def _coders(session: Session, names: Sequence[str], document_ids: Sequence[int]) -> dict[str, int]:
    """The named coders, or by default every coder with role "coder" who coded something in the
    chosen documents (all documents when none are chosen) or was assigned one of them; a coder
    with neither would only count as having coded nothing and drag every figure down."""
    if names:
        coders = [find_coder(session, name) for name in dict.fromkeys(names)]
        result = {c.name: c.id for c in coders}
    else:
        working = select(Annotation.coder_id).distinct()
        assigned = select(Assignment.coder_id).distinct()
        if document_ids:
            working = working.where(Annotation.document_id.in_(sorted(set(document_ids))))
            assigned = assigned.where(Assignment.document_id.in_(sorted(set(document_ids))))
        rows = session.execute(
            select(Coder.name, Coder.id)
            .where(Coder.role == ROLE_CODER, or_(Coder.id.in_(working), Coder.id.in_(assigned)))
            .order_by(Coder.name)
        )
        result = {name: coder_id for name, coder_id in rows}
    if len(result) > MAX_CODERS:
        raise ServiceError(f"at most {MAX_CODERS} coders can be compared at once; choose fewer")
    return result


def _codes(
    session: Session,
    flt: TeamFilter,
    paths: dict[int, str],
    coder_ids: dict[str, int],
    documents: dict[int, str],
) -> tuple[dict[str, int], str]:
    group = ""
    if flt.code_group:
        root = find_code_by_path(session, flt.code_group).id
        ids = subtree_ids(_nodes(session), root)
        if len(ids) > 1 and paths[root] + GROUP_SUFFIX not in paths.values():
            group = paths[root] + GROUP_SUFFIX
    elif flt.code_paths:
        ids = list(dict.fromkeys(find_code_by_path(session, path).id for path in flt.code_paths))
    else:
        # One index probe per code ("is there a span of it?"), not a DISTINCT over every span:
        # ~0.5 ms instead of ~0.1 s at 300k spans.
        span = select(Annotation.id).where(
            Annotation.code_id == Code.id, Annotation.coder_id.in_(list(coder_ids.values()))
        )
        if flt.document_ids:
            span = span.where(Annotation.document_id.in_(list(documents)))
        used = select(Code.id).where(span.exists())
        ids = list(session.scalars(used)) if coder_ids and documents else []
    wanted = set(ids)
    ordered = [node.id for node in tree_order(_nodes(session)) if node.id in wanted]
    return {paths[code_id]: code_id for code_id in ordered}, group


def _continua(
    session: Session, documents: dict[int, str], flt: TeamFilter, notes: list[str]
) -> list[Continuum]:
    if not documents:
        return []
    query = select(Document.id, Document.length).order_by(Document.id)
    if flt.document_ids:
        query = query.where(Document.id.in_(list(documents)))
    lengths: dict[int, int] = {doc_id: length for doc_id, length in session.execute(query)}
    if not flt.zones and not flt.exclude_paratext:
        return [Continuum(doc_id, length) for doc_id, length in lengths.items()]
    kinds = sorted(flt.zones or PARATEXT_ZONES)
    zones: dict[int, list[tuple[int, int]]] = {}
    zone_query = select(DocumentZone.document_id, DocumentZone.start, DocumentZone.end).where(
        DocumentZone.kind.in_(kinds)
    )
    for doc_id, start, end in session.execute(zone_query):
        zones.setdefault(doc_id, []).append((start, end))
    if flt.exclude_paratext:
        return [
            Continuum(doc_id, length, tuple(difference([(0, length)], union(zones.get(doc_id, [])))))
            if doc_id in zones
            else Continuum(doc_id, length)
            for doc_id, length in lengths.items()
        ]
    zoned = set(session.scalars(select(DocumentZone.document_id).distinct()))
    without = [doc_id for doc_id in lengths if doc_id not in zoned]
    if without:
        notes.append(
            f"{len(without)} document(s) have no zones (e.g. plain-text imports) and so no text in the "
            f"chosen zones: {', '.join(str(d) for d in without[:10])}{' …' if len(without) > 10 else ''}"
        )
    return [
        Continuum(doc_id, length, tuple(union(zones.get(doc_id, [])))) for doc_id, length in lengths.items()
    ]


def load_spans(
    session: Session, scope: TeamScope, *, coder_ids: Sequence[int] | None = None
) -> list[CodedSpan]:
    """The chosen coders' spans of the chosen codes on the chosen documents, keyed by path and name."""
    ids = _coder_ids(scope, coder_ids)
    if not ids or not scope.code_ids or not scope.documents:
        return []
    names = _coder_names(session, scope, ids)
    paths = {code_id: path for path, code_id in scope.code_ids.items()}
    return [
        CodedSpan(doc_id, paths[code_id], names[coder_id], start, end)
        for doc_id, code_id, coder_id, start, end in session.execute(_span_query(session, scope, ids))
    ]


def load_span_columns(
    session: Session, scope: TeamScope, *, coder_ids: Sequence[int] | None = None
) -> SpanColumns:
    """``load_spans`` as ``SpanColumns``: codes in ``scope.codes`` order, coders in ``coder_ids`` order.

    For agreement over hundreds of thousands of spans, no Python object per span or per number:
    the database packs each span into two integers (document, code and coder ids; start and
    end), writes them all into one text, and numpy parses it (``store.span_reads``). At 300k spans
    that is ~0.23 s of CPU on SQLite, against ~0.42 s for DBAPI tuples of five numbers.
    """
    ids = _coder_ids(scope, coder_ids)
    names = _coder_names(session, scope, ids) if ids else {}
    coders = tuple(names[coder_id] for coder_id in ids)
    code_ids = list(scope.code_ids.values())
    table: npt.NDArray[np.int64] = np.zeros((0, 5), dtype=np.int64)
    if ids and scope.code_ids and scope.documents:
        id_maxima = (max(scope.documents), max(scope.code_ids.values()), max(ids))
        table = span_table(session, _span_query(session, scope, ids), id_maxima)
    return SpanColumns(
        document_id=table[:, 0],
        code_index=_positions(code_ids)[table[:, 1]],
        coder_index=_positions(ids)[table[:, 2]],
        start=table[:, 3],
        end=table[:, 4],
        codes=scope.codes,
        coders=coders,
    )


def _positions(ids: Sequence[int]) -> npt.NDArray[np.int64]:
    """A lookup array: ``lookup[id]`` is the position of ``id`` in ``ids``, −1 for other ids."""
    lookup = np.full(max(ids, default=-1) + 1, -1, dtype=np.int64)
    lookup[np.asarray(ids, dtype=np.int64)] = np.arange(len(ids), dtype=np.int64)
    return lookup


def _coder_ids(scope: TeamScope, coder_ids: Sequence[int] | None) -> list[int]:
    return list(scope.coder_ids.values()) if coder_ids is None else list(dict.fromkeys(coder_ids))


def _coder_names(session: Session, scope: TeamScope, ids: Sequence[int]) -> dict[int, str]:
    names = {coder_id: name for name, coder_id in scope.coder_ids.items()}
    names.update((i, n) for i, n in session.execute(select(Coder.id, Coder.name).where(Coder.id.in_(ids))))
    return names


def _span_query(session: Session, scope: TeamScope, ids: Sequence[int]) -> Select[int, int, int, int, int]:
    coder: ColumnElement[int] = Annotation.coder_id.expression
    code: ColumnElement[int] = Annotation.code_id.expression
    if session.get_bind().dialect.name == "sqlite":
        # "+ 0" keeps SQLite off the coder and code indexes, whose plan fetches every row from the
        # table (~2.5 µs a row); the unique (document, code, coder, start, end) index holds all
        # the columns and the rowid, so scanning it is ~2.5 times faster (0.8 → 0.3 s at 300k).
        coder, code = coder + 0, code + 0
    query = select(
        Annotation.document_id, Annotation.code_id, Annotation.coder_id, Annotation.start, Annotation.end
    )
    # A condition that every annotation meets (all the project's coders or codes) is left out:
    # at 300k annotations each costs SQLite ~20 ms.
    if len(set(ids)) < _count(session, Coder):
        query = query.where(coder.in_(list(ids)))
    if len(set(scope.code_ids.values())) < _count(session, Code):
        query = query.where(code.in_(list(scope.code_ids.values())))
    query = query.where(reviewed_or_unmoved())  # moved by an update and not reviewed: left out
    if len(scope.documents) < _count(session, Document):
        query = query.where(Annotation.document_id.in_(list(scope.documents)))
    return query


def _waiting_for_review(
    session: Session, documents: dict[int, str], coder_ids: dict[str, int], code_ids: dict[str, int]
) -> int:
    """How many annotations in scope an update moved onto edited text and no one reviewed yet:
    agreement leaves them out (:func:`_span_query`), and its notes say so."""
    pending = pending_annotation_ids(session, documents) if documents and coder_ids and code_ids else set()
    if not pending:
        return 0
    query = select(func.count()).where(
        Annotation.id.in_(sorted(pending)),
        Annotation.coder_id.in_(list(coder_ids.values())),
        Annotation.code_id.in_(list(code_ids.values())),
    )
    return int(session.scalar(query) or 0)


def _count(session: Session, model: type[Coder] | type[Code] | type[Document]) -> int:
    """How many rows the project's table of ``model`` has."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def as_group(spans: Sequence[CodedSpan], group: str) -> list[CodedSpan]:
    """Every span relabelled with the group's key: "coded with any code of the group"."""
    return [CodedSpan(s.document_id, group, s.coder, s.start, s.end) for s in spans]
