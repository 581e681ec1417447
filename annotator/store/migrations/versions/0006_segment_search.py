"""segment search: the segments' text filter answered by an index, not by reading every quote

SQLite: an FTS5 table with the trigram tokenizer over the annotations' quote and memo (external
content: the text stays in ``annotations`` only; the index holds trigrams), kept right by
triggers on insert, update and delete (cascades included). A phrase query of three characters or
more is a case-insensitive substring match. PostgreSQL: pg_trgm GIN indexes on quote and memo,
which ``ILIKE '%…%'`` uses; PostgreSQL maintains them itself. Where the extension cannot be
created (no right to), the indexes are left out and the filter scans, as before.

A later SQLite batch migration that recreates ``annotations`` drops these triggers with the old
table: it must create them again (``tests/store/test_segment_search.py`` checks the head schema).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE annotation_search USING fts5("
    "quote, memo, content='annotations', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER annotation_search_insert AFTER INSERT ON annotations BEGIN "
    "INSERT INTO annotation_search(rowid, quote, memo) VALUES (new.id, new.quote, new.memo); END",
    "CREATE TRIGGER annotation_search_delete AFTER DELETE ON annotations BEGIN "
    "INSERT INTO annotation_search(annotation_search, rowid, quote, memo) "
    "VALUES ('delete', old.id, old.quote, old.memo); END",
    "CREATE TRIGGER annotation_search_update AFTER UPDATE OF quote, memo ON annotations BEGIN "
    "INSERT INTO annotation_search(annotation_search, rowid, quote, memo) "
    "VALUES ('delete', old.id, old.quote, old.memo); "
    "INSERT INTO annotation_search(rowid, quote, memo) VALUES (new.id, new.quote, new.memo); END",
    "INSERT INTO annotation_search(annotation_search) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS annotation_search_update",
    "DROP TRIGGER IF EXISTS annotation_search_delete",
    "DROP TRIGGER IF EXISTS annotation_search_insert",
    "DROP TABLE IF EXISTS annotation_search",
)
POSTGRESQL_INDEXES = {
    "ix_annotations_quote_trgm": "quote",
    "ix_annotations_memo_trgm": "memo",
}


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            connection.exec_driver_sql(statement)
        return
    try:
        with connection.begin_nested():  # a refusal must not abort the whole upgrade
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        return  # no right to create the extension: the filter scans, as before 0006
    for name, column in POSTGRESQL_INDEXES.items():
        connection.exec_driver_sql(f"CREATE INDEX {name} ON annotations USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            connection.exec_driver_sql(statement)
        return
    for name in POSTGRESQL_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
