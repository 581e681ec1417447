"""Adjudication: each decision becomes the consensus coder's coding, one undoable transaction each."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from annotator.core.undo import UndoStack
from annotator.core.validation import InvalidInputError
from annotator.services.adjudication import (
    BY_CONSENSUS,
    BY_NEITHER,
    OPEN,
    Decision,
    DisagreementItem,
    adjudication_progress,
    export_disagreements_csv,
    list_disagreements,
    resolve_disagreement,
)
from annotator.services.annotations import list_annotations
from annotator.services.changes import Change
from annotator.services.coders import ensure_coder, list_coders
from annotator.services.commands import ResolveDisagreement
from annotator.services.errors import ServiceError
from annotator.services.segments import SegmentFilter, export_segments
from annotator.store.models import Adjudication
from annotator.store.project import ProjectStore
from tests.dumps import dump_tables
from tests.team_support import ALICE, BOB, code_as, document_id


@pytest.fixture
def team(seeded_project: ProjectStore) -> ProjectStore:
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    return seeded_project


def _item(store: ProjectStore, code: str, start: int) -> DisagreementItem:
    return next(i for i in list_disagreements(store) if i.code_path == code and i.start == start)


def _consensus(store: ProjectStore) -> list[tuple[int, int, int]]:
    coders = {c.name: c.id for c in list_coders(store)}
    if "consensus" not in coders:
        return []
    return [(a.code_id, a.start, a.end) for a in list_annotations(store, coder_ids=[coders["consensus"]])]


def test_disagreements_are_listed_with_every_coders_version(team: ProjectStore) -> None:
    items = list_disagreements(team)
    first, second = document_id(team, 0), document_id(team, 1)
    assert [i.key for i in items] == [
        (first, "Trope/Pining", 200, 300),
        (first, "Trope/Slow burn", 500, 650),
        (second, "Power dynamic/Physical", 50, 80),
        (second, "Power dynamic/Physical", 1000, 1100),
    ]
    assert items[1].versions == {"alice": ((500, 600),), "bob": ((550, 650),)}
    assert items[0].versions["bob"] == ()
    assert all(i.status == OPEN for i in items) and adjudication_progress(items) == (0, 4)


@pytest.mark.parametrize(
    ("decision", "spans"),
    [
        (Decision.accept("alice"), [(500, 600)]),
        (Decision.accept("bob"), [(550, 650)]),
        (Decision.accept_all(), [(500, 600), (550, 650)]),
        (Decision.new_span(520, 640), [(520, 640)]),
    ],
)
def test_a_decision_becomes_consensus_annotations(
    team: ProjectStore, decision: Decision, spans: list[tuple[int, int]]
) -> None:
    item = _item(team, "Trope/Slow burn", 500)
    resolve_disagreement(team, item, decision)
    assert sorted((s, e) for _, s, e in _consensus(team)) == spans
    [consensus] = [c for c in list_coders(team) if c.name == "consensus"]
    assert consensus.role == "consensus"
    items = list_disagreements(team)
    resolved = next(i for i in items if i.key == item.key)  # the key survives the resolution
    assert resolved.status == BY_CONSENSUS and adjudication_progress(items) == (1, 4)
    assert "consensus" not in resolved.versions


def test_neither_is_remembered_and_changing_ones_mind_replaces_the_decision(team: ProjectStore) -> None:
    item = _item(team, "Trope/Pining", 200)
    resolve_disagreement(team, item, Decision.neither())
    assert _item(team, "Trope/Pining", 200).status == BY_NEITHER and _consensus(team) == []
    resolve_disagreement(team, item, Decision.accept("alice"))
    assert _item(team, "Trope/Pining", 200).status == BY_CONSENSUS
    with team.reading() as session:
        assert session.scalars(select(Adjudication)).all() == []
    resolve_disagreement(team, item, Decision.accept("bob"))  # bob did not code it: that is "neither"
    assert _consensus(team) == [] and _item(team, "Trope/Pining", 200).status == BY_NEITHER


def test_bad_decisions_change_nothing(team: ProjectStore) -> None:
    item = _item(team, "Trope/Slow burn", 500)
    before = dump_tables(team)
    with pytest.raises(ServiceError, match="must overlap"):
        resolve_disagreement(team, item, Decision.new_span(10, 20))
    with pytest.raises(InvalidInputError, match="past the end"):
        resolve_disagreement(team, item, Decision.new_span(600, 10**7))
    with pytest.raises(ServiceError, match="not one of"):
        resolve_disagreement(team, item, Decision.accept("carol"))
    assert dump_tables(team) == before


def test_undo_and_redo_restore_exactly_the_same_rows(team: ProjectStore) -> None:
    item = _item(team, "Trope/Slow burn", 500)
    resolve_disagreement(team, item, Decision.accept("alice"))
    before = dump_tables(team)
    stack: UndoStack[Change] = UndoStack()

    change = stack.push(ResolveDisagreement(team, item, Decision.accept_all()))
    after = dump_tables(team)
    assert len(change.annotations_added) == 2 and len(change.annotations_removed) == 1
    assert stack.undo_text == "Adjudicate Trope/Slow burn: accept all"

    stack.undo()
    assert dump_tables(team) == before
    stack.redo()
    assert dump_tables(team) == after


def test_the_consensus_coder_is_left_out_of_the_comparison(team: ProjectStore) -> None:
    resolve_disagreement(team, _item(team, "Trope/Slow burn", 500), Decision.accept("alice"))
    assert len(list_disagreements(team)) == 4
    with pytest.raises(ServiceError, match="consensus coder"):
        list_disagreements(team, coders=("alice", "consensus"))


def test_a_person_called_consensus_is_not_taken_over(team: ProjectStore) -> None:
    ensure_coder(team, "consensus")
    with pytest.raises(ServiceError, match="rename it"):
        resolve_disagreement(team, _item(team, "Trope/Slow burn", 500), Decision.accept("alice"))


def test_the_consensus_exports_like_any_coder(team: ProjectStore) -> None:
    resolve_disagreement(team, _item(team, "Trope/Slow burn", 500), Decision.accept("bob"))
    out = io.StringIO()
    assert export_segments(team, out, SegmentFilter(coders=("consensus",))) == 1
    [row] = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert (row["coder"], row["code_path"]) == ("consensus", "Trope/Slow burn")
    assert (row["start"], row["end"]) == ("550", "650")


def test_disagreements_csv_has_one_row_per_coder_version(team: ProjectStore) -> None:
    resolve_disagreement(team, _item(team, "Trope/Pining", 200), Decision.neither())
    out = io.StringIO()
    assert export_disagreements_csv(team, out) == 8
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    pining = [r for r in rows if r["code_path"] == "Trope/Pining"]
    assert [(r["coder"], r["start"], r["end"], r["status"]) for r in pining] == [
        ("alice", "200", "300", "neither"),
        ("bob", "", "", "neither"),
    ]
    assert len(pining[0]["text"]) == 100 and pining[1]["text"] == ""
