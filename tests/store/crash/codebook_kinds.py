"""Writers that edit the codebook: import a codebook CSV, and move or rename codes with undo.

``codebook`` imports a CSV (written by the app's own writer) that creates a group of 12 codes
and updates the definition of an existing one, in one transaction: KEY the group (STATE
``right/children``) and ``Shared`` (STATE its definition) change together or not at all.

``move`` moves and renames codes of the "Shelf" tree through the undo stack (Move code, Rename
code, Undo, Redo) and keeps its own model of the tree: KEY ``shelf``, STATE every code's
``id.parent.position.name``. A move renumbers the siblings it joins and undo puts every position
back, so a half move or half undo shows as a tree no acknowledged step left.
"""

from __future__ import annotations

import functools
import io
import random
from collections.abc import Callable
from itertools import count

from sqlalchemy import Connection

from annotator.core.undo import Command, UndoStack
from annotator.io.csv_codebook import CodebookRow, write_codebook_csv
from annotator.services import codebook as cb
from annotator.services import codebook_csv, commands
from annotator.services.changes import Change
from annotator.store.project import ProjectStore
from tests.store.crash.protocol import Journal, Kind, State, rows

TOPICS = 12
SHELF = "Shelf"

Tree = dict[int, tuple[int | None, int, str]]  # code id: (parent id, position, name)


class ImportCodebook(Kind):
    name = "codebook"

    def prepare(self, store: ProjectStore) -> None:
        cb.add_code(store, "Shared")

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        journal.ready()
        for n in count():
            book = f"Book-{tag}-{n}"
            shared = f"shared-{tag}-{n}"
            lines = [CodebookRow((book,), definition=book)]
            lines += [
                CodebookRow((book, f"Topic {i}"), definition=f"topic {i} of {book}") for i in range(TOPICS)
            ]
            lines.append(CodebookRow(("Shared",), definition=shared))
            out = io.StringIO(newline="")
            write_codebook_csv(lines, out)
            journal.doing(book, f"{TOPICS}/{TOPICS}", "Shared", shared)
            codebook_csv.import_codebook(store, io.StringIO(out.getvalue(), newline=""), "book.csv")
            journal.done(book, f"{TOPICS}/{TOPICS}", "Shared", shared)

    def observe(self, db: Connection) -> State:
        found = rows(
            db,
            "SELECT r.name AS book, r.definition AS own, c.name, c.definition FROM codes r "
            "LEFT JOIN codes c ON c.parent_id = r.id WHERE r.parent_id IS NULL AND r.name LIKE 'Book-%'",
        )
        children: dict[str, int] = {}
        right: dict[str, int] = {}
        for r in found:
            children.setdefault(r.book, 0)
            right.setdefault(r.book, 0)
            if r.name is not None:
                children[r.book] += 1
                right[r.book] += r.definition == f"topic {r.name.removeprefix('Topic ')} of {r.book}"
            if r.own != r.book:
                right[r.book] = -1000  # the group's own definition is wrong: never a valid state
        [(shared,)] = rows(db, "SELECT definition FROM codes WHERE name = 'Shared' AND parent_id IS NULL")
        return {book: f"{right[book]}/{children[book]}" for book in children} | {"Shared": shared or "(none)"}


def shelf_tree(codes: list[tuple[int, int | None, int, str]]) -> Tree:
    """The Shelf code and everything under it (a loop in the tree would stop the walk short)."""
    by_parent: dict[int | None, list[tuple[int, int | None, int, str]]] = {}
    for code in codes:
        by_parent.setdefault(code[1], []).append(code)
    roots = [c for c in by_parent.get(None, []) if c[3] == SHELF]
    tree: Tree = {}
    todo = list(roots)
    while todo:
        cid, parent, position, name = todo.pop()
        if cid in tree:
            break
        tree[cid] = (parent, position, name)
        todo += by_parent.get(cid, [])
    return tree


def encode(tree: Tree) -> str:
    return ";".join(f"{cid}.{p}.{pos}.{name}" for cid, (p, pos, name) in sorted(tree.items()))


def moved(tree: Tree, code: int, parent: int, position: int) -> Tree:
    """The tree after ``move_code``: the code joins its new siblings at ``position``, which are
    renumbered from 0 in (position, id) order; the group it left keeps its numbers."""
    after = dict(tree)
    siblings = sorted(
        (c for c, v in tree.items() if v[0] == parent and c != code), key=lambda c: (tree[c][1], c)
    )
    index = max(0, min(position, len(siblings)))
    after[code] = (parent, tree[code][1], tree[code][2])
    for pos, cid in enumerate([*siblings[:index], code, *siblings[index:]]):
        after[cid] = (parent, pos, after[cid][2])
    return after


def _below(tree: Tree, code: int) -> set[int]:
    found = {code}
    grew = True
    while grew:
        more = {c for c, v in tree.items() if v[0] in found} - found
        grew = bool(more)
        found |= more
    return found


class MoveCode(Kind):
    name = "move"

    def prepare(self, store: ProjectStore) -> None:
        shelf = cb.add_code(store, SHELF)
        for i in range(6):
            code = cb.add_code(store, f"S{i}", shelf.id)
            for letter in "ab":
                cb.add_code(store, f"S{i}{letter}", code.id)

    def _read(self, store: ProjectStore) -> Tree:
        return shelf_tree([(c.id, c.parent_id, c.position, c.name) for c in cb.list_codes(store)])

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        tree = self._read(store)
        root = next(c for c, v in tree.items() if v[0] is None)
        stack: UndoStack[Change] = UndoStack()
        done: list[tuple[Tree, Tree]] = []  # (before, after) of each command on the stack
        undone: list[tuple[Tree, Tree]] = []
        journal.ready()
        for n in count():
            step: Callable[[], object]
            choice = rng.random()
            if done and choice < 0.2:
                before, after = done.pop()
                expected, step = before, stack.undo
                undone.append((before, after))
            elif undone and choice < 0.35:
                before, after = undone.pop()
                expected, step = after, stack.redo
                done.append((before, after))
            else:
                command, expected = self._command(store, tree, root, rng, f"{tag}-{n}")
                done.append((tree, expected))
                undone.clear()
                step = functools.partial(stack.push, command)

            journal.doing("shelf", encode(expected))
            step()
            journal.done("shelf", encode(expected))
            tree = expected
            actual = self._read(store)
            assert actual == tree, f"the writer's model is wrong: {encode(actual)} != {encode(tree)}"

    @staticmethod
    def _command(
        store: ProjectStore, tree: Tree, root: int, rng: random.Random, suffix: str
    ) -> tuple[Command[Change], Tree]:
        code = rng.choice([c for c in tree if c != root])
        parent, position, name = tree[code]
        if rng.random() < 0.3:
            new_name = f"{name.split('~')[0]}~{suffix}"
            return commands.UpdateCode(store, code, name=new_name), tree | {
                code: (parent, position, new_name)
            }
        inside = _below(tree, code)
        new_parent = rng.choice([c for c in tree if c not in inside])
        index = rng.randrange(0, 8)
        return commands.MoveCode(store, code, new_parent, index), moved(tree, code, new_parent, index)

    def observe(self, db: Connection) -> State:
        codes = rows(db, "SELECT id, parent_id, position, name FROM codes")
        return {"shelf": encode(shelf_tree([(r.id, r.parent_id, r.position, r.name) for r in codes]))}
