"""Schema migrations: new projects are at head, models match the migrations, old projects upgrade safely."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from annotator.services.annotations import apply_code, list_annotations
from annotator.services.coders import list_coders
from annotator.store.migrations_runner import (
    alembic_config,
    current_revision,
    described_by_models,
    head_revision,
    migration_connection,
    upgrade_to_head,
)
from annotator.store.models import Base
from annotator.store.project import _make_engine, open_project, resolve_target

# Rows written with plain SQL against the 0001 schema: one of everything, linked by foreign keys.
# No explicit ids, so PostgreSQL's sequences stay right for rows the app adds after the upgrade.
_CODE = (
    "INSERT INTO codes (parent_id, name, short_name, colour, definition, inclusion, exclusion, example,"
    " position)"
)
_NOW = "'2024-05-01 10:00:00'"
OLD_ROWS = [
    "INSERT INTO coders (name, colour) VALUES ('ana', '#112233')",
    f"{_CODE} VALUES (NULL, 'Trope', '', '#445566', 'tropes', '', '', '', 0)",
    f"{_CODE} SELECT id, 'Slow burn', 'sb', '#778899', '', '', '', '', 0 FROM codes WHERE name = 'Trope'",
    "INSERT INTO documents (title, source_format, source_name, text, text_hash, length, imported_at)"
    f" VALUES ('Work', 'text', 'work.txt', 'Once upon a time', 'abc', 16, {_NOW})",
    "INSERT INTO document_attributes (document_id, name, value, position)"
    " SELECT id, 'fandom', 'X', 0 FROM documents",
    'INSERT INTO document_zones (document_id, kind, start, "end", label)'
    " SELECT id, 'story', 0, 16, '' FROM documents",
    "INSERT INTO document_memos (document_id, coder_id, text, updated_at)"
    f" SELECT d.id, c.id, 'a memo', {_NOW} FROM documents d, coders c",
    'INSERT INTO annotations (document_id, code_id, coder_id, start, "end", quote, memo, created_at,'
    f" updated_at) SELECT d.id, k.id, c.id, 0, 4, 'Once', 'why', {_NOW}, {_NOW}"
    " FROM documents d, codes k, coders c WHERE k.name = 'Slow burn'",
]
COUNTED_TABLES = (
    "coders",
    "codes",
    "documents",
    "document_attributes",
    "document_zones",
    "document_memos",
    "annotations",
)


@pytest.fixture
def bare_engine(project_target: str) -> Iterator[Engine]:
    """An engine set up as the app sets it up (SQLite foreign keys on), on a database with no schema."""
    engine = _make_engine(resolve_target(project_target))
    yield engine
    engine.dispose()


def _put_old_rows(engine: Engine) -> None:
    with engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED_TABLES}


def _schema_differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        opts = {"compare_type": True, "include_name": described_by_models}
        context = MigrationContext.configure(connection, opts=opts)
        return list(compare_metadata(context, Base.metadata))


def _revisions_base_first() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_a_new_project_is_at_head(project_target: str) -> None:
    store = open_project(project_target, create=True)
    assert current_revision(store.engine) == head_revision()
    assert upgrade_to_head(store.engine, store.url) is None  # nothing to do, no backup
    store.close()


def test_the_models_match_the_newest_migration(project_target: str) -> None:
    store = open_project(project_target, create=True)
    assert _schema_differences(store.engine) == []
    store.close()


def test_an_old_project_is_upgraded_with_a_backup_and_keeps_its_data(
    project_target: str, bare_engine: Engine, backend: str
) -> None:
    upgrade_to_head(bare_engine, resolve_target(project_target), revision="0001")
    assert current_revision(bare_engine) == "0001"
    _put_old_rows(bare_engine)
    before = _counts(bare_engine)
    bare_engine.dispose()

    store = open_project(project_target)
    assert current_revision(store.engine) == head_revision()
    assert _counts(store.engine) == before
    [annotation] = list_annotations(store)
    assert (annotation.quote, annotation.memo, annotation.start, annotation.end) == ("Once", "why", 0, 4)
    assert [(c.name, c.role) for c in list_coders(store)] == [("ana", "coder")]
    assert _schema_differences(store.engine) == []
    # And the upgraded project takes new work.
    added = apply_code(store, annotation.document_id, 5, 9, annotation.code_id, annotation.coder_id)
    assert added.quote == "upon" and added.id > annotation.id
    store.close()

    if backend == "sqlite":
        path = Path(project_target)
        [backup] = list(path.parent.glob(f"{path.name}.backup-0001-*"))
        connection = sqlite3.connect(backup)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
            columns = {row[1] for row in connection.execute("PRAGMA table_info(coders)")}
            assert "role" not in columns
            assert connection.execute("SELECT quote FROM annotations").fetchall() == [("Once",)]
        finally:
            connection.close()


def test_a_second_open_makes_no_further_backup(
    project_target: str, bare_engine: Engine, backend: str
) -> None:
    upgrade_to_head(bare_engine, resolve_target(project_target), revision="0001")
    bare_engine.dispose()
    open_project(project_target).close()
    open_project(project_target).close()
    if backend == "sqlite":
        path = Path(project_target)
        assert len(list(path.parent.glob(f"{path.name}.backup-*"))) == 1


def test_each_migration_downgrades_and_upgrades_again_keeping_data(
    project_target: str, bare_engine: Engine
) -> None:
    url = resolve_target(project_target)
    config = alembic_config()
    revisions = _revisions_base_first()
    assert revisions[0] == "0001" and revisions[-1] == head_revision()
    upgrade_to_head(bare_engine, url, revision="0001")
    _put_old_rows(bare_engine)
    expected = _counts(bare_engine)
    for previous, revision in itertools.pairwise(revisions):
        upgrade_to_head(bare_engine, url, revision=revision)
        assert current_revision(bare_engine) == revision
        with migration_connection(bare_engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, previous)
        assert current_revision(bare_engine) == previous
        # Batch migrations recreate tables on SQLite; cascades must not have eaten child rows.
        assert _counts(bare_engine) == expected, f"downgrade {revision} -> {previous} lost rows"
        upgrade_to_head(bare_engine, url, revision=revision)
        assert _counts(bare_engine) == expected, f"upgrade {previous} -> {revision} lost rows"
    assert _schema_differences(bare_engine) == []


def test_downgrade_to_nothing_and_back_gives_the_same_schema(
    project_target: str, bare_engine: Engine
) -> None:
    url = resolve_target(project_target)
    config = alembic_config()
    upgrade_to_head(bare_engine, url)
    with migration_connection(bare_engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert current_revision(bare_engine) is None
    upgrade_to_head(bare_engine, url)
    assert _schema_differences(bare_engine) == []
