"""A small coding project for service tests: one document, two coders, a three-level codebook."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import update

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.projects import create_project
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore

# Astral characters (fox, family ZWJ sequence) make code-point and UTF-16 offsets differ.
TEXT = "The quick brown fox 🦊 jumps.\nShe said “no” 👩‍👩‍👧 and left.\nThe end."
OLD = datetime(2020, 1, 2, 3, 4, 5)


@dataclass
class World:
    store: ProjectStore
    doc: int
    ana: int
    ben: int
    trope: int
    slow_burn: int
    fluff: int
    angst: int


@pytest.fixture
def world(empty_project: ProjectStore) -> World:
    """Codes Trope/{Slow burn, Fluff} and Angst; ana coded two spans, ben one (timestamps in 2020)."""
    store = empty_project
    doc = documents.add_document(
        store,
        ImportedDocument(
            title="Foxes",
            source_format="text",
            text=TEXT,
            source_name="foxes.txt",
            attributes={"fandom": ["Nature"], "rating": ["G"]},
            zones=[ZoneSpec("story", 0, len(TEXT))],
        ),
    )
    ana, ben = coders.ensure_coder(store, "ana"), coders.ensure_coder(store, "ben")
    trope = cb.add_code(store, "Trope", definition="Recurring patterns")
    slow_burn = cb.add_code(store, "Slow burn", trope.id, "#aa0000", inclusion="takes its time")
    fluff = cb.add_code(store, "Fluff", trope.id)
    angst = cb.add_code(store, "Angst")
    ann.apply_code(store, doc.id, 4, 9, slow_burn.id, ana.id, memo="quick")
    ann.apply_code(store, doc.id, 16, 21, fluff.id, ana.id)
    ann.apply_code(store, doc.id, 4, 9, slow_burn.id, ben.id)
    # As if coded long ago: an undo that touched a timestamp would show.
    with store.transaction() as session:
        session.execute(update(Annotation).values(created_at=OLD, updated_at=OLD))
    return World(store, doc.id, ana.id, ben.id, trope.id, slow_burn.id, fluff.id, angst.id)


@pytest.fixture
def second_empty_project(project_locations: Callable[[str], str]) -> Iterator[ProjectStore]:
    """Another empty project on the same backend, e.g. to import into what the first exported."""
    store = create_project(project_locations("second"), codebook="empty")
    yield store
    store.close()
