"""Upgrading an old project is all or nothing, even when the process is killed midway.

The sweep kills ``open_project`` on a project at revision 0001 just before each statement (and
commit) of its upgrade to head, in a real process, and checks what each kill left: the old schema
or the new one, every row, a project that opens (and is then at head), and on SQLite a file whose
``integrity_check`` is ok. Processes opening an old project at once take turns upgrading it, and
the SQLite backup made before the upgrade keeps the project's file mode.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from annotator.store.migrations_runner import current_revision, head_revision, upgrade_to_head
from annotator.store.project import _make_engine, open_project, resolve_target
from tests.conftest import fresh_pg_database
from tests.kill_points import REPO, KillingHelper, needs_fork, sweep
from tests.store.test_migrations import COUNTED_TABLES, OLD_ROWS

OLD = "0001"


def _make_old_project(target: str) -> None:
    """The 0001 schema with one row of everything, at ``target`` (an empty database)."""
    engine = _make_engine(resolve_target(target))
    try:
        upgrade_to_head(engine, resolve_target(target), revision=OLD)
        with engine.begin() as connection:
            for statement in OLD_ROWS:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _state(engine: Engine) -> tuple[str | None, set[str], dict[str, int]]:
    """Revision, tables and row counts, read without the app's open (which would upgrade)."""
    with engine.connect() as connection:
        counts = {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED_TABLES
        }
    return current_revision(engine), set(inspect(engine).get_table_names()), counts


@pytest.fixture
def old_location(backend: str, tmp_path: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """Where an old project lives, and ``reset()`` that puts it back at revision 0001."""
    with ExitStack() as stack:
        if backend == "sqlite":
            template = tmp_path / "template.annotator"
            _make_old_project(str(template))
            folder = tmp_path / "work"
            target = folder / "project.annotator"

            def reset() -> None:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                shutil.copyfile(template, target)

            yield str(target), reset
            return
        url = stack.enter_context(fresh_pg_database())
        admin = create_engine(url)
        stack.callback(admin.dispose)

        def reset_database() -> None:
            with admin.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            _make_old_project(url)

        yield url, reset_database


@needs_fork
def test_an_upgrade_killed_at_any_statement_leaves_the_old_schema_or_the_new(
    old_location: tuple[str, Callable[[], None]], backend: str
) -> None:
    target, reset = old_location
    reset()
    plain = create_engine(resolve_target(target))  # no app listeners, no upgrade on connect
    try:
        old_revision, old_tables, rows = _state(plain)
        plain.dispose()
        store = open_project(target)
        new_tables = set(inspect(store.engine).get_table_names())
        store.close()
        assert old_revision == OLD and new_tables > old_tables

        def check() -> None:
            if backend == "sqlite":
                connection = sqlite3.connect(target)
                try:
                    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
                finally:
                    connection.close()
            revision, tables, counts = _state(plain)
            plain.dispose()  # let go of the file before the app opens it
            assert (revision, tables) in ((OLD, old_tables), (head_revision(), new_tables)), (
                f"half upgraded: revision {revision}, tables beyond {OLD}'s: {sorted(tables - old_tables)}"
            )
            assert counts == rows
            opened = open_project(target)
            try:
                assert current_revision(opened.engine) == head_revision()
                assert _state(opened.engine)[1:] == (new_tables, rows)
            finally:
                opened.close()

        imports = "from annotator.store.project import open_project"
        with KillingHelper(imports, "open_project(target).close()", target) as helper:
            result = sweep(helper, reset, check)
    finally:
        plain.dispose()
    print(result.summary(f"upgrade {OLD}→{head_revision()} on {backend}"))
    assert result.points >= 10  # the kills did land inside the upgrade
    assert not result.failures, result.report(f"upgrade {OLD}→{head_revision()} on {backend}")


def test_processes_opening_an_old_project_at_once_take_turns_upgrading_it(
    old_location: tuple[str, Callable[[], None]], backend: str
) -> None:
    target, reset = old_location
    reset()
    script = "import sys\nfrom annotator.store.project import open_project\nopen_project(sys.argv[1]).close()"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    openers = [
        subprocess.Popen([sys.executable, "-c", script, target], stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(3)
    ]
    errors = [opener.communicate()[1] for opener in openers]
    assert [opener.returncode for opener in openers] == [0, 0, 0], errors
    store = open_project(target)
    assert current_revision(store.engine) == head_revision()
    store.close()
    if backend == "sqlite":  # one upgrade, so one backup, of the old schema
        path = Path(target)
        [backup] = list(path.parent.glob(f"{path.name}.backup-*"))
        assert backup.name.startswith(f"{path.name}.backup-{OLD}-")


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize(("mode", "umask"), [(0o600, 0o022), (0o640, 0o077), (0o644, 0o077)])
def test_the_backup_before_an_upgrade_keeps_the_project_file_mode(
    tmp_path: Path, mode: int, umask: int
) -> None:
    path = tmp_path / "private.annotator"
    _make_old_project(str(path))
    path.chmod(mode)
    previous = os.umask(umask)  # the backup takes the project's mode, whatever the umask
    try:
        open_project(path).close()
    finally:
        os.umask(previous)
    [backup] = list(tmp_path.glob(f"{path.name}.backup-{OLD}-*"))
    assert stat.S_IMODE(backup.stat().st_mode) == mode
    assert stat.S_IMODE(path.stat().st_mode) == mode
    # Only complete backups carry the name; the one being written is hidden and gone now.
    assert not list(tmp_path.glob(".*partial*"))
