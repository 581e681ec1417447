"""The per-project cache of document texts: filled by reads, emptied where documents go away."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.text import text_hash
from annotator.core.types import ImportedDocument
from annotator.services import documents
from annotator.services.errors import NotFoundError
from annotator.services.merge import merge_projects
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore
from annotator.store.text_cache import TextCache


def test_get_put_evict_and_clear() -> None:
    cache = TextCache()
    assert cache.get(1) is None and 1 not in cache and len(cache) == 0
    cache.put(1, "one", text_hash("one"))
    cache.put(2, "two", text_hash("two"))
    cache.put(3, "", text_hash(""))  # an empty text is a text, not a miss
    assert (cache.get(1), cache.get(2), cache.get(3)) == ("one", "two", "")
    cache.evict([1, 99])  # unknown ids are ignored
    assert cache.get(1) is None and 2 in cache and len(cache) == 2
    cache.clear()
    assert len(cache) == 0 and cache.get(2) is None


def test_every_open_project_has_its_own_cache(tmp_path: Path) -> None:
    first = create_project(tmp_path / "a.annotator", codebook="empty")
    second = create_project(tmp_path / "b.annotator", codebook="empty")
    try:
        first.texts.put(1, "only in the first", text_hash("only in the first"))
        assert second.texts.get(1) is None
    finally:
        first.close()
        second.close()


def _add(store: ProjectStore, text: str) -> int:
    return documents.add_document(
        store, ImportedDocument(title=text[:10], source_format="text", text=text)
    ).id


def test_reading_a_text_caches_it_and_deleting_the_document_evicts_it(empty_project: ProjectStore) -> None:
    kept, removed = _add(empty_project, "A work to keep."), _add(empty_project, "A work to remove.")
    assert documents.document_text(empty_project, kept) == "A work to keep."
    assert documents.document_text(empty_project, removed) == "A work to remove."
    assert empty_project.texts.get(removed) == "A work to remove."
    documents.delete_documents(empty_project, [removed])
    assert removed not in empty_project.texts and kept in empty_project.texts
    with pytest.raises(NotFoundError):
        documents.document_text(empty_project, removed)


def test_a_merge_that_adds_documents_clears_the_cache(empty_project: ProjectStore, tmp_path: Path) -> None:
    doc = _add(empty_project, "Already here.")
    documents.document_text(empty_project, doc)
    source = create_project(tmp_path / "source.annotator", codebook="empty")
    try:
        _add(source, "A work from a teammate.")
        merge_projects(empty_project, source)
    finally:
        source.close()
    assert len(documents.list_documents(empty_project)) == 2
    assert len(empty_project.texts) == 0
    assert documents.document_text(empty_project, doc) == "Already here."  # read again on demand
