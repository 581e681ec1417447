"""Undoable edits of works' titles and attributes (the command classes over ``document_attributes``).

Like every command (see :mod:`annotator.services.commands`), the first ``apply`` performs the
action; ``revert`` puts the touched fields back with the very same attribute rows; a later
``apply`` (redo) puts back the rows the action made. Undo and redo re-read the touched fields in
their own transaction and refuse with a ConflictError, changing nothing, if someone changed them
since (another user on PostgreSQL, another window on the same file).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from annotator.core.undo import Command
from annotator.services import document_attributes as attrs
from annotator.services.changes import Change
from annotator.services.commands import redo_step, undo_step
from annotator.services.conflicts import quoted
from annotator.store.project import ProjectStore


class EditWorks(Command[Change]):
    """An edit of some works' titles or attributes, done by ``perform`` the first time."""

    def __init__(self, store: ProjectStore, text: str, perform: Callable[[], attrs.WorksEdit]) -> None:
        self.store = store
        self.text = text
        self.perform = perform
        self.edit: attrs.WorksEdit | None = None

    def apply(self) -> Change:
        if self.edit is not None:
            return self._redo()
        self.edit = self.perform()
        return self.edit.change

    @redo_step
    def _redo(self) -> Change:
        assert self.edit is not None
        edit = self.edit
        done = attrs.restore_works(self.store, edit.after, edit.rows_after, expected=edit.before)
        self.edit = attrs.WorksEdit(edit.before, edit.after, edit.rows_before, done.rows_after)
        return edit.change

    @undo_step
    def revert(self) -> Change:
        assert self.edit is not None
        edit = self.edit
        done = attrs.restore_works(self.store, edit.before, edit.rows_before, expected=edit.after)
        # Rows SQLite had to give new ids (see restore_works) are the ones the next step replaces.
        self.edit = attrs.WorksEdit(edit.before, edit.after, done.rows_after, edit.rows_after)
        return edit.change


def rename_document(store: ProjectStore, document_id: int, title: str) -> EditWorks:
    return EditWorks(store, "Rename work", lambda: attrs.rename_document(store, document_id, title))


def edit_document(
    store: ProjectStore, document_id: int, title: str, attributes: Mapping[str, Sequence[str]]
) -> EditWorks:
    """The attribute editor's OK: the title and every attribute at once, one undo step."""
    return EditWorks(
        store,
        "Edit title and attributes",
        lambda: attrs.edit_document(store, document_id, title, attributes),
    )


def set_attribute(
    store: ProjectStore, document_ids: Sequence[int], name: str, values: Sequence[str]
) -> EditWorks:
    """One attribute on one or several works (the works table's cell edit and bulk edit)."""
    label = quoted(attrs.attribute_label(name.strip()))
    count = len(set(document_ids))
    text = f"Set {label}" + (f" on {count} works" if count != 1 else "")
    return EditWorks(
        store, text, lambda: attrs.set_attribute_for_documents(store, document_ids, name, values)
    )


def add_attribute_value(store: ProjectStore, document_id: int, name: str, value: str) -> EditWorks:
    label = quoted(attrs.attribute_label(name.strip()))
    return EditWorks(
        store, f"Add {label}", lambda: attrs.add_attribute_value(store, document_id, name, value)
    )


def remove_attribute_value(store: ProjectStore, document_id: int, name: str, value: str) -> EditWorks:
    label = quoted(attrs.attribute_label(name.strip()))
    return EditWorks(
        store, f"Remove {label}", lambda: attrs.remove_attribute_value(store, document_id, name, value)
    )
