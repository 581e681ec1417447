"""Adjudication: the team settles each disagreement, and the result is the consensus coder's coding.

A disagreement (``annotator.core.disagreements``) is a cluster of overlapping spans of one code
in one document whose coders' versions differ. Its key is (document id, code path, start, end)
with ``[start, end)`` the cluster's hull; the consensus coder's own spans never change clusters,
so the key stays stable while the team works. A disagreement is resolved when the consensus coder
(role "consensus", created as "consensus" on first use) has a span of that code overlapping it,
or a "neither" decision is stored for it (table ``adjudications``).

Each resolution is one transaction that first clears any earlier resolution of the same
disagreement (changing one's mind replaces, never piles up) and returns the rows it added and
removed, so undo and redo put back exactly those rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core.disagreements import clip_to_zones, find_disagreements, find_disagreements_in_columns
from annotator.core.validation import validate_span
from annotator.io.agreement_csv import write_disagreements_csv
from annotator.services import snapshots
from annotator.services.coders import ROLE_CONSENSUS, ensure_coder_in
from annotator.services.documents import document_text
from annotator.services.errors import NotFoundError, ServiceError
from annotator.services.team_scope import TeamFilter, load_span_columns, load_spans, resolve_scope
from annotator.store.models import Adjudication, Annotation, Code, Coder, Document, utcnow
from annotator.store.project import ProjectStore

DEFAULT_CONSENSUS_NAME = "consensus"
NEITHER = "neither"
OPEN, BY_CONSENSUS, BY_NEITHER = "open", "consensus", "neither"

Interval = tuple[int, int]


@dataclass(frozen=True)
class DisagreementItem:
    """One disagreement to adjudicate, with every coder's version and its resolution state."""

    document_id: int
    document_title: str
    code_id: int
    code_path: str
    start: int
    end: int
    versions: dict[str, tuple[Interval, ...]]
    status: str = OPEN  # OPEN, BY_CONSENSUS or BY_NEITHER
    consensus: tuple[Interval, ...] = ()  # the consensus coder's spans of this code overlapping it

    @property
    def key(self) -> tuple[int, str, int, int]:
        return (self.document_id, self.code_path, self.start, self.end)

    @property
    def resolved(self) -> bool:
        return self.status != OPEN


@dataclass(frozen=True)
class Decision:
    """How to resolve: ``accept`` one coder's version, ``all`` versions, a new ``span``, or ``neither``."""

    kind: str
    coder: str = ""
    start: int = 0
    end: int = 0

    @classmethod
    def accept(cls, coder: str) -> Decision:
        return cls("accept", coder=coder)

    @classmethod
    def accept_all(cls) -> Decision:
        return cls("all")

    @classmethod
    def new_span(cls, start: int, end: int) -> Decision:
        return cls("span", start=start, end=end)

    @classmethod
    def neither(cls) -> Decision:
        return cls(NEITHER)

    def describe(self) -> str:
        if self.kind == "accept":
            return f"accept {self.coder}"
        if self.kind == "span":
            return f"new span [{self.start}, {self.end})"
        return "accept all" if self.kind == "all" else self.kind


@dataclass(frozen=True)
class Resolution:
    """Rows one resolution added and removed (whole rows, so undo/redo restore them under their ids)."""

    added: list[dict[str, Any]] = field(default_factory=list)  # consensus annotations
    removed: list[dict[str, Any]] = field(default_factory=list)
    decisions_added: list[dict[str, Any]] = field(default_factory=list)  # adjudications rows
    decisions_removed: list[dict[str, Any]] = field(default_factory=list)
    created_consensus: bool = False  # this decision created the consensus coder


# --- the consensus coder -------------------------------------------------------------------------


def consensus_coder_in(session: Session, *, create: bool = True) -> Coder | None:
    """The project's consensus coder (the first with that role), created on first use."""
    coder = session.scalar(select(Coder).where(Coder.role == ROLE_CONSENSUS).order_by(Coder.id))
    if coder is not None or not create:
        return coder
    clash = session.scalar(select(Coder).where(Coder.name == DEFAULT_CONSENSUS_NAME))
    if clash is not None:
        raise ServiceError(
            f"a coder named {DEFAULT_CONSENSUS_NAME!r} exists but codes as a person; rename it to adjudicate"
        )
    return ensure_coder_in(session, DEFAULT_CONSENSUS_NAME, role=ROLE_CONSENSUS)


# --- listing -------------------------------------------------------------------------------------


def list_disagreements(
    store: ProjectStore, coders: Sequence[str] = (), flt: TeamFilter | None = None
) -> list[DisagreementItem]:
    """Disagreements among ``coders`` (default: every coder with role "coder" who coded) in scope,
    ordered by document, start and code, each with its resolution state."""
    flt = flt or TeamFilter()
    if coders:
        flt = TeamFilter(
            tuple(coders), flt.code_paths, flt.code_group, flt.document_ids, flt.zones, flt.exclude_paratext
        )
    with store.reading() as session:
        scope = resolve_scope(session, flt)
        consensus = consensus_coder_in(session, create=False)
        if consensus is not None and consensus.id in scope.coder_ids.values():
            raise ServiceError(f"{consensus.name!r} is the consensus coder; compare the other coders")
        included = {c.document_id: c.included for c in scope.continua}
        if all(zones is None for zones in included.values()):
            found = find_disagreements_in_columns(load_span_columns(session, scope))
        else:  # zones chosen: spans cut to the included text, as the statistics count them
            found = find_disagreements(clip_to_zones(load_spans(session, scope), included), scope.coders)
        agreed = _consensus_spans(session, consensus, found, scope.code_ids)
        decided = select(Adjudication.document_id, Adjudication.code_id, Adjudication.start, Adjudication.end)
        neither = {tuple(r) for r in session.execute(decided.where(Adjudication.decision == NEITHER))}
    items = []
    for d in found:
        code_id = scope.code_ids[d.code]
        mine = tuple(s for s in agreed.get((d.document_id, code_id), ()) if s[0] < d.end and s[1] > d.start)
        status = OPEN
        if mine:
            status = BY_CONSENSUS
        elif (d.document_id, code_id, d.start, d.end) in neither:
            status = BY_NEITHER
        items.append(
            DisagreementItem(
                d.document_id,
                scope.documents[d.document_id],
                code_id,
                d.code,
                d.start,
                d.end,
                d.versions,
                status,
                mine,
            )
        )
    return items


def _consensus_spans(
    session: Session, consensus: Coder | None, found: Sequence[Any], code_ids: dict[str, int]
) -> dict[tuple[int, int], list[Interval]]:
    if consensus is None or not found:
        return {}
    documents = sorted({d.document_id for d in found})
    rows = session.execute(
        select(Annotation.document_id, Annotation.code_id, Annotation.start, Annotation.end)
        .where(
            Annotation.coder_id == consensus.id,
            Annotation.document_id.in_(documents),
            Annotation.code_id.in_(list(code_ids.values())),
        )
        .order_by(Annotation.start, Annotation.end)
    )
    spans: dict[tuple[int, int], list[Interval]] = {}
    for doc_id, code_id, start, end in rows:
        spans.setdefault((doc_id, code_id), []).append((start, end))
    return spans


def adjudication_progress(items: Sequence[DisagreementItem]) -> tuple[int, int]:
    """(resolved, total): "n of m resolved"."""
    return sum(1 for item in items if item.resolved), len(items)


def export_disagreements_csv(
    store: ProjectStore,
    out: TextIO,
    flt: TeamFilter | None = None,
    coders: Sequence[str] = (),
    *,
    items: Sequence[DisagreementItem] | None = None,
) -> int:
    """One row per coder version of each disagreement (a coder who did not code it: no span).

    ``items`` (from :func:`list_disagreements`) saves listing them again."""
    if items is None:
        items = list_disagreements(store, coders, flt)
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        text = document_text(store, item.document_id)
        base = {
            "disagreement": number,
            "document_id": item.document_id,
            "document": item.document_title,
            "code_path": item.code_path,
            "status": item.status,
        }
        for coder, versions in item.versions.items():
            if not versions:
                rows.append(base | {"coder": coder, "text": ""})
            for start, end in versions:
                rows.append(base | {"coder": coder, "start": start, "end": end, "text": text[start:end]})
    return write_disagreements_csv(rows, out)


# --- resolving -----------------------------------------------------------------------------------


def _decided_spans(item: DisagreementItem, decision: Decision, length: int) -> list[Interval]:
    """The consensus spans a decision stands for; empty means "neither"."""
    if decision.kind == "accept":
        if decision.coder not in item.versions:
            raise ServiceError(f"{decision.coder!r} is not one of this disagreement's coders")
        return list(item.versions[decision.coder])
    if decision.kind == "all":
        return sorted({span for versions in item.versions.values() for span in versions})
    if decision.kind == "span":
        validate_span(decision.start, decision.end, length)
        if not (decision.start < item.end and decision.end > item.start):
            raise ServiceError(
                f"the new span [{decision.start}, {decision.end}) must overlap the disagreement "
                f"[{item.start}, {item.end})"
            )
        return [(decision.start, decision.end)]
    if decision.kind == NEITHER:
        return []
    raise ServiceError(f"unknown decision {decision.kind!r}")


def resolve_disagreement(store: ProjectStore, item: DisagreementItem, decision: Decision) -> Resolution:
    """Record the team's decision as consensus annotations (or a "neither" row), in one transaction."""
    text = document_text(store, item.document_id)
    spans = _decided_spans(item, decision, len(text))
    with store.transaction() as session:
        if session.get(Document, item.document_id) is None:
            raise NotFoundError(f"no document with id {item.document_id}")
        if session.get(Code, item.code_id) is None:
            raise NotFoundError(f"the code {item.code_path!r} no longer exists")
        created = consensus_coder_in(session, create=False) is None
        consensus = consensus_coder_in(session)
        assert consensus is not None
        earlier = (
            (Annotation.coder_id == consensus.id)
            & (Annotation.document_id == item.document_id)
            & (Annotation.code_id == item.code_id)
            & (Annotation.start < item.end)
            & (Annotation.end > item.start)
        )
        same_key = (
            (Adjudication.document_id == item.document_id)
            & (Adjudication.code_id == item.code_id)
            & (Adjudication.start == item.start)
            & (Adjudication.end == item.end)
        )
        removed = snapshots.take(session, Annotation, earlier)
        decisions_removed = snapshots.take(session, Adjudication, same_key)
        session.execute(delete(Annotation).where(earlier))
        session.execute(delete(Adjudication).where(same_key))
        now = utcnow()
        rows = [
            Annotation(
                document_id=item.document_id,
                code_id=item.code_id,
                coder_id=consensus.id,
                start=start,
                end=end,
                quote=text[start:end],
                memo="",
                created_at=now,
                updated_at=now,
            )
            for start, end in spans
        ]
        decision_rows = (
            []
            if spans
            else [
                Adjudication(
                    document_id=item.document_id,
                    code_id=item.code_id,
                    start=item.start,
                    end=item.end,
                    decision=NEITHER,
                    decided_at=now,
                )
            ]
        )
        session.add_all([*rows, *decision_rows])
        session.flush()
        return Resolution(
            added=snapshots.take(session, Annotation, Annotation.id.in_([r.id for r in rows])),
            removed=removed,
            decisions_added=snapshots.take(
                session, Adjudication, Adjudication.id.in_([r.id for r in decision_rows])
            ),
            decisions_removed=decisions_removed,
            created_consensus=created,
        )


def undo_resolution(store: ProjectStore, resolution: Resolution) -> None:
    """Take a resolution back: its rows go, the rows it replaced return under their old ids."""
    _swap(
        store,
        gone=(resolution.added, resolution.decisions_added),
        back=(resolution.removed, resolution.decisions_removed),
    )


def redo_resolution(store: ProjectStore, resolution: Resolution) -> None:
    _swap(
        store,
        gone=(resolution.removed, resolution.decisions_removed),
        back=(resolution.added, resolution.decisions_added),
    )


def _swap(
    store: ProjectStore,
    gone: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    back: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    with store.transaction() as session:
        if gone[0]:
            session.execute(delete(Annotation).where(Annotation.id.in_([r["id"] for r in gone[0]])))
        if gone[1]:
            session.execute(delete(Adjudication).where(Adjudication.id.in_([r["id"] for r in gone[1]])))
        snapshots.put_back(session, Annotation, back[0])
        snapshots.put_back(session, Adjudication, back[1])
