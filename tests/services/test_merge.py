"""Merging coders' blind copies: matched by text hash and code path, idempotent, conflicts reported."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator.services.annotations import edit_annotation, list_annotations
from annotator.services.codebook import list_codes, update_code
from annotator.services.coders import list_coders
from annotator.services.commands import SetDocumentMemo
from annotator.services.documents import list_documents, load_document
from annotator.services.errors import ServiceError
from annotator.services.merge import DamagedSourceError, merge_from, merge_projects
from annotator.services.projects import create_project
from annotator.store.models import Annotation, MergeRecord
from annotator.store.project import ProjectStore
from tests.damaged_copies import damage, location_of
from tests.dumps import dump_tables
from tests.team_support import ALICE, BOB, code_as, code_id, document_id, seeded_copy, team_targets

__all__ = ["team_targets"]  # the fixture, imported so pytest finds it


def _spans(store: ProjectStore, coder: str) -> set[tuple[str, int, int, int]]:
    """(text hash prefix, code id, start, end) of a coder's annotations, for comparing projects."""
    [who] = [c for c in list_coders(store) if c.name == coder]
    titles = {d.id: load_document(store, d.id).text_hash[:12] for d in list_documents(store)}
    mine = list_annotations(store, coder_ids=[who.id])
    return {(titles[a.document_id], a.code_id, a.start, a.end) for a in mine}


Targets = Callable[[str], str]
Copies = tuple[ProjectStore, ProjectStore]


@pytest.fixture
def copies(team_targets: Targets, tmp_path: Path) -> Iterator[Copies]:
    alice = seeded_copy(team_targets("alice"), tmp_path)
    bob = seeded_copy(team_targets("bob"), tmp_path, renamed=True)
    code_as(alice, "alice", ALICE)
    code_as(bob, "bob", BOB)
    yield alice, bob
    alice.close()
    bob.close()


def test_two_coders_merge_into_an_empty_target_with_documents_copied(
    copies: Copies, team_targets: Targets
) -> None:
    alice, bob = copies
    target = create_project(team_targets("target"), codebook="fandom")
    SetDocumentMemo(alice, document_id(alice, 2), "alice", "a memo on the third work").apply()

    first = merge_projects(target, alice)
    second = merge_projects(target, bob)

    assert len(first.documents_added) == 5 and first.annotations_added == len(ALICE)
    assert first.coders_added == ["alice"] and first.document_memos_added == 1
    # Bob's copy has other titles but the same texts: matched, reported, nothing duplicated.
    assert second.documents_added == [] and second.documents_matched == 5
    assert {m.source_title for m in second.title_mismatches} == {f"Work {i}" for i in range(1, 6)}
    assert second.annotations_added == len(BOB) and second.coders_added == ["bob"]
    assert len(list_documents(target)) == 5
    assert [d.title for d in list_documents(target)] == [d.title for d in list_documents(alice)]
    # What the views hear: alice's merge brought the documents, bob's annotations in some of them.
    assert first.change.documents_added == tuple(d.id for d in list_documents(target))
    assert first.change.coders_changed and not first.change.annotations_changed_in
    [bob_id] = [c.id for c in list_coders(target) if c.name == "bob"]
    bob_documents = {a.document_id for a in list_annotations(target, coder_ids=[bob_id])}
    assert set(second.change.annotations_changed_in) == bob_documents and bob_documents
    assert second.change.coders_changed and not second.change.documents_added
    # Same spans, attached by hash and path whatever the ids in each copy.
    assert len(_spans(target, "alice")) == len(ALICE) and len(_spans(target, "bob")) == len(BOB)
    alice_id = next(c.id for c in list_coders(target) if c.name == "alice")
    copied = load_document(target, document_id(target, 2), coder_id=alice_id)
    assert copied.memo == "a memo on the third work"
    assert copied.zones == load_document(alice, document_id(alice, 2)).zones
    assert copied.attributes == load_document(alice, document_id(alice, 2)).attributes
    with target.reading() as session:
        records = session.execute(select(MergeRecord.source, MergeRecord.summary)).all()
    assert [r.source for r in records] == [alice.location, bob.location]
    assert '"annotations_added": 3' in records[1].summary
    target.close()


def test_merging_the_same_source_twice_changes_nothing(copies: Copies, team_targets: Targets) -> None:
    alice, bob = copies
    target = create_project(team_targets("target"), codebook="fandom")
    merge_projects(target, alice)
    merge_projects(target, bob)
    before = dump_tables(target)

    again = merge_projects(target, bob)

    assert again.annotations_added == 0 and again.annotations_duplicate == len(BOB)
    assert not again.changed_anything and not again.recorded
    assert again.documents_added == [] and again.codes_added == [] and again.coders_added == []
    assert dump_tables(target) == before
    target.close()


def test_a_seeded_target_matches_documents_by_text_not_title(
    copies: Copies, team_targets: Targets, tmp_path: Path
) -> None:
    alice, bob = copies
    target = seeded_copy(team_targets("target"), tmp_path, renamed=True)  # titles "Work 1" … like bob's
    report = merge_projects(target, alice)
    assert report.documents_added == [] and report.documents_matched == 5
    assert len(report.title_mismatches) == 5  # alice's titles are the seed file names
    assert report.annotations_added == len(ALICE)
    merge_projects(target, bob)
    with target.reading() as session:
        assert session.scalar(select(func.count()).select_from(Annotation)) == len(ALICE) + len(BOB)
    target.close()


def test_a_code_with_another_definition_is_a_conflict_but_annotations_attach_by_path(
    copies: Copies, team_targets: Targets
) -> None:
    alice, _ = copies
    target = create_project(team_targets("target"), codebook="fandom")
    pining_in_alice = code_id(alice, "Trope/Pining")
    update_code(alice, pining_in_alice, definition="Longing, as alice reads it", colour="#123456")
    report = merge_projects(target, alice)
    [conflict] = report.code_conflicts
    assert (conflict.source_path, conflict.kind) == ("Trope/Pining", "fields differ")
    assert set(conflict.fields) == {"colour", "definition"}
    pining = code_id(target, "Trope/Pining")
    assert [a.start for a in list_annotations(target) if a.code_id == pining] == [200]
    [kept] = [c for c in list_codes(target) if c.id == pining]  # the target's definition stays
    assert kept.definition != "Longing, as alice reads it" and kept.colour != "#123456"
    target.close()


def test_a_code_path_differing_only_by_case_is_reported_and_not_merged(
    copies: Copies, team_targets: Targets
) -> None:
    _, bob = copies
    target = create_project(team_targets("target"), codebook="fandom")
    update_code(bob, code_id(bob, "Point of view"), name="Point Of View")
    code_as(bob, "bob", [(2, "Point Of View/First person", 10, 20)])
    before_codes = {c.path for c in list_codes(target)}

    report = merge_projects(target, bob)

    case = [c for c in report.code_conflicts if c.kind == "case differs"]
    assert [(c.source_path, c.target_path) for c in case] == [("Point Of View", "Point of view")]
    assert case[0].annotations_skipped == 1 and report.annotations_skipped == 1
    assert report.annotations_added == len(BOB)
    assert {c.path for c in list_codes(target)} == before_codes  # nothing created under the other spelling
    assert any("differs only by letter case" in line for line in report.summary_lines())
    target.close()


def test_a_duplicate_with_another_memo_keeps_the_targets_memo_and_reports_it(
    copies: Copies, team_targets: Targets
) -> None:
    alice, _ = copies
    target = create_project(team_targets("target"), codebook="fandom")
    merge_projects(target, alice)
    first = min(list_annotations(alice), key=lambda a: (a.document_id, a.start))
    edit_annotation(alice, first.id, memo="second thoughts")

    report = merge_projects(target, alice)

    assert report.annotations_added == 0 and report.annotations_duplicate == len(ALICE)
    [memo] = report.memo_conflicts
    assert (memo.start, memo.end) == (first.start, first.end)
    assert (memo.target_memo, memo.source_memo) == ("", "second thoughts")
    assert all(a.memo == "" for a in list_annotations(target))
    target.close()


def test_merge_by_location_and_refusing_to_merge_into_itself(copies: Copies, team_targets: Targets) -> None:
    alice, _ = copies
    target = create_project(team_targets("target"), codebook="fandom")
    location = alice.location if alice.is_sqlite else alice.url.render_as_string(hide_password=False)
    report = merge_from(target, location)
    assert report.annotations_added == len(ALICE)
    with pytest.raises(ServiceError, match="into itself"):
        merge_projects(alice, alice)
    target.close()


def test_a_copy_whose_codes_loop_is_refused_whole_and_merges_once_mended(
    copies: Copies, team_targets: Targets
) -> None:
    """Before merges checked their source, this copy walked the loop until memory ran out."""
    alice, bob = copies
    target = create_project(team_targets("target"), codebook="fandom")
    merge_projects(target, alice)
    before = dump_tables(target)
    trope, slow_burn = code_id(bob, "Trope"), code_id(bob, "Trope/Slow burn")
    damage(location_of(bob), f"UPDATE codes SET parent_id = {slow_burn} WHERE id = {trope}")

    with pytest.raises(DamagedSourceError) as refused:
        merge_from(target, location_of(bob))

    assert refused.value.problems == (
        f"code {trope} “Trope”: its parent chain loops ({trope} → {slow_burn} → {trope})",
    )
    assert dump_tables(target) == before  # not one of bob's annotations, codes or his name
    damage(location_of(bob), f"UPDATE codes SET parent_id = NULL WHERE id = {trope}")
    report = merge_from(target, location_of(bob))
    assert report.annotations_added == len(BOB) and report.coders_added == ["bob"]
    target.close()
