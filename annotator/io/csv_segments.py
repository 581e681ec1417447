"""Segments CSV: one row per coded span, the file researchers open in a spreadsheet, R or pandas.

Columns, in order: :data:`SEGMENT_COLUMNS` (``review`` says ``pending`` for an annotation an
update moved onto edited text that waits for review, and is empty otherwise), then one column per
document attribute (AO3 preface order first, see :func:`attribute_columns`; several values joined
with ``"; "``). Files are UTF-8 with a byte-order mark and ``\\r\\n`` line ends; every text cell
goes through :func:`~annotator.io.csv_safety.guard_cell`, and the reader undoes that, so a file
round-trips.

This module knows the format only; querying and storing segments is ``annotator.services``' job.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from annotator.core.codebook import split_path
from annotator.core.validation import MAX_CODE_DEPTH, InvalidInputError, unstorable_character
from annotator.io.csv_safety import TRIGGERS, guard_cell, unguard_cell

SEGMENT_COLUMNS = (
    "annotation_id",
    "document_id",
    "document",
    "document_hash",
    "zone",
    "chapter",
    "start",
    "end",
    "text",
    "code_id",
    "code_path",
    "coder",
    "memo",
    "created_at",
    "updated_at",
    "review",
)
# "pending" in the review column: an update moved the annotation onto edited text and no one has
# reviewed it yet (``annotator.services.anchor_reviews``); empty otherwise. Import ignores it.
REVIEW_PENDING = "pending"
# The order of an AO3 work's preface; attributes not named here follow alphabetically.
ATTRIBUTE_ORDER = (
    "rating",
    "warnings",
    "categories",
    "fandoms",
    "relationships",
    "characters",
    "additional_tags",
    "language",
    "series",
    "series_part",
    "collections",
    "published",
    "updated",
    "completed",
    "words",
    "chapters",
    "title",
    "authors",
    "ao3_work_id",
    "url",
)
VALUE_SEPARATOR = "; "
LINE_END = "\r\n"
REQUIRED_COLUMNS = ("start", "end", "text", "code_path", "coder")
DOCUMENT_KEYS = ("document_hash", "document_id", "document")

# The largest whole number a file may give (an id, an offset): what a 64-bit integer holds. A file's
# ids are only compared with the project's, never stored as given (see services.segment_import).
MAX_WHOLE_NUMBER = 2**63 - 1
_WHOLE_NUMBER = re.compile("-?[0-9]+")

# A coded span can be a whole chapter; the csv module's default cap (128 KiB per cell) is too small.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class SegmentFormatError(InvalidInputError):
    """The segments file cannot be read; the message names the file, the row and the problem."""


def attribute_columns(names: Iterable[str]) -> list[str]:
    """Attribute names in column order: AO3 preface order, then the rest alphabetically."""
    rank = {name: i for i, name in enumerate(ATTRIBUTE_ORDER)}
    unique = set(names) - set(SEGMENT_COLUMNS)  # an attribute may not shadow a fixed column
    return sorted(unique, key=lambda name: (rank.get(name, len(rank)), name))


def csv_field(value: str) -> str:
    """``value`` exactly as ``csv.writer`` (minimal quoting) writes it, for the export's fast path.

    Building lines with ``str`` methods is 2–3× faster than ``csv.writer`` for long quotes; a test
    holds the two to byte-identical output.
    """
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


# Only a cell starting with one of these can need guard_cell: most cells skip that call.
_GUARD_FIRST = frozenset(TRIGGERS | {"'"})


def text_cell(value: str) -> str:
    """A user-supplied text as a finished CSV field: formula-guarded, then quoted if needed."""
    return csv_field(guard_cell(value) if value[:1] in _GUARD_FIRST else value)


def header_line(attribute_names: Iterable[str]) -> str:
    return ",".join(csv_field(name) for name in (*SEGMENT_COLUMNS, *attribute_names)) + LINE_END


def timestamp_cell(stored: str) -> str:
    """A UTC timestamp as text (``2024-05-01 10:00:00``, any separator, any fraction after it)
    → the cell ``2024-05-01T10:00:00Z``. Slicing is several times faster than formatting a datetime."""
    return f"{stored[:10]}T{stored[11:19]}Z"


def format_timestamp(value: datetime | None) -> str:
    """Naive UTC (as stored) → ``2024-05-01T10:00:00Z``; aware values are converted to UTC."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return timestamp_cell(value.isoformat(sep=" "))


def parse_timestamp(cell: str) -> datetime | None:
    """ISO 8601 (``Z``, an offset, or none meaning UTC) → naive UTC, second precision."""
    cell = cell.strip()
    if not cell:
        return None
    value = datetime.fromisoformat(cell)  # ValueError on anything else
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class SegmentRecord:
    """One data row of a segments file, parsed and unguarded but not yet checked against a project."""

    row: int  # spreadsheet row number: the header is row 1
    annotation_id: int | None
    document_id: int | None
    document_hash: str
    document: str
    start: int
    end: int
    text: str
    code_path: tuple[str, ...]
    coder: str
    memo: str
    created_at: datetime | None
    updated_at: datetime | None


def _short(cell: str, limit: int = 40) -> str:
    return cell if len(cell) <= limit else cell[:limit] + "…"


def _header_index(header: list[str], name: str) -> dict[str, int]:
    names = [cell.lstrip("\ufeff").strip().lower() for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise SegmentFormatError(
            f"{name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(a segments file needs {', '.join(REQUIRED_COLUMNS)} and one of {', '.join(DOCUMENT_KEYS)})"
        )
    if not any(key in names for key in DOCUMENT_KEYS):
        raise SegmentFormatError(f"{name}: no column naming the document (one of {', '.join(DOCUMENT_KEYS)})")
    index: dict[str, int] = {}
    for position, column in enumerate(names):
        index.setdefault(column, position)  # the first of two same-named columns wins
    return index


# The columns a record is read from, in the order _record unpacks them.
_FIELDS = (
    "annotation_id",
    "document_id",
    "document_hash",
    "document",
    "start",
    "end",
    "text",
    "code_path",
    "coder",
    "memo",
    "created_at",
    "updated_at",
)


def read_segments_csv(source: TextIO, name: str = "segments.csv") -> Iterator[SegmentRecord]:
    """Parse a segments file row by row; raises :class:`SegmentFormatError` on the first bad row.

    Checks what the file alone can tell (columns, whole numbers, dates, ``start < end``); whether
    the documents, spans and quotes fit a project is checked by the importing service.
    """
    # strict: a stray quote is an error to report, not a guess that mangles the quote cell.
    reader = csv.reader(source, strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise SegmentFormatError(f"{name}: the file is empty (expected a header row)")
        index = _header_index(header, name)
        absent = len(header)  # columns the file lacks read as ""
        positions = [index.get(field, absent) for field in _FIELDS]
        paths: dict[str, tuple[str, ...]] = {}  # a file names few code paths, each many times
        for number, cells in enumerate(reader, start=2):
            if not any(cells):
                continue  # a blank line, e.g. at the end of a hand-edited file
            count = len(cells)
            values = [cells[p] if p < count and p != absent else "" for p in positions]
            # Undo guard_cell; only cells starting with an apostrophe can need it.
            values = [unguard_cell(v) if v[:1] == "'" else v for v in values]
            yield _record(name, number, values, paths)
    except csv.Error as exc:
        raise SegmentFormatError(f"{name}, line {reader.line_num}: not a valid CSV file ({exc})") from exc


def _record(name: str, number: int, values: list[str], paths: dict[str, tuple[str, ...]]) -> SegmentRecord:
    def error(message: str) -> SegmentFormatError:
        return SegmentFormatError(f"{name}, row {number}: {message}")

    if unstorable_character("".join(values)) is not None:  # one search for the whole row
        for column, value in zip(_FIELDS, values, strict=True):
            problem = unstorable_character(value)
            if problem is not None:
                raise error(f"{column} {problem}")
    (
        aid,
        did,
        document_hash,
        document,
        start_cell,
        end_cell,
        quote,
        code_cell,
        coder,
        memo,
        created,
        updated,
    ) = values
    start = _integer(start_cell, "start", error, smallest=0)
    end = _integer(end_cell, "end", error, smallest=0)
    if start is None or end is None:
        raise error(f"{'start' if start is None else 'end'} is empty")
    if start >= end:
        raise error(f"start {start} must be before end {end}")
    code_path = paths.get(code_cell)
    if code_path is None:
        code_path = split_path(code_cell.strip())
        if not code_cell.strip() or not all(code_path):
            raise error(f"code_path {_short(code_cell.strip())!r} has an empty code name")
        if len(code_path) > MAX_CODE_DEPTH:
            raise error(f"code_path has {len(code_path)} levels; the limit is {MAX_CODE_DEPTH}")
        paths[code_cell] = code_path
    if not coder.strip():
        raise error("coder is empty")
    document_id = _integer(did, "document_id", error, smallest=1)
    document_hash = document_hash.strip().lower()
    if not document_hash and document_id is None and not document.strip():
        raise error("no document_hash, document_id or document title to find the document by")
    return SegmentRecord(
        row=number,
        annotation_id=_integer(aid, "annotation_id", error, smallest=1),
        document_id=document_id,
        document_hash=document_hash,
        document=document,
        start=start,
        end=end,
        # Stored text never holds "\r"; a spreadsheet that saved "\r\n" inside a cell changed nothing.
        text=quote.replace("\r\n", "\n") if "\r" in quote else quote,
        code_path=code_path,
        coder=coder,
        memo=memo,
        created_at=_timestamp(created, "created_at", error),
        updated_at=_timestamp(updated, "updated_at", error),
    )


def _integer(cell: str, column: str, error: Callable[[str], SegmentFormatError], smallest: int) -> int | None:
    if cell.isdigit() and cell.isascii() and len(cell) < 19:  # the usual cell: a plain number below 10**18
        value = int(cell)
    else:
        cell = cell.strip()
        if not cell:
            return None
        if not _WHOLE_NUMBER.fullmatch(cell):
            raise error(f"{column} {_short(cell)!r} is not a whole number")
        # Past 19 digits it is out of range whatever it says, and int() of 10 MB of digits is slow.
        digits = cell.lstrip("-").lstrip("0")
        value = int(cell) if len(digits) <= 19 else (-1 if cell[0] == "-" else MAX_WHOLE_NUMBER + 1)
    if value > MAX_WHOLE_NUMBER:
        raise error(f"{column} {_short(cell)} is too large (the largest allowed is {MAX_WHOLE_NUMBER})")
    if value < smallest:
        what = "is negative" if smallest == 0 else f"is not an id (ids are whole numbers from {smallest})"
        raise error(f"{column} {_short(cell)} {what}")
    return value


def _timestamp(cell: str, column: str, error: Callable[[str], SegmentFormatError]) -> datetime | None:
    try:
        if len(cell) == 20 and cell[19] == "Z":  # the exported form: no time zone arithmetic needed
            return datetime.fromisoformat(cell[:19])
        return parse_timestamp(cell)
    except ValueError:
        raise error(f"{column} {_short(cell)!r} is not a date and time like 2024-05-01T10:00:00Z") from None
    except OverflowError:  # a valid date whose time zone moves it past year 9999 or before year 1
        raise error(
            f"{column} {_short(cell)!r} is out of range in UTC (dates run from 0001-01-01 to 9999-12-31)"
        ) from None
