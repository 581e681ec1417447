"""Hostile merge sources: coders' copies damaged the way a hand edit, a crash or an attacker would.

Each case starts from a real project made with the app's own services (the fandom codebook, the
five seed works, alice's four annotations and a document memo), then damages it with raw SQL, as
someone with an SQLite browser or a PostgreSQL console would: SQLite with ``PRAGMA
foreign_keys=OFF`` and ``PRAGMA ignore_check_constraints=ON``, PostgreSQL with
``session_replication_role = replica`` (no foreign key triggers) and the span CHECKs dropped.
Cases that need what only SQLite can hold (NUL, bytes, text in an integer column, over-long
names) are built on SQLite only.

Interface, for ``benchmarks/hostile_counts.py`` and anyone else iterating the cases:

``CASES``: a tuple of :class:`MergeCase`, each with
    ``name`` (short, unique), ``damage`` (one line: what was done to the copy),
    ``expected`` (``"refused"`` or ``"accepted"``: what a sound merge does with it), and
    ``backends`` (the source backends it can be built on: ``"sqlite"``, ``"postgresql"``).
``Locations(workdir, pg_url)``: hands out project locations (SQLite files in ``workdir``, or
    fresh PostgreSQL databases on the server at ``pg_url``); ``close()`` drops the databases.
``build_source(case, backend, locations) -> str``: the damaged source's location.
``run(case, source_location, make_target) -> Outcome``: merges the source into the project
    ``make_target()`` returns (``run_all`` gives a new fandom project; ``run`` closes it) and
    classifies what happened as ``Outcome.result``: ``"refused"`` (a user error, and every row
    of the target as before), ``"accepted"`` (merged, and the target still passes the merge
    checks itself, so nothing harmful got in), or ``"failed"`` (anything else: a crash, a
    half-done merge, damage let in). ``Outcome`` also has ``case`` (the name), ``detail`` (the
    error shown, or what was added) and ``expected`` (the case's).
``run_all(target_backend, locations, cases=CASES) -> dict[str, list[Outcome]]``: every case
    on every source backend available (PostgreSQL only with ``pg_url``), by source backend, each
    merged into a new target on ``target_backend``.

Run it to print the counts per source and target backend:

    python benchmarks/hostile_cases_merge.py [--backend sqlite|postgresql|both] [--pg-url URL] [-v]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.errors import USER_ERRORS, user_message
from annotator.core.text import text_hash
from annotator.services.commands import SetDocumentMemo
from annotator.services.merge import merge_from
from annotator.services.merge_checks import plural
from annotator.services.merge_validation import DamagedSourceError, read_checked_source
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore
from tests.damaged_copies import unguarded
from tests.dumps import dump_tables
from tests.team_support import ALICE, code_as, document_id, seeded_copy

BOTH = ("sqlite", "postgresql")
SQLITE = ("sqlite",)
FIRST_ANNOTATION = "(SELECT min(id) FROM annotations)"
FIRST_DOCUMENT = "(SELECT min(id) FROM documents)"


class Damage:
    """Runs the damaging SQL on either backend: ``?`` placeholders, constraints not enforced."""

    def __init__(self, execute: Callable[[str, Sequence[Any]], list[Any]], backend: str) -> None:
        self._execute = execute
        self.backend = backend

    def __call__(self, statement: str, *params: Any) -> list[Any]:
        return self._execute(statement, params)


Step = str | Callable[[Damage], None]


@dataclass(frozen=True)
class MergeCase:
    name: str
    damage: str
    steps: tuple[Step, ...]
    expected: str = "refused"
    backends: tuple[str, ...] = BOTH


@dataclass(frozen=True)
class Outcome:
    case: str
    result: str  # "refused", "accepted" or "failed"
    detail: str
    expected: str


def _set(table: str, assignment: str, where: str, *params: Any) -> Callable[[Damage], None]:
    def step(sql: Damage) -> None:
        sql(f"UPDATE {table} SET {assignment} WHERE {where}", *params)

    return step


def _insert(statement: str, *params: Any) -> Callable[[Damage], None]:
    def step(sql: Damage) -> None:
        sql(statement, *params)

    return step


def _rehash_first_document(change: Callable[[str], str]) -> Callable[[Damage], None]:
    """Change the first document's text and store a hash and length that match the new text."""

    def step(sql: Damage) -> None:
        [(doc_id, old)] = sql(f"SELECT id, text FROM documents WHERE id = {FIRST_DOCUMENT}")
        new = change(old)
        sql(
            "UPDATE documents SET text = ?, text_hash = ?, length = ? WHERE id = ?",
            new,
            text_hash(new),
            len(new),
            doc_id,
        )

    return step


def _fabricated_annotations(count: int) -> Callable[[Damage], None]:
    def step(sql: Damage) -> None:
        [(doc, code, coder)] = sql(
            "SELECT document_id, code_id, coder_id FROM annotations WHERE id = " + FIRST_ANNOTATION
        )
        for n in range(count):
            sql(
                "INSERT INTO annotations"
                ' (document_id, code_id, coder_id, start, "end", quote, memo, created_at, updated_at)'
                " VALUES (?, ?, ?, ?, ?, ?, '', '2024-05-01 10:00:00', '2024-05-01 10:00:00')",
                doc,
                code,
                coder,
                1000 + n,
                1010 + n,
                f"not the text {n}",
            )

    return step


def _deep_chain(levels: int, *, closed: bool = False) -> Callable[[Damage], None]:
    """Codes nested ``levels`` deep under "Trope"; ``closed``: the top one moved under the last."""

    def step(sql: Damage) -> None:
        [(parent,)] = sql("SELECT id FROM codes WHERE name = 'Trope'")
        first = None
        for level in range(levels):
            sql(
                "INSERT INTO codes (parent_id, name, short_name, colour, definition, inclusion, exclusion,"
                " example, position) VALUES (?, ?, '', '#888888', '', '', '', '', 0)",
                parent,
                f"Level {level}",
            )
            [(parent,)] = sql("SELECT max(id) FROM codes")
            first = parent if first is None else first
        if closed:
            sql("UPDATE codes SET parent_id = ? WHERE id = ?", parent, first)

    return step


_ANN = f"id = {FIRST_ANNOTATION}"
_PINING = "name = 'Pining'"
_ALICE = "name = 'alice'"
_DOC = f"id = {FIRST_DOCUMENT}"
_ZONE = "id = (SELECT min(id) FROM document_zones)"

CASES: tuple[MergeCase, ...] = (
    # --- the codebook -----------------------------------------------------------------------
    MergeCase(
        "code parent loop",
        "“Trope” moved under its own child “Slow burn”",
        (_set("codes", "parent_id = (SELECT id FROM codes WHERE name = 'Slow burn')", "name = 'Trope'"),),
    ),
    MergeCase(
        "code is its own parent", "“Pining” made its own parent", (_set("codes", "parent_id = id", _PINING),)
    ),
    MergeCase(
        "code parent missing",
        "“Slow burn” points at parent 99999",
        (_set("codes", "parent_id = 99999", "name = 'Slow burn'"),),
    ),
    MergeCase(
        "code deleted under annotations",
        "“Pining” deleted, its annotations kept",
        ("DELETE FROM codes WHERE name = 'Pining'",),
    ),
    MergeCase(
        "sibling codes share a name",
        "a second “Pining” under “Trope”",
        (
            "INSERT INTO codes"
            " (parent_id, name, short_name, colour, definition, inclusion, exclusion, example, position)"
            " SELECT parent_id, 'PINING', '', colour, '', '', '', '', 99 FROM codes WHERE name = 'Pining'",
        ),
    ),
    MergeCase("code name empty", "a code's name emptied", (_set("codes", "name = ''", _PINING),)),
    MergeCase("code name blank", "a code's name set to spaces", (_set("codes", "name = '   '", _PINING),)),
    MergeCase(
        "code name padded", "spaces around a code's name", (_set("codes", "name = '  Pining '", _PINING),)
    ),
    MergeCase(
        "code name terminal escape",
        "ESC [2J in a code's name",
        (_set("codes", "name = ?", _PINING, "Pining\x1b[2J"),),
        "accepted",
    ),
    MergeCase(
        "code name NUL",
        "a NUL inside a code's name",
        (_set("codes", "name = ?", _PINING, "Pin\x00ing"),),
        backends=SQLITE,
    ),
    MergeCase(
        "code name too long",
        "a 5,000-character code name",
        (_set("codes", "name = ?", _PINING, "P" * 5000),),
        backends=SQLITE,
    ),
    MergeCase(
        "code colour markup",
        "colour set to an HTML fragment",
        (_set("codes", "colour = ?", _PINING, '#ff0000"><img src="/dev/zero"><b x="'),),
        backends=SQLITE,
    ),
    MergeCase("codebook 5,000 levels deep", "a chain of 5,000 codes under “Trope”", (_deep_chain(5000),)),
    MergeCase(
        "loop of 5,000 codes", "5,000 codes each inside the next, round", (_deep_chain(5000, closed=True),)
    ),
    MergeCase("code colour word", "colour set to 'red'", (_set("codes", "colour = 'red'", _PINING),)),
    MergeCase(
        "code colour with newline",
        "colour '#ff0000' plus a line break",
        (_set("codes", "colour = ?", _PINING, "#ff000\n"),),
    ),
    MergeCase(
        "code position text",
        "a code's position set to 'first'",
        (_set("codes", "position = 'first'", _PINING),),
        backends=SQLITE,
    ),
    MergeCase(
        "code definition NUL",
        "a NUL in a definition",
        (_set("codes", "definition = ?", _PINING, "a\x00b"),),
        backends=SQLITE,
    ),
    # --- coders ---------------------------------------------------------------------------------
    MergeCase(
        "coder deleted under annotations",
        "alice deleted, her annotations kept",
        ("DELETE FROM coders WHERE name = 'alice'",),
    ),
    MergeCase(
        "coder colour markup",
        "a coder's colour set to markup",
        (_set("coders", "colour = ?", _ALICE, "<b>#fff</b>"),),
        backends=SQLITE,
    ),
    MergeCase(
        "coder colour word", "a coder's colour set to 'blue'", (_set("coders", "colour = 'blue'", _ALICE),)
    ),
    MergeCase("coder name empty", "alice's name emptied", (_set("coders", "name = ''", _ALICE),)),
    MergeCase(
        "coder name too long",
        "a 1,000-character coder name",
        (_set("coders", "name = ?", _ALICE, "a" * 1000),),
        backends=SQLITE,
    ),
    MergeCase(
        "coder role unknown", "alice's role set to 'admin'", (_set("coders", "role = 'admin'", _ALICE),)
    ),
    # --- annotations ----------------------------------------------------------------------------
    MergeCase(
        "annotation code missing",
        "an annotation's code set to 99999",
        (_set("annotations", "code_id = 99999", _ANN),),
    ),
    MergeCase(
        "annotation coder missing",
        "an annotation's coder set to 99999",
        (_set("annotations", "coder_id = 99999", _ANN),),
    ),
    MergeCase(
        "annotation document missing",
        "an annotation's document set to 99999",
        (_set("annotations", "document_id = 99999", _ANN),),
    ),
    MergeCase(
        "annotation reversed", "span 300–200", (_set("annotations", 'start = 300, "end" = 200', _ANN),)
    ),
    MergeCase("annotation empty span", "span 100–100", (_set("annotations", '"end" = start', _ANN),)),
    MergeCase("annotation negative start", "start -5", (_set("annotations", "start = -5", _ANN),)),
    MergeCase(
        "annotation beyond text",
        "span 20000–900000 on a 20,406-character text",
        (_set("annotations", 'start = 20000, "end" = 900000', _ANN),),
    ),
    MergeCase(
        "annotation fabricated quote",
        "a quote replaced by other words",
        (_set("annotations", "quote = 'fabricated'", _ANN),),
    ),
    MergeCase(
        "annotation shifted",
        "a span moved by one, its quote kept",
        (_set("annotations", 'start = start + 1, "end" = "end" + 1', _ANN),),
    ),
    MergeCase(
        "annotation memo too long",
        "a 200,000-character memo",
        (_set("annotations", "memo = ?", _ANN, "m" * 200_000),),
    ),
    MergeCase(
        "annotation memo NUL",
        "a NUL in a memo",
        (_set("annotations", "memo = ?", _ANN, "a\x00b"),),
        backends=SQLITE,
    ),
    MergeCase(
        "annotation start not a number",
        "start set to 'abc'",
        (_set("annotations", "start = 'abc'", _ANN),),
        backends=SQLITE,
    ),
    MergeCase(
        "annotation end a fraction",
        "end set to 100.5",
        (_set("annotations", '"end" = 100.5', _ANN),),
        backends=SQLITE,
    ),
    MergeCase(
        "annotation time garbage",
        "created_at set to 'yesterday'",
        (_set("annotations", "created_at = 'yesterday'", _ANN),),
        backends=SQLITE,
    ),
    MergeCase(
        "annotation time zone",
        "created_at with a +05:00 offset",
        (_set("annotations", "created_at = '2024-01-01T00:00:00+05:00'", _ANN),),
        backends=SQLITE,
    ),
    MergeCase(
        "many fabricated quotes",
        "500 annotations whose quotes are not the text",
        (_fabricated_annotations(500),),
    ),
    # --- documents ------------------------------------------------------------------------------
    MergeCase(
        "text edited, hash kept",
        "'the' → 'teh' in a text",
        (_set("documents", "text = replace(text, 'the', 'teh')", _DOC),),
    ),
    MergeCase(
        "text edited, hash redone",
        "a text turned to NFD, hash and length recomputed",
        (_rehash_first_document(lambda t: unicodedata.normalize("NFD", t.replace("e", "é"))),),
    ),
    MergeCase(
        "text with CR line ends, rehashed",
        "\\r\\n line ends, hash recomputed",
        (_rehash_first_document(lambda t: t + "\r\nThe end.\r\n"),),
    ),
    MergeCase("text emptied", "a text set to ''", (_set("documents", "text = ''", _DOC),)),
    MergeCase("length wrong", "a document's length +7", (_set("documents", "length = length + 7", _DOC),)),
    MergeCase(
        "title terminal escape",
        "OSC in a title",
        (_set("documents", "title = ?", _DOC, "Work\x1b]0;pwned\x07"),),
        "accepted",
    ),
    MergeCase(
        "title too long",
        "a 5,000-character title",
        (_set("documents", "title = ?", _DOC, "T" * 5000),),
        backends=SQLITE,
    ),
    MergeCase(
        "title binary",
        "a title stored as a BLOB",
        (_set("documents", "title = x'deadbeef'", _DOC),),
        backends=SQLITE,
    ),
    MergeCase(
        "title not UTF-8",
        "a title of bytes that are not UTF-8",
        (_set("documents", "title = CAST(x'ff' AS TEXT)", _DOC),),
        backends=SQLITE,
    ),
    MergeCase(
        "import time garbage",
        "imported_at set to 'soon'",
        (_set("documents", "imported_at = 'soon'", _DOC),),
        backends=SQLITE,
    ),
    MergeCase(
        "zone beyond text",
        "a zone's end +100,000",
        (_set("document_zones", '"end" = "end" + 100000', _ZONE),),
    ),
    MergeCase(
        "zone reversed", "a zone's start after its end", (_set("document_zones", 'start = "end" + 1', _ZONE),)
    ),
    MergeCase(
        "zone kind unknown", "a zone's kind set to markup", (_set("document_zones", "kind = '<b>'", _ZONE),)
    ),
    MergeCase(
        "zone document missing",
        "a zone's document set to 99999",
        (_set("document_zones", "document_id = 99999", _ZONE),),
    ),
    MergeCase(
        "attribute too long",
        "a 5,000-character attribute value",
        (
            _insert(
                "INSERT INTO document_attributes (document_id, name, value, position)"
                " VALUES (1, 'fandom', ?, 0)",
                "v" * 5000,
            ),
        ),
        backends=SQLITE,
    ),
    MergeCase(
        "document memo coder missing",
        "a document memo's coder set to 99999",
        (_set("document_memos", "coder_id = 99999", "1 = 1"),),
    ),
    MergeCase(
        "document memo document missing",
        "a document memo's document set to 99999",
        (_set("document_memos", "document_id = 99999", "1 = 1"),),
    ),
    MergeCase("table dropped", "document_memos dropped", ("DROP TABLE document_memos",), backends=SQLITE),
    # --- edits a merge takes in its stride ------------------------------------------------------
    MergeCase(
        "titles renamed",
        "every title changed",
        ("UPDATE documents SET title = 'Renamed ' || CAST(id AS TEXT)",),
        "accepted",
    ),
    MergeCase(
        "document twice",
        "the first document copied under another id",
        (
            "INSERT INTO documents (title, source_format, source_name, text, text_hash, length, imported_at)"
            " SELECT 'Copy', source_format, source_name, text, text_hash, length, imported_at"
            " FROM documents WHERE " + _DOC,
        ),
        "accepted",
    ),
    MergeCase(
        "definition edited",
        "a definition rewritten",
        (_set("codes", "definition = 'edited by hand'", _PINING),),
        "accepted",
    ),
    MergeCase(
        "colour upper case",
        "a colour in capitals",
        (_set("codes", "colour = upper(colour)", _PINING),),
        "accepted",
    ),
    MergeCase(
        "memo edited",
        "an annotation memo written by hand",
        (_set("annotations", "memo = 'second thoughts'", _ANN),),
        "accepted",
    ),
    MergeCase(
        "unused coder added",
        "a coder with no work",
        ("INSERT INTO coders (name, colour, role) VALUES ('carol', '#123456', 'coder')",),
        "accepted",
    ),
    MergeCase(
        "codes reordered", "positions reversed", ("UPDATE codes SET position = 100 - position",), "accepted"
    ),
    MergeCase(
        "consensus coder",
        "alice marked as the consensus",
        (_set("coders", "role = 'consensus'", _ALICE),),
        "accepted",
    ),
)


class Locations:
    """New project locations: SQLite files under ``workdir``, PostgreSQL databases at ``pg_url``."""

    def __init__(self, workdir: Path, pg_url: str = "") -> None:
        self.workdir = workdir
        self.pg_url = pg_url
        self._databases: list[str] = []
        self._bases: dict[str, str] = {}

    def new(self, backend: str, name: str) -> str:
        if backend == "sqlite":
            return str(self.workdir / f"{name}-{uuid.uuid4().hex[:8]}.annotator")
        return self._database(f"hostile_{uuid.uuid4().hex[:12]}")

    def _database(self, name: str, template: str | None = None) -> str:
        server = make_url(self.pg_url)
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                copy = f' TEMPLATE "{template}"' if template else ""
                connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        finally:
            admin.dispose()
        self._databases.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    def base_copy(self, backend: str) -> str:
        """A fresh copy of the undamaged coder's project (made once per backend with the services)."""
        if backend not in self._bases:
            base = self.new(backend, "base")
            store = seeded_copy(base, self.workdir)
            code_as(store, "alice", ALICE)
            SetDocumentMemo(store, document_id(store, 2), "alice", "a memo on the third work").apply()
            store.close()
            self._bases[backend] = base
        base = self._bases[backend]
        if backend == "sqlite":
            copy = self.new(backend, "source")
            shutil.copyfile(base, copy)
            return copy
        return self._database(f"hostile_{uuid.uuid4().hex[:12]}", template=make_url(base).database)

    def close(self) -> None:
        if not self._databases:
            return
        admin = create_engine(make_url(self.pg_url), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                for name in reversed(self._databases):
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()
        self._databases.clear()


def build_source(case: MergeCase, backend: str, locations: Locations) -> str:
    """The coder's project on ``backend``, damaged as ``case`` says; returns its location."""
    location = locations.base_copy(backend)
    with unguarded(location) as execute:
        _apply(case, Damage(execute, backend))
    return location


def _apply(case: MergeCase, sql: Damage) -> None:
    for step in case.steps:
        if isinstance(step, str):
            sql(step)
        else:
            step(sql)


def run(case: MergeCase, source_location: str, make_target: Callable[[], ProjectStore]) -> Outcome:
    """Merge the damaged source into a new target and say how the merge took it."""
    target = make_target()
    try:
        before = dump_tables(target)
        try:
            report = merge_from(target, source_location)
        except USER_ERRORS as exc:
            if dump_tables(target) != before:
                return Outcome(
                    case.name, "failed", f"refused but the target changed: {user_message(exc)}", case.expected
                )
            return Outcome(case.name, "refused", user_message(exc), case.expected)
        except Exception as exc:  # what this script exists to find
            return Outcome(case.name, "failed", f"{type(exc).__name__}: {str(exc)[:200]}", case.expected)
        try:
            read_checked_source(target)  # the target itself must still be sound
        except DamagedSourceError as exc:
            damaged = f"{plural(len(exc.problems), 'problem')}, first {exc.problems[0]}"
            return Outcome(case.name, "failed", f"accepted, and the target now has {damaged}", case.expected)
        summary = f"{report.annotations_added} annotations, {len(report.documents_added)} documents added"
        return Outcome(case.name, "accepted", summary, case.expected)
    finally:
        target.close()


def run_all(
    target_backend: str, locations: Locations, cases: Sequence[MergeCase] = CASES
) -> dict[str, list[Outcome]]:
    """{source backend: outcomes} for every case buildable there, merged into ``target_backend`` targets."""
    sources = BOTH if locations.pg_url else SQLITE
    results: dict[str, list[Outcome]] = {}
    for source_backend in sources:
        outcomes = results.setdefault(source_backend, [])
        for case in cases:
            if source_backend not in case.backends:
                continue
            location = build_source(case, source_backend, locations)
            make_target = lambda: create_project(locations.new(target_backend, "target"), codebook="fandom")  # noqa: E731
            outcomes.append(run(case, location, make_target))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "both"), default="both", help="target backend"
    )
    parser.add_argument("--pg-url", default=os.environ.get("ANNOTATOR_TEST_PG_URL", ""))
    parser.add_argument("-v", "--verbose", action="store_true", help="print each case's outcome")
    args = parser.parse_args()
    targets = BOTH if args.backend == "both" else (args.backend,)
    if "postgresql" in targets and not args.pg_url:
        print("no --pg-url (or ANNOTATOR_TEST_PG_URL): SQLite only", file=sys.stderr)
        targets = SQLITE
    failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        locations = Locations(Path(workdir), args.pg_url)
        try:
            for target_backend in targets:
                for source_backend, outcomes in run_all(target_backend, locations).items():
                    counts = Counter(o.result for o in outcomes)
                    unexpected = [o for o in outcomes if o.result != o.expected]
                    print(
                        f"{source_backend} source → {target_backend} target: {len(outcomes)} cases: "
                        f"{counts['refused']} refused cleanly, {counts['accepted']} accepted harmlessly, "
                        f"{counts['failed']} failed; {len(unexpected)} not as expected"
                    )
                    for o in outcomes:
                        if args.verbose or o.result != o.expected:
                            first = o.detail.splitlines()[0] if o.detail else ""
                            print(f"  [{o.result:8}] {o.case} (expected {o.expected}): {first}")
                    failed += counts["failed"]
        finally:
            locations.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
