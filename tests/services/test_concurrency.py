"""Several processes acting on one project at the same moment, on each backend.

Each test forces the race with real worker processes (``tests/concurrency.py``): the first action
is paused just before its first write (everything it checks has been read), the second is
started against it, and only when it has run as far as it can (or waits for a lock) is the first
let go. Without the services' locks the second would have read the old state and acted on it;
with them the outcome of each run is fixed, and the tests check it and the rule at stake:
no code inside itself, every annotation a delete removes in its undo snapshot, one coder per
name, one annotation per span, code and coder; and no traceback anywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import update

from annotator.core.codebook import CodebookCycleError
from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.projects import create_project
from annotator.store.models import Code
from annotator.store.project import ProjectStore
from tests.concurrency import Race, call

RUNS = 4  # forced races per test and backend
CODEBOOK = "annotator.services.codebook"
MERGING = "annotator.services.code_merging"
APPLY = "annotator.services.annotations:apply_code"
ENSURE_CODER = "annotator.services.coders:ensure_coder"
TEXT = "".join(f"Line {n}: they met at the harbour and did not speak.\n" for n in range(60))

pytestmark = pytest.mark.slow


@dataclass
class Shared:
    store: ProjectStore
    target: str
    doc: int
    ana: int
    ben: int


def _work() -> ImportedDocument:
    return ImportedDocument(title="Harbour", source_format="text", text=TEXT)


@pytest.fixture
def shared(project_target: str) -> Iterator[Shared]:
    store = create_project(project_target, codebook="empty")
    doc = documents.add_document(store, _work())
    ana, ben = coders.ensure_coder(store, "ana"), coders.ensure_coder(store, "ben")
    yield Shared(store, project_target, doc.id, ana.id, ben.id)
    store.close()


def _with_code(store: ProjectStore, code_id: int) -> set[int]:
    return {a.id for a in ann.list_annotations(store) if a.code_id == code_id}


def _span(run: int) -> tuple[int, int]:
    return 60 * run + 5, 60 * run + 12


# --- the code tree --------------------------------------------------------------------------------


def test_crossing_moves_never_make_a_loop(shared: Shared) -> None:
    """A under B and B under A at once: the second move sees the first and is refused."""
    store = shared.store
    with Race(shared.target, 2) as race:
        first, second = race.workers
        for run in range(RUNS):
            a, b = cb.add_code(store, f"A{run}").id, cb.add_code(store, f"B{run}").id
            moved, crossed = race.play(
                [(first, call(f"{CODEBOOK}:move_code", a, b, pause="write"))],
                [(second, call(f"{CODEBOOK}:move_code", b, a, pause="write"))],
            )
            assert moved.ok, moved
            assert crossed.refused("ServiceError", "inside itself"), crossed
            # Every code has a path and a place in the tree: a loop would raise here.
            listed = cb.list_codes(store)
            assert {c.id: c.path for c in listed}[a] == f"B{run}/A{run}"
            assert len(listed) == 2 * (run + 1)
    assert race.runs == RUNS


def test_a_loop_made_outside_the_app_is_refused_in_one_line_and_a_move_mends_it(shared: Shared) -> None:
    store = shared.store
    a, b = cb.add_code(store, "A").id, cb.add_code(store, "B", cb.add_code(store, "Top").id).id
    with store.transaction() as session:  # as the old race left it: A under B, B under A
        session.execute(update(Code).where(Code.id == a).values(parent_id=b))
        session.execute(update(Code).where(Code.id == b).values(parent_id=a))
    with pytest.raises(CodebookCycleError, match="the codebook has a loop: “A” inside “B” inside “A”"):
        cb.list_codes(store)
    with pytest.raises(CodebookCycleError):
        cb.delete_code(store, a)
    cb.move_code(store, b, None)
    assert {c.path for c in cb.list_codes(store)} == {"Top", "B", "B/A"}


def test_the_same_new_code_made_twice_at_once_is_made_once(shared: Shared) -> None:
    store = shared.store
    with Race(shared.target, 2) as race:
        for run in range(RUNS):
            outcomes = race.play(
                [
                    (worker, call(f"{CODEBOOK}:add_code", f"Longing {run}", pause="write"))
                    for worker in race.workers
                ]
            )
            assert sorted(o.event for o in outcomes) == ["done", "refused"], outcomes
            refused = next(o for o in outcomes if not o.ok)
            assert refused.refused("ServiceError", "already exists at the top level"), refused
            assert [c.name for c in cb.list_codes(store)].count(f"Longing {run}") == 1
    assert race.runs == RUNS


# --- deleting or merging a code while it is being applied -------------------------------------


@pytest.mark.parametrize("first", ["apply", "delete"])
def test_a_delete_keeps_every_annotation_it_removes_for_undo(shared: Shared, first: str) -> None:
    """The snapshot holds exactly what the delete removed; an apply after the delete is refused."""
    store = shared.store
    with Race(shared.target, 2) as race:
        coder, deleter = race.workers
        for run in range(RUNS):
            code = cb.add_code(store, f"Doomed {run}").id
            earlier = ann.apply_code(store, shared.doc, 0, 4 + run, code, shared.ana).id
            applying = (coder, call(APPLY, shared.doc, *_span(run), code, shared.ben, pause="write"))
            deleting = (deleter, call("delete_code_ids", code, pause="write"))
            if first == "apply":
                applied, deleted = race.play([applying], [deleting])
                assert applied.ok, applied
                removed = {earlier, applied.result["id"]}
            else:
                deleted, applied = race.play([deleting], [applying])
                assert applied.refused("NotFoundError", "no longer exists"), applied
                removed = {earlier}
            assert deleted.ok, deleted
            assert set(deleted.result["annotations"]) == removed
            assert _with_code(store, code) == set()
            assert not {a.id for a in ann.list_annotations(store)} & removed
    assert race.runs == RUNS


@pytest.mark.parametrize("first", ["apply", "merge"])
def test_merging_codes_takes_along_what_is_being_applied(shared: Shared, first: str) -> None:
    store = shared.store
    with Race(shared.target, 2) as race:
        coder, merger = race.workers
        for run in range(RUNS):
            source = cb.add_code(store, f"Source {run}").id
            target = cb.add_code(store, f"Target {run}").id
            applying = (coder, call(APPLY, shared.doc, *_span(run), source, shared.ana, pause="write"))
            merging = (merger, call(f"{MERGING}:merge_codes", source, target, pause="write"))
            if first == "apply":
                applied, merged = race.play([applying], [merging])
                assert applied.ok, applied
                assert merged.ok and merged.result["moved_annotation_ids"] == [applied.result["id"]], merged
                assert _with_code(store, target) == {applied.result["id"]}
            else:
                merged, applied = race.play([merging], [applying])
                assert merged.ok, merged
                assert applied.refused("NotFoundError", "no longer exists"), applied
                assert _with_code(store, target) == set()
            assert source not in {c.id for c in cb.list_codes(store)}
    assert race.runs == RUNS


# --- coders and duplicate annotations -----------------------------------------------------------


def test_six_processes_making_the_same_new_coder_all_get_the_one_coder(shared: Shared) -> None:
    with Race(shared.target, 6) as race:
        for run in range(RUNS):
            name = f"newcomer {run}"
            outcomes = race.play(
                [(worker, call(ENSURE_CODER, name, pause="write")) for worker in race.workers]
            )
            assert all(o.ok for o in outcomes), outcomes
            ids = {o.result["id"] for o in outcomes}
            assert len(ids) == 1
            assert [c.id for c in coders.list_coders(shared.store) if c.name == name] == list(ids)
    assert race.runs == RUNS


def test_the_same_span_coded_twice_at_once_is_stored_once(shared: Shared) -> None:
    store = shared.store
    code = cb.add_code(store, "Silence").id
    with Race(shared.target, 2) as race:
        for run in range(RUNS):
            start, end = _span(run)
            outcomes = race.play(
                [
                    (worker, call(APPLY, shared.doc, start, end, code, shared.ana, pause="write"))
                    for worker in race.workers
                ]
            )
            stored = [o for o in outcomes if o.ok]
            refused = [o for o in outcomes if not o.ok]
            assert len(stored) == 1 and len(refused) == 1, outcomes
            assert refused[0].refused("ServiceError", "that span already has this code from this coder"), (
                refused
            )
            same = [
                a.id for a in ann.list_annotations(store) if (a.start, a.end, a.code_id) == (start, end, code)
            ]
            assert same == [stored[0].result["id"]]
    assert race.runs == RUNS


# --- merging a coder's project while that coder codes here ------------------------------------


@pytest.mark.parametrize("first", ["apply", "merge"])
def test_merging_a_project_while_its_coder_codes_here(
    shared: Shared, project_locations: Callable[[str], str], first: str
) -> None:
    store = shared.store
    theme = cb.add_code(store, "Theme").id
    location = project_locations("source")
    source = create_project(location, codebook="empty")
    try:
        source_doc = documents.add_document(source, _work()).id
        source_theme = cb.add_code(source, "Theme").id
        source_ana = coders.ensure_coder(source, "ana").id
        with Race(shared.target, 2) as race:
            coder, merger = race.workers
            for run in range(RUNS):
                start, end = _span(run)
                ann.apply_code(source, source_doc, start, end, source_theme, source_ana)
                applying = (coder, call(APPLY, shared.doc, start, end, theme, shared.ana, pause="write"))
                merging = (merger, call("merge_from_location", location, pause="write"))
                if first == "apply":
                    applied, merged = race.play([applying], [merging])
                    assert applied.ok, applied
                    assert merged.ok and merged.result["added"] == 0, merged
                else:
                    merged, applied = race.play([merging], [applying])
                    assert merged.ok and merged.result["added"] == 1, merged
                    assert applied.refused("ServiceError", "already has this code from this coder"), applied
                keys = [(a.start, a.end, a.code_id, a.coder_id) for a in ann.list_annotations(store)]
                assert keys.count((start, end, theme, shared.ana)) == 1
        assert race.runs == RUNS
    finally:
        source.close()


# --- a long import of segments does not hold up coding while it reads the file ----------------


def _segments_file(tmp_path: Path, doc: int, rows: int) -> Path:
    path = tmp_path / "segments.csv"
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["document_id", "start", "end", "text", "code_path", "coder"])
    for n in range(rows):
        start = (n * 7) % (len(TEXT) - 10)
        writer.writerow(
            [doc, start, start + 5, TEXT[start : start + 5], f"Imported/Group {n % 3}", "importer"]
        )
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_coding_goes_on_while_an_import_checks_its_file(shared: Shared, tmp_path: Path) -> None:
    """Checking the file needs no write lock (on SQLite: the one writer); storing it is short."""
    store = shared.store
    code = cb.add_code(store, "Quiet").id
    segments = _segments_file(tmp_path, shared.doc, 300)
    with Race(shared.target, 2) as race:
        importer, coder = race.workers
        for run in range(RUNS):
            # Paused while it reads the document text to check the quotes against.
            race.start(
                [(importer, call("import_segments_file", str(segments), pause="sql:SELECT documents.text"))]
            )
            race.start([(coder, call(APPLY, shared.doc, *_span(run), code, shared.ana))])
            assert coder.state == "done" and coder.outcome is not None and coder.outcome.ok, coder.outcome
            race.finish()
            assert importer.outcome is not None and importer.outcome.ok, importer.outcome
            imported = importer.outcome.result
            assert (imported["imported"], imported["duplicates"]) == ((300, 0) if run == 0 else (0, 300))
    assert race.runs == RUNS
    assert len(ann.list_annotations(store)) == 300 + RUNS
