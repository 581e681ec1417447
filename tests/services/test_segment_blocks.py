"""Blocks of an export: together they hold every row once, in file order, whatever their sizes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert

from annotator.core.types import ImportedDocument
from annotator.services import codebook, coders, documents
from annotator.services.segment_blocks import block_conditions, document_counts, row_blocks
from annotator.services.segment_query import SegmentFilter, resolve_scope, rows_query
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore

TEXT = "word " * 2_000
SIZES = (10, 500, 1, 2_000, 37)  # rows per document: small ones, and one of many blocks


@pytest.fixture
def coded(empty_project: ProjectStore) -> ProjectStore:
    """Documents of :data:`SIZES` rows, coded in an interleaved order at random spans."""
    store = empty_project
    ids = [
        documents.add_document(store, ImportedDocument(title=f"W{n}", source_format="text", text=TEXT)).id
        for n in range(len(SIZES))
    ]
    code = codebook.add_code(store, "Trope").id
    people = [coders.ensure_coder(store, name).id for name in ("ana", "ben")]
    rng = random.Random(3)
    spans = {
        (doc, rng.randrange(len(TEXT) - 50), rng.choice(people))
        for doc, size in zip(ids, SIZES, strict=True)
        for _ in range(size * 2)
    }
    rows = [
        {
            "document_id": doc,
            "code_id": code,
            "coder_id": who,
            "start": s,
            "end": s + 9,
            "quote": TEXT[s : s + 9],
        }
        for doc, s, who in sorted(spans, key=lambda _: rng.random())
    ]
    with store.transaction() as session:
        session.execute(insert(Annotation), rows)
    return store


@pytest.mark.parametrize("documents_only", [False, True], ids=["all documents", "two documents"])
def test_the_blocks_hold_every_row_once_in_file_order(coded: ProjectStore, documents_only: bool) -> None:
    flt = SegmentFilter(document_ids=(2, 4)) if documents_only else SegmentFilter()
    with coded.reading() as session:
        scope = resolve_scope(session, flt)
        counts = document_counts(session, scope)
        query = rows_query(scope)
        everything = [row[0] for row in session.execute(query)]
        assert sum(count for _, count, _ in counts) == len(everything) > 0
        for block_rows in (1, 7, 150, 1_000_000):
            conditions = block_conditions(row_blocks(counts, block_rows))
            blocks = [[row[0] for row in session.execute(query.where(*where))] for where in conditions]
            assert [aid for block in blocks for aid in block] == everything
            if block_rows == 150:  # about a block's worth each, the big document cut inside
                assert len(blocks) >= len(everything) // 300
            if block_rows == 1_000_000:
                assert len(blocks) == 1


# (document id, rows, spread): the document's starts run from 0 to rows × spread.
document_rows = st.lists(
    st.tuples(st.integers(1, 100_000), st.integers(1, 9_000), st.integers(1, 50)),
    min_size=1,
    max_size=60,
    unique_by=lambda document: document[0],
)


@given(documents=document_rows, block_rows=st.integers(1, 2_000))
def test_row_blocks_are_cut_at_increasing_keys_about_a_block_apart(
    documents: list[tuple[int, int, int]], block_rows: int
) -> None:
    counts = [(did, rows, rows * spread) for did, rows, spread in sorted(documents)]
    total = sum(rows for _, rows, _ in counts)
    cuts = row_blocks(counts, block_rows)
    assert cuts == sorted(set(cuts))
    assert {did for did, _ in cuts} <= {did for did, _, _ in counts}
    # A cut at most once before each document and once per block's worth inside one; and (the
    # starts being spread evenly here) at least one per three blocks' worth of rows.
    assert len(cuts) <= len(counts) - 1 + total // block_rows
    assert len(cuts) >= total // (3 * block_rows) - 1
