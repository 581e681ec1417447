"""Shared by the tests of updating works: a coded work on disk, and the project's rows to compare."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from annotator.core.reanchor import Anchor
from annotator.services import codebook as cb
from annotator.services import coders, documents, snapshots
from annotator.store.models import (
    Adjudication,
    AnchorReview,
    Annotation,
    Base,
    Document,
    DocumentAttribute,
    DocumentVersion,
    DocumentZone,
    utcnow,
)
from annotator.store.project import ProjectStore
from tests.conftest import SEEDS
from tests.core.edits import ao3_work

TABLES: tuple[type[Base], ...] = (
    Document,
    DocumentAttribute,
    DocumentZone,
    Annotation,
    Adjudication,
    DocumentVersion,
    AnchorReview,
)
REAL_AO3 = (
    Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "real" / "218676_incompleteWork.html"
)


def state(store: ProjectStore) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables an update touches, by table."""
    with store.reading() as session:
        return {model.__tablename__: snapshots.take(session, model, True) for model in TABLES}  # type: ignore[arg-type]


@dataclass
class CodedWork:
    store: ProjectStore
    document_id: int
    text: str
    coder_ids: list[int]
    code_ids: list[int]
    anchors: list[Anchor]  # the coded spans (key = annotation id)


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in SEEDS]


def import_text(store: ProjectStore, folder: Path, text: str, name: str = "work.txt") -> int:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    report = documents.import_files(store, [path])
    assert not report.failed, report.failed
    return report.imported[0].id


def write_version(folder: Path, text: str, name: str = "work-v2.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def make_team(store: ProjectStore, coder_count: int = 3, code_count: int = 5) -> tuple[list[int], list[int]]:
    coder_ids = [coders.ensure_coder(store, f"coder{i}").id for i in range(coder_count)]
    code_ids = [cb.add_code(store, f"Code {i}").id for i in range(code_count)]
    return coder_ids, code_ids


def code_spans(
    store: ProjectStore,
    document_id: int,
    text: str,
    anchors: Sequence[Anchor],
    coder_ids: Sequence[int],
    code_ids: Sequence[int],
    seed: int = 0,
) -> dict[int, int]:
    """Store one annotation per anchor (a random coder and code; clashes skipped): key -> id."""
    rng = random.Random(seed)
    rows, seen, keys = [], set(), []
    now = utcnow()
    for anchor in anchors:
        coder, code = rng.choice(coder_ids), rng.choice(code_ids)
        if (coder, code, anchor.start, anchor.end) in seen:
            continue
        seen.add((coder, code, anchor.start, anchor.end))
        keys.append(anchor.key)
        rows.append(
            {
                "document_id": document_id,
                "code_id": code,
                "coder_id": coder,
                "start": anchor.start,
                "end": anchor.end,
                "quote": text[anchor.start : anchor.end],
                "memo": f"memo {anchor.key}",
                "created_at": now,
                "updated_at": now,
            }
        )
    with store.transaction() as session:
        ids = session.scalars(insert(Annotation).returning(Annotation.id, sort_by_parameter_order=True), rows)
        return dict(zip(keys, ids, strict=True))


def coded_ao3_work(
    store: ProjectStore, folder: Path, anchors: int, seed: int, chapters: int = 3
) -> CodedWork:
    from tests.core.edits import make_anchors

    document_id = import_text(store, folder, ao3_work(seed_texts(), chapters, seed))
    text = documents.document_text(store, document_id)
    coder_ids, code_ids = make_team(store)
    spans = make_anchors(text, anchors, seed)
    keys = code_spans(store, document_id, text, spans, coder_ids, code_ids, seed)
    coded = [Anchor(keys[a.key], a.start, a.end, a.quote) for a in spans if a.key in keys]
    return CodedWork(store, document_id, text, coder_ids, code_ids, coded)
