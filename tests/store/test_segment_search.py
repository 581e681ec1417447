"""The segments' text search index (migration 0006) stays right through every kind of change.

The filter answered by the index must find exactly what a plain case-insensitive comparison of
every quote and memo finds, after annotations are added, their memo or span edited, removed, and
removed with their document (a cascade), on both backends.
"""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import segment_text_search
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document, delete_documents
from annotator.services.segment_text_search import text_condition
from annotator.services.segments import SegmentFilter, count_segments, iter_segments, list_segments
from annotator.store.project import ProjectStore

TEXT = (
    "The Dragon slept. ÉCLAIR au café, naïve Straße. Snow fell on the dragon's hoard.\n"
    "Nobody said 100% of it; under_score and back\\slash too. Ärger und ÄRGER."
)
NEEDLES = ("dragon", "DRAGON", "éclair", "café", "100%", "_sc", "\\sl", "ärger", "snow fell", "zzz", "dr")


def _reference(store: ProjectStore, needle: str) -> list[int]:
    """Annotation ids whose quote or memo contains ``needle``, compared in Python."""
    folded = needle.casefold()
    return [
        row.annotation_id
        for row in iter_segments(store, SegmentFilter())
        if folded in row.text.casefold() or folded in row.memo.casefold()
    ]


def _found(store: ProjectStore, needle: str) -> list[int]:
    rows = [row.annotation_id for row in list_segments(store, SegmentFilter(text=needle), None)]
    assert count_segments(store, SegmentFilter(text=needle)) == len(rows)
    return rows


def _check(store: ProjectStore) -> None:
    for needle in NEEDLES:
        assert _found(store, needle) == _reference(store, needle), needle


@pytest.mark.parametrize("page_rows", [1_000, 1], ids=["matches fetched", "walked in order"])
def test_the_index_follows_inserts_edits_removals_and_cascades(
    fandom_project: ProjectStore, page_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With pages of one row, every needle matching more than a few annotations takes SQLite's
    # other plan (the annotations walked in order, each looked up in the matches).
    monkeypatch.setattr(segment_text_search, "PAGE_ROWS", page_rows)
    store = fandom_project
    first = add_document(store, ImportedDocument("One", "text", TEXT)).id
    second = add_document(store, ImportedDocument("Two", "text", TEXT.upper())).id
    code = list_codes(store)[1].id
    coder = ensure_coder(store, "ana").id
    spans = [(0, 17), (18, 31), (32, 48), (49, 82), (83, 116), (117, 145), (4, 10), (40, 60)]
    ids = [ann.apply_code(store, first, s, e, code, coder).id for s, e in spans]
    ids += [ann.apply_code(store, second, s, e, code, coder).id for s, e in spans[:4]]
    _check(store)
    ann.edit_annotation(store, ids[0], memo="a memo about SNOW FELL and dragons")
    ann.edit_annotation(store, ids[1], start=49, end=60)  # the quote changes with the span
    _check(store)
    assert ids[0] in _found(store, "snow fell") and ids[1] not in _found(store, "éclair")
    ann.remove_annotations(store, ids[2:4])
    _check(store)
    delete_documents(store, [second])  # its annotations go by cascade
    _check(store)
    assert _found(store, "zzz") == []


def test_the_head_schema_has_the_search_index(fandom_project: ProjectStore) -> None:
    store = fandom_project
    if store.is_sqlite:
        with store.engine.connect() as connection:
            triggers = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'annotations'"
            ).scalars()
            assert {
                "annotation_search_insert",
                "annotation_search_delete",
                "annotation_search_update",
            } <= set(triggers)
        assert text_condition("sqlite", "abc") is not None
        assert text_condition("sqlite", "ab") is None  # too short for trigrams: compared in Python
    else:
        # Since 0008 the trigram indexes are on the side table, not on the annotations.
        inspector = inspect(store.engine)
        assert not {"ix_annotations_quote_trgm", "ix_annotations_memo_trgm"} & {
            index["name"] for index in inspector.get_indexes("annotations")
        }
        assert {index["name"] for index in inspector.get_indexes("annotation_search")} == {
            "ix_annotation_search_quote_trgm",
            "ix_annotation_search_memo_trgm",
        }
        with store.engine.connect() as connection:
            triggers = connection.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'annotations'::regclass AND NOT tgisinternal"
            ).scalars()
            names = {"annotation_search_insert", "annotation_search_delete", "annotation_search_update"}
            assert names <= set(triggers)
        assert text_condition("postgresql", "ab") is not None
        assert text_condition("postgresql", "é") is None  # the collation may not fold it


@pytest.mark.parametrize("page_rows", [1_000, 1], ids=["through their indexes", "walked in order"])
def test_code_and_coder_filters_page_the_same_rows_whichever_way_sqlite_reads_them(
    fandom_project: ProjectStore, page_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With pages of one row, code and coder filters holding more than a few annotations are read
    # walking the annotations in order (their indexes kept out of the plan).
    monkeypatch.setattr(segment_text_search, "PAGE_ROWS", page_rows)
    store = fandom_project
    works = [add_document(store, ImportedDocument(t, "text", TEXT)).id for t in ("One", "Two")]
    codes = [c for c in list_codes(store) if c.parent_id is not None][:3]
    coders = [ensure_coder(store, name).id for name in ("ana", "bo")]
    for n in range(40):  # interleaved as real coding leaves them: works, codes and coders mixed
        start = (n * 7) % 120
        ann.apply_code(
            store, works[n % 2], start, start + 5 + n % 9, codes[n % 3].id, coders[n % 2 if n % 5 else 0]
        )
    every = list(iter_segments(store, SegmentFilter()))
    for flt, keep in (
        (SegmentFilter(coders=("ana",)), lambda r: r.coder == "ana"),
        (SegmentFilter(code_paths=(codes[0].path,)), lambda r: r.code_id == codes[0].id),
        (
            SegmentFilter(coders=("bo",), code_paths=(codes[1].path,), text="the"),
            lambda r: r.coder == "bo" and r.code_id == codes[1].id and "the" in r.text.casefold(),
        ),
    ):
        expected = [r.annotation_id for r in every if keep(r)]
        assert [r.annotation_id for r in list_segments(store, flt, None)] == expected
        # Page by page (three rows a page), as the panel reads them: the same rows in the same order.
        paged: list[int] = []
        after = None
        while page := list_segments(store, flt, 3, after=after):
            paged += [r.annotation_id for r in page]
            last = page[-1]
            after = (last.document_id, last.start, last.end, last.annotation_id)
        assert paged == expected
        assert count_segments(store, flt) == len(expected)
