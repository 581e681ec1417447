"""Project search over the stored texts: code-point offsets, any case, context, limits, bad input."""

from __future__ import annotations

import pytest

from annotator.core.types import ImportedDocument
from annotator.core.validation import InvalidInputError
from annotator.services.documents import add_document
from annotator.services.search import context_of, search_documents
from annotator.store.project import ProjectStore


def _add(store: ProjectStore, title: str, text: str) -> int:
    return add_document(store, ImportedDocument(title=title, source_format="text", text=text)).id


def test_matches_any_case_with_code_point_offsets_in_document_order(empty_project: ProjectStore) -> None:
    first = _add(empty_project, "Emoji", "🦊 Kylo said: kylo? KYLO!")
    second = _add(empty_project, "Turkish", "İstanbul — then Kylo left.")
    hits = search_documents(empty_project, "kylo")
    assert [(h.document_id, h.start, h.end) for h in hits] == [
        (first, 2, 6),
        (first, 13, 17),
        (first, 19, 23),
        (second, 16, 20),
    ]
    texts = {first: "🦊 Kylo said: kylo? KYLO!", second: "İstanbul — then Kylo left."}
    assert all(texts[h.document_id][h.start : h.end].casefold() == "kylo" for h in hits)
    assert hits[0].title == "Emoji"


def test_context_is_one_line_and_marks_cut_ends() -> None:
    text = "a" * 100 + " the\nmatch here " + "b" * 100
    start = text.index("match")
    assert context_of(text, start, start + 5, chars=10) == "…aaaaa the match here bbbb…"
    assert context_of("short match", 6, 11) == "short match"


def test_limit_stops_early_and_blank_or_huge_queries_are_refused(empty_project: ProjectStore) -> None:
    _add(empty_project, "Many", "ha " * 50)
    assert len(search_documents(empty_project, "HA", limit=7)) == 7
    with pytest.raises(InvalidInputError, match="empty"):
        search_documents(empty_project, "   ")
    with pytest.raises(InvalidInputError, match="limit"):
        search_documents(empty_project, "x" * 5000)
    assert search_documents(empty_project, "not there") == []
