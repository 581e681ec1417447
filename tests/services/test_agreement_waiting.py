"""Agreement leaves out annotations an update moved onto edited text until someone reviews them,
and says how many it left out (issue 16: flagged, not silently mixed)."""

from __future__ import annotations

from pathlib import Path

from annotator.services.agreement import measure_agreement
from annotator.services.team_scope import TeamFilter
from annotator.services.work_updates import accept_review, pending_reviews
from annotator.store.project import ProjectStore
from tests.services.waiting_support import updated_with_waiting

NOTE = "annotations moved by an update wait for review and are left out of agreement"


def _waiting_notes(notes: tuple[str, ...]) -> list[str]:
    return [note for note in notes if "wait" in note and "review" in note]


def test_agreement_says_how_many_annotations_waiting_for_review_it_left_out(
    seeded_project: ProjectStore, tmp_path: Path
) -> None:
    store = seeded_project
    updated = updated_with_waiting(store, tmp_path)
    result = measure_agreement(store)
    assert _waiting_notes(result.notes) == [f"2 {NOTE}"]
    # Only those in scope: the other work alone has none waiting.
    other = measure_agreement(store, TeamFilter(document_ids=(updated.other_document,)))
    assert _waiting_notes(other.notes) == []
    # A review accepted: its annotation counts again, and the note says one.
    first = next(r for r in pending_reviews(store, updated.work.document_id) if r.kind == "changed")
    accept_review(store, first.review_id)
    after = measure_agreement(store)
    assert _waiting_notes(after.notes) == [
        "1 annotation moved by an update waits for review and is left out of agreement"
    ]
