"""Opening and creating projects: refusals with clear messages, where a target points, SQLite pragmas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.store.errors import ConcurrentChange
from annotator.store.project import ProjectError, open_project, resolve_display, resolve_target
from tests.conftest import PG_URL, fresh_pg_database


def test_create_refuses_an_existing_project(project_target: str) -> None:
    open_project(project_target, create=True).close()
    with pytest.raises(ProjectError, match="already"):
        open_project(project_target, create=True)


def test_create_then_open_keeps_the_data(project_target: str) -> None:
    store = open_project(project_target, create=True)
    with store.transaction() as session:
        session.execute(text("INSERT INTO settings (key, value) VALUES ('k', 'v')"))
    store.close()
    reopened = open_project(project_target)
    with reopened.reading() as session:
        assert session.execute(text("SELECT value FROM settings WHERE key = 'k'")).scalar() == "v"
    reopened.close()


def test_open_refuses_a_missing_file_without_creating_it(tmp_path: Path) -> None:
    missing = tmp_path / "typo.annotator"
    with pytest.raises(ProjectError, match=f"no project at {missing}"):
        open_project(missing)
    assert not missing.exists()


def test_open_refuses_an_sqlite_database_of_another_program(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    connection.close()
    with pytest.raises(ProjectError, match="is not an annotator project"):
        open_project(other)
    with sqlite3.connect(other) as connection:  # and it was not given our schema
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    connection.close()
    assert names == {"things"}


def test_open_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Chapter 1\n" * 200, encoding="utf-8")
    with pytest.raises(ProjectError, match=r"cannot open .*notes\.txt") as info:
        open_project(notes)
    assert "\n" not in str(info.value)
    assert notes.read_text(encoding="utf-8") == "Chapter 1\n" * 200


@pytest.mark.skipif(not PG_URL, reason="needs ANNOTATOR_TEST_PG_URL")
def test_open_refuses_an_empty_postgresql_database() -> None:
    with fresh_pg_database() as url, pytest.raises(ProjectError, match="is not an annotator project"):
        open_project(url)


def test_a_bad_url_is_a_project_error() -> None:
    with pytest.raises(ProjectError, match="not a valid database URL"):
        resolve_target("://nowhere")
    with pytest.raises(ProjectError, match="cannot open nosuchdb://"):
        open_project("nosuchdb://host/db")


def test_a_path_resolves_to_an_absolute_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = resolve_target("sub/my project.annotator")
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path.resolve() / "sub" / "my project.annotator")
    home = resolve_target("~/x.annotator")
    assert home.database == str(Path.home().resolve() / "x.annotator")


def test_a_url_is_taken_as_given() -> None:
    url = resolve_target("postgresql+psycopg://alice:secret@db.example:5433/fandom")
    assert url.get_backend_name() == "postgresql"
    assert (url.host, url.port, url.database, url.username) == ("db.example", 5433, "fandom", "alice")
    assert "secret" not in resolve_display(url)


def test_create_makes_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "study.annotator"
    store = open_project(target, create=True)
    assert store.location == str(target.resolve())
    assert store.display_name == "study.annotator"
    store.close()
    assert target.is_file()


def test_sqlite_pragmas_are_on_for_every_connection(tmp_path: Path) -> None:
    store = open_project(tmp_path / "p.annotator", create=True)
    # Several connections at once: each new DBAPI connection must get the pragmas.
    connections = [store.engine.connect() for _ in range(3)]
    try:
        for connection in connections:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    finally:
        for connection in connections:
            connection.close()
    with store.transaction() as session:  # and inside the sessions services use
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_foreign_keys_are_enforced_through_the_engine(tmp_path: Path) -> None:
    store = open_project(tmp_path / "p.annotator", create=True)
    with pytest.raises(ConcurrentChange), store.transaction() as session:
        session.execute(
            text(
                "INSERT INTO document_memos (document_id, coder_id, text, updated_at)"
                " VALUES (99, 99, '', '2024-01-01')"
            )
        )
    store.close()
