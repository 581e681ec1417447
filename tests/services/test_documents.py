"""Documents: importing files (each on its own), listing, loading, memos, deleting and restoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.text import text_hash
from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.core.validation import InvalidInputError
from annotator.services import annotations as ann
from annotator.services import documents as docs
from annotator.services.errors import NotFoundError
from annotator.store.project import ProjectStore
from tests.dumps import dump_tables
from tests.services.conftest import TEXT, World


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def test_import_files_keeps_good_files_and_reports_bad_ones(
    empty_project: ProjectStore, tmp_path: Path
) -> None:
    good = _write(tmp_path, "good.txt", "Chapter one.\r\nIt was a dark night.\r\n")
    empty = _write(tmp_path, "empty.txt", "   \n\n")
    missing = tmp_path / "missing.txt"
    also_good = _write(tmp_path, "second.txt", "Another work entirely.")
    seen: list[tuple[int, int, str]] = []
    report = docs.import_files(
        empty_project,
        [good, empty, missing, also_good],
        lambda done, total, name: seen.append((done, total, name)),
    )
    assert [d.title for d in report.imported] == ["good", "second"]
    assert report.change.documents_added == tuple(d.id for d in report.imported)
    failed = dict(report.failed)
    assert set(failed) == {str(empty), str(missing)}
    assert "empty.txt" in failed[str(empty)] and "missing.txt" in failed[str(missing)]
    assert all("\n" not in message for message in failed.values())
    assert seen[0] == (0, 4, "good.txt") and seen[-1] == (4, 4, "")
    stored = docs.load_document(empty_project, report.imported[0].id)
    assert stored.text == "Chapter one.\nIt was a dark night.\n"
    assert stored.text_hash == text_hash(stored.text)


def test_the_same_text_is_a_duplicate_unless_asked(empty_project: ProjectStore, tmp_path: Path) -> None:
    first = _write(tmp_path, "a.txt", "Same words.\n")
    again = _write(tmp_path, "b.txt", "Same words.\r\n")  # equal once normalised
    [original] = docs.import_files(empty_project, [first]).imported
    report = docs.import_files(empty_project, [again])
    assert report.imported == [] and report.duplicates == [(str(again), original.id)]
    assert len(docs.import_files(empty_project, [again], skip_duplicates=False).imported) == 1


def test_import_can_be_cancelled_between_files(empty_project: ProjectStore, tmp_path: Path) -> None:
    paths = [_write(tmp_path, f"{n}.txt", f"Work number {n}.") for n in range(3)]
    calls = iter([False, True])
    report = docs.import_files(empty_project, paths, cancelled=lambda: next(calls, True))
    assert len(report.imported) == 1 and len(docs.list_documents(empty_project)) == 1


def test_add_document_keeps_attributes_zones_and_limits(empty_project: ProjectStore) -> None:
    text = "Title\nSummary here.\nStory."
    summary = docs.add_document(
        empty_project,
        ImportedDocument(
            title="T" * 2000,
            source_format="text",
            text=text,
            attributes={"fandom": ["A", "B"], "x" * 300: ["v" * 3000]},
            zones=[ZoneSpec("summary", 6, 19, "Summary"), ZoneSpec("story", 20, len(text), chapter=1)],
        ),
    )
    view = docs.load_document(empty_project, summary.id)
    assert len(view.title) == 1000
    assert view.attributes["fandom"] == ["A", "B"]
    assert view.attributes["x" * 200] == ["v" * 2000]  # cut to the column widths, not refused
    assert view.zones == [ZoneSpec("summary", 6, 19, "Summary"), ZoneSpec("story", 20, len(text), chapter=1)]


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (ImportedDocument(title="Blank", source_format="text", text=" \n\t"), ("Blank", "no text")),
        (ImportedDocument(title="Raw", source_format="text", text="a\r\nb"), ("Raw", "not normalised")),
        (ImportedDocument(title="Decomposed", source_format="text", text="cafe\u0301"), ("not normalised",)),
        (
            ImportedDocument(title="Z", source_format="text", text="abc", zones=[ZoneSpec("story", 1, 9)]),
            ("zone story", "outside"),
        ),
    ],
)
def test_add_document_refuses_what_breaks_the_offset_rules(
    empty_project: ProjectStore, doc: ImportedDocument, words: tuple[str, ...]
) -> None:
    before = dump_tables(empty_project)
    with pytest.raises(InvalidInputError) as info:
        docs.add_document(empty_project, doc)
    assert all(word in str(info.value) for word in words), str(info.value)
    assert dump_tables(empty_project) == before


def test_list_documents_counts_annotations_per_coder(world: World) -> None:
    [summary] = docs.list_documents(world.store)
    assert (summary.title, summary.length, summary.annotation_count) == ("Foxes", len(TEXT), 3)
    assert summary.attributes == {"fandom": ["Nature"], "rating": ["G"]}
    assert docs.list_documents(world.store, coder_id=world.ben)[0].annotation_count == 1


def test_load_document_and_its_memo(world: World) -> None:
    assert docs.set_document_memo(world.store, world.doc, "ana", "Reread chapter 2") == ""
    view = docs.load_document(world.store, world.doc, coder_id=world.ana)
    assert (view.text, view.memo, view.title) == (TEXT, "Reread chapter 2", "Foxes")
    assert docs.load_document(world.store, world.doc, coder_id=world.ben).memo == ""
    assert docs.set_document_memo(world.store, world.doc, "ana", "Changed") == "Reread chapter 2"
    assert docs.set_document_memo(world.store, world.doc, "ana", "") == "Changed"
    assert dump_tables(world.store)["document_memos"] == []  # an empty memo is no memo


def test_a_memo_by_a_new_coder_name_creates_the_coder(world: World) -> None:
    docs.set_document_memo(world.store, world.doc, "  carla  ", "hello")
    view = docs.load_document(world.store, world.doc)
    assert view.memo == ""  # no coder asked for
    from annotator.services.coders import list_coders

    assert "carla" in [c.name for c in list_coders(world.store)]


def test_unknown_documents_are_not_found(world: World) -> None:
    before = dump_tables(world.store)
    for action in (
        lambda: docs.load_document(world.store, 999),
        lambda: docs.document_text(world.store, 999),
        lambda: docs.set_document_memo(world.store, 999, "ana", "x"),
        lambda: docs.delete_documents(world.store, [world.doc, 999]),
    ):
        with pytest.raises(NotFoundError, match="document"):
            action()
    assert dump_tables(world.store) == before


def test_delete_and_restore_documents_with_everything_attached(world: World) -> None:
    docs.set_document_memo(world.store, world.doc, "ana", "memo")
    before = dump_tables(world.store)
    assert docs.document_text(world.store, world.doc) == TEXT  # now cached
    snap = docs.delete_documents(world.store, [world.doc])
    assert (len(snap.annotations), len(snap.attributes), len(snap.zones), len(snap.memos)) == (3, 2, 1, 1)
    assert docs.list_documents(world.store) == [] and ann.list_annotations(world.store) == []
    with pytest.raises(NotFoundError):
        docs.document_text(world.store, world.doc)
    docs.restore_documents(world.store, snap)
    assert dump_tables(world.store) == before


def test_the_project_file_itself_is_refused_as_a_work(tmp_path: Path) -> None:
    """Only an SQLite project has a file a researcher could pick in Import… by mistake."""
    from annotator.services.projects import create_project

    project = create_project(tmp_path / "study.annotator", "empty")
    database = Path(project.location)
    good = _write(tmp_path, "good.txt", "A real work.")
    report = docs.import_files(project, [database, Path(str(database) + "-wal"), good])
    project.close()
    assert [d.title for d in report.imported] == ["good"]
    assert [Path(path).name for path, _message in report.failed] == [database.name, database.name + "-wal"]
    assert all("this project's own file" in message for _path, message in report.failed)
