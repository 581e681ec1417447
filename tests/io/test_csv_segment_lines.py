"""The export's line builder writes exactly what ``csv.writer`` writes for the same cells."""

from __future__ import annotations

import csv
import io
import pickle
from bisect import bisect_right
from collections.abc import Callable
from functools import partial

from hypothesis import given
from hypothesis import strategies as st

from annotator.io.csv_safety import guard_cell
from annotator.io.csv_segment_lines import DocumentCells, SegmentLines, SegmentRow
from annotator.io.csv_segments import header_line, read_segments_csv

hostile_text = st.text(alphabet=st.sampled_from(list("ab ,\"'\r\n\t=+-@“”é😀")), max_size=20)
BOUNDS = [0, 10, 20, 50]
LABELS: list[tuple[str, int | None]] = [("", None), ("summary", None), ("story", 1), ("story, notes", 2)]
ATTRIBUTES = {"rating": ["Teen"], "fandoms": ["=A", 'B "b"']}
COLUMNS = ["rating", "fandoms", "characters"]
SQLITE_STAMP, POSTGRES_STAMP = "2024-05-01 10:00:07.250000", "2024-05-01 10:00:07"


def _expected(row: SegmentRow, title: str, code_path: str, coder: str) -> str:
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


def _written(lines: SegmentLines, batches: list[list[SegmentRow]]) -> tuple[int, str]:
    out = io.StringIO(newline="")
    count = lines.write_rows(batches, out)
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
    rows: list[SegmentRow] = [
        (i, 7, start, start + 1, quote, 3, 4, memo, SQLITE_STAMP, POSTGRES_STAMP if i % 2 else SQLITE_STAMP)
        for i, ((quote, memo), start) in enumerate(zip(quotes, starts, strict=False))
    ]
    count, written = _written(_lines(title, code_path, coder), [rows[:3], rows[3:]])
    assert count == len(rows)
    assert written == "".join(_expected(row, title, code_path, coder) for row in rows)


def test_rows_of_unknown_documents_codes_or_coders_are_left_out() -> None:
    rows: list[SegmentRow] = [
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


def test_a_keep_function_filters_rows_and_survives_pickling() -> None:
    rows: list[SegmentRow] = [
        (1, 7, 0, 5, "a fox", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (2, 7, 12, 15, "a dog", 3, 4, "fox memo", SQLITE_STAMP, SQLITE_STAMP),
        (3, 7, 25, 30, "a cat", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
    ]
    lines = _lines("Title", "Trope", "ana", keep=partial(_mentions, "fox"))
    copy = pickle.loads(pickle.dumps(lines))  # a worker process builds half of a large export
    assert _written(copy, [rows]) == _written(lines, [rows])
    count, written = _written(lines, [rows])
    assert count == 2 and [line.split(",")[0] for line in written.splitlines()] == ["1", "2"]


def _mentions(word: str, quote: str, memo: str) -> bool:
    return word in quote or word in memo


def test_written_lines_read_back_to_the_same_segments() -> None:
    rows: list[SegmentRow] = [
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
    rows: list[SegmentRow] = [
        (1, 7, 30, 35, "in chapter one", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (2, 9, 31, 35, "in the preface", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
        (3, 7, 31, 35, "chapter one again", 3, 4, "", SQLITE_STAMP, SQLITE_STAMP),
    ]
    _, written = _written(lines, [rows])
    zones = [line.split(",")[4:6] for line in written.splitlines()]
    assert zones == [["story", "1"], ["preface", ""], ["story", "1"]]
