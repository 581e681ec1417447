"""What every PostgreSQL connection of a project is set up with."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from annotator.core.types import ImportedDocument
from annotator.services.documents import add_document
from annotator.services.projects import create_project
from tests.conftest import PG_URL, fresh_pg_database

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL server (ANNOTATOR_TEST_PG_URL)")


def test_a_large_text_is_stored_compressed_with_lz4_where_the_server_has_it() -> None:
    with fresh_pg_database() as url:
        store = create_project(url, codebook="empty")
        try:
            work = " ".join(f"Chapter {n}: the dragon slept on gold." for n in range(20_000))
            add_document(store, ImportedDocument("Hoard", "text", work))
            with store.reading() as session:
                offered = session.execute(
                    text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
                ).scalar()
                method = session.execute(text("SELECT pg_column_compression(text) FROM documents")).scalar()
        finally:
            store.close()
    assert method == ("lz4" if offered and "lz4" in offered else "pglz")
