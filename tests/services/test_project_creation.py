"""Creating a project is all or nothing, even when the process is killed midway.

The sweep kills ``create_project(target, CODEBOOK_CSV)`` just before each of its statements (and
commits), in a real process. A three-code codebook file goes through the same code and the same
transaction as the fandom codebook, in a tenth of the statements. After each kill it checks what
was left: a complete project with the whole codebook and its ``initial_codebook`` setting (on
SQLite, with an ok ``integrity_check``), or nothing in the way. What a kill left in the way is
then tried for real: the location is not reset, so the next child creates the project again at
the same place, among every earlier kill's leftovers, and must get past the point where its
predecessor died (a refusal would end it early with an error, which fails the sweep); the last
child completes the project.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from annotator.services.codebook import list_codes
from annotator.services.projects import create_project
from annotator.store.migrations_runner import current_revision, head_revision
from annotator.store.models import Setting
from annotator.store.project import ProjectStore, open_project
from tests.conftest import fresh_pg_database
from tests.kill_points import KillingHelper, needs_fork, sweep

pytestmark = needs_fork


def _codebook(store: ProjectStore) -> list[tuple[str, str, str]]:
    return [(c.path, c.colour, c.short_name) for c in list_codes(store)]


SMALL_CODEBOOK = (
    "path,colour,short_name,definition\r\n"
    "Trope,#112233,TR,Recurring story patterns\r\n"
    "Trope/Slow burn,#445566,SB,Feelings take their time\r\n"
    "Consent/Explicit,#778899,CE,Said out loud\r\n"
)


@pytest.fixture(scope="module")
def codebook_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[tuple[str, str, str]]]:
    """A small codebook CSV, and the codebook a project created from it holds."""
    folder = tmp_path_factory.mktemp("codebook")
    csv_path = folder / "small-codebook.csv"
    csv_path.write_text(SMALL_CODEBOOK, encoding="utf-8")
    store = create_project(folder / "reference.annotator", str(csv_path))
    try:
        return str(csv_path), _codebook(store)
    finally:
        store.close()


@dataclass
class Location:
    """Where the project is created; ``present()`` says whether anything is there, ``reset()``
    removes a project made there (what a killed creation left beside it stays: see the module doc).
    """

    target: str
    present: Callable[[], bool]
    reset: Callable[[], None]


@pytest.fixture
def new_location(backend: str, tmp_path: Path) -> Iterator[Location]:
    with ExitStack() as stack:
        if backend == "sqlite":
            folder = tmp_path / "work"
            folder.mkdir()
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            path = folder / "project.annotator"

            def present() -> bool:
                if not path.exists():  # then nothing SQLite would take for part of a database there
                    assert not [p.name for p in folder.glob(f"{path.name}?*")]
                    return False
                connection = sqlite3.connect(path)
                try:
                    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                finally:
                    connection.close()
                return True

            def reset() -> None:
                for suffix in ("", "-wal", "-shm", "-journal", "-lock"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

            yield Location(str(path), present, reset)
            return
        url = stack.enter_context(fresh_pg_database())
        admin = create_engine(url)  # no app listeners; one idle connection, holding no locks
        stack.callback(admin.dispose)
        tables = text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")

        def has_tables() -> bool:
            with admin.connect() as connection:
                return bool(connection.execute(tables).scalar_one())

        def reset_database() -> None:
            if has_tables():
                with admin.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE"))
                    connection.execute(text("CREATE SCHEMA public"))

        yield Location(url, has_tables, reset_database)


def _assert_complete(store: ProjectStore, codebook: list[tuple[str, str, str]], source: str) -> None:
    assert current_revision(store.engine) == head_revision()
    assert _codebook(store) == codebook and len(codebook) == 4  # Consent is implied by its child
    with store.reading() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == "initial_codebook")) == source


@pytest.mark.slow
def test_creation_killed_at_any_statement_leaves_a_whole_project_or_none(
    new_location: Location, backend: str, codebook_file: tuple[str, list[tuple[str, str, str]]]
) -> None:
    source, codebook = codebook_file
    target = new_location.target
    outcomes = {"nothing": 0, "complete": 0}

    def check() -> None:
        if not new_location.present():
            outcomes["nothing"] += 1
            return  # the next child tries creating it again here (see the module doc)
        outcomes["complete"] += 1
        store = open_project(target)
        try:
            _assert_complete(store, codebook, source)
        finally:
            store.close()

    imports = "from annotator.services.projects import create_project"
    with KillingHelper(imports, f"create_project(target, {source!r}).close()", target) as helper:
        result = sweep(helper, new_location.reset, check)
    print(result.summary(f"create_project on {backend}"), outcomes)
    assert result.points >= 20  # the schema and the codebook, statement by statement
    assert not result.failures, result.report(f"create_project on {backend}")
    assert outcomes["nothing"] and outcomes["complete"]  # the kills landed on both sides of the move
