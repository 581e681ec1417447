"""The export's line builder writes exactly what ``csv.writer`` writes for the same cells, to any stream."""

from __future__ import annotations

import csv
import io
import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.io.csv_safety import guard_cell
from annotator.io.csv_segment_lines import (
    ChunkWriter,
    DocumentCells,
    SegmentLines,
    SegmentRow,
    _text_cell,
    utf8_buffer,
)
from annotator.io.csv_segments import header_line, read_segments_csv, text_cell

hostile_text = st.text(alphabet=st.sampled_from(list("ab ,\"'\r\n\t=+-@“”é😀")), max_size=20)
BOUNDS = [0, 10, 20, 50]
LABELS: list[tuple[str, int | None]] = [("", None), ("summary", None), ("story", 1), ("story, notes", 2)]
ATTRIBUTES = {"rating": ["Teen"], "fandoms": ["=A", 'B "b"']}
COLUMNS = ["rating", "fandoms", "characters"]
SQLITE_STAMP, POSTGRES_STAMP = "2024-05-01 10:00:07.250000", "2024-05-01 10:00:07"
TextRow = tuple[int, int, int, int, str, int, int, str, str, str]
"""A :data:`SegmentRow` as text, both timestamps given."""


def _row(text_row: TextRow) -> SegmentRow:
    """The row as the export reads it: UTF-8 bytes, and no second timestamp when it is the first."""
    aid, did, start, end, quote, code_id, coder_id, memo, created, updated = text_row
    again = None if updated == created else updated.encode()
    return (aid, did, start, end, quote.encode(), code_id, coder_id, memo.encode(), created.encode(), again)


def _expected(row: TextRow, title: str, code_path: str, coder: str) -> str:
    """The line written the slow, obvious way: guard_cell every text and let csv.writer quote."""
    aid, did, start, end, quote, code_id, _, memo, created, updated = row
    kind, chapter = LABELS[bisect_right(BOUNDS, start) - 1]
    cells = [
        aid,
        did,
        guard_cell(title),
        "hash",
        kind,
        "" if chapter is None else chapter,
        start,
        end,
        guard_cell(quote),
        code_id,
        guard_cell(code_path),
        guard_cell(coder),
        guard_cell(memo),
        f"{created[:10]}T{created[11:19]}Z",
        f"{updated[:10]}T{updated[11:19]}Z",
        "",  # review: nothing waits for review here
        *(guard_cell("; ".join(ATTRIBUTES.get(c, []))) for c in COLUMNS),
    ]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def _lines(
    title: str, code_path: str, coder: str, keep: Callable[[str, str], bool] | None = None
) -> SegmentLines:
    cells = DocumentCells(7, title, "hash", BOUNDS, LABELS, ATTRIBUTES, COLUMNS)
    return SegmentLines({7: cells}, {3: code_path}, {4: coder}, keep)


def _written(lines: SegmentLines, batches: Sequence[Sequence[TextRow]]) -> tuple[int, str]:
    out = io.StringIO(newline="")
    count = lines.write_rows([[_row(row) for row in batch] for batch in batches], out)
    return count, out.getvalue()


@given(
    title=hostile_text,
    code_path=hostile_text,
    coder=hostile_text,
    quotes=st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=8),
    starts=st.lists(st.integers(0, 80), min_size=8, max_size=8),
)
def test_lines_are_what_csv_writer_writes_for_guarded_cells(
    title: str, code_path: str, coder: str, quotes: list[tuple[str, str]], starts: list[int]
) -> None:
    # Starts in any order: the builder's remembered zone must never stand in for the right one.
    rows: list[TextRow] = [
        (i, 7, start, start + 1, quote, 3, 4, memo, SQLITE_STAMP, POSTGRES_STAMP if i % 2 else SQLITE_STAMP)
        for i, ((quote, memo), start) in enumerate(zip(quotes, starts, strict=False))
    ]
    count, written = _written(_lines(title, code_path, coder), [rows[:3], rows[3:]])
    assert count == len(rows)
    assert written == "".join(_expected(row, title, code_path, coder) for row in rows)


@given(value=hostile_text)
def test_a_cell_built_in_bytes_is_the_text_cell_encoded(value: str) -> None:
    assert _text_cell(value.encode()) == text_cell(value).encode()


def test_rows_of_unknown_documents_codes_or_coders_are_left_out() -> None:
    rows: list[TextRow] = [
        (1, 7, 0, 5, "kept", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (2, 8, 0, 5, "new document", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (3, 8, 1, 5, "new document", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (4, 7, 0, 5, "new code", 5, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (5, 7, 0, 5, "new coder", 3, 6, "", SQLITE_STAMP, SQLITE_STAMP),
        (6, 7, 30, 35, "kept too", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
    ]
    count, written = _written(_lines("Title", "Trope", "ana"), [rows])
    assert count == 2
    assert [line.split(",")[0] for line in written.splitlines()] == ["1", "6"]


def test_a_keep_function_filters_rows_by_their_text() -> None:
    rows: list[TextRow] = [
        (1, 7, 0, 5, "a fox", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (2, 7, 12, 15, "a dog", 3, 4, "fox memo", SQLITE_STAMP, SQLITE_STAMP),
        (3, 7, 25, 30, "a cat", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
    ]
    lines = _lines("Title", "Trope", "ana", keep=partial(_mentions, "fox"))
    count, written = _written(lines, [rows])
    assert count == 2 and [line.split(",")[0] for line in written.splitlines()] == ["1", "2"]


def _mentions(word: str, quote: str, memo: str) -> bool:
    return word in quote or word in memo


def test_written_lines_read_back_to_the_same_segments() -> None:
    rows: list[TextRow] = [
        (1, 7, 12, 19, '=SUM(A1) "quoted",\r\nline', 3, 4, "+memo", SQLITE_STAMP, POSTGRES_STAMP),
    ]
    _, written = _written(_lines("@Title", "Trope/Slow burn", "-ana"), [rows])
    [record] = read_segments_csv(io.StringIO(header_line(COLUMNS) + written, newline=""))
    assert (record.document, record.text, record.coder, record.memo) == (
        "@Title",
        '=SUM(A1) "quoted",\nline',
        "-ana",
        "+memo",
    )
    assert record.code_path == ("Trope", "Slow burn")
    assert record.created_at == record.updated_at and record.created_at is not None
    assert record.created_at.isoformat() == "2024-05-01T10:00:07"


def test_each_document_gets_its_own_zones() -> None:
    first = DocumentCells(7, "First", "h7", BOUNDS, LABELS, {}, [])
    second = DocumentCells(9, "Second", "h9", [0], [("preface", None)], {}, [])
    lines = SegmentLines({7: first, 9: second}, {3: "Trope"}, {4: "ana"})
    rows: list[TextRow] = [
        (1, 7, 30, 35, "in chapter one", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (2, 9, 31, 35, "in the preface", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (3, 7, 31, 35, "chapter one again", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
    ]
    _, written = _written(lines, [rows])
    zones = [line.split(",")[4:6] for line in written.splitlines()]
    assert zones == [["story", "1"], ["preface", ""], ["story", "1"]]


def test_a_utf8_file_gets_the_same_bytes_as_a_text_stream(tmp_path: Path) -> None:
    rows: list[TextRow] = [
        (i, 7, i * 3, i * 3 + 2, f'“{i}”, "q"\n🦊', 3, 4, "=m" if i % 3 else "", SQLITE_STAMP, POSTGRES_STAMP)
        for i in range(30)
    ]
    batches = [rows[:7], rows[7:8], [], rows[8:]]
    lines = _lines("=Title, “curly”", "Trope", "@ana")
    expected_count, text = _written(lines, batches)
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        assert utf8_buffer(out) is not None
        count = lines.write_rows([[_row(row) for row in batch] for batch in batches], out)
    assert count == expected_count == 30
    assert path.read_bytes() == text.encode("utf-8-sig")  # the byte-order mark once, at the start


def test_only_utf8_files_without_line_end_translation_take_bytes(tmp_path: Path) -> None:
    assert utf8_buffer(io.StringIO()) is None
    with (tmp_path / "a").open("w", encoding="UTF8", newline="") as plain:
        assert utf8_buffer(plain) is plain.buffer
    with (tmp_path / "b").open("w", encoding="latin-1", newline="") as latin:
        assert utf8_buffer(latin) is None


class _FailsOnSecondWrite(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, data: object) -> int:
        self.writes += 1
        if self.writes == 2:
            raise OSError("disk full")
        return super().write(data)  # type: ignore[arg-type]


def _writer_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "segments-writer"]


def test_the_chunk_writer_writes_in_order_and_reports_a_failed_write(tmp_path: Path) -> None:
    expected = b"".join(b"%d," % n for n in range(50))
    target = io.BytesIO()
    with ChunkWriter(target, sync_bytes=16) as writer:  # nothing to sync in memory: no error
        for n in range(50):
            writer.write(b"%d," % n)
    assert target.getvalue() == expected
    with (tmp_path / "chunks").open("wb") as file, ChunkWriter(file, sync_bytes=16) as writer:
        for n in range(50):
            writer.write(b"%d," % n)
    assert (tmp_path / "chunks").read_bytes() == expected
    failing = _FailsOnSecondWrite()
    with pytest.raises(OSError, match="disk full"), ChunkWriter(failing) as writer:
        for n in range(50):
            writer.write(b"chunk %d;" % n)
    assert failing.getvalue() == b"chunk 0;"  # nothing after the failure
    assert _writer_threads() == []


def test_an_exception_while_writing_stops_the_writer_thread() -> None:
    target = io.BytesIO()
    with pytest.raises(KeyboardInterrupt), ChunkWriter(target) as writer:
        writer.write(b"first")
        raise KeyboardInterrupt
    assert _writer_threads() == []
    assert target.getvalue() in {b"", b"first"}
