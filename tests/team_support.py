"""Helpers for the several-coders tests: blind copies of the demo project, coded by named coders.

``team_targets`` hands out as many fresh project locations as a test needs, on the backend under
test (a PostgreSQL database each when ANNOTATOR_TEST_PG_URL is set). A coder's copy is the demo
project imported from the seeds; ``renamed`` copies get other file names, hence other titles,
with the same texts (the same hashes).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.core.text import text_hash
from annotator.io.importers import read_document
from annotator.services.annotations import apply_code
from annotator.services.codebook import find_code_by_path
from annotator.services.coders import ensure_coder
from annotator.services.documents import import_files
from annotator.services.projects import create_project
from annotator.store.models import Document
from annotator.store.project import ProjectStore
from tests.conftest import SEEDS

# Spans each coder applies in the scenario the merge, agreement and adjudication tests share:
# (seed index, code path, start, end). Alice and Bob agree on the first span, overlap on the
# second, and each has one the other lacks.
ALICE = [
    (0, "Trope/Slow burn", 0, 100),
    (0, "Trope/Slow burn", 500, 600),
    (0, "Trope/Pining", 200, 300),
    (1, "Power dynamic/Physical", 50, 80),
]
BOB = [
    (0, "Trope/Slow burn", 0, 100),
    (0, "Trope/Slow burn", 550, 650),
    (1, "Power dynamic/Physical", 1000, 1100),
]


@pytest.fixture
def team_targets(project_locations: Callable[[str], str]) -> Callable[[str], str]:
    """``make(name)``: a new, empty project location (file path or PostgreSQL URL)."""
    return project_locations


def seeded_copy(target: str, tmp_path: Path, *, renamed: bool = False) -> ProjectStore:
    """The demo project (fandom codebook + the five seed works); ``renamed`` gives other titles."""
    store = create_project(target, codebook="fandom")
    paths = list(SEEDS)
    if renamed:
        folder = tmp_path / f"renamed-{uuid.uuid4().hex[:6]}"
        folder.mkdir()
        paths = [Path(shutil.copy(seed, folder / f"Work {i + 1}.txt")) for i, seed in enumerate(SEEDS)]
    report = import_files(store, paths)
    assert not report.failed, report.failed
    return store


def seed_hash(index: int) -> str:
    return text_hash(read_document(SEEDS[index]).text)


def document_id(store: ProjectStore, seed_index: int) -> int:
    """The id a seed work has in ``store`` (found by its text, as merging does)."""
    with store.reading() as session:
        found = session.scalar(select(Document.id).where(Document.text_hash == seed_hash(seed_index)))
    assert found is not None, f"seed {seed_index} is not in {store.location}"
    return found


def code_id(store: ProjectStore, path: str) -> int:
    with store.reading() as session:
        return find_code_by_path(session, path).id


def code_as(store: ProjectStore, coder: str, spans: list[tuple[int, str, int, int]]) -> None:
    """``coder`` applies each (seed index, code path, start, end) in ``store``."""
    coder_id = ensure_coder(store, coder).id
    for seed, path, start, end in spans:
        apply_code(store, document_id(store, seed), start, end, code_id(store, path), coder_id)
