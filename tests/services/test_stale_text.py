"""Coding a work that another window or process updated meanwhile: never cut from a stale text.

Each open project keeps the texts it read (``ProjectStore.texts``). When another process updates
a work, this one's copy is stale: a span selected on the old text must be refused, and a quote
must always be cut from the text as stored now.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotator.core.text import text_hash
from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import documents
from annotator.services import work_updates as wu
from annotator.services.conflicts import ConflictError
from annotator.store.project import ProjectStore, open_project
from tests.services.work_update_support import make_team

OLD = "The dragon slept on gold. Snow fell on the hoard."
NEW = "Chapter 2 begins here. " + OLD


@pytest.fixture
def two_windows(
    empty_project: ProjectStore, project_target: str
) -> Iterator[tuple[ProjectStore, ProjectStore]]:
    """The same project open twice: this coder's window and another process that updates works."""
    other = open_project(project_target)
    yield empty_project, other
    other.close()


def _updated_under_me(mine: ProjectStore, theirs: ProjectStore) -> tuple[int, int, int]:
    document = documents.add_document(mine, ImportedDocument("Hoard", "text", OLD)).id
    [coder], [code] = make_team(mine, 1, 1)
    assert documents.document_text(mine, document) == OLD  # shown, and cached, here
    wu.apply_update(theirs, ImportedDocument("Hoard", "text", NEW), document_id=document)
    return document, coder, code


def test_a_span_selected_on_the_old_text_is_refused_and_nothing_is_stored(
    two_windows: tuple[ProjectStore, ProjectStore],
) -> None:
    mine, theirs = two_windows
    document, coder, code = _updated_under_me(mine, theirs)
    dragon = OLD.index("dragon")
    with pytest.raises(ConflictError, match=r"“Hoard” was updated since it was shown.*select the span again"):
        ann.apply_code(mine, document, dragon, dragon + 6, code, coder, shown_hash=text_hash(OLD))
    assert ann.list_annotations(theirs, document) == []
    # Selected again on the new text, it is coded there.
    dragon = NEW.index("dragon")
    info = ann.apply_code(mine, document, dragon, dragon + 6, code, coder, shown_hash=text_hash(NEW))
    assert (info.start, info.quote) == (dragon, "dragon")


def test_a_quote_is_cut_from_the_stored_text_not_from_a_stale_copy(
    two_windows: tuple[ProjectStore, ProjectStore],
) -> None:
    mine, theirs = two_windows
    document, coder, code = _updated_under_me(mine, theirs)
    # No shown text to compare with (a script, the command line): the stored text is used.
    info = ann.apply_code(mine, document, 0, 9, code, coder)
    assert info.quote == NEW[0:9] == "Chapter 2"
    assert [a.quote for a in ann.list_annotations(theirs, document)] == ["Chapter 2"]
    assert documents.document_text(mine, document) == NEW  # the stale copy was replaced


def test_an_in_vivo_code_on_the_old_text_is_refused_and_no_code_is_made(
    two_windows: tuple[ProjectStore, ProjectStore],
) -> None:
    mine, theirs = two_windows
    document, coder, _ = _updated_under_me(mine, theirs)
    codes_before = len(cb.list_codes(theirs))
    with pytest.raises(ConflictError, match="was updated since it was shown"):
        ann.code_in_vivo(mine, document, 4, 10, coder, shown_hash=text_hash(OLD))
    assert len(cb.list_codes(theirs)) == codes_before
    assert ann.list_annotations(theirs, document) == []
