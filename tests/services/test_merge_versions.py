"""Merging coders' copies made on another version of a work: re-anchored as an update would."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services import coders, documents
from annotator.services.anchor_reviews import pending_annotation_ids, pending_reviews, reselect_review
from annotator.services.annotations import apply_code, list_annotations
from annotator.services.codebook import find_code_by_path
from annotator.services.documents import list_documents, load_document
from annotator.services.merge import merge_projects
from annotator.services.projects import create_project
from annotator.services.work_updates import update_document
from annotator.store.project import ProjectStore
from tests.dumps import dump_tables
from tests.team_support import team_targets

__all__ = ["team_targets"]  # the fixture, imported so pytest finds it

Targets = Callable[[str], str]

KEPT = "Alice walked to the old mill by the river."
STORM = "The storm had passed, and the sky was clear over the hills."
EDITED_OLD = "She said she would never come back to the mill again."
EDITED_NEW = "She said she would never come back to the town again."
MILLER = "The miller waved from the doorway, smiling."
V1 = f"Chapter 1\n\n{KEPT}\n\n{STORM}\n\n{EDITED_OLD}\n\n{MILLER}\n"
# Version 2: the storm paragraph deleted, one word of a sentence edited, a chapter appended.
V2 = f"Chapter 1\n\n{KEPT}\n\n{EDITED_NEW}\n\n{MILLER}\n\nChapter 2\n\nRain came to the valley at last.\n"
# (seed name, code path, quote coded in version 1)
CODED = [
    ("kept", "Trope/Slow burn", KEPT),
    ("miller", "Trope/Pining", MILLER),
    ("edited", "Trope/Slow burn", EDITED_OLD),
    ("storm", "Trope/Pining", STORM),
]


def _location(store: ProjectStore) -> str:
    return store.location if store.is_sqlite else store.url.render_as_string(hide_password=False)


def project_at(location: str, folder: Path, text: str = V1) -> tuple[ProjectStore, int]:
    store = create_project(location, codebook="fandom")
    folder.mkdir(exist_ok=True)
    path = folder / "mill.txt"
    path.write_text(text, encoding="utf-8")
    report = documents.import_files(store, [path])
    assert not report.failed, report.failed
    return store, report.imported[0].id


def update_to(store: ProjectStore, document_id: int, folder: Path, text: str = V2) -> None:
    path = folder / "mill-v2.txt"
    path.write_text(text, encoding="utf-8")
    update_document(store, path, document_id=document_id)


def code_copy(store: ProjectStore, document_id: int, coder: str = "ana") -> None:
    text = load_document(store, document_id).text
    who = coders.ensure_coder(store, coder)
    for _, path, quote in CODED:
        with store.reading() as session:
            code = find_code_by_path(session, path).id
        start = text.index(quote)
        apply_code(store, document_id, start, start + len(quote), code, who.id, memo=f"memo {quote[:10]}")


def _ana(store: ProjectStore) -> int:
    [ana] = [c.id for c in coders.list_coders(store) if c.name == "ana"]
    return ana


@pytest.fixture
def on_two_versions(team_targets: Targets, tmp_path: Path) -> tuple[ProjectStore, ProjectStore, int]:
    """(the team's project, updated to version 2 with no annotations yet; ana's copy, coded on
    version 1; the document's id in the team's project)."""
    copy, copy_doc = project_at(team_targets("ana"), tmp_path / "ana")
    code_copy(copy, copy_doc)
    target, doc = project_at(team_targets("team"), tmp_path / "team")
    update_to(target, doc, tmp_path / "team")
    return target, copy, doc


def test_a_copy_coded_on_version_1_is_reanchored_onto_version_2(
    on_two_versions: tuple[ProjectStore, ProjectStore, int],
) -> None:
    target, copy, doc = on_two_versions

    report = merge_projects(target, copy)

    assert report.reanchored == {"exact": 2, "changed": 1, "orphaned": 1}
    assert report.documents_added == [] and report.documents_matched == 1
    assert [(v.target_document_id, v.version, v.current) for v in report.older_versions] == [(doc, 1, 2)]
    assert len(list_documents(target)) == 1  # not copied as another document
    assert report.annotations_added == 3 and report.recorded
    text = load_document(target, doc).text
    assert text == V2
    merged = {a.quote: a for a in list_annotations(target, coder_ids=[_ana(target)])}
    # The exact ones at their moved offsets (the storm paragraph before the miller is gone).
    assert (merged[KEPT].start, merged[KEPT].end) == (V1.index(KEPT), V1.index(KEPT) + len(KEPT))
    assert merged[MILLER].start == V2.index(MILLER) < V1.index(MILLER)
    assert merged[MILLER].memo == f"memo {MILLER[:10]}"
    # The edited sentence is on its new text, waiting for review; the storm is on no text.
    assert set(merged) == {KEPT, MILLER, EDITED_NEW}
    edited = merged[EDITED_NEW]
    assert text[edited.start : edited.end] == EDITED_NEW
    assert pending_annotation_ids_of(target) == {edited.id}
    reviews = {r.kind: r for r in pending_reviews(target, doc)}
    assert set(reviews) == {"changed", "orphaned"}
    changed, orphan = reviews["changed"], reviews["orphaned"]
    assert (changed.annotation_id, changed.old_quote, changed.old_version) == (edited.id, EDITED_OLD, 1)
    assert (changed.new_start, changed.new_end, changed.new_quote) == (edited.start, edited.end, EDITED_NEW)
    assert (orphan.old_quote, orphan.old_start, orphan.new_start) == (STORM, V1.index(STORM), None)
    assert orphan.old_context[0].endswith(f"{KEPT}\n\n")
    [listed] = report.orphaned
    assert (listed.quote, listed.coder, listed.code_path, listed.document_id) == (
        STORM,
        "ana",
        "Trope/Pining",
        doc,
    )
    lines = "\n".join(report.summary_lines())
    assert "re-anchored from older versions: 2 exact, 1 changed (waiting for review), 1 orphaned" in lines
    assert "coded on version 1 in the source" in lines and "onto the current version 2" in lines
    assert f"orphaned: ana's 'Trope/Pining' [{V1.index(STORM)}, " in lines
    assert report.change.anchor_reviews_changed == (doc,) and report.change.annotations_changed_in == (doc,)
    target.close()
    copy.close()


def pending_annotation_ids_of(store: ProjectStore) -> set[int]:
    with store.reading() as session:
        return pending_annotation_ids(session)


def test_merging_the_older_copy_twice_adds_nothing(
    on_two_versions: tuple[ProjectStore, ProjectStore, int],
) -> None:
    target, copy, _ = on_two_versions
    merge_projects(target, copy)
    before = dump_tables(target)

    again = merge_projects(target, copy)

    assert again.annotations_added == 0 and again.annotations_duplicate == 4
    assert again.reanchored == {"exact": 0, "changed": 0, "orphaned": 0}
    assert not again.changed_anything and not again.recorded
    assert dump_tables(target) == before
    assert "nothing new" in "\n".join(again.summary_lines())
    target.close()
    copy.close()


def test_an_orphan_kept_by_a_merge_comes_back_under_an_id_no_one_else_got(
    on_two_versions: tuple[ProjectStore, ProjectStore, int],
) -> None:
    target, copy, doc = on_two_versions
    merge_projects(target, copy)
    [orphan] = [r for r in pending_reviews(target, doc) if r.kind == "orphaned"]
    with target.reading() as session:
        code = find_code_by_path(session, "Trope/Pining").id
    made = apply_code(target, doc, 0, 9, code, _ana(target))
    assert made.id > orphan.annotation_id  # its id was reserved, not handed out again

    reselect_review(target, orphan.review_id, 0, 7)

    back = {a.id: a for a in list_annotations(target, coder_ids=[_ana(target)])}[orphan.annotation_id]
    assert (back.start, back.end, back.quote, back.memo) == (0, 7, "Chapter", f"memo {STORM[:10]}")
    target.close()
    copy.close()


def test_a_copy_coded_on_a_newer_version_is_withheld_until_the_project_is_updated(
    team_targets: Targets, tmp_path: Path
) -> None:
    copy, copy_doc = project_at(team_targets("ana"), tmp_path / "ana")
    update_to(copy, copy_doc, tmp_path / "ana")
    _code_copy_v2 = [(KEPT, "Trope/Slow burn"), (EDITED_NEW, "Trope/Pining")]
    who = coders.ensure_coder(copy, "ana")
    for quote, path in _code_copy_v2:
        with copy.reading() as session:
            code = find_code_by_path(session, path).id
        apply_code(copy, copy_doc, V2.index(quote), V2.index(quote) + len(quote), code, who.id)
    target, doc = project_at(team_targets("team"), tmp_path / "team")

    report = merge_projects(target, copy)

    assert report.annotations_added == 0 and report.documents_added == []
    assert len(list_documents(target)) == 1 and load_document(target, doc).text == V1
    [withheld] = report.withheld
    assert (withheld.target_document_id, withheld.newer, withheld.annotations) == (doc, True, 2)
    assert "update the work here to that version, then merge again" in "\n".join(report.summary_lines())

    update_to(target, doc, tmp_path / "team")
    after = merge_projects(target, copy)

    assert after.annotations_added == 2 and not after.withheld and not after.older_versions
    assert {a.quote for a in list_annotations(target)} == {KEPT, EDITED_NEW}
    target.close()
    copy.close()


def test_the_command_line_report_counts_reanchored_annotations_per_class(
    on_two_versions: tuple[ProjectStore, ProjectStore, int], capsys: pytest.CaptureFixture[str]
) -> None:
    target, copy, _ = on_two_versions
    target_at, copy_at = _location(target), _location(copy)
    target.close()

    status = main(["merge", target_at, copy_at])
    out = capsys.readouterr().out

    assert status == 0
    assert "re-anchored from older versions: 2 exact, 1 changed (waiting for review), 1 orphaned" in out
    assert "orphaned: ana's 'Trope/Pining'" in out and "The storm had passed" in out
    status = main(["merge", target_at, copy_at, "--json"])
    [again] = json.loads(capsys.readouterr().out)
    assert status == 0 and again["reanchored"] == {"exact": 0, "changed": 0, "orphaned": 0}
    assert again["older_versions"] == [
        {"target_document_id": 1, "target_title": "mill", "version": 1, "current": 2}
    ]
    copy.close()


def test_a_copy_two_versions_behind_is_reviewed_against_the_current_text(
    team_targets: Targets, tmp_path: Path
) -> None:
    """Version 3 adds a note at the top: the review of the edited sentence is on the current text
    (version 3), not on version 2's, where its offsets differ."""
    copy, copy_doc = project_at(team_targets("ana"), tmp_path / "ana")
    code_copy(copy, copy_doc)
    target, doc = project_at(team_targets("team"), tmp_path / "team")
    update_to(target, doc, tmp_path / "team")
    v3 = "Author's note: thank you for reading!\n\n" + V2
    (tmp_path / "team" / "mill-v3.txt").write_text(v3, encoding="utf-8")
    update_document(target, tmp_path / "team" / "mill-v3.txt", document_id=doc)

    report = merge_projects(target, copy)

    assert report.reanchored == {"exact": 2, "changed": 1, "orphaned": 1}
    reviews = {r.kind: r for r in pending_reviews(target, doc)}
    changed = reviews["changed"]
    assert (changed.old_version, changed.old_quote) == (1, EDITED_OLD)
    [edited] = [
        a for a in list_annotations(target, coder_ids=[_ana(target)]) if a.id == changed.annotation_id
    ]
    assert (changed.new_start, changed.new_end) == (edited.start, edited.end)
    assert changed.new_quote == v3[edited.start : edited.end] and changed.new_quote.endswith("town again.")
    assert changed.new_context is not None and changed.new_context[1].startswith(f"\n\n{MILLER}")
    target.close()
    copy.close()
