"""``review_states``: each review's status and span, as the review queue re-reads it after a decision."""

from __future__ import annotations

from pathlib import Path

from annotator.services.anchor_reviews import accept_review, drop_review, review_items
from annotator.services.review_states import review_states
from annotator.services.work_updates import update_document
from annotator.store.project import ProjectStore
from tests.ui.updates.edited_work import coded_and_edited


def test_states_follow_each_decision_and_agree_with_the_full_items(
    seeded_project: ProjectStore, tmp_path: Path
) -> None:
    work = coded_and_edited(seeded_project, tmp_path)
    update_document(seeded_project, work.path, document_id=work.document_id)
    items = {item.review_id: item for item in review_items(seeded_project, work.document_id)}
    states = {state.review_id: state for state in review_states(seeded_project, work.document_id)}
    assert states.keys() == items.keys()
    for review_id, state in states.items():
        item = items[review_id]
        assert (state.annotation_id, state.kind, state.status) == (item.annotation_id, item.kind, "pending")
        assert (state.new_start, state.new_end) == (item.new_start, item.new_end)
    changed = next(i for i in items.values() if i.kind == "changed")
    orphaned = next(i for i in items.values() if i.kind == "orphaned")
    accept_review(seeded_project, changed.review_id)
    assert [s.review_id for s in review_states(seeded_project, work.document_id, pending_only=True)] == [
        orphaned.review_id
    ]
    drop_review(seeded_project, orphaned.review_id)
    after = {s.review_id: s.status for s in review_states(seeded_project, work.document_id)}
    assert after == {changed.review_id: "accepted", orphaned.review_id: "dropped"}
    assert review_states(seeded_project, work.document_id, pending_only=True) == []
    assert review_states(seeded_project, work.document_id + 1000) == []
