"""The review queue of an updated work: accept, re-select or drop each moved annotation, undoably."""

from __future__ import annotations

import pytest

from annotator.core.errors import UserError
from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import documents
from annotator.services import work_updates as wu
from annotator.services.version_commands import AcceptReview, DropReview, ReselectReview, UpdateWork
from annotator.store.project import ProjectStore
from tests.services.work_update_support import make_team, state

OLD = "The cat sat on the mat. It was a sunny day in June. Then it rained."
NEW = "The dog sat on the mat. It was a sunny day in June.\n\nLater, snow fell all night."


def _doc(text: str) -> ImportedDocument:
    return ImportedDocument("Weather", "text", text, {"ao3_work_id": ["7"]}, source_name="weather.txt")


@pytest.fixture
def updated(empty_project: ProjectStore) -> tuple[ProjectStore, int, dict[str, int]]:
    """A work whose update leaves one annotation exact, one changed and one orphaned."""
    store = empty_project
    doc = documents.add_document(store, _doc(OLD)).id
    [coder], [code] = make_team(store, 1, 1)
    ids = {
        word: ann.apply_code(
            store, doc, OLD.index(word), OLD.index(word) + len(word), code, coder, memo=word
        ).id
        for word in ("sunny day", "cat sat", "rained")
    }
    report = wu.apply_update(store, _doc(NEW))
    assert report.counts == {"exact": 1, "changed": 1, "orphaned": 1}
    return store, doc, ids


def _item(store: ProjectStore, annotation_id: int) -> wu.ReviewItem:
    [item] = [i for i in wu.review_items(store) if i.annotation_id == annotation_id]
    return item


def test_the_queue_shows_old_and_new_text_side_by_side(
    updated: tuple[ProjectStore, int, dict[str, int]],
) -> None:
    store, doc, ids = updated
    changed, orphaned = _item(store, ids["cat sat"]), _item(store, ids["rained"])
    assert (changed.kind, changed.old_quote, changed.new_quote) == ("changed", "cat sat", "dog sat")
    assert changed.old_context == ("The ", OLD[11:])
    assert changed.new_context == ("The ", NEW[11:])
    assert (orphaned.kind, orphaned.new_quote, orphaned.new_context) == ("orphaned", None, None)
    assert orphaned.old_version == 1 and orphaned.new_version == 2 and orphaned.id == orphaned.review_id
    assert orphaned.place == NEW.index("\n\nLater")  # where "rained" was: after the kept text
    assert ids["rained"] not in {a.id for a in ann.list_annotations(store, doc)}
    with store.reading() as session:
        assert wu.pending_annotation_ids(session) == {ids["cat sat"]}


def test_each_decision_is_one_undoable_step(updated: tuple[ProjectStore, int, dict[str, int]]) -> None:
    store, doc, ids = updated
    changed, orphaned = _item(store, ids["cat sat"]), _item(store, ids["rained"])
    start = NEW.index("snow fell")
    steps = [
        AcceptReview(store, changed.review_id),
        ReselectReview(store, orphaned.review_id, start, start + len("snow fell")),
    ]
    for command in steps:
        before = state(store)
        command.apply()
        after = state(store)
        command.revert()
        assert state(store) == before
        command.apply()
        assert state(store) == after
    restored = {a.id: a for a in ann.list_annotations(store, doc)}[ids["rained"]]
    assert (restored.quote, restored.memo) == ("snow fell", "rained")  # the orphan is back
    assert wu.pending_reviews(store) == []
    assert [i.status for i in wu.review_items(store)] == ["accepted", "reselected"]


def test_dropping_removes_the_annotation_until_undone(
    updated: tuple[ProjectStore, int, dict[str, int]],
) -> None:
    store, doc, ids = updated
    before = state(store)
    drop = DropReview(store, _item(store, ids["cat sat"]).review_id)
    change = drop.apply()
    assert change.annotations_removed == (ids["cat sat"],)
    assert ids["cat sat"] not in {a.id for a in ann.list_annotations(store, doc)}
    drop.revert()
    assert state(store) == before
    orphan = DropReview(store, _item(store, ids["rained"]).review_id)
    orphan.apply()
    assert _item(store, ids["rained"]).status == "dropped"
    orphan.revert()
    assert state(store) == before


def test_decisions_are_refused_clearly(updated: tuple[ProjectStore, int, dict[str, int]]) -> None:
    store, _, ids = updated
    changed, orphaned = _item(store, ids["cat sat"]), _item(store, ids["rained"])
    with pytest.raises(UserError, match="no place in the new text"):
        wu.accept_review(store, orphaned.review_id)
    with pytest.raises(UserError, match=r"outside|span"):
        wu.reselect_review(store, changed.review_id, 5, 500)
    with pytest.raises(UserError, match="no review with id 999"):
        wu.drop_review(store, 999)
    wu.accept_review(store, changed.review_id)
    with pytest.raises(UserError, match="already reviewed"):
        wu.drop_review(store, changed.review_id)


def test_undoing_an_update_waits_for_its_decisions_to_be_undone(
    empty_project: ProjectStore,
) -> None:
    store = empty_project
    doc = documents.add_document(store, _doc(OLD)).id
    [coder], [code] = make_team(store, 1, 1)
    ann.apply_code(store, doc, 4, 11, code, coder)  # "cat sat"
    before = state(store)
    update = UpdateWork.of(store, wu.apply_update(store, _doc(NEW)))
    accept = AcceptReview(store, wu.pending_reviews(store)[0].review_id)
    accept.apply()
    with pytest.raises(
        UserError, match="cannot undo Update “Weather”: 1 moved annotation on “Weather” was reviewed"
    ):
        update.revert()
    accept.revert()
    update.revert()
    assert state(store) == before


def test_agreement_leaves_out_annotations_waiting_for_review_until_they_are_reviewed(
    updated: tuple[ProjectStore, int, dict[str, int]],
) -> None:
    from annotator.services.team_scope import TeamFilter, load_spans, resolve_scope

    store, _, ids = updated

    def quotes() -> set[str]:
        with store.reading() as session:
            spans = load_spans(session, resolve_scope(session, TeamFilter()))
        return {NEW[span.start : span.end] for span in spans}

    assert quotes() == {"sunny day"}  # "dog sat" waits for review; the orphan is not there at all
    wu.accept_review(store, _item(store, ids["cat sat"]).review_id)
    assert quotes() == {"sunny day", "dog sat"}
