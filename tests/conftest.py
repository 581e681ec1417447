"""Shared fixtures: a temporary project on SQLite, and on PostgreSQL when ANNOTATOR_TEST_PG_URL is set.

Every store-backed test runs on each available backend. PostgreSQL tests get a fresh database of
their own, created from the server at ANNOTATOR_TEST_PG_URL and dropped afterwards
(``fresh_pg_database``, the one place that does it).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
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
# keep drawing new examples, which is how the property tests find new cases. Neither has a
# per-example deadline: the properties are about results, not time, and on a machine busy with
# something else (a benchmark, another test run) a correct example may pass Hypothesis's 200 ms.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("local", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "local")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """The URL of a new, empty database on the server at ANNOTATOR_TEST_PG_URL, dropped on exit."""
    assert PG_URL, "needs ANNOTATOR_TEST_PG_URL"
    server = make_url(PG_URL)
    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            # FORCE: a store a failed test left open must not keep the database alive.
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def project_locations(backend: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``make(name)``: where a new project can be created on the backend under test.

    A file path in the test's folder (the same path for the same name), or the URL of a fresh
    PostgreSQL database per call; the databases are dropped when the test ends.
    """
    with ExitStack() as databases:

        def make(name: str) -> str:
            if backend == "sqlite":
                return str(tmp_path / f"{name}.annotator")
            return databases.enter_context(fresh_pg_database())

        yield make


@pytest.fixture
def project_target(project_locations: Callable[[str], str]) -> str:
    """Where a new project can be created: a file path, or the URL of a fresh PostgreSQL database."""
    return project_locations("project")


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
