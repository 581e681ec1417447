"""Updating a work: the new text becomes the current version and every annotation follows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.reanchor import reanchor
from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import documents
from annotator.services import work_updates as wu
from annotator.services.conflicts import ConflictError
from annotator.services.version_commands import UpdateWork
from annotator.store.project import ProjectStore
from tests.core.edits import EDIT_KINDS, edit, truth
from tests.services.work_update_support import (
    REAL_AO3,
    code_spans,
    coded_ao3_work,
    make_team,
    state,
    write_version,
)


def _positions(store: ProjectStore, document_id: int) -> dict[int, tuple[int, int, str]]:
    return {a.id: (a.start, a.end, a.quote) for a in ann.list_annotations(store, document_id)}


def test_a_new_chapter_appended_to_a_work_in_progress_keeps_every_annotation_exactly(
    empty_project: ProjectStore, tmp_path: Path
) -> None:
    work = coded_ao3_work(empty_project, tmp_path, anchors=300, seed=1)
    before = _positions(empty_project, work.document_id)
    new = edit(work.text, ["append_chapters"], seed=2).text
    report = wu.update_document(empty_project, write_version(tmp_path, new), document_id=work.document_id)

    assert report.counts == {"exact": len(work.anchors), "changed": 0, "orphaned": 0}
    assert report.version == 2
    assert sum(kinds["exact"] for kinds in report.by_coder.values()) == len(work.anchors)
    assert _positions(empty_project, work.document_id) == before  # appended: nothing moved
    assert documents.document_text(empty_project, work.document_id) == new
    assert wu.pending_reviews(empty_project, work.document_id) == []


@pytest.mark.parametrize("kinds", [[k] for k in EDIT_KINDS] + [list(EDIT_KINDS)], ids=lambda k: "+".join(k))
def test_each_annotation_lands_where_the_alignment_places_it_and_unchanged_text_exactly(
    empty_project: ProjectStore, tmp_path: Path, kinds: list[str]
) -> None:
    work = coded_ao3_work(empty_project, tmp_path, anchors=200, seed=3)
    edited = edit(work.text, kinds, seed=4)
    placements = reanchor(work.text, edited.text, work.anchors)
    report = wu.update_document(
        empty_project, write_version(tmp_path, edited.text), document_id=work.document_id
    )

    now = _positions(empty_project, work.document_id)
    pending = {item.annotation_id: item for item in wu.pending_reviews(empty_project, work.document_id)}
    for anchor, placed in zip(work.anchors, placements, strict=True):
        if placed.kind == "orphaned":  # out of the current annotations, kept for review
            assert anchor.key not in now and pending[anchor.key].kind == "orphaned"
            continue
        assert placed.start is not None and placed.end is not None
        assert now[anchor.key] == (placed.start, placed.end, edited.text[placed.start : placed.end])
        assert (anchor.key in pending) == (placed.kind == "changed")
    assert report.counts == {
        k: sum(1 for p in placements if p.kind == k) for k in ("exact", "changed", "orphaned")
    }
    if len(kinds) == 1:  # one kind of edit: every annotation on untouched text re-attaches exactly
        for anchor, true in zip(work.anchors, truth(edited, work.anchors), strict=True):
            if true.kind == "exact":
                assert now[anchor.key] == (true.start, true.end, anchor.quote), anchor


def test_undo_restores_the_previous_version_and_every_anchor_and_redo_reapplies_it(
    empty_project: ProjectStore, tmp_path: Path
) -> None:
    store = empty_project
    work = coded_ao3_work(store, tmp_path, anchors=250, seed=5)
    edited = edit(work.text, ["insert_chapter", "delete_paragraph", "rewrite_sentences", "fix_typos"], seed=6)
    before = state(store)

    command = UpdateWork(store, write_version(tmp_path, edited.text), document_id=work.document_id)
    change = command.apply()
    assert change.document_texts_changed == (work.document_id,)
    assert command.report is not None and command.report.counts["orphaned"] > 0
    assert command.report.counts["changed"] > 0
    after = state(store)

    command.revert()
    assert state(store) == before
    assert documents.document_text(store, work.document_id) == work.text  # the text cache too
    command.apply()
    assert state(store) == after
    command.revert()
    assert state(store) == before


def test_undo_refuses_once_annotations_on_the_new_text_were_made_since(
    empty_project: ProjectStore, tmp_path: Path
) -> None:
    store = empty_project
    work = coded_ao3_work(store, tmp_path, anchors=30, seed=7)
    command = UpdateWork(
        store,
        write_version(tmp_path, edit(work.text, ["append_chapters"], 8).text),
        document_id=work.document_id,
    )
    command.apply()
    new_text = documents.document_text(store, work.document_id)
    made = ann.apply_code(
        store, work.document_id, len(new_text) - 5, len(new_text), work.code_ids[0], work.coder_ids[0]
    )
    kept = state(store)
    with pytest.raises(ConflictError, match=r"1 annotation made on .* since"):
        command.revert()
    assert state(store) == kept
    ann.remove_annotations(store, [made.id])
    command.revert()
    assert documents.document_text(store, work.document_id) == work.text


def _ao3_update(html: str) -> str:
    """The real AO3 download of a 3/? work, as AO3 gives it once a fourth chapter is posted."""
    chapter = (
        '<div class="meta group">\n  <h2 class="heading">\n      Chapter 4: Embers\n  </h2>\n</div>\n'
        '<!--chapter content-->\n<div class="userstuff">\n  <p>The fire had burned low by the time they '
        "spoke again.</p>\n  <p>Neither of them mentioned the feather.</p>\n</div>\n<!--/chapter content-->\n"
    )
    at = html.index('<div id="afterword">')
    end_of_chapters = html.rindex("</div>", 0, at)
    updated = html[:end_of_chapters] + chapter + html[end_of_chapters:]
    return updated.replace("Chapters: 3/?", "Chapters: 4/?").replace(
        "Updated: 2007-06-25", "Updated: 2008-01-02"
    )


@pytest.mark.skipif(not REAL_AO3.exists(), reason="needs ../shared/samples/real (the real AO3 downloads)")
def test_a_real_ao3_download_with_a_new_chapter_is_matched_by_work_id_and_keeps_every_coding(
    empty_project: ProjectStore, tmp_path: Path
) -> None:
    store = empty_project
    first = tmp_path / "218676.html"
    first.write_bytes(REAL_AO3.read_bytes())
    [summary] = documents.import_files(store, [first]).imported
    text = documents.document_text(store, summary.id)
    coder_ids, code_ids = make_team(store)
    from tests.core.edits import make_anchors

    anchors = make_anchors(text, 200, seed=9)
    keys = code_spans(store, summary.id, text, anchors, coder_ids, code_ids)
    before = _positions(store, summary.id)
    second = tmp_path / "218676-later.html"
    second.write_text(_ao3_update(REAL_AO3.read_text(encoding="utf-8")), encoding="utf-8")

    report = wu.update_document(store, second)  # no --document: AO3 work 218676
    assert report.document_id == summary.id
    assert report.counts == {"exact": len(keys), "changed": 0, "orphaned": 0}
    new_text = documents.document_text(store, summary.id)
    assert "Chapter 4: Embers" in new_text
    now = _positions(store, summary.id)
    assert {key: quote for key, (_, _, quote) in now.items()} == {key: q for key, (_, _, q) in before.items()}
    assert all(new_text[s:e] == q for s, e, q in now.values())
    view = documents.load_document(store, summary.id)
    assert any(zone.chapter == 4 for zone in view.zones)
    assert [v.number for v in wu.versions_of(store, summary.id)] == [1, 2]
    assert wu.version_text(store, summary.id, 1) == text


def _plain(title: str, text: str, work_id: str | None = None) -> ImportedDocument:
    attributes = {"ao3_work_id": [work_id]} if work_id else {}
    return ImportedDocument(
        title=title, source_format="text", text=text, attributes=attributes, source_name=f"{title}.txt"
    )


def test_updates_are_refused_clearly_when_the_work_cannot_be_told_or_nothing_changed(
    empty_project: ProjectStore, tmp_path: Path
) -> None:
    store = empty_project
    one = documents.add_document(store, _plain("One", "Once upon a time.", "11")).id
    documents.add_document(store, _plain("Twin A", "A twin.", "22"))
    documents.add_document(store, _plain("Twin B", "Another twin.", "22"))
    with pytest.raises(UserError, match="no AO3 work id; choose the document"):
        wu.apply_update(store, _plain("Loose", "Some text."))
    with pytest.raises(UserError, match="no work in this project is AO3 work 99"):
        wu.apply_update(store, _plain("Stranger", "Other text.", "99"))
    with pytest.raises(UserError, match="documents 2, 3 are all AO3 work 22"):
        wu.apply_update(store, _plain("Twin", "A twin, updated.", "22"))
    with pytest.raises(UserError, match=r"is the text .*One.* has now; nothing to update"):
        wu.apply_update(store, _plain("One", "Once upon a time.", "11"))
    with pytest.raises(UserError, match="is AO3 work 22, but document 1 is work 11"):
        wu.apply_update(store, _plain("Twin", "A twin, updated.", "22"), document_id=one)
    with pytest.raises(UserError, match="no document with id 42"):
        wu.apply_update(store, _plain("One", "Twice upon a time.", "11"), document_id=42)
    with pytest.raises(UserError, match="cannot be read"):
        wu.update_document(store, tmp_path / "missing.html", document_id=one)
    assert wu.versions_of(store, one)[-1].number == 1


def test_a_second_update_waits_until_the_first_ones_reviews_are_done(empty_project: ProjectStore) -> None:
    store = empty_project
    doc = documents.add_document(store, _plain("One", "The cat sat on the mat. It was happy.", "11")).id
    coder_ids, code_ids = make_team(store, 1, 1)
    coded = ann.apply_code(store, doc, 4, 7, code_ids[0], coder_ids[0])  # "cat"
    report = wu.apply_update(store, _plain("One", "The dog sat on the mat. It was happy.", "11"))
    assert report.counts["exact"] + report.counts["changed"] + report.counts["orphaned"] == 1
    assert report.counts["exact"] == 0
    with pytest.raises(UserError, match="1 annotation on “One” still wait for review"):
        wu.apply_update(store, _plain("One", "The dog sat on the rug. It was happy.", "11"))
    [item] = wu.pending_reviews(store, doc)
    assert item.annotation_id == coded.id
    wu.drop_review(store, item.review_id)
    third = wu.apply_update(store, _plain("One", "The dog sat on the rug. It was happy.", "11"))
    assert third.version == 3


def test_attributes_the_file_does_not_name_are_kept_and_adjudications_follow_the_text(
    empty_project: ProjectStore,
) -> None:
    from annotator.services import document_attributes as attrs
    from annotator.services.adjudication import Decision, list_disagreements, resolve_disagreement

    store = empty_project
    doc = documents.add_document(store, _plain("One", "Alpha beta gamma. Delta epsilon.", "11")).id
    attrs.add_attribute_value(store, doc, "sample", "A")
    coder_ids, code_ids = make_team(store, 2, 1)
    ann.apply_code(store, doc, 18, 23, code_ids[0], coder_ids[0])  # "Delta"
    ann.apply_code(store, doc, 18, 31, code_ids[0], coder_ids[1])  # "Delta epsilon"
    [item] = list_disagreements(store)
    resolve_disagreement(store, item, Decision.neither())

    report = wu.apply_update(store, _plain("One", "Prologue. Alpha beta gamma. Delta epsilon.", "11"))
    assert report.counts["exact"] == 2 and report.adjudications_moved == 1
    view = documents.load_document(store, doc)
    assert view.attributes == {"ao3_work_id": ["11"], "sample": ["A"]}
    [item] = list_disagreements(store)
    assert (item.start, item.end, item.status) == (28, 41, "neither")


def test_annotations_moving_onto_each_others_spans_swap_without_a_clash(empty_project: ProjectStore) -> None:
    store = empty_project
    old = "Go on. Go on. The end."
    doc = documents.add_document(store, _plain("Echo", old, "31")).id
    [coder], [code] = make_team(store, 1, 1)
    first = ann.apply_code(store, doc, 0, 6, code, coder)  # "Go on." (the first)
    second = ann.apply_code(store, doc, 7, 13, code, coder)  # "Go on." (the second)
    before = state(store)
    command = UpdateWork.of(store, wu.apply_update(store, _plain("Echo", "Go on. " + old, "31")))
    now = _positions(store, doc)
    assert (now[first.id], now[second.id]) == ((7, 13, "Go on."), (14, 20, "Go on."))
    command.revert()
    assert state(store) == before
