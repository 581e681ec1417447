"""Shared fixtures: a temporary project on SQLite, and on PostgreSQL when ANNOTATOR_TEST_PG_URL is set.

Every store-backed test runs on each available backend. PostgreSQL tests get a fresh database of
their own, created from the server at ANNOTATOR_TEST_PG_URL and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.paths import seeds_dir
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore

PG_URL = os.environ.get("ANNOTATOR_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
SEEDS = sorted(seeds_dir().glob("*.txt"))

# CI replays the same examples every run, so a red build is reproducible from its log; local runs
# keep drawing new examples, which is how the property tests find new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def project_target(backend: str, tmp_path: Path) -> Iterator[str]:
    """Where a new project can be created: a file path, or the URL of a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield str(tmp_path / "project.annotator")
        return
    server = make_url(PG_URL)
    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_project(project_target: str) -> Iterator[ProjectStore]:
    store = create_project(project_target, codebook="empty")
    yield store
    store.close()


@pytest.fixture
def fandom_project(project_target: str) -> Iterator[ProjectStore]:
    """A new project with the default fandom codebook and no documents."""
    store = create_project(project_target, codebook="fandom")
    yield store
    store.close()


@pytest.fixture
def seeded_project(project_target: str) -> Iterator[ProjectStore]:
    """The demo: default codebook plus the five seed works."""
    from annotator.services.documents import import_files

    store = create_project(project_target, codebook="fandom")
    report = import_files(store, SEEDS)
    assert not report.failed, report.failed
    yield store
    store.close()
