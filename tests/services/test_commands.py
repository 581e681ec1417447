"""Undoable actions: undo → redo → undo returns the whole database to the same state, row for row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.types import ImportedDocument
from annotator.core.undo import Command, UndoStack
from annotator.core.validation import InvalidSpanError
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import commands
from annotator.services import documents as docs
from annotator.services.changes import Change
from annotator.services.errors import NotFoundError, ServiceError
from tests.dumps import TableDump, dump_tables
from tests.services.conftest import TEXT, World

CommandMaker = Callable[[World], Command[Change]]


def _ana_slow_burn(w: World) -> int:
    return next(a.id for a in ann.list_annotations(w.store, coder_ids=[w.ana]) if a.code_id == w.slow_burn)


def _import_two(w: World) -> Command[Change]:
    ids = [
        docs.add_document(w.store, ImportedDocument(title=t, source_format="text", text=f"{t} text")).id
        for t in ("One", "Two")
    ]
    ann.apply_code(w.store, ids[0], 0, 3, w.angst, w.ana)  # coded before the import is undone
    docs.set_document_memo(w.store, ids[1], "ana", "memo on two")
    return commands.ImportedDocuments(w.store, ids)


COMMANDS: dict[str, CommandMaker] = {
    "apply code": lambda w: commands.ApplyCode(w.store, w.doc, 0, 3, w.angst, w.ana, "memo"),
    "remove annotations": lambda w: commands.RemoveAnnotations(
        w.store, [a.id for a in ann.list_annotations(w.store, coder_ids=[w.ana])]
    ),
    "edit span": lambda w: commands.EditAnnotation(w.store, _ana_slow_burn(w), start=10, end=15),
    "recode": lambda w: commands.EditAnnotation(w.store, _ana_slow_burn(w), code_id=w.angst),
    "edit memo": lambda w: commands.EditAnnotation(w.store, _ana_slow_burn(w), memo="second thoughts"),
    "add code": lambda w: commands.AddCode(w.store, "Hurt/Comfort", w.trope, "#123456", definition="d"),
    "rename code": lambda w: commands.UpdateCode(w.store, w.fluff, name="Tooth-rotting fluff"),
    "recolour code": lambda w: commands.UpdateCode(w.store, w.fluff, colour="#00FF00"),
    "edit code texts": lambda w: commands.UpdateCode(w.store, w.trope, definition="new", example="ex"),
    "move code to top": lambda w: commands.MoveCode(w.store, w.slow_burn, None),
    "move code first": lambda w: commands.MoveCode(w.store, w.angst, w.trope, 0),
    "reorder siblings": lambda w: commands.MoveCode(w.store, w.fluff, w.trope, 0),
    "merge codes": lambda w: commands.MergeCodes(w.store, w.slow_burn, w.fluff),
    "merge group into code": lambda w: commands.MergeCodes(w.store, w.trope, w.angst),
    "delete code": lambda w: commands.DeleteCode(w.store, w.trope),
    "in-vivo code": lambda w: commands.InVivoCode(w.store, w.doc, 4, 15, w.ben, w.trope),
    "import documents": _import_two,
    "new document memo": lambda w: commands.SetDocumentMemo(w.store, w.doc, "ana", "a first memo"),
}


def _cycle(w: World, command: Command[Change]) -> tuple[TableDump, TableDump]:
    stack: UndoStack[Change] = UndoStack()
    if command.text.startswith("Import"):  # the import already ran; the stack only records it
        before = None
        stack.record(command)
    else:
        before = dump_tables(w.store)
        stack.push(command)
    after = dump_tables(w.store)
    stack.undo()
    undone = dump_tables(w.store)
    if before is not None:
        assert undone == before, f"undo of {command.text!r} did not restore the project"
    stack.redo()
    assert dump_tables(w.store) == after, f"redo of {command.text!r} differs from the first time"
    stack.undo()
    assert dump_tables(w.store) == undone, f"second undo of {command.text!r} differs from the first"
    assert after != undone, f"{command.text!r} changed nothing"
    return undone, after


@pytest.mark.parametrize("name", list(COMMANDS))
def test_undo_redo_undo_restores_the_same_state(world: World, name: str) -> None:
    _cycle(world, COMMANDS[name](world))


def test_editing_an_existing_document_memo_undoes_exactly(world: World) -> None:
    docs.set_document_memo(world.store, world.doc, "ana", "first")
    _cycle(world, commands.SetDocumentMemo(world.store, world.doc, "ana", "second"))
    assert docs.load_document(world.store, world.doc, world.ana).memo == "first"


def test_undo_of_delete_restores_codes_and_annotations_under_their_ids(world: World) -> None:
    before = {a.id: a for a in ann.list_annotations(world.store)}
    stack: UndoStack[Change] = UndoStack()
    change = stack.push(commands.DeleteCode(world.store, world.trope))
    assert set(change.annotations_removed) == set(before)  # all three used Trope's sub-codes
    assert [c.name for c in cb.list_codes(world.store)] == ["Angst"]
    stack.undo()
    assert {a.id: a for a in ann.list_annotations(world.store)} == before
    assert [c.id for c in cb.list_codes(world.store)] == [
        world.trope,
        world.slow_burn,
        world.fluff,
        world.angst,
    ]


def test_undo_of_delete_works_when_a_child_is_older_than_its_parent(world: World) -> None:
    """A code moved under a newer code has a smaller id than its parent; restore must still work."""
    newer = cb.add_code(world.store, "Newer group").id
    cb.move_code(world.store, world.angst, newer)
    _cycle(world, commands.DeleteCode(world.store, newer))


def test_redo_of_add_code_brings_back_the_same_id_used_by_later_commands(world: World) -> None:
    stack: UndoStack[Change] = UndoStack()
    add = commands.AddCode(world.store, "Pining")
    stack.push(add)
    code_id = add.code_id
    stack.push(commands.ApplyCode(world.store, world.doc, 0, 3, code_id, world.ana))
    stack.undo()
    stack.undo()
    stack.redo()
    stack.redo()
    [pining] = [a for a in ann.list_annotations(world.store) if a.code_id == code_id]
    assert pining.quote == "The"


def test_in_vivo_names_the_code_after_the_words(world: World) -> None:
    stack: UndoStack[Change] = UndoStack()
    start = TEXT.index("“no”")
    change = stack.push(commands.InVivoCode(world.store, world.doc, start, start + 4, world.ana))
    [added] = change.annotations_added
    assert added.quote == "“no”"
    names = {c.id: c.name for c in cb.list_codes(world.store)}
    assert names[added.code_id] == "no"  # quotes and punctuation trimmed
    assert stack.undo_text == "In-vivo code 'no'"


@pytest.mark.parametrize(
    ("start", "end", "coder_id", "error", "word"),
    [
        (4, 10**6, None, InvalidSpanError, "past the end"),
        (-3, 9, None, InvalidSpanError, "negative"),
        (9, 4, None, InvalidSpanError, "before its end"),
        (4, 9, 999, NotFoundError, "coder"),
    ],
)
def test_a_refused_in_vivo_code_leaves_no_code_behind(
    world: World, start: int, end: int, coder_id: int | None, error: type[Exception], word: str
) -> None:
    before = dump_tables(world.store)
    with pytest.raises(error, match=word):
        commands.InVivoCode(world.store, world.doc, start, end, coder_id or world.ana).apply()
    assert dump_tables(world.store) == before


def test_in_vivo_of_blank_text_is_refused(world: World) -> None:
    newline = TEXT.index("\n")
    with pytest.raises(ServiceError, match="select some words"):
        commands.InVivoCode(world.store, world.doc, newline, newline + 1, world.ana)


def test_a_failing_command_is_not_pushed(world: World) -> None:
    stack: UndoStack[Change] = UndoStack()
    before = dump_tables(world.store)
    with pytest.raises(ServiceError):
        stack.push(commands.MoveCode(world.store, world.trope, world.slow_burn))
    with pytest.raises(NotFoundError):
        stack.push(commands.DeleteCode(world.store, 999))
    assert not stack.can_undo
    assert dump_tables(world.store) == before


def test_undo_texts_name_the_action(world: World) -> None:
    assert commands.UpdateCode(world.store, world.fluff, name="x").text == "Rename code"
    assert commands.UpdateCode(world.store, world.fluff, colour="#000000").text == "Recolour code"
    assert commands.UpdateCode(world.store, world.fluff, definition="d").text == "Edit code"
    assert commands.RemoveAnnotations(world.store, [1, 2]).text == "Remove 2 annotations"
    assert commands.ImportedDocuments(world.store, [world.doc]).text == "Import 1 document"


def test_import_undo_then_redo_restores_documents_and_text_cache(world: World, tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    path.write_text("A brand new work.\n", encoding="utf-8")
    report = docs.import_files(world.store, [path])
    [summary] = report.imported
    stack: UndoStack[Change] = UndoStack()
    stack.record(commands.ImportedDocuments(world.store, [summary.id]))
    assert docs.document_text(world.store, summary.id) == "A brand new work.\n"
    change = stack.undo()
    assert change is not None and change.documents_removed == (summary.id,)
    with pytest.raises(NotFoundError):
        docs.document_text(world.store, summary.id)  # not served from a stale cache
    stack.redo()
    assert docs.document_text(world.store, summary.id) == "A brand new work.\n"
    assert [d.id for d in docs.list_documents(world.store)] == [world.doc, summary.id]


def test_in_vivo_coding_is_one_transaction_and_its_undo_one_more(world: World) -> None:
    from sqlalchemy import event

    commits: list[str] = []
    event.listen(world.store.engine, "commit", lambda _conn: commits.append("commit"))
    stack: UndoStack[Change] = UndoStack()
    start = TEXT.index("left")
    stack.push(commands.InVivoCode(world.store, world.doc, start, start + 4, world.ana, world.trope))
    assert commits == ["commit"]
    stack.undo()
    assert commits == ["commit"] * 2
    stack.redo()
    assert commits == ["commit"] * 3
