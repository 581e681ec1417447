"""Writers for teamwork: merge a coder's copy into the project, and adjudicate disagreements.

``merge`` folds SQLite coder copies into the project (which may be on PostgreSQL), one merge per
copy: a new coder with 320 annotations, a new work, a new code, a document memo and the merge
record, all in the merge's one transaction. Each copy is the prepared template with its coder,
code and extra work renamed, so every merge adds everything again. KEY the copy's tag, STATE
``annotations:work:code:memos:records``.

``adjudicate`` resolves 30 prepared disagreements between alice and bob (accept one, accept
all, a new span, neither) through the undo stack, with undo and redo. KEY a disagreement
``d<start>``, STATE the consensus spans (``start-end,…``), ``neither`` or ``open``.
"""

from __future__ import annotations

import functools
import random
import shutil
import sqlite3
from collections.abc import Callable
from itertools import count
from pathlib import Path

from sqlalchemy import Connection

from annotator.core.text import text_hash
from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.core.undo import UndoStack
from annotator.services import adjudication as adj
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, commands, documents
from annotator.services.changes import Change
from annotator.services.merge import merge_from
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore
from tests.store.crash.base import CREATION_LOCK, add_base_content, base_work
from tests.store.crash.protocol import Journal, Kind, State, rows

TEMPLATE = "coder-copy.annotator"
EXPECTED = "merge-expected.txt"


def make_coder_copy(path: Path) -> str:
    """bob's blind copy: the base work coded 310 times, a new code, a new work, a memo.

    Returns the state one merge of it leaves. (Made with the services like any project.)
    """
    with CREATION_LOCK:
        store = create_project(path, codebook="fandom")
    try:
        add_base_content(store)
        work = base_work(store)
        bob = coders.ensure_coder(store, "bob").id
        idea = cb.add_code(store, "Idea", cb.add_code(store, "Bob's").id).id
        extra_text = "Extra work.\n" + "more words here " * 40
        extra = documents.add_document(
            store,
            ImportedDocument(
                title="Extra",
                source_format="text",
                text=extra_text,
                attributes={"fandom": ["C"]},
                zones=[ZoneSpec("story", 0, len(extra_text))],
            ),
        )
        codes = [c.id for c in cb.list_codes(store) if c.parent_id is not None][:10]
        with store.transaction() as session:
            for i in range(300):
                start = (7 * i) % (len(work.text) - 20)
                ann.apply_code_in(
                    session, work.text, work.document_id, start, start + 5 + i % 9, codes[i % 10], bob
                )
            for i in range(10):
                ann.apply_code_in(session, work.text, work.document_id, 11 * i, 11 * i + 4, idea, bob)
                ann.apply_code_in(session, extra_text, extra.id, 3 * i, 3 * i + 6, codes[0], bob)
        documents.set_document_memo(store, work.document_id, "bob", "bob's thoughts")
    finally:
        store.close()
    return "320:1+1:1:1:1"


class MergeCopy(Kind):
    name = "merge"
    # A merge first opens and reads the copy (tens of milliseconds), then writes.
    shortest_delay, longest_delay = 0.02, 0.4

    def prepare(self, store: ProjectStore) -> None:
        template = self.folder / TEMPLATE
        if not template.exists():
            (self.folder / EXPECTED).write_text(make_coder_copy(template))

    def use_as_template(self, project: Path) -> None:
        """Take a copy of ``project`` as the coder's copy (warm-up): its coder "crash" as bob, its
        work as the extra one."""
        shutil.copyfile(project, self.folder / TEMPLATE)
        connection = sqlite3.connect(self.folder / TEMPLATE)
        try:
            with connection:
                connection.execute("UPDATE coders SET name = 'bob' WHERE name = 'crash'")
                connection.execute("UPDATE documents SET title = 'Extra' WHERE id = 1")
        finally:
            connection.close()
        (self.folder / EXPECTED).write_text("-")

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        expected = (self.folder / EXPECTED).read_text()
        copy_tag = f"{tag}-0"
        self._make_copy(copy_tag)
        journal.ready()
        for n in count(1):
            journal.doing(copy_tag, expected)
            merge_from(store, str(self.folder / f"copy-{copy_tag}.annotator"))
            journal.done(copy_tag, expected)
            copy_tag = f"{tag}-{n}"
            self._make_copy(copy_tag)  # the coder's next copy arrives

    def _make_copy(self, copy_tag: str) -> None:
        copy = self.folder / f"copy-{copy_tag}.annotator"
        shutil.copyfile(self.folder / TEMPLATE, copy)
        connection = sqlite3.connect(copy)
        try:
            with connection:
                connection.execute("UPDATE coders SET name = ? WHERE name = 'bob'", (f"bob-{copy_tag}",))
                connection.execute("UPDATE codes SET name = ? WHERE name = 'Idea'", (f"Idea-{copy_tag}",))
                [(text,)] = connection.execute("SELECT text FROM documents WHERE title = 'Extra'")
                text += f"\nCopy {copy_tag}\n"
                connection.execute(
                    "UPDATE documents SET title = ?, text = ?, text_hash = ?, length = ? "
                    "WHERE title = 'Extra'",
                    (f"Extra-{copy_tag}", text, text_hash(text), len(text)),
                )
        finally:
            connection.close()

    def observe(self, db: Connection) -> State:
        parts: dict[str, dict[str, str]] = {}

        def put(tag: str, part: str, value: object) -> None:
            parts.setdefault(tag, {})[part] = str(value)

        for r in rows(
            db,
            "SELECT k.name, count(a.id) AS n FROM coders k LEFT JOIN annotations a ON a.coder_id = k.id "
            "WHERE k.name LIKE 'bob-%' GROUP BY k.name",
        ):
            put(r.name.removeprefix("bob-"), "annotations", r.n)
        for r in rows(
            db,
            "SELECT d.title, (SELECT count(*) FROM document_attributes a WHERE a.document_id = d.id) AS a, "
            "(SELECT count(*) FROM document_zones z WHERE z.document_id = d.id) AS z "
            "FROM documents d WHERE d.title LIKE 'Extra-%'",
        ):
            put(r.title.removeprefix("Extra-"), "work", f"{r.a}+{r.z}")
        for r in rows(db, "SELECT name FROM codes WHERE name LIKE 'Idea-%'"):
            put(r.name.removeprefix("Idea-"), "code", 1)
        for r in rows(
            db,
            "SELECT k.name, count(*) AS n FROM document_memos m JOIN coders k ON k.id = m.coder_id "
            "WHERE k.name LIKE 'bob-%' GROUP BY k.name",
        ):
            put(r.name.removeprefix("bob-"), "memos", r.n)
        for r in rows(db, "SELECT source FROM merge_records"):
            name = Path(r.source).name
            tag = name.removeprefix("copy-").removesuffix(".annotator")
            put(tag, "records", int(parts.get(tag, {}).get("records", 0)) + 1)
        fields = ("annotations", "work", "code", "memos", "records")
        return {tag: ":".join(found.get(f, "0") for f in fields) for tag, found in parts.items()}


REGIONS = 30
STEP = 65
CODE = "Conflict"


def _spans(spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    return ",".join(f"{s}-{e}" for s, e in sorted(spans)) or "open"


class Adjudicate(Kind):
    name = "adjudicate"

    def prepare(self, store: ProjectStore) -> None:
        work = base_work(store)
        code = cb.add_code(store, CODE).id
        alice, bob = (coders.ensure_coder(store, name).id for name in ("alice", "bob"))
        with store.transaction() as session:
            for k in range(REGIONS):
                b = k * STEP
                ann.apply_code_in(session, work.text, work.document_id, b, b + 20, code, alice)
                ann.apply_code_in(session, work.text, work.document_id, b + 5, b + 25, code, bob)

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        items = [i for i in adj.list_disagreements(store, ("alice", "bob")) if i.code_path == CODE]
        assert len(items) == REGIONS, f"{len(items)} disagreements"
        state = {item.start: self._state(item) for item in items}
        stack: UndoStack[Change] = UndoStack()
        done: list[tuple[int, str, str]] = []  # (disagreement, state before, state after)
        undone: list[tuple[int, str, str]] = []
        journal.ready()
        while True:
            step: Callable[[], object]
            choice = rng.random()
            if done and choice < 0.2:
                key, before, after = done.pop()
                undone.append((key, before, after))
                expected, step = before, stack.undo
            elif undone and choice < 0.3:
                key, before, after = undone.pop()
                done.append((key, before, after))
                expected, step = after, stack.redo
            else:
                item = rng.choice(items)
                key = item.start
                decision, expected = self._decision(item, rng)
                done.append((key, state[key], expected))
                undone.clear()
                step = functools.partial(stack.push, commands.ResolveDisagreement(store, item, decision))
            journal.doing(f"d{key}", expected)
            step()
            journal.done(f"d{key}", expected)
            state[key] = expected

    @staticmethod
    def _state(item: adj.DisagreementItem) -> str:
        if item.status == adj.BY_NEITHER:
            return "neither"
        return _spans(item.consensus)

    @staticmethod
    def _decision(item: adj.DisagreementItem, rng: random.Random) -> tuple[adj.Decision, str]:
        pick = rng.randrange(5)
        if pick < 2:
            coder = ("alice", "bob")[pick]
            return adj.Decision.accept(coder), _spans(item.versions[coder])
        if pick == 2:
            every = {span for spans in item.versions.values() for span in spans}
            return adj.Decision.accept_all(), _spans(sorted(every))
        if pick == 3:
            return adj.Decision.new_span(item.start + 2, item.start + 15), _spans(
                [(item.start + 2, item.start + 15)]
            )
        return adj.Decision.neither(), "neither"

    def observe(self, db: Connection) -> State:
        consensus = rows(
            db,
            'SELECT a.start, a."end" FROM annotations a JOIN coders k ON k.id = a.coder_id '
            "JOIN codes c ON c.id = a.code_id WHERE k.role = 'consensus' AND c.name = :code",
            code=CODE,
        )
        neither = rows(
            db,
            "SELECT j.start, j.decision FROM adjudications j JOIN codes c ON c.id = j.code_id "
            "WHERE c.name = :code",
            code=CODE,
        )
        state: State = {}
        for k in range(REGIONS):
            b = k * STEP
            spans = [(r.start, r.end) for r in consensus if r.start < b + 25 and r.end > b]
            decisions = [r.decision for r in neither if r.start == b]
            value = _spans(spans) if spans else "open"
            if decisions:
                value = "neither" if value == "open" and decisions == ["neither"] else f"{value}+{decisions}"
            state[f"d{b}"] = value
        stray = [
            r
            for r in consensus
            if not any(r.start < k * STEP + 25 and r.end > k * STEP for k in range(REGIONS))
        ]
        if stray:
            state["stray"] = str(len(stray))
        return state
