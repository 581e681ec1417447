"""PostgreSQL search side table: the trigram indexes leave ``annotations`` for a table of their own

0006 put pg_trgm GIN indexes on ``annotations.quote`` and ``annotations.memo``. Every new row
version of an annotation then enters both: a bulk coding spends most of its server time in them
(``annotator code --from-csv`` 7.6k rows/s), and an update that moves 60k spans (offsets only,
the quotes unchanged) rewrites 60k entries in each (2.8 s against 1.5 s without them).

Now, as SQLite's index since 0007: the text lives a second time in ``annotation_search``
(annotation id, quote, memo) with the trigram indexes; writers only note changed annotations in
``annotation_search_pending`` (statement triggers for inserts and deletes, a row trigger for
updates that change the id, quote or memo — moving a span notes nothing), and
``annotator.store.search_index`` folds the log into the table before a text filter. Readers
stay exact without the fold: a logged id is matched against its current row instead.

SQLite: no change. Where pg_trgm is missing (no right to create it), the table is made without
the trigram indexes and the filter scans it, as before 0006.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration keeps doing what it did when the app's
# module changes (annotator.store.search_index holds the same statements for the app).
_UPSERT = "ON CONFLICT (annotation_id) DO UPDATE SET annotation_id = EXCLUDED.annotation_id"
POSTGRESQL_UP = (
    "CREATE TABLE annotation_search (annotation_id INTEGER PRIMARY KEY, quote TEXT, memo TEXT)",
    "CREATE TABLE annotation_search_pending (annotation_id INTEGER PRIMARY KEY)",
    "INSERT INTO annotation_search (annotation_id, quote, memo) SELECT id, quote, memo FROM annotations",
    # The note takes the log row's lock even when the id is logged already (DO UPDATE, not DO
    # NOTHING): a fold that is taking the log waits for this writer, then reads its text.
    "CREATE FUNCTION annotation_search_note_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO annotation_search_pending (annotation_id) SELECT id FROM added {_UPSERT}; "
    "RETURN NULL; END $$",
    "CREATE FUNCTION annotation_search_note_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO annotation_search_pending (annotation_id) SELECT id FROM removed {_UPSERT}; "
    "RETURN NULL; END $$",
    "CREATE FUNCTION annotation_search_note_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO annotation_search_pending (annotation_id) "
    f"SELECT DISTINCT unnest(ARRAY[OLD.id, NEW.id]) {_UPSERT}; RETURN NULL; END $$",
    "CREATE TRIGGER annotation_search_insert AFTER INSERT ON annotations "
    "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION annotation_search_note_added()",
    "CREATE TRIGGER annotation_search_delete AFTER DELETE ON annotations "
    "REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION annotation_search_note_removed()",
    "CREATE TRIGGER annotation_search_update AFTER UPDATE ON annotations FOR EACH ROW "
    "WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.quote IS DISTINCT FROM NEW.quote "
    "OR OLD.memo IS DISTINCT FROM NEW.memo) EXECUTE FUNCTION annotation_search_note_changed()",
)
TRIGRAM_UP = (
    "CREATE INDEX ix_annotation_search_quote_trgm ON annotation_search USING gin (quote gin_trgm_ops)",
    "CREATE INDEX ix_annotation_search_memo_trgm ON annotation_search USING gin (memo gin_trgm_ops)",
)
OLD_INDEXES = {"ix_annotations_quote_trgm": "quote", "ix_annotations_memo_trgm": "memo"}
POSTGRESQL_DOWN = (
    "DROP TRIGGER IF EXISTS annotation_search_update ON annotations",
    "DROP TRIGGER IF EXISTS annotation_search_delete ON annotations",
    "DROP TRIGGER IF EXISTS annotation_search_insert ON annotations",
    "DROP FUNCTION IF EXISTS annotation_search_note_changed()",
    "DROP FUNCTION IF EXISTS annotation_search_note_removed()",
    "DROP FUNCTION IF EXISTS annotation_search_note_added()",
    "DROP TABLE IF EXISTS annotation_search_pending",
    "DROP TABLE IF EXISTS annotation_search",
)


def _has_trigrams(connection: sa.Connection) -> bool:
    return bool(
        connection.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')"
        ).scalar()
    )


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for statement in POSTGRESQL_UP:
        connection.exec_driver_sql(statement)
    if _has_trigrams(connection):
        for statement in TRIGRAM_UP:
            connection.exec_driver_sql(statement)
    for name in OLD_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for statement in POSTGRESQL_DOWN:
        connection.exec_driver_sql(statement)
    if _has_trigrams(connection):
        for name, column in OLD_INDEXES.items():
            connection.exec_driver_sql(
                f"CREATE INDEX {name} ON annotations USING gin ({column} gin_trgm_ops)"
            )
