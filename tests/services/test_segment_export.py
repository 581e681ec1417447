"""The segments export is one snapshot, however others edit meanwhile, and leaves no temporary files.

Real processes: a child (``span_editor.py``) keeps moving, deleting and coding spans while this
process exports again and again, alone or with its worker process; every export must list each
annotation exactly once, with the quote its span had at that moment. An exporter is killed with
SIGKILL in the middle of an export: nothing of it may remain in the temporary folder, its worker
ends by itself, and the next export to the same file removes its leftover and succeeds. A worker
killed midway leaves the file whole. Exports in two processes are byte for byte the export
written the obvious way (the panel's rows, ``guard_cell`` and ``csv.writer``) on hostile cells.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from annotator.core.types import ZONE_CHAPTER, ZONE_STORY, ZONE_SUMMARY, ImportedDocument, ZoneSpec
from annotator.io.atomic import atomic_write_text, temporary_prefix
from annotator.io.csv_safety import CSV_ENCODING, guard_cell
from annotator.io.csv_segments import (
    SEGMENT_COLUMNS,
    SegmentRecord,
    attribute_columns,
    format_timestamp,
    read_segments_csv,
)
from annotator.services import codebook as cb
from annotator.services import coders, documents, segment_export
from annotator.services.segment_export import write_segments
from annotator.services.segments import SegmentFilter, export_segments, iter_segments, list_segments
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore

REPO = Path(__file__).resolve().parents[2]
EDITOR = Path(__file__).with_name("span_editor.py")
ROWS = 3_000
EXPORTS = 12
# Dialogue, commas, curly quotes, emoji and formula triggers at line starts: every cell rule.
TEXT = "".join(
    f'Line {n}: she said “hi”, "bye" 🦊 and left.\n=SUM({n}) -{n} @{n}, more words here.\n'
    for n in range(400)
)
STAMP = datetime(2024, 5, 1, 10, 0, 7)
EDITED = datetime(2024, 6, 2, 11, 30, 59, 250_000)  # a fraction of a second, which the file drops
# Every rule of a cell: quotes, commas, line breaks, formula triggers (guarded and already guarded).
MEMOS = ("=cmd|' /C calc'!A0", "'-already guarded", "two\nlines", "\ttab", 'say "hi"', "@ana 🦊", "-", "a, b")
TITLES = ("=Work 1", 'Work "two", again', "@Work 3 🦊")
ATTRIBUTES = {
    "rating": ["Teen"],
    "fandoms": ["=A", 'B "b", c'],
    "additional_tags": ["-x", "+y", "line\nbreak"],
}


@dataclass
class Coded:
    store: ProjectStore
    target: str
    texts: dict[int, str]


@pytest.fixture
def coded(empty_project: ProjectStore, project_target: str) -> Coded:
    """Three zoned documents with ``ROWS`` annotations between them, by two coders with three codes.

    Most rows are in the first document, so any split of the rows in key order falls inside it.
    """
    store = empty_project
    texts = {}
    for n in (1, 2, 3):
        text = TEXT[n * 100 :]
        half = len(text) // 2
        zones = [
            ZoneSpec(ZONE_SUMMARY, 0, 300),
            ZoneSpec(ZONE_CHAPTER, 0, half, "One", 1),
            ZoneSpec(ZONE_CHAPTER, half, len(text), "Two", 2),
            ZoneSpec(ZONE_STORY, 300, len(text) - 500),
        ]
        attributes = {**ATTRIBUTES, **({"zzz, custom": [f"only in {n}"]} if n == 3 else {})}
        doc = documents.add_document(
            store,
            ImportedDocument(
                title=TITLES[n - 1], source_format="text", text=text, zones=zones, attributes=attributes
            ),
        )
        texts[doc.id] = text
    codes = [cb.add_code(store, name).id for name in ("Trope", "+Angst", "Fluff, soft")]
    people = [coders.ensure_coder(store, name).id for name in ("ana", "@ben")]
    rows = []
    for i in range(ROWS):
        doc = list(texts)[0 if i % 10 < 8 else i % 10 - 7]
        start = (i * 37) % (len(texts[doc]) - 90)
        end = start + 1 + i % 80
        rows.append(
            {
                "document_id": doc,
                "code_id": codes[i % 3],
                "coder_id": people[i % 2],
                "start": start,
                "end": end,
                "quote": texts[doc][start:end],
                "memo": "" if i % 4 else f"memo {i}, “quoted”" if i % 8 else MEMOS[i // 8 % len(MEMOS)],
                "created_at": STAMP,
                "updated_at": EDITED if i % 5 == 1 else STAMP,
            }
        )
    with store.transaction() as session:
        session.execute(insert(Annotation), rows)
    return Coded(store, project_target, texts)


def _child_env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, **extra}


class SpanEditor:
    """``span_editor.py`` running against the project, its output collected by a thread."""

    def __init__(self, target: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(EDITOR), target, "7"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_child_env(),
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())
            if line.strip() == "ready":
                self.ready.set()
        self.ready.set()  # ended: let a waiting test see why

    def stop(self) -> int:
        """Close its input, wait for it, and return how many transactions it committed."""
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.close()
        errors = self.process.stderr.read()
        assert self.process.wait(timeout=60) == 0, errors
        self.reader.join(timeout=60)
        self.process.stdout.close()  # type: ignore[union-attr]
        self.process.stderr.close()
        return int(self.lines[-1].removeprefix("commits "))


@pytest.fixture
def editor(coded: Coded) -> Iterator[SpanEditor]:
    child = SpanEditor(coded.target)
    try:
        assert child.ready.wait(timeout=120) and "ready" in child.lines, child.lines
        yield child
    finally:
        if child.process.poll() is None:
            child.process.kill()
            child.process.wait()
        for stream in (child.process.stdin, child.process.stdout, child.process.stderr):
            if stream is not None and not stream.closed:
                stream.close()


def _records(path: Path) -> list[SegmentRecord]:
    return list(read_segments_csv(io.StringIO(path.read_bytes().decode(CSV_ENCODING), newline="")))


# Parallel exports cut these rows into ~20 blocks: every cut is a place a moved span could be
# listed twice or lost if the worker read another moment than the exporter.
IN_TWO = {"parallel_from": 0, "block_rows": 150}
ALONE: dict[str, Any] = {"parallel_from": None}


@pytest.mark.slow
@pytest.mark.parametrize("mode", [ALONE, IN_TWO], ids=["one process", "two processes"])
def test_each_export_is_one_snapshot_while_another_process_edits_spans(
    coded: Coded, editor: SpanEditor, tmp_path: Path, mode: dict[str, Any]
) -> None:
    target = tmp_path / "segments.csv"
    exports, worker_blocks = [], 0
    for _ in range(EXPORTS):
        report = atomic_write_text(
            target, lambda out: write_segments(coded.store, out, **mode), encoding=CSV_ENCODING
        )
        exports.append((report.rows, target.read_bytes()))
        worker_blocks += report.worker_blocks
    commits = editor.stop()
    for count, data in exports:
        target.write_bytes(data)
        records = _records(target)
        ids = [record.annotation_id for record in records]
        # Each annotation exactly once: the editor keeps their number at ROWS in every commit.
        assert count == len(records) == len(set(ids)) == ROWS
        mismatched = [r for r in records if r.text != coded.texts[r.document_id or 0][r.start : r.end]]
        assert mismatched == []
        assert [(r.document_id, r.start, r.end) for r in records] == sorted(
            (r.document_id, r.start, r.end) for r in records
        )
    # The exports did run while the spans moved, and (in two processes) the worker wrote its share.
    assert commits >= EXPORTS and len({data for _, data in exports}) > 1
    assert (worker_blocks >= EXPORTS * 5) if mode is IN_TWO else worker_blocks == 0


_PAUSED_EXPORT = """
import sys
import annotator.services.segment_export as segment_export
from annotator.io.atomic import atomic_write_text
from annotator.services.segments import export_segments
from annotator.store.project import open_project

real = segment_export.utf8_row_batches

def paused(*args, **kwargs):
    for batch in real(*args, **kwargs):
        yield batch
        print("exporting", flush=True)
        sys.stdin.readline()  # the first batch is written: wait here to be killed

segment_export.utf8_row_batches = paused
store = open_project(sys.argv[1])
atomic_write_text(sys.argv[2], lambda out: export_segments(store, out))
"""

_PAUSED_EXPORT_IN_TWO = """
import sys
import annotator.services.segment_export_worker as segment_export_worker
from annotator.io.atomic import atomic_write_text
from annotator.services.segments import export_segments
from annotator.store.project import open_project

real = segment_export_worker.write_at

def paused(*args):
    end = real(*args)
    print("exporting", flush=True)
    sys.stdin.readline()  # the first block is written, the worker's next is ready: wait to be killed
    return end

segment_export_worker.write_at = paused
store = open_project(sys.argv[1])
atomic_write_text(sys.argv[2], lambda out: export_segments(store, out, parallel_from=0, block_rows=150))
"""


def _leftovers_in(folder: Path) -> list[str]:
    """What an export could have left in ``folder``: part or temporary files named for segments."""
    return sorted(name for name in os.listdir(folder) if name.startswith(".segments"))


def _workers_of(parent: int) -> list[int]:
    """The running (not yet ended) export worker processes whose parent is ``parent``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat_line = Path(f"/proc/{entry}/stat").read_text()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue  # ended while we looked
        state, ppid = stat_line.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state not in "ZX" and b"segment_export_worker" in command:
            found.append(int(entry))
    return found


def _has_ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in "ZX"  # a zombie has ended; its new parent reaps it


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="SIGKILL, /proc and stale files by process id"
)
@pytest.mark.parametrize(
    "script", [_PAUSED_EXPORT, _PAUSED_EXPORT_IN_TWO], ids=["one process", "two processes"]
)
def test_an_export_killed_midway_leaves_no_temporary_file_and_the_next_one_cleans_up(
    coded: Coded, tmp_path: Path, script: str
) -> None:
    exports, child_temp = tmp_path / "exports", tmp_path / "child-temp"
    exports.mkdir()
    child_temp.mkdir()
    target = exports / "segments.csv"
    target.write_text("previous export", encoding="utf-8")
    system_temp_before = _leftovers_in(Path(tempfile.gettempdir()))
    with subprocess.Popen(
        [sys.executable, "-c", script, coded.target, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_child_env(TMPDIR=str(child_temp), SQLITE_TMPDIR=str(child_temp)),
    ) as child:
        assert child.stdout is not None and child.stdout.readline() == "exporting\n"
        workers = _workers_of(child.pid)
        assert len(workers) == (1 if script is _PAUSED_EXPORT_IN_TWO else 0)
        [partial] = [name for name in os.listdir(exports) if name != "segments.csv"]
        assert partial.startswith(temporary_prefix(target, child.pid))
        assert (exports / partial).stat().st_size > 0
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    # The worker, if any, notices and ends by itself.
    deadline = time.monotonic() + 60
    while not all(_has_ended(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_has_ended(pid) for pid in workers)
    # Nothing was written to a temporary folder, only the target's own half-written file remains.
    assert os.listdir(child_temp) == []
    assert _leftovers_in(Path(tempfile.gettempdir())) == system_temp_before
    assert sorted(os.listdir(exports)) == sorted(["segments.csv", partial])
    assert target.read_text(encoding="utf-8") == "previous export"

    count = atomic_write_text(target, lambda out: export_segments(coded.store, out), encoding=CSV_ENCODING)
    assert os.listdir(exports) == ["segments.csv"]
    assert count == len(_records(target)) == ROWS


def _reference(store: ProjectStore, flt: SegmentFilter | None) -> bytes:
    """The segments file written the slow, obvious way: the panel's rows, guard_cell, csv.writer."""
    rows = list(iter_segments(store, flt))
    columns = attribute_columns({name for row in rows for name in row.attributes})
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*SEGMENT_COLUMNS, *columns])
    for r in rows:
        writer.writerow(
            [
                r.annotation_id,
                r.document_id,
                guard_cell(r.document),
                r.document_hash,
                r.zone,
                "" if r.chapter is None else r.chapter,
                r.start,
                r.end,
                guard_cell(r.text),
                r.code_id,
                guard_cell(r.code_path),
                guard_cell(r.coder),
                guard_cell(r.memo),
                format_timestamp(r.created_at),
                format_timestamp(r.updated_at),
                r.review,
                *(guard_cell("; ".join(r.attributes.get(column, []))) for column in columns),
            ]
        )
    return out.getvalue().encode(CSV_ENCODING)


FILTERS: dict[str, Callable[[list[int]], SegmentFilter | None]] = {
    "everything": lambda _: None,
    "a coder": lambda _: SegmentFilter(coders=("@ben",)),
    "a code": lambda _: SegmentFilter(code_paths=("+Angst",)),
    "text": lambda _: SegmentFilter(text="“QUOTED”"),
    "documents": lambda docs: SegmentFilter(document_ids=(docs[0], docs[2])),
    "an attribute": lambda _: SegmentFilter(attributes=(("Rating", "teen"),)),
    "nothing": lambda _: SegmentFilter(text="no such words"),
}


@pytest.mark.parametrize("name", FILTERS)
def test_an_export_in_two_processes_is_byte_for_byte_the_reference_export(
    coded: Coded, tmp_path: Path, name: str
) -> None:
    flt = FILTERS[name](list(coded.texts))
    expected = _reference(coded.store, flt)
    in_two, alone = tmp_path / "in-two.csv", tmp_path / "alone.csv"
    report = atomic_write_text(in_two, lambda out: write_segments(coded.store, out, flt, **IN_TWO))
    single = atomic_write_text(alone, lambda out: write_segments(coded.store, out, flt, **ALONE))
    assert in_two.read_bytes() == expected == alone.read_bytes()
    assert report.rows == single.rows == expected.count(b"\r\n") - 1
    # The worker did write part of it (there is nothing for it to write in an empty export).
    assert (report.worker_blocks > 0) == (report.rows > 0)
    assert single.worker_blocks == 0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker in /proc")
@pytest.mark.parametrize("killed_at", [1, 2, 5])
def test_an_export_whose_worker_is_killed_midway_is_still_whole(
    coded: Coded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed_at: int
) -> None:
    real = segment_export.format_block
    formatted = 0

    def format_then_kill(*args: Any) -> Any:
        """The exporter's own blocks, as usual; on the ``killed_at``-th, its worker is killed."""
        nonlocal formatted
        formatted += 1
        if formatted == killed_at:
            [worker] = _workers_of(os.getpid())
            os.kill(worker, signal.SIGKILL)
        return real(*args)

    monkeypatch.setattr(segment_export, "format_block", format_then_kill)
    path = tmp_path / "segments.csv"
    report = atomic_write_text(path, lambda out: write_segments(coded.store, out, **IN_TWO))
    assert path.read_bytes() == _reference(coded.store, None)
    assert report.rows == ROWS and report.worker_blocks < killed_at
    assert _workers_of(os.getpid()) == []


def test_an_export_while_another_connection_holds_the_write_lock_finishes_alone(
    coded: Coded, tmp_path: Path, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL shares a snapshot without any lock")
    holder = sqlite3.connect(coded.target, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a long import in another process
    try:
        path = tmp_path / "segments.csv"
        report = atomic_write_text(path, lambda out: write_segments(coded.store, out, **IN_TWO))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert report.rows == ROWS and report.worker_blocks == 0
    assert path.read_bytes() == _reference(coded.store, None)


def test_an_export_to_a_file_is_the_export_to_a_text_stream(coded: Coded, tmp_path: Path) -> None:
    for flt in (None, SegmentFilter(coders=("@ben",)), SegmentFilter(text="“QUOTED”")):
        stream = io.StringIO(newline="")
        expected = export_segments(coded.store, stream, flt)
        path = tmp_path / "segments.csv"
        count = atomic_write_text(path, lambda out, flt=flt: export_segments(coded.store, out, flt))
        assert count == expected > 0
        assert path.read_bytes() == stream.getvalue().encode(CSV_ENCODING)


class _FailsAfterTheHeader(io.StringIO):
    def write(self, text: str) -> int:
        if self.tell() > 0:
            raise OSError("disk full")
        return super().write(text)


def test_a_failed_export_leaves_the_connection_reading_text(coded: Coded) -> None:
    with pytest.raises(OSError, match="disk full") as failure:
        export_segments(coded.store, _FailsAfterTheHeader())
    # Still holding the failure (its traceback keeps the export's frames alive), read again.
    rows = list_segments(coded.store, limit=5)
    assert len(rows) == 5 and all(type(row.text) is str and type(row.memo) is str for row in rows)
    del failure


def test_annotations_waiting_for_review_after_an_update_say_pending_in_the_review_column(
    seeded_project: ProjectStore, tmp_path: Path
) -> None:
    from tests.services.waiting_support import updated_with_waiting

    updated = updated_with_waiting(seeded_project, tmp_path)
    in_two, alone = tmp_path / "in-two.csv", tmp_path / "alone.csv"
    report = atomic_write_text(
        in_two, lambda out: write_segments(seeded_project, out, parallel_from=0, block_rows=1)
    )
    assert report.worker_blocks > 0  # the worker process wrote rows too, with the same review cells
    atomic_write_text(alone, lambda out: export_segments(seeded_project, out, parallel_from=None))
    assert in_two.read_bytes() == alone.read_bytes() == _reference(seeded_project, None)
    with alone.open(encoding=CSV_ENCODING, newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert header.index("review") == header.index("updated_at") + 1  # before the attributes
    review = {int(row["annotation_id"]): row["review"] for row in rows}
    assert review == {aid: "pending" for aid in updated.waiting} | dict.fromkeys(updated.counted, "")
    # A reviewed annotation is on the current text like any other: its cell empties.
    from annotator.services.work_updates import accept_review, pending_reviews

    [first] = [r for r in pending_reviews(seeded_project) if r.annotation_id == min(updated.waiting)]
    accept_review(seeded_project, first.review_id)
    stream = io.StringIO(newline="")
    export_segments(seeded_project, stream)
    again = {int(r["annotation_id"]): r["review"] for r in csv.DictReader(io.StringIO(stream.getvalue()))}
    assert again == review | {min(updated.waiting): ""}
    # The column does not stop a file from being imported back: its rows are read as before.
    assert len(list(read_segments_csv(io.StringIO(stream.getvalue(), newline="")))) == len(rows)
