"""Who was assigned what: the service, its undo, the CSV form, and what agreement makes of it."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from annotator.core.bootstrap import Interval
from annotator.core.undo import UndoStack
from annotator.services.agreement import BootstrapOptions, TeamFilter, measure_agreement, methods_paragraph
from annotator.services.assignment_commands import ChangeAssignments
from annotator.services.assignments import assign_coder, assign_from_csv, assignment_grid
from annotator.services.changes import Change
from annotator.services.coders import ensure_coder
from annotator.services.documents import delete_documents
from annotator.services.errors import NotFoundError, ServiceError
from annotator.store.models import Assignment
from annotator.store.project import ProjectStore
from tests.team_support import code_as, document_id

# Alice and Bob nearly agree on work 0; Carol coded only work 1 (she was given that one).
ALICE = [(0, "Trope/Slow burn", 0, 400), (0, "Trope/Slow burn", 600, 900)]
BOB = [(0, "Trope/Slow burn", 2, 400), (0, "Trope/Slow burn", 600, 905)]
CAROL = [(1, "Trope/Slow burn", 10, 50)]


def _pairs(store: ProjectStore) -> set[tuple[int, int]]:
    with store.reading() as session:
        return {(d, c) for d, c in session.execute(select(Assignment.document_id, Assignment.coder_id))}


def test_assigning_reports_only_what_changed_and_refuses_unknown_names(seeded_project: ProjectStore) -> None:
    alice = ensure_coder(seeded_project, "alice").id
    doc0, doc1 = document_id(seeded_project, 0), document_id(seeded_project, 1)

    report = assign_coder(seeded_project, "alice", [doc0, doc1])
    assert set(report.added) == {(doc0, alice), (doc1, alice)} and report.change == Change(
        assignments_changed=tuple(sorted((doc0, doc1)))
    )
    again = assign_coder(seeded_project, "alice", [doc0])
    assert again.added == () and not again.change
    assert assign_coder(seeded_project, "alice", [doc1], unassign=True).removed == ((doc1, alice),)
    assert _pairs(seeded_project) == {(doc0, alice)}
    with pytest.raises(NotFoundError, match="no coder named 'nobody'"):
        assign_coder(seeded_project, "nobody", [doc0])
    with pytest.raises(NotFoundError, match="no document with id 999"):
        assign_coder(seeded_project, "alice", [999])
    assert _pairs(seeded_project) == {(doc0, alice)}  # a refused action changed nothing


def test_undo_takes_back_only_the_pairs_the_action_added(seeded_project: ProjectStore) -> None:
    alice = ensure_coder(seeded_project, "alice").id
    bob = ensure_coder(seeded_project, "bob").id
    doc0, doc1 = document_id(seeded_project, 0), document_id(seeded_project, 1)
    assign_coder(seeded_project, "alice", [doc0])
    stack: UndoStack[Change] = UndoStack()

    stack.push(ChangeAssignments(seeded_project, add=[(doc0, alice), (doc1, bob)], remove=[]))
    assert _pairs(seeded_project) == {(doc0, alice), (doc1, bob)}
    stack.undo()
    assert _pairs(seeded_project) == {(doc0, alice)}  # alice's earlier assignment stays
    stack.redo()
    stack.push(ChangeAssignments(seeded_project, remove=[(doc0, alice)]))
    assert _pairs(seeded_project) == {(doc1, bob)}
    stack.undo()
    assert _pairs(seeded_project) == {(doc0, alice), (doc1, bob)}


def test_assignments_from_a_csv_are_all_or_nothing(seeded_project: ProjectStore) -> None:
    for name in ("alice", "bob"):
        ensure_coder(seeded_project, name)
    doc0, doc1 = document_id(seeded_project, 0), document_id(seeded_project, 1)
    report = assign_from_csv(seeded_project, io.StringIO(f"document_id,coder\n{doc0},alice\n{doc1},bob\n"))
    assert len(report.added) == 2
    with pytest.raises(ServiceError, match="line 3: document_id must be a whole number"):
        assign_from_csv(seeded_project, io.StringIO(f"document_id,coder\n{doc1},alice\nx,bob\n"))
    with pytest.raises(ServiceError, match="missing coder"):
        assign_from_csv(seeded_project, io.StringIO("document_id,name\n1,alice\n"))
    grid = assignment_grid(seeded_project)
    names = dict(grid.coders)
    assert {(doc, names[c]) for doc, c in grid.assigned} == {(doc0, "alice"), (doc1, "bob")}


def test_deleting_a_document_deletes_its_assignments(seeded_project: ProjectStore) -> None:
    ensure_coder(seeded_project, "alice")
    doc0 = document_id(seeded_project, 0)
    assign_coder(seeded_project, "alice", [doc0])
    delete_documents(seeded_project, [doc0])
    assert _pairs(seeded_project) == set()


def test_an_unassigned_coder_is_missing_not_coding_nothing(seeded_project: ProjectStore) -> None:
    """Issue 14, fix 2: the coder with nothing in document 1 drags αU down until assignments say
    she was not given it; then αU is that of the coders who were."""
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    code_as(seeded_project, "carol", CAROL)
    doc0, doc1 = document_id(seeded_project, 0), document_id(seeded_project, 1)
    three = TeamFilter(coders=("alice", "bob", "carol"), document_ids=(doc0,))
    pair = measure_agreement(seeded_project, TeamFilter(coders=("alice", "bob"), document_ids=(doc0,)))
    dragged = measure_agreement(seeded_project, three)
    assert pair.alpha_u().alpha is not None and dragged.alpha_u().alpha is not None
    assert pair.alpha_u().alpha > 0.98 and dragged.alpha_u().alpha < pair.alpha_u().alpha - 0.3
    assert "No coder assignments are recorded" in methods_paragraph(dragged)

    assign_coder(seeded_project, "alice", [doc0, doc1])
    assign_coder(seeded_project, "bob", [doc0])
    assign_coder(seeded_project, "carol", [doc1])
    assigned = measure_agreement(seeded_project, three)
    assert assigned.alpha_u().alpha == pytest.approx(pair.alpha_u().alpha, abs=1e-12)
    assert assigned.pair("*", "alice", "bob").kappa == pytest.approx(pair.pair("*", "alice", "bob").kappa)
    assert any("only the assigned coders count" in note for note in assigned.notes)
    assert "treated as missing" in methods_paragraph(assigned)
    # Over both works each counts its own coders: carol's work 1 no longer looks like a
    # disagreement with bob, who was never given it.
    both = measure_agreement(seeded_project, TeamFilter(coders=("alice", "bob", "carol")))
    assert both.alpha_u("*", doc0).alpha == pytest.approx(pair.alpha_u().alpha, abs=1e-12)
    assert both.pair("*", "bob", "carol").kappa is None
    assert both.to_json_dict()["assignment_rule"].startswith("2 of 5 documents have recorded")


def test_intervals_are_computed_with_assignments_and_count_only_the_assigned(
    seeded_project: ProjectStore,
) -> None:
    code_as(seeded_project, "alice", [*ALICE, (1, "Trope/Slow burn", 12, 50)])
    code_as(seeded_project, "bob", BOB)
    code_as(seeded_project, "carol", CAROL)
    doc0, doc1 = document_id(seeded_project, 0), document_id(seeded_project, 1)
    assign_coder(seeded_project, "alice", [doc0, doc1])
    assign_coder(seeded_project, "bob", [doc0])
    assign_coder(seeded_project, "carol", [doc1])
    flt = TeamFilter(coders=("alice", "bob", "carol"), document_ids=(doc0, doc1))
    options = BootstrapOptions(resamples=80, seed=3)
    result = measure_agreement(seeded_project, flt, bootstrap=options)
    assert result.bootstrap is not None and result.bootstrap.resamples == 80
    point, ci = result.alpha_u().alpha, result.alpha_u_interval()
    assert point is not None and ci is not None and ci.low is not None and ci.high is not None
    assert ci.low <= point <= ci.high and ci.low > 0.8  # carol is not "coding nothing" in work 0
    # bob and carol share no work: their κ has no interval, alice and bob's has one
    assert result.kappa_interval("*", "bob", "carol") == Interval(None, None, None, 0)
    assert result.kappa_interval("*", "alice", "bob").low is not None  # type: ignore[union-attr]
    again = measure_agreement(seeded_project, flt, bootstrap=options).bootstrap
    assert again is not None and again.alpha_u == result.bootstrap.alpha_u  # seeded: reproducible
