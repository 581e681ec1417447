"""A new project appears whole or not at all; what it refuses, and what it leaves behind (nothing)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session

from annotator.store import creation
from annotator.store.creation import create_store
from annotator.store.lock import lock_path
from annotator.store.migrations_runner import current_revision, head_revision
from annotator.store.models import Setting
from annotator.store.project import ProjectError, open_project, resolve_target


def _note(session: Session) -> None:
    session.add(Setting(key="note", value="made at once"))


def _fail(session: Session) -> None:
    _note(session)
    session.flush()  # the row and the schema are written; the commit never comes
    raise RuntimeError("populate failed")


def _tables(target: str) -> list[str]:
    engine = create_engine(resolve_target(target))
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_the_new_project_is_at_head_with_what_populate_added(project_target: str) -> None:
    store = create_store(project_target, _note)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.reading() as session:
            assert session.scalar(select(Setting.value).where(Setting.key == "note")) == "made at once"
    finally:
        store.close()


def test_a_failing_populate_leaves_nothing_and_the_place_free(project_target: str, backend: str) -> None:
    with pytest.raises(RuntimeError, match="populate failed"):
        create_store(project_target, _fail)
    if backend == "sqlite":
        assert os.listdir(Path(project_target).parent) == []  # no project, no hidden half-project
    else:
        assert _tables(project_target) == []  # not even alembic_version
    create_store(project_target, _note).close()


def test_an_existing_project_is_refused_and_untouched(project_target: str) -> None:
    create_store(project_target, _note).close()
    with pytest.raises(ProjectError, match="already"):
        create_store(project_target, _fail)
    store = open_project(project_target)
    with store.reading() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == "note")) == "made at once"
    store.close()


def test_sqlite_leaves_only_the_project_and_holds_its_lock_while_open(tmp_path: Path) -> None:
    target = tmp_path / "new.annotator"
    store = create_store(target, _note)
    assert lock_path(target).exists()  # opened like any project, under its lock
    store.close()
    assert os.listdir(tmp_path) == ["new.annotator"]  # no WAL, no hidden file, lock released


def test_sqlite_refuses_a_file_with_content_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "notes.annotator"
    target.write_text("my notes", encoding="utf-8")
    with pytest.raises(ProjectError, match="already exists"):
        create_store(target, _note)
    assert target.read_text(encoding="utf-8") == "my notes"
    assert os.listdir(tmp_path) == ["notes.annotator"]


def test_sqlite_fills_an_empty_file_a_file_dialog_made(tmp_path: Path) -> None:
    target = tmp_path / "new.annotator"
    target.touch()
    store = create_store(target, _note)
    assert current_revision(store.engine) == head_revision()
    store.close()


def test_sqlite_refuses_a_stray_wal_it_would_replay_into_the_new_file(tmp_path: Path) -> None:
    target = tmp_path / "old.annotator"
    Path(f"{target}-wal").write_bytes(b"frames of a database that is gone")
    with pytest.raises(ProjectError, match=r"old\.annotator-wal is left from an earlier database"):
        create_store(target, _note)
    assert not target.exists()


def test_sqlite_never_replaces_a_project_that_appeared_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "race.annotator"

    def another_process_wins(session: Session) -> None:
        create_store(target, _note).close()  # the same name, made while we were building

    with pytest.raises(ProjectError, match="already exists"):
        create_store(target, another_process_wins)
    store = open_project(target)
    with store.reading() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == "note")) == "made at once"
    store.close()
    assert sorted(os.listdir(tmp_path)) == ["race.annotator"]


@pytest.mark.parametrize("appeared", [False, True])
def test_sqlite_without_hard_links_renames_after_a_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, appeared: bool
) -> None:
    def no_links(_source: object, _destination: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")  # FAT, some network shares

    monkeypatch.setattr(creation.os, "link", no_links)
    target = tmp_path / "fat.annotator"

    def populate(session: Session) -> None:
        _note(session)
        if appeared:
            target.write_text("someone else's", encoding="utf-8")

    if appeared:
        with pytest.raises(ProjectError, match="already exists"):
            create_store(target, populate)
        assert target.read_text(encoding="utf-8") == "someone else's"
        assert os.listdir(tmp_path) == ["fat.annotator"]
    else:
        store = create_store(target, populate)
        assert current_revision(store.engine) == head_revision()
        store.close()


BUILDER = textwrap.dedent(
    """
    import sys
    from annotator.store.creation import create_store
    from annotator.store.models import Setting

    def populate(session):
        session.add(Setting(key="note", value="made at once"))
        session.flush()
        print("building", flush=True)
        sys.stdin.readline()  # killed here, or let go

    create_store(sys.argv[1], populate).close()
    """
)


def _start_building(target: Path) -> subprocess.Popen[str]:
    """``annotator new`` in a real process, stopped midway while it builds ``target``."""
    child = subprocess.Popen(
        [sys.executable, "-c", BUILDER, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "building\n"
    return child


def _hidden(folder: Path, project: str) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(f".{project}.creating-"))


@pytest.mark.skipif(os.name != "posix", reason="whether a process runs is asked the POSIX way")
@pytest.mark.parametrize("then", ["create", "open"])
def test_what_a_killed_creation_left_goes_when_a_project_is_made_or_opened_there(
    tmp_path: Path, then: str
) -> None:
    if then == "open":
        create_store(tmp_path / "existing.annotator", _note).close()
    killed = _start_building(tmp_path / "killed.annotator")
    left = _hidden(tmp_path, "killed.annotator")
    assert left and all(f".creating-{killed.pid}." in name for name in left)
    killed.kill()
    killed.communicate(timeout=30)
    assert _hidden(tmp_path, "killed.annotator") == left  # a kill leaves it behind
    older = tmp_path / ".old.annotator.creating-1a2b3c4d"  # no process id: nothing to ask
    older.write_bytes(b"")
    building = _start_building(tmp_path / "building.annotator")
    try:
        if then == "create":
            create_store(tmp_path / "next.annotator", _note).close()
        else:
            open_project(tmp_path / "existing.annotator").close()
        assert _hidden(tmp_path, "killed.annotator") == []
        assert _hidden(tmp_path, "building.annotator") != []  # its maker still runs
        assert older.exists()
    finally:
        building.communicate("\n", timeout=60)
    assert building.returncode == 0 and _hidden(tmp_path, "building.annotator") == []
    store = open_project(tmp_path / "building.annotator")
    with store.reading() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == "note")) == "made at once"
    store.close()
