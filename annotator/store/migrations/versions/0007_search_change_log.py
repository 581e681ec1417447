"""search change log: cheap triggers note changed annotations; the index is brought up to date later

SQLite: 0006's triggers indexed every written row at once (FTS5 trigram tokenising of each quote
and memo), which cost bulk coding 80% of its speed. They are replaced by triggers of the same
names that only note the annotation in ``annotation_search_pending`` (with the quote and memo the
index holds for it, when it holds any); ``annotator.store.search_index`` documents the invariant
and folds the log into the index before a text filter. The index itself is kept as it is, so
every text already searchable stays searchable. Downgrading folds the log first, then puts 0006's
triggers back.

PostgreSQL: no change. Its trigram GIN indexes already defer their work (``fastupdate``, on by
default: new entries go to a pending list that autovacuum, or an insert finding the list past
``gin_pending_list_limit``, merges). ``benchmarks/bench_code_from_csv.py --pg --compare`` put
them at about a quarter of a 50,000-row bulk coding's time there (615 against 829 rows/s on a
machine loaded tenfold), not the bulk of it as on SQLite.

A later SQLite batch migration that recreates ``annotations`` drops these triggers with the old
table: it must create them again (``tests/store/test_segment_search.py`` checks the head schema).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Written out here rather than imported, so this migration keeps doing what it did when the app's
# module changes (annotator.store.search_index holds the same statements for the app).
PENDING = "annotation_search_pending"
NOTE_NEW = (
    f"INSERT INTO {PENDING} (annotation_id) SELECT new.id "
    f"WHERE NOT EXISTS (SELECT 1 FROM {PENDING} WHERE annotation_id = new.id);"
)
NOTE_OLD = (
    f"INSERT INTO {PENDING} (annotation_id, indexed, quote, memo) SELECT old.id, 1, old.quote, old.memo "
    f"WHERE NOT EXISTS (SELECT 1 FROM {PENDING} WHERE annotation_id = old.id);"
)
DROP_TRIGGERS = (
    "DROP TRIGGER IF EXISTS annotation_search_update",
    "DROP TRIGGER IF EXISTS annotation_search_delete",
    "DROP TRIGGER IF EXISTS annotation_search_insert",
)
SQLITE_UP = (
    *DROP_TRIGGERS,
    f"CREATE TABLE {PENDING} (annotation_id INTEGER PRIMARY KEY, "
    "indexed INTEGER NOT NULL DEFAULT 0, quote TEXT, memo TEXT)",
    f"CREATE TRIGGER annotation_search_insert AFTER INSERT ON annotations BEGIN {NOTE_NEW} END",
    f"CREATE TRIGGER annotation_search_delete AFTER DELETE ON annotations BEGIN {NOTE_OLD} END",
    "CREATE TRIGGER annotation_search_update AFTER UPDATE OF id, quote, memo ON annotations "
    f"BEGIN {NOTE_OLD} {NOTE_NEW} END",
)
SQLITE_DOWN = (
    # Fold the log, so the index matches the annotations the 0006 triggers take over from.
    "INSERT INTO annotation_search (annotation_search, rowid, quote, memo) "
    f"SELECT 'delete', annotation_id, quote, memo FROM {PENDING} WHERE indexed",
    "INSERT INTO annotation_search (rowid, quote, memo) SELECT a.id, a.quote, a.memo "
    f"FROM {PENDING} p JOIN annotations a ON a.id = p.annotation_id",
    *DROP_TRIGGERS,
    f"DROP TABLE {PENDING}",
    # 0006's triggers, as 0006 made them.
    "CREATE TRIGGER annotation_search_insert AFTER INSERT ON annotations BEGIN "
    "INSERT INTO annotation_search(rowid, quote, memo) VALUES (new.id, new.quote, new.memo); END",
    "CREATE TRIGGER annotation_search_delete AFTER DELETE ON annotations BEGIN "
    "INSERT INTO annotation_search(annotation_search, rowid, quote, memo) "
    "VALUES ('delete', old.id, old.quote, old.memo); END",
    "CREATE TRIGGER annotation_search_update AFTER UPDATE OF quote, memo ON annotations BEGIN "
    "INSERT INTO annotation_search(annotation_search, rowid, quote, memo) "
    "VALUES ('delete', old.id, old.quote, old.memo); "
    "INSERT INTO annotation_search(rowid, quote, memo) VALUES (new.id, new.quote, new.memo); END",
)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            connection.exec_driver_sql(statement)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            connection.exec_driver_sql(statement)
