"""Migration 0003 adds the ``adjudications`` table to projects made before adjudication existed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine, delete, inspect, select, text

from annotator.services.adjudication import Decision, list_disagreements, resolve_disagreement
from annotator.store.migrations_runner import (
    alembic_config,
    current_revision,
    head_revision,
    migration_connection,
    upgrade_to_head,
)
from annotator.store.models import Adjudication, Document
from annotator.store.project import _make_engine, open_project, resolve_target

# Plain SQL against the 0002 schema, without explicit ids so PostgreSQL's sequences stay right.
ROWS_0002 = [
    "INSERT INTO coders (name, colour, role) VALUES ('ana', '#112233', 'coder'), ('ben', '#445566', 'coder')",
    "INSERT INTO codes (parent_id, name, short_name, colour, definition, inclusion, exclusion, example,"
    " position) VALUES (NULL, 'Angst', '', '#778899', '', '', '', '', 0)",
    "INSERT INTO documents (title, source_format, source_name, text, text_hash, length, imported_at)"
    " VALUES ('Work', 'text', 'work.txt', 'Once upon a time there was', 'abc', 26, '2024-05-01 10:00:00')",
    *(
        'INSERT INTO annotations (document_id, code_id, coder_id, start, "end", quote, memo, created_at,'
        f" updated_at) SELECT d.id, c.id, p.id, 0, {end}, '{quote}', '', '2024-05-01 10:00:00',"
        f" '2024-05-01 10:00:00' FROM documents d, codes c, coders p WHERE p.name = '{who}'"
        for who, end, quote in (("ana", 4, "Once"), ("ben", 9, "Once upon"))
    ),
]


@pytest.fixture
def engine_at_0002(project_target: str) -> Iterator[Engine]:
    engine = _make_engine(resolve_target(project_target))
    upgrade_to_head(engine, resolve_target(project_target), revision="0002")
    with engine.begin() as connection:
        for statement in ROWS_0002:
            connection.execute(text(statement))
    yield engine
    engine.dispose()


def test_a_0002_project_gains_adjudications_and_can_record_neither(
    project_target: str, engine_at_0002: Engine
) -> None:
    assert "adjudications" not in inspect(engine_at_0002).get_table_names()
    engine_at_0002.dispose()

    store = open_project(project_target)
    assert current_revision(store.engine) == head_revision()
    [item] = list_disagreements(store)
    assert item.versions == {"ana": ((0, 4),), "ben": ((0, 9),)}
    resolve_disagreement(store, item, Decision.neither())
    [item] = list_disagreements(store)
    assert item.status == "neither"
    with store.transaction() as session:  # decisions go with their document
        session.execute(delete(Document))
    with store.reading() as session:
        assert session.scalars(select(Adjudication)).all() == []
    store.close()


def test_0003_downgrades_to_0002_and_back(project_target: str, engine_at_0002: Engine) -> None:
    url = resolve_target(project_target)
    upgrade_to_head(engine_at_0002, url)
    config = alembic_config()
    with migration_connection(engine_at_0002) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert "adjudications" not in inspect(engine_at_0002).get_table_names()
    upgrade_to_head(engine_at_0002, url)
    assert "adjudications" in inspect(engine_at_0002).get_table_names()
    with engine_at_0002.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM annotations")).scalar_one() == 2
