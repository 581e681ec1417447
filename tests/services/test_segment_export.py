"""The segments export is one snapshot, however others edit meanwhile, and leaves no temporary files.

Real processes: a child (``span_editor.py``) keeps moving, deleting and coding spans while this
process exports again and again; every export must list each annotation exactly once, with the
quote its span had at that moment. Another child is killed with SIGKILL in the middle of an
export: nothing of it may remain in the temporary folder, and the next export to the same file
removes its leftover and succeeds.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.io.atomic import atomic_write_text, temporary_prefix
from annotator.io.csv_safety import CSV_ENCODING
from annotator.io.csv_segments import SegmentRecord, read_segments_csv
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.segments import SegmentFilter, export_segments, list_segments
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
        zones = [ZoneSpec("chapter", 0, half, "One", 1), ZoneSpec("chapter", half, len(text), "Two", 2)]
        doc = documents.add_document(
            store,
            ImportedDocument(
                title=f"=Work {n}",
                source_format="text",
                text=text,
                zones=zones,
                attributes={"rating": ["Teen"]},
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
                "memo": "" if i % 4 else f"memo {i}, “quoted”",
                "created_at": STAMP,
                "updated_at": STAMP,
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


@pytest.mark.slow
def test_each_export_is_one_snapshot_while_another_process_edits_spans(
    coded: Coded, editor: SpanEditor, tmp_path: Path
) -> None:
    target = tmp_path / "segments.csv"
    exports = []
    for _ in range(EXPORTS):
        count = atomic_write_text(
            target, lambda out: export_segments(coded.store, out), encoding=CSV_ENCODING
        )
        exports.append((count, target.read_bytes()))
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
    # The exports did run while the spans moved.
    assert commits >= EXPORTS and len({data for _, data in exports}) > 1


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


def _leftovers_in(folder: Path) -> list[str]:
    """What an export could have left in ``folder``: part or temporary files named for segments."""
    return sorted(name for name in os.listdir(folder) if name.startswith(".segments"))


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL, and stale files recognised by process id")
def test_an_export_killed_midway_leaves_no_temporary_file_and_the_next_one_cleans_up(
    coded: Coded, tmp_path: Path
) -> None:
    exports, child_temp = tmp_path / "exports", tmp_path / "child-temp"
    exports.mkdir()
    child_temp.mkdir()
    target = exports / "segments.csv"
    target.write_text("previous export", encoding="utf-8")
    system_temp_before = _leftovers_in(Path(tempfile.gettempdir()))
    with subprocess.Popen(
        [sys.executable, "-c", _PAUSED_EXPORT, coded.target, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_child_env(TMPDIR=str(child_temp), SQLITE_TMPDIR=str(child_temp)),
    ) as child:
        assert child.stdout is not None and child.stdout.readline() == "exporting\n"
        [partial] = [name for name in os.listdir(exports) if name != "segments.csv"]
        assert partial.startswith(temporary_prefix(target, child.pid))
        assert (exports / partial).stat().st_size > 0
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    # Nothing was written to a temporary folder, only the target's own half-written file remains.
    assert os.listdir(child_temp) == []
    assert _leftovers_in(Path(tempfile.gettempdir())) == system_temp_before
    assert sorted(os.listdir(exports)) == sorted(["segments.csv", partial])
    assert target.read_text(encoding="utf-8") == "previous export"

    count = atomic_write_text(target, lambda out: export_segments(coded.store, out), encoding=CSV_ENCODING)
    assert os.listdir(exports) == ["segments.csv"]
    assert count == len(_records(target)) == ROWS


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
