"""An update and another writer at once (PostgreSQL, where both can run): nothing is lost.

An update reads a work's annotations, aligns the texts and moves the annotations in one
transaction, without locking the rows it moves first (a lock is a write of its own on
PostgreSQL); each row is checked as it is moved instead. Another coder's change in between is
either harmless (a memo: kept, and the update goes ahead) or makes the update refuse and change
nothing (a new code, which the update's review rows and report would contradict). SQLite needs
no such test: its write transaction excludes every other writer from its start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import documents
from annotator.services import work_updates as wu
from annotator.services.conflicts import ConflictError
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore, open_project
from tests.conftest import PG_URL, fresh_pg_database
from tests.services.work_update_support import make_team, state

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL server (ANNOTATOR_TEST_PG_URL)")

OLD = "The dragon slept on gold. Snow fell on the hoard. Nobody woke the dragon that winter."
NEW = "Chapter 2 begins here. " + OLD.replace("Snow fell", "Snow drifted")


@pytest.fixture
def two_stores() -> Iterator[tuple[ProjectStore, ProjectStore]]:
    """The same project opened twice: the update's process and another coder's."""
    with fresh_pg_database() as url:
        store = create_project(url, codebook="empty")
        other = open_project(url)
        try:
            yield store, other
        finally:
            other.close()
            store.close()


def _work(store: ProjectStore) -> tuple[int, list[int], list[int]]:
    document = documents.add_document(store, ImportedDocument("Hoard", "text", OLD)).id
    [coder], codes = make_team(store, 1, 2)
    spans = [(0, 25), (26, 49), (50, 84)]  # moved exactly, changed, moved exactly
    return document, codes, [ann.apply_code(store, document, s, e, codes[0], coder).id for s, e in spans]


def _meanwhile(monkeypatch: pytest.MonkeyPatch, change: Callable[[], Any]) -> None:
    """Run ``change`` (committed by the other store) after the update has read and aligned."""
    placed = wu.placed_spans

    def placed_then_changed(*args: Any) -> Any:
        result = placed(*args)
        change()
        return result

    monkeypatch.setattr(wu, "placed_spans", placed_then_changed)


def test_an_annotation_recoded_meanwhile_makes_the_update_refuse_and_change_nothing(
    two_stores: tuple[ProjectStore, ProjectStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, other = two_stores
    document, codes, ids = _work(store)
    _meanwhile(monkeypatch, lambda: ann.edit_annotation(other, ids[2], code_id=codes[1]))

    with pytest.raises(ConflictError, match="changed or removed meanwhile"):
        wu.apply_update(store, ImportedDocument("Hoard", "text", NEW), document_id=document)

    after = state(store)
    assert documents.document_text(store, document) == OLD
    assert after["document_versions"] == [] and after["anchor_reviews"] == []
    rows = {row["id"]: row for row in after["annotations"]}
    assert (rows[ids[0]]["start"], rows[ids[0]]["end"]) == (0, 25)  # not half moved
    assert (rows[ids[1]]["start"], rows[ids[1]]["quote"]) == (26, OLD[26:49])
    assert (rows[ids[2]]["start"], rows[ids[2]]["code_id"]) == (50, codes[1])  # the other's change


def test_a_memo_written_meanwhile_is_kept_and_the_update_goes_ahead(
    two_stores: tuple[ProjectStore, ProjectStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, other = two_stores
    document, _codes, ids = _work(store)
    _meanwhile(monkeypatch, lambda: ann.edit_annotation(other, ids[0], memo="written meanwhile"))

    report = wu.apply_update(store, ImportedDocument("Hoard", "text", NEW), document_id=document)

    assert report.counts == {"exact": 2, "changed": 1, "orphaned": 0}
    moved = ann.get_annotation(store, ids[0])
    assert (moved.start, moved.quote, moved.memo) == (23, OLD[:25], "written meanwhile")
