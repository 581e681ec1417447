"""Hostile segments and codebook CSVs: files a spreadsheet, a script or an attacker could hand in.

Each case is a file (bytes as they would sit on disk, or, for what only a caller that decoded with
``surrogateescape`` can pass, a str) built against a fresh project: the fandom codebook and the
first seed work. It goes through the same service the CLI and the app call
(``import_segments`` or ``import_codebook``) and is classified:

``refused``  a one-line user error naming the file, the project's tables exactly as before, and
             the project still codable (a new annotation gets the next id, export works);
``accepted`` imported, and the project still codable just the same;
``failed``   anything else: a traceback, a refusal that changed something or spoke in several
             lines, or a project left unable to take the next annotation.

Interface, for ``benchmarks/hostile_counts.py``:

``CASES``: a tuple of :class:`CsvCase` ``(name, kind, payload, expected)``: ``kind`` is
    ``"segments"`` or ``"codebook"``, ``payload(seed)`` builds the file from the project's
    :class:`Seed`, ``expected`` is ``"refused"`` or ``"accepted"``.
``CATEGORY``: the label these cases are counted under.
``outcomes(backend, workdir, pg_url) -> dict[label, list[Outcome]]``: every case against a fresh
    project on ``backend`` (``"sqlite"`` in ``workdir``, ``"postgresql"`` on the server at
    ``pg_url``), labelled by kind.

Add a case by appending to ``SEGMENT_CASES`` or ``CODEBOOK_CASES``.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection, create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.errors import USER_ERRORS, user_message
from annotator.io.csv_safety import CSV_ENCODING
from annotator.io.csv_segments import SEGMENT_COLUMNS
from annotator.paths import seeds_dir
from annotator.services.annotations import MAX_MEMO_LENGTH, apply_code
from annotator.services.codebook import find_code_by_path, list_codes
from annotator.services.codebook_csv import export_codebook, import_codebook
from annotator.services.coders import ensure_coder
from annotator.services.documents import document_text, import_files
from annotator.services.projects import create_project
from annotator.services.segments import export_segments, import_segments
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore, open_project
from tests.dumps import dump_tables

CATEGORY = "CSV"
FILE_NAME = "hostile.csv"
LEAF = "Trope/Slow burn"  # a code of the fandom codebook
TOP = "Trope"


@dataclass(frozen=True)
class Seed:
    """What a case needs to know about the fresh project to build a file that gets past the rest."""

    document_id: int
    document_hash: str
    text: str


Payload = Callable[[Seed], bytes | str]


@dataclass(frozen=True)
class CsvCase:
    name: str
    kind: str  # "segments" or "codebook"
    payload: Payload
    expected: str = "refused"


@dataclass(frozen=True)
class Outcome:
    case: str
    result: str  # "refused", "accepted" or "failed"
    detail: str
    expected: str


# --- building files ---------------------------------------------------------------------------------


def _encode(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _segment_cells(seed: Seed, changes: dict[str, str]) -> dict[str, str]:
    cells = dict.fromkeys(SEGMENT_COLUMNS, "")
    cells.update(
        document_id=str(seed.document_id),
        document_hash=seed.document_hash,
        start="0",
        end="12",
        text=seed.text[:12],
        code_path=LEAF,
        coder="ana",
    )
    cells.update(changes)
    return cells


def segments(*rows: dict[str, str], as_text: bool = False) -> Payload:
    """A segments file of one good row per ``rows`` entry, each changed as that entry says."""

    def build(seed: Seed) -> bytes | str:
        records = [_segment_cells(seed, changes) for changes in rows or ({},)]
        content = _encode([list(records[0]), *[list(r.values()) for r in records]])
        return content if as_text else content.encode(CSV_ENCODING)

    return build


def segment(as_text: bool = False, **changes: str) -> Payload:
    return segments(changes, as_text=as_text)


def raw(content: bytes | str) -> Payload:
    return lambda seed: content


def codebook(*rows: dict[str, str], header: tuple[str, ...] = ("path", "colour", "definition")) -> Payload:
    def build(seed: Seed) -> bytes:
        records = [[changes.get(column, "") for column in header] for changes in rows]
        return _encode([list(header), *records]).encode(CSV_ENCODING)

    return build


def codebook_text(*rows: dict[str, str]) -> Payload:
    header = ("path", "definition")
    return lambda seed: _encode([list(header), *[[r.get(c, "") for c in header] for r in rows]])


def _deep(levels: int) -> str:
    return "/".join(f"L{n}" for n in range(levels))


def _moved_quote(seed: Seed) -> bytes | str:
    return segment(start="1", end="13")(seed)


CONTROLS = "".join(chr(c) for c in range(1, 32) if c not in (10, 13)) + "\x7f\x80\x85\x9b\x9f"
BIG = str(10**30)

SEGMENT_CASES: tuple[CsvCase, ...] = tuple(
    CsvCase(name, "segments", payload, expected)
    for name, payload, expected in [
        # --- from tests/services/test_segment_import.py and tests/io/test_csv_segments.py
        ("unknown document hash", segment(document_hash="ab" * 32), "refused"),
        ("unknown document id", segment(document_hash="", document_id="77"), "refused"),
        ("unknown title", segment(document_hash="", document_id="", document="Nope"), "refused"),
        ("quote drift", segment(text="something else"), "refused"),
        ("shifted offsets", _moved_quote, "refused"),
        ("start after end", segment(start="9", end="3"), "refused"),
        ("start equals end", segment(start="3", end="3"), "refused"),
        ("past the end", segment(end="10000000"), "refused"),
        ("start not a number", segment(start="twelve"), "refused"),
        ("end a fraction", segment(end="3.5"), "refused"),
        ("full-width digit", segment(end="３"), "refused"),
        ("start empty", segment(start=""), "refused"),
        ("start negative", segment(start="-2"), "refused"),
        ("date garbage", segment(created_at="yesterday"), "refused"),
        ("month 13", segment(created_at="2024-13-01"), "refused"),
        ("coder empty", segment(coder="  "), "refused"),
        ("coder 10,000 characters", segment(coder="x" * 10_000), "refused"),
        ("code path with an empty name", segment(code_path="Trope//x"), "refused"),
        ("code path empty", segment(code_path=""), "refused"),
        ("no document named", segment(document_hash="", document_id="", document=""), "refused"),
        ("empty file", raw(b""), "refused"),
        ("blank lines only", raw(b"\r\n\r\n"), "refused"),
        ("missing columns", raw(b"document_id,start,end,text\r\n1,0,3,The\r\n"), "refused"),
        ("no document column", raw(b"start,end,text,code_path,coder\r\n0,3,The,Angst,ana\r\n"), "refused"),
        (
            "unterminated quote",
            raw(b'document_id,start,end,text,code_path,coder\r\n1,0,3,"The\r\n'),
            "refused",
        ),
        (
            "stray quote",
            raw(b'document_id,start,end,text,code_path,coder\r\n1,0,3,"The"x,A,a\r\n'),
            "refused",
        ),
        (
            "not UTF-8",
            raw("document,start,end,text,code_path,coder\r\nCafé,0,1,C,A,a\r\n".encode("latin-1")),
            "refused",
        ),
        ("header only", raw(",".join(SEGMENT_COLUMNS).encode() + b"\r\n"), "accepted"),
        # --- ids (issue 9 §3): never steer where the next id comes from
        ("annotation_id 2**63-1", segment(annotation_id=str(2**63 - 1)), "accepted"),
        ("annotation_id 2**31-1", segment(annotation_id=str(2**31 - 1)), "accepted"),
        ("annotation_id 2**31", segment(annotation_id=str(2**31)), "accepted"),
        ("annotation_id 2**63", segment(annotation_id=str(2**63)), "refused"),
        ("annotation_id 10**30", segment(annotation_id=BIG), "refused"),
        ("annotation_id -5", segment(annotation_id="-5"), "refused"),
        ("annotation_id 0", segment(annotation_id="0"), "refused"),
        ("annotation_id 1.0", segment(annotation_id="1.0"), "refused"),
        ("annotation_id 1e3", segment(annotation_id="1e3"), "refused"),
        ("annotation_id --5", segment(annotation_id="--5"), "refused"),
        ("annotation_id of 100,000 digits", segment(annotation_id="7" * 100_000), "refused"),
        (
            "annotation_id twice",
            segments({"annotation_id": "1"}, {"annotation_id": "1", "coder": "bo"}),
            "accepted",
        ),
        ("document_id 10**30", segment(document_hash="", document_id=BIG), "refused"),
        ("document_id 2**63-1", segment(document_hash="", document_id=str(2**63 - 1)), "refused"),
        ("start 10**30", segment(start=BIG, end=BIG + "1"), "refused"),
        ("end 2**31", segment(end=str(2**31)), "refused"),
        # --- dates
        ("created_at year 0", segment(created_at="0000-01-01T00:00:00Z"), "refused"),
        ("created_at 0000-01-01", segment(created_at="0000-01-01"), "refused"),
        ("created_at 9999-12-31 at -01:00", segment(created_at="9999-12-31T23:59:59-01:00"), "refused"),
        ("updated_at 0001-01-01 at +01:00", segment(updated_at="0001-01-01T00:00:00+01:00"), "refused"),
        ("updated_at 30 February", segment(updated_at="2024-02-30T00:00:00Z"), "refused"),
        ("created_at hour 24", segment(created_at="2024-01-01T24:00:00"), "refused"),
        ("created_at 9999-12-31 UTC", segment(created_at="9999-12-31T23:59:59Z"), "accepted"),
        ("created_at 0001-01-01", segment(created_at="0001-01-01"), "accepted"),
        ("created_at nanoseconds", segment(created_at="2024-01-01T00:00:00.123456789"), "accepted"),
        (
            "updated_at before created_at",
            segment(created_at="2024-01-02", updated_at="2024-01-01"),
            "accepted",
        ),
        # --- characters no project can store
        ("memo NUL", segment(memo="a\x00b"), "refused"),
        ("code name NUL", segment(code_path="Trope/Sl\x00ow"), "refused"),
        ("coder NUL", segment(coder="an\x00a"), "refused"),
        ("quote NUL", segment(text="\x00"), "refused"),
        ("title NUL", segment(document_hash="", document_id="", document="T\x00"), "refused"),
        ("memo lone surrogate", segment(as_text=True, memo="caf\udce9"), "refused"),
        ("coder lone surrogate", segment(as_text=True, coder="\ud83d"), "refused"),
        ("code name lone surrogate", segment(as_text=True, code_path="Trope/\udcff"), "refused"),
        # --- characters a project can store, and sizes
        ("memo control characters", segment(memo=CONTROLS), "accepted"),
        ("coder terminal escape", segment(coder="\x1b]0;PWNED\x07\x1b[2J"), "accepted"),
        ("code name noncharacters", segment(code_path="Trope/\ufffe\uffff\U0010ffff"), "accepted"),
        ("memo formula", segment(memo="=cmd|' /C calc'!A0"), "accepted"),
        ("memo too long", segment(memo="m" * (MAX_MEMO_LENGTH + 1)), "refused"),
        ("memo 10 MB", segment(memo="m" * 10_000_000), "refused"),
        ("code name 501 characters", segment(code_path="Trope/" + "c" * 501), "refused"),
        ("coder 201 characters", segment(coder="c" * 201), "refused"),
        ("code path 30 levels", segment(code_path=_deep(30)), "accepted"),
        ("code path 2,000 levels", segment(code_path=_deep(2_000)), "refused"),
        (
            "header with two byte-order marks",
            raw(b"\xef\xbb\xbf\xef\xbb\xbf" + b"document_id,start,end,text,code_path,coder\r\n"),
            "accepted",
        ),
    ]
)

CODEBOOK_CASES: tuple[CsvCase, ...] = tuple(
    CsvCase(name, "codebook", payload, expected)
    for name, payload, expected in [
        # --- from tests/services/test_codebook.py and tests/cli/test_project_commands.py
        ("no path column", raw(b"name,colour\r\nA,#000000\r\n"), "refused"),
        ("colour word", codebook({"path": "A", "colour": "red"}), "refused"),
        ("colour markup", codebook({"path": "A", "colour": '#fff"><b>'}), "refused"),
        ("path twice", codebook({"path": "A"}, {"path": "A"}), "refused"),
        ("empty code name", codebook({"path": "A//B"}), "refused"),
        ("blank code name", codebook({"path": "A/   /B"}), "refused"),
        ("code name 600 characters", codebook({"path": "x" * 600}), "refused"),
        (
            "short name 200 characters",
            codebook({"path": "A", "short_name": "s" * 200}, header=("path", "short_name")),
            "refused",
        ),
        ("sibling named alike", codebook({"path": TOP.lower()}), "refused"),
        ("two rows named alike", codebook({"path": "New/X"}, {"path": "New/x"}), "refused"),
        ("not UTF-8", raw("path\r\nCafé\r\n".encode("latin-1")), "refused"),
        ("empty file", raw(b""), "refused"),
        ("unterminated quote", raw(b'path,definition\r\nA,"open\r\n'), "refused"),
        # --- characters no project can store
        ("code name NUL", codebook({"path": "Trope/Sl\x00ow"}), "refused"),
        ("definition NUL", codebook({"path": "A", "definition": "d\x00"}), "refused"),
        *[
            (
                f"{column} NUL",
                codebook({"path": "A", column: "x\x00"}, header=("path", column)),
                "refused",
            )
            for column in ("short_name", "inclusion", "exclusion", "example")
        ],
        ("colour NUL", codebook({"path": "A", "colour": "#fff\x00ff"}), "refused"),
        ("definition lone surrogate", codebook_text({"path": "A", "definition": "\udcff"}), "refused"),
        ("code name lone surrogate", codebook_text({"path": "A/\ud800"}), "refused"),
        # --- what a project can store
        ("code name terminal escape", codebook({"path": "Trope/Evil \x9b31m \x1b[2J"}), "accepted"),
        ("definition control characters", codebook({"path": "A", "definition": CONTROLS}), "accepted"),
        ("code name noncharacters", codebook({"path": "A/\ufffe\uffff"}), "accepted"),
        ("code name with a line break", codebook({"path": "A\nB"}), "accepted"),
        ("definition 1 MB", codebook({"path": "A", "definition": "d" * 1_000_000}), "accepted"),
        ("formula cells", codebook({"path": "'=SUM(A1)", "definition": "'-1"}), "accepted"),
        ("colour in capitals", codebook({"path": "A", "colour": "#ABCDEF"}), "accepted"),
        ("header only", raw(b"path,colour\r\n"), "accepted"),
        ("blank rows between", raw(b"path\r\n\r\nA\r\n\r\nB\r\n"), "accepted"),
        ("code path 30 levels", codebook({"path": _deep(30)}), "accepted"),
        ("code path 2,000 levels", codebook({"path": _deep(2_000)}), "refused"),
        ("1,000 new codes", codebook(*[{"path": f"Many/Code {n}"} for n in range(1_000)]), "accepted"),
    ]
)

CASES = SEGMENT_CASES + CODEBOOK_CASES


# --- running them ---------------------------------------------------------------------------------


class Projects:
    """Fresh copies of one base project (fandom codebook, first seed work) on one backend."""

    def __init__(self, backend: str, workdir: Path, pg_url: str = "") -> None:
        self.backend, self.workdir, self.pg_url = backend, workdir, pg_url
        self._databases: list[str] = []
        self.base = self._new_location("base")
        store = create_project(self.base, codebook="fandom")
        try:
            [document] = import_files(store, [sorted(seeds_dir().glob("*.txt"))[0]]).imported
            with store.reading() as session:
                digest = session.scalar(select(Document.text_hash).where(Document.id == document.id))
            self.seed = Seed(document.id, str(digest), document_text(store, document.id))
        finally:
            store.close()

    def _new_location(self, name: str, template: str = "") -> str:
        if self.backend == "sqlite":
            return str(self.workdir / f"{name}-{uuid.uuid4().hex[:8]}.annotator")
        database = f"hostile_csv_{uuid.uuid4().hex[:12]}"
        with self._admin() as admin:
            copy = f' TEMPLATE "{template}"' if template else ""
            admin.execute(text(f'CREATE DATABASE "{database}"{copy}'))
        self._databases.append(database)
        return make_url(self.pg_url).set(database=database).render_as_string(hide_password=False)

    @contextmanager
    def _admin(self) -> Iterator[Connection]:
        engine = create_engine(make_url(self.pg_url), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    @contextmanager
    def fresh(self) -> Iterator[ProjectStore]:
        if self.backend == "sqlite":
            location = self._new_location("case")
            shutil.copyfile(self.base, location)
        else:
            location = self._new_location("case", template=make_url(self.base).database or "")
        store = open_project(location)
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        if self._databases:
            with self._admin() as admin:
                for database in reversed(self._databases):
                    admin.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            self._databases.clear()


def _source(payload: bytes | str) -> TextIO:
    if isinstance(payload, str):
        return io.StringIO(payload, newline="")
    # As the CLI opens a file: UTF-8 with an optional byte-order mark, strict.
    return io.TextIOWrapper(io.BytesIO(payload), encoding=CSV_ENCODING, newline="")


def still_codable(store: ProjectStore, seed: Seed) -> str:
    """'' if the project takes a new annotation under the next id and exports; else what went wrong."""
    try:
        with store.reading() as session:
            count = session.scalar(select(func.count()).select_from(Annotation)) or 0
            highest = session.scalar(select(func.max(Annotation.id))) or 0
        code = find_code_by_path_in(store, LEAF)
        coder = ensure_coder(store, "health check").id
        made = apply_code(store, seed.document_id, 0, 5, code, coder)
        if made.id != highest + 1 or made.id > count + 1:
            return f"the next annotation got id {made.id} after {count} annotations (highest {highest})"
        export_segments(store, io.StringIO(newline=""))
        export_codebook(store, io.StringIO(newline=""))
        list_codes(store)
    except Exception as exc:  # what this script exists to find
        return f"the project is broken afterwards: {type(exc).__name__}: {str(exc)[:160]}"
    return ""


def find_code_by_path_in(store: ProjectStore, path: str) -> int:
    with store.reading() as session:
        return find_code_by_path(session, path).id


def run(case: CsvCase, projects: Projects) -> Outcome:
    """Import ``case``'s file into a fresh project and classify what happened."""
    payload = case.payload(projects.seed)
    with projects.fresh() as store:
        before = dump_tables(store)
        try:
            if case.kind == "segments":
                import_segments(store, _source(payload), FILE_NAME)
            else:
                import_codebook(store, _source(payload), FILE_NAME)
        except USER_ERRORS as exc:
            message = user_message(exc)
            problems = [
                "the message has several lines" if "\n" in str(exc).strip() else "",
                "the message does not name the file" if FILE_NAME not in message else "",
                "the project changed" if dump_tables(store) != before else "",
                still_codable(store, projects.seed),
            ]
            problems = [p for p in problems if p]
            if problems:
                return Outcome(case.name, "failed", f"{'; '.join(problems)} ({message[:160]})", case.expected)
            return Outcome(case.name, "refused", message, case.expected)
        except Exception as exc:  # what this script exists to find
            return Outcome(case.name, "failed", f"{type(exc).__name__}: {str(exc)[:160]}", case.expected)
        problem = still_codable(store, projects.seed)
        if problem:
            return Outcome(case.name, "failed", f"accepted, but {problem}", case.expected)
        return Outcome(case.name, "accepted", "imported", case.expected)


def outcomes(backend: str, workdir: Path, pg_url: str = "") -> dict[str, list[Outcome]]:
    """{"segments CSV": [...], "codebook CSV": [...]}: every case against fresh projects on ``backend``."""
    projects = Projects(backend, workdir, pg_url)
    try:
        results: dict[str, list[Outcome]] = {}
        for case in CASES:
            results.setdefault(f"{case.kind} CSV", []).append(run(case, projects))
        return results
    finally:
        projects.close()
