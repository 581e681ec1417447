"""Writers that delete and put back: a code's subtree with its coding, and undo of deletions.

``delete`` calls the services (``delete_code``, ``restore_codes``); ``restore`` goes through the
undo stack as the app does (Delete code, Undo, Redo, Undo; Remove 15 annotations, Undo), so
undo's own transactions (``restore_codes``, ``take_back_codes``, ``restore_annotations``) are
killed too. KEY a subtree's root name (STATE ``codes:annotation ids``) or a batch's memo
(STATE the ids); ``-`` when gone.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import Connection

from annotator.core.undo import UndoStack
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import commands
from annotator.services.changes import Change
from annotator.store.project import ProjectStore
from tests.store.crash.base import BaseWork, base_work
from tests.store.crash.protocol import ABSENT, Journal, Kind, State, rows

SUBTREE_ANNOTATIONS = 20
BATCH = 15
BATCH_CODE = "Batch"


def seed_subtree(store: ProjectStore, work: BaseWork, name: str) -> tuple[int, str]:
    """A root code with one sub-code and 20 annotations, in one transaction: (root id, state)."""
    with store.transaction() as session:
        root = cb.add_code_in(session, name)
        child = cb.add_code_in(session, "child", root.id)
        ids = [
            ann.apply_code_in(
                session, work.text, work.document_id, 3 * i, 3 * i + 2, (root, child)[i % 2].id, work.coder_id
            ).id
            for i in range(SUBTREE_ANNOTATIONS)
        ]
        return root.id, subtree_state(2, ids)


def subtree_state(codes: int, annotation_ids: list[int]) -> str:
    return f"{codes}:{','.join(str(i) for i in sorted(annotation_ids))}"


def present_subtree(store: ProjectStore, prefix: str) -> tuple[int, str, str] | None:
    """The newest root code named ``prefix…`` still there: (id, name, state)."""
    roots = [c for c in cb.list_codes(store) if c.parent_id is None and c.name.startswith(prefix)]
    if not roots:
        return None
    root = max(roots, key=lambda c: c.id)
    codes = [c.id for c in cb.list_codes(store) if c.id == root.id or c.parent_id == root.id]
    ids = [a.id for a in ann.list_annotations(store) if a.code_id in codes]
    return root.id, root.name, subtree_state(len(codes), ids)


def observe_subtrees(db: Connection, prefix: str) -> State:
    found = rows(
        db,
        "SELECT r.name, c.id AS code, a.id AS annotation FROM codes r "
        "JOIN codes c ON c.id = r.id OR c.parent_id = r.id "
        "LEFT JOIN annotations a ON a.code_id = c.id "
        "WHERE r.parent_id IS NULL AND r.name LIKE :prefix",
        prefix=f"{prefix}%",
    )
    codes: dict[str, set[int]] = {}
    annotations: dict[str, list[int]] = {}
    for r in found:
        codes.setdefault(r.name, set()).add(r.code)
        annotations.setdefault(r.name, [])
        if r.annotation is not None:
            annotations[r.name].append(r.annotation)
    return {name: subtree_state(len(codes[name]), annotations[name]) for name in codes}


class DeleteCode(Kind):
    """Delete a code with its sub-code and coding, restore it, again and again (the services)."""

    name = "delete"

    def prepare(self, store: ProjectStore) -> None:
        seed_subtree(store, base_work(store), "Doomed-0")

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        work = base_work(store)
        found = present_subtree(store, "Doomed-")
        journal.ready()
        if found is None:  # the last kill came after a delete: a new subtree, in one transaction
            name = f"Doomed-{tag}"
            journal.doing(name, "*")
            root, state = seed_subtree(store, work, name)
            journal.done(name, state)
        else:
            root, name, state = found
        while True:
            journal.doing(name, ABSENT)
            snap = cb.delete_code(store, root)
            journal.done(name, ABSENT)
            journal.doing(name, state)
            cb.restore_codes(store, snap)
            journal.done(name, state)

    def observe(self, db: Connection) -> State:
        return observe_subtrees(db, "Doomed-")


class UndoDeletion(Kind):
    """Delete a code and remove annotations through the undo stack, then undo and redo them."""

    name = "restore"

    def prepare(self, store: ProjectStore) -> None:
        cb.add_code(store, BATCH_CODE)
        work = base_work(store)
        seed_subtree(store, work, "Undone-0")
        self._seed_batch(store, work, "batch-0")

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        work = base_work(store)
        found = present_subtree(store, "Undone-")
        batch_found = self._present_batch(store)
        journal.ready()
        if found is None:  # the last kill came after a deletion: new ones, in one transaction each
            name = f"Undone-{tag}"
            journal.doing(name, "*")
            root, state = seed_subtree(store, work, name)
            journal.done(name, state)
        else:
            root, name, state = found
        if batch_found is None:
            memo = f"batch-{tag}"
            journal.doing(memo, "*")
            batch = self._seed_batch(store, work, memo)
            journal.done(memo, ",".join(str(i) for i in batch))
        else:
            memo, batch = batch_found
        batch_state = ",".join(str(i) for i in batch)
        stack: UndoStack[Change] = UndoStack()
        while True:
            self._step(journal, name, ABSENT, lambda: stack.push(commands.DeleteCode(store, root)))
            self._step(journal, name, state, stack.undo)
            self._step(journal, name, ABSENT, stack.redo)
            self._step(journal, name, state, stack.undo)
            self._step(journal, memo, ABSENT, lambda: stack.push(commands.RemoveAnnotations(store, batch)))
            self._step(journal, memo, batch_state, stack.undo)

    @staticmethod
    def _step(journal: Journal, key: str, state: str, action: Callable[[], object]) -> None:
        journal.doing(key, state)
        action()
        journal.done(key, state)

    @staticmethod
    def _present_batch(store: ProjectStore) -> tuple[str, list[int]] | None:
        """The batch of annotations still there (memo ``batch-…``): (memo, ids)."""
        present = [a for a in ann.list_annotations(store) if a.memo.startswith("batch-")]
        if not present:
            return None
        return present[0].memo, sorted(a.id for a in present)

    @staticmethod
    def _seed_batch(store: ProjectStore, work: BaseWork, memo: str) -> list[int]:
        """15 annotations with code Batch, made in one transaction; their ids."""
        code = next(c for c in cb.list_codes(store) if c.name == BATCH_CODE and c.parent_id is None)
        with store.transaction() as session:
            return [
                ann.apply_code_in(
                    session, work.text, work.document_id, 5 * i, 5 * i + 4, code.id, work.coder_id, memo
                ).id
                for i in range(BATCH)
            ]

    def observe(self, db: Connection) -> State:
        found = rows(db, "SELECT id, memo FROM annotations WHERE memo LIKE 'batch-%' ORDER BY id")
        batches: dict[str, list[str]] = {}
        for r in found:
            batches.setdefault(r.memo, []).append(str(r.id))
        return observe_subtrees(db, "Undone-") | {memo: ",".join(ids) for memo, ids in batches.items()}
