"""Figures beside works and codes: annotations of one coder or of all, and words of every work."""

from __future__ import annotations

from annotator.services.annotations import apply_code
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.document_stats import annotation_counts, word_counts
from annotator.services.documents import delete_documents, document_text, list_documents
from annotator.store.project import ProjectStore


def test_counts_are_of_one_coder_when_asked_and_of_all_otherwise(seeded_project: ProjectStore) -> None:
    store = seeded_project
    alice, bob = ensure_coder(store, "alice"), ensure_coder(store, "bob")
    first, second = (d.id for d in list_documents(store)[:2])
    one, two = (c.id for c in list_codes(store)[:2])
    apply_code(store, first, 0, 10, one, alice.id)
    apply_code(store, first, 5, 20, two, alice.id)
    apply_code(store, first, 0, 10, one, bob.id)
    apply_code(store, second, 3, 9, one, bob.id)

    mine = annotation_counts(store, alice.id)
    assert mine.by_document == {first: 2} and mine.by_code == {one: 1, two: 1}
    everyone = annotation_counts(store)
    assert everyone.by_document == {first: 3, second: 1} and everyone.by_code == {one: 3, two: 1}
    # The same figures as the lists the session keeps (all coders).
    assert {d.id: d.annotation_count for d in list_documents(store) if d.annotation_count} == (
        everyone.by_document
    )
    assert {c.id: c.count for c in list_codes(store) if c.count} == everyone.by_code


def test_every_work_gets_its_words_counted_as_the_header_counts_them(seeded_project: ProjectStore) -> None:
    store = seeded_project
    ids = [d.id for d in list_documents(store)]
    counts = word_counts(store, [*ids, ids[0]])
    assert counts == {i: len(document_text(store, i).split()) for i in ids}
    assert all(n > 1000 for n in counts.values())
    delete_documents(store, ids[:1])
    assert word_counts(store, ids[:2]) == {ids[1]: counts[ids[1]]}  # a removed work is left out
