"""Codebook CSV: one row per code, parents named by path, all text fields kept.

Columns: ``path, colour, short_name, definition, inclusion, exclusion, example``. ``path`` joins
the names from the top-level group down with ``/`` (a ``/`` inside a name is written ``\\/``).
Rows are written parents first, siblings in codebook order, so reading a file back reproduces the
tree and the order exactly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from annotator.core.codebook import join_path, split_path
from annotator.core.validation import MAX_CODE_DEPTH, InvalidInputError, is_colour, unstorable_character
from annotator.io.csv_safety import guard_cell, unguard_cell

CODEBOOK_COLUMNS = ("path", "colour", "short_name", "definition", "inclusion", "exclusion", "example")
MAX_NAME = 500


class CodebookFormatError(InvalidInputError):
    """The codebook file cannot be read; the message names the row and the problem."""


@dataclass(frozen=True, slots=True)
class CodebookRow:
    path: tuple[str, ...]  # names from the top-level group down to this code
    colour: str = ""
    short_name: str = ""
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    row: int = field(default=0, compare=False)  # where it was read from, for error messages; 0 if made


def write_codebook_csv(rows: Iterable[CodebookRow], out: TextIO) -> int:
    """Write ``rows`` (parents before children) to ``out``; return how many were written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CODEBOOK_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(
            [
                guard_cell(join_path(row.path)),
                row.colour,
                guard_cell(row.short_name),
                guard_cell(row.definition),
                guard_cell(row.inclusion),
                guard_cell(row.exclusion),
                guard_cell(row.example),
            ]
        )
        count += 1
    return count


def read_codebook_csv(source: TextIO, name: str = "codebook") -> list[CodebookRow]:
    """Read a codebook CSV; parents missing from the file are implied by their children's paths.

    Raises :class:`CodebookFormatError` naming the file, the row and the column on the first bad row.
    """
    # strict: a stray or unclosed quote is an error to report, not a cell that swallows the rows after it.
    reader = csv.reader(source, strict=True)
    try:
        header = [cell.lstrip("\ufeff").strip().lower() for cell in next(reader, [])]
        if "path" not in header:
            raise CodebookFormatError(f"{name}: no 'path' column (expected {', '.join(CODEBOOK_COLUMNS)})")
        positions = {column: header.index(column) for column in CODEBOOK_COLUMNS if column in header}
        rows: list[CodebookRow] = []
        seen: set[tuple[str, ...]] = set()
        for number, cells in enumerate(reader, start=2):  # row numbers as a spreadsheet shows them
            if not any(cells):
                continue
            rows.append(_row(name, number, cells, positions, seen))
    except csv.Error as exc:
        raise CodebookFormatError(f"{name}, line {reader.line_num}: not a valid CSV file ({exc})") from exc
    return rows


def _row(
    name: str, number: int, cells: list[str], positions: dict[str, int], seen: set[tuple[str, ...]]
) -> CodebookRow:
    def error(message: str) -> CodebookFormatError:
        return CodebookFormatError(f"{name}, row {number}: {message}")

    values = {column: cells[at] if at < len(cells) else "" for column, at in positions.items()}
    for column, value in values.items():
        problem = unstorable_character(value)
        if problem is not None:
            raise error(f"{column} {problem}")
    raw_path = unguard_cell(values["path"].strip())
    path = split_path(raw_path)
    if not raw_path or any(not part for part in path):
        raise error(f"empty code name in path {_short(raw_path)!r}")
    if len(path) > MAX_CODE_DEPTH:
        raise error(f"path has {len(path)} levels; the limit is {MAX_CODE_DEPTH}")
    if any(len(part) > MAX_NAME for part in path):
        raise error(f"path has a code name longer than {MAX_NAME} characters")
    if path in seen:
        raise error(f"code {_short(raw_path)!r} appears twice")
    colour = values.get("colour", "").strip()
    if colour and not is_colour(colour):
        raise error(f"colour {_short(colour)!r} is not #rrggbb")
    seen.add(path)
    return CodebookRow(
        path=path,
        colour=colour.lower(),
        short_name=unguard_cell(values.get("short_name", "")),
        definition=unguard_cell(values.get("definition", "")),
        inclusion=unguard_cell(values.get("inclusion", "")),
        exclusion=unguard_cell(values.get("exclusion", "")),
        example=unguard_cell(values.get("example", "")),
        row=number,
    )


def _short(cell: str, limit: int = 40) -> str:
    return cell if len(cell) <= limit else cell[:limit] + "…"
