"""The segments CSV format on its own: field quoting, guarding, reading rows and refusing bad ones."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.io.csv_safety import guard_cell
from annotator.io.csv_segments import (
    SEGMENT_COLUMNS,
    SegmentFormatError,
    SegmentRecord,
    attribute_columns,
    csv_field,
    format_timestamp,
    header_line,
    parse_timestamp,
    read_segments_csv,
    text_cell,
    timestamp_cell,
)

HEADER = (
    "annotation_id,document_id,document,document_hash,start,end,text,code_path,coder,memo,"
    "created_at,updated_at\r\n"
)
hostile_text = st.text(alphabet=st.sampled_from(list("ab ,\"'\r\n\t=+-@“”é😀")), max_size=30)


@given(st.lists(hostile_text, min_size=2, max_size=6))  # a lone empty cell is a special case; rows have 15+
def test_fast_fields_are_exactly_what_the_csv_module_writes(cells: list[str]) -> None:
    expected = io.StringIO(newline="")
    csv.writer(expected, lineterminator="\r\n").writerow(cells)
    assert ",".join(csv_field(c) for c in cells) + "\r\n" == expected.getvalue()


@given(hostile_text)
def test_a_text_cell_reads_back_as_the_original(value: str) -> None:
    line = f"{text_cell(value)},end\r\n"
    [[cell, end]] = list(csv.reader(io.StringIO(line, newline="")))
    assert end == "end" and cell == guard_cell(value)
    assert cell[:1] not in {"=", "+", "-", "@", "\t", "\r"}


def test_header_and_attribute_order() -> None:
    names = ["zeta", "url", "fandoms", "alpha", "rating", "additional_tags", "start"]
    assert attribute_columns(names) == ["rating", "fandoms", "additional_tags", "url", "alpha", "zeta"]
    assert header_line(["rating"]) == ",".join(SEGMENT_COLUMNS) + ",rating\r\n"


def test_timestamps_are_utc_iso_with_z() -> None:
    assert format_timestamp(datetime(2024, 5, 1, 10, 0, 7)) == "2024-05-01T10:00:07Z"
    assert (
        format_timestamp(datetime(2024, 5, 1, 10, 0, 7, 999_999)) == "2024-05-01T10:00:07Z"
    )  # cut, not rounded
    aware = datetime.fromisoformat("2024-05-01T12:00:07+02:00")
    assert format_timestamp(aware) == "2024-05-01T10:00:07Z" and format_timestamp(None) == ""
    # The text forms the stores give (SQLite keeps microseconds, PostgreSQL is asked for seconds).
    assert timestamp_cell("2024-05-01 10:00:07.250000") == "2024-05-01T10:00:07Z"
    assert timestamp_cell("2024-05-01 10:00:07") == "2024-05-01T10:00:07Z"
    assert parse_timestamp("2024-05-01T10:00:07Z") == datetime(2024, 5, 1, 10, 0, 7)
    assert parse_timestamp("2024-05-01 12:00:07.5+02:00") == datetime(2024, 5, 1, 10, 0, 7)
    assert parse_timestamp("  ") is None


def _read(body: str, header: str = HEADER) -> list[SegmentRecord]:
    return list(read_segments_csv(io.StringIO(header + body, newline=""), "segments.csv"))


def test_rows_are_unguarded_and_keep_quotes_newlines_and_curly_quotes() -> None:
    body = (
        '7,3,\'=Title,ABCDEF,10,20,"She said ""hi""\r\nand “left”",Trope/Slow burn,\'@ben,"\'-memo\nline",'
        "2024-05-01T10:00:00Z,\r\n"
    )
    [record] = _read(body)
    assert (record.row, record.annotation_id, record.document_id, record.document) == (2, 7, 3, "=Title")
    assert record.document_hash == "abcdef"
    assert record.text == 'She said "hi"\nand “left”'  # a spreadsheet's "\r\n" inside a cell is "\n" again
    assert record.code_path == ("Trope", "Slow burn") and record.coder == "@ben"
    assert record.memo == "-memo\nline"
    assert record.created_at == datetime(2024, 5, 1, 10) and record.updated_at is None


def test_a_byte_order_mark_left_in_the_header_is_ignored() -> None:
    [record] = _read("1,0,3,The,Angst,ana\r\n", "\ufeffdocument_id,start,end,text,code_path,coder\r\n")
    assert (record.document_id, record.start, record.end) == (1, 0, 3)


def test_blank_lines_are_skipped_but_counted_as_rows() -> None:
    records = _read("\r\n,1,,,0,3,The,Angst,ana,,,\r\n")
    assert [r.row for r in records] == [3]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (",1,,,x,3,The,Angst,ana,,,\r\n", "row 2: start 'x' is not a whole number"),
        (",1,,,0,３,The,Angst,ana,,,\r\n", "row 2: end '３' is not a whole number"),
        (",1,,,,3,The,Angst,ana,,,\r\n", "row 2: start is empty"),
        (",1,,,-2,3,The,Angst,ana,,,\r\n", "row 2: start -2 is negative"),
        (",1,,,5,5,The,Angst,ana,,,\r\n", "row 2: start 5 must be before end 5"),
        ("x,1,,,0,3,The,Angst,ana,,,\r\n", "row 2: annotation_id 'x' is not a whole number"),
        (",one,,,0,3,The,Angst,ana,,,\r\n", "row 2: document_id 'one' is not a whole number"),
        (",,,,0,3,The,Angst,ana,,,\r\n", "row 2: no document_hash, document_id or document title"),
        (",1,,,0,3,The,,ana,,,\r\n", "row 2: code_path '' has an empty code name"),
        (",1,,,0,3,The,Angst,,,,\r\n", "row 2: coder is empty"),
        (",1,,,0,3,The,Angst,ana,,2024-13-01,\r\n", "row 2: created_at '2024-13-01' is not a date"),
        (',1,,,0,3,"The\r\n', "line 2: not a valid CSV file \\(unexpected end of data\\)"),
        (',1,,,0,3,"The"x,Angst,ana,,,\r\n', "line 2: not a valid CSV file"),
    ],
)
def test_bad_rows_name_the_row_and_the_problem(body: str, message: str) -> None:
    with pytest.raises(SegmentFormatError, match=message):
        _read(body)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "the file is empty"),
        (" , \r\n", "the file is empty"),
        ("document_id,start,text\r\n", "missing columns end, code_path, coder"),
        ("start,end,text,code_path,coder\r\n", "no column naming the document"),
    ],
)
def test_files_without_a_usable_header_are_refused(header: str, message: str) -> None:
    with pytest.raises(SegmentFormatError, match=f"segments.csv: {message}"):
        _read("", header)


def test_a_whole_chapter_fits_in_one_cell() -> None:
    long_quote = "word " * 100_000  # 500,000 characters, past the csv module's default cell limit
    [record] = _read(f",1,,,0,{len(long_quote)},{long_quote},Angst,ana,,,\r\n")
    assert record.text == long_quote


# --- hostile values: one line naming the row, the column and the problem -------------------------

BIG = str(10**30)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"annotation_id": BIG}, f"annotation_id {BIG} is too large (the largest allowed is {2**63 - 1})"),
        ({"annotation_id": str(2**63)}, f"annotation_id {2**63} is too large"),
        ({"annotation_id": "-5"}, "annotation_id -5 is not an id (ids are whole numbers from 1)"),
        ({"annotation_id": "0"}, "annotation_id 0 is not an id (ids are whole numbers from 1)"),
        ({"annotation_id": "-" + BIG}, f"annotation_id -{BIG} is not an id"),
        ({"annotation_id": "1.0"}, "annotation_id '1.0' is not a whole number"),
        ({"annotation_id": "1e3"}, "annotation_id '1e3' is not a whole number"),
        ({"annotation_id": "--5"}, "annotation_id '--5' is not a whole number"),
        ({"document_id": "0"}, "document_id 0 is not an id (ids are whole numbers from 1)"),
        ({"end": "9" * 100_000}, f"end {'9' * 40}… is too large"),
        ({"start": "-1", "end": "3"}, "start -1 is negative"),
        ({"created_at": "0000-01-01"}, "created_at '0000-01-01' is not a date and time like"),
        ({"created_at": "0000-01-01T00:00:00Z"}, "created_at '0000-01-01T00:00:00Z' is not a date"),
        (
            {"created_at": "9999-12-31T23:59:59-01:00"},
            "created_at '9999-12-31T23:59:59-01:00' is out of range in UTC "
            "(dates run from 0001-01-01 to 9999-12-31)",
        ),
        (
            {"updated_at": "0001-01-01T00:00:00+01:00"},
            "updated_at '0001-01-01T00:00:00+01:00' is out of range",
        ),
        ({"memo": "a\x00b"}, "memo holds a NUL character at character 2, which a project cannot store"),
        ({"coder": "an\x00a"}, "coder holds a NUL character at character 3"),
        ({"code_path": "Trope/\x00"}, "code_path holds a NUL character at character 7"),
        ({"text": "Th\x00"}, "text holds a NUL character at character 3"),
        ({"document": "\x00"}, "document holds a NUL character at character 1"),
        ({"memo": "caf\udce9"}, "memo holds U+DCE9 at character 4, half of a surrogate pair"),
        ({"coder": "\ud83d"}, "coder holds U+D83D at character 1, half of a surrogate pair"),
    ],
    ids=lambda value: repr(value)[:40] if isinstance(value, dict) else "",
)
def test_hostile_values_are_refused_in_one_line_naming_row_and_column(
    row: dict[str, str], message: str
) -> None:
    values = {
        "document_id": "1",
        "start": "0",
        "end": "3",
        "text": "The",
        "code_path": "Angst",
        "coder": "ana",
    }
    values.update(row)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, list(values), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(values)
    with pytest.raises(SegmentFormatError) as caught:
        list(read_segments_csv(io.StringIO(out.getvalue(), newline=""), "segments.csv"))
    assert str(caught.value).startswith(f"segments.csv, row 2: {message}")
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


def test_values_a_project_can_hold_are_read_as_given() -> None:
    body = (
        f"{2**63 - 1},0007,,,0,3,The,Angst,\x1bana\x7f\u0085,\ufffe\U0010ffff memo,"
        "9999-12-31T23:59:59Z,0001-01-01T00:00:00\r\n"
    )
    [record] = _read(body)
    assert (record.annotation_id, record.document_id) == (2**63 - 1, 7)
    assert (record.coder, record.memo) == ("\x1bana\x7f\u0085", "\ufffe\U0010ffff memo")
    assert (record.created_at, record.updated_at) == (datetime(9999, 12, 31, 23, 59, 59), datetime(1, 1, 1))
