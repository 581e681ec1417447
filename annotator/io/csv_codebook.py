"""Codebook CSV: one row per code, parents named by path, all text fields kept.

Columns: ``path, colour, short_name, definition, inclusion, exclusion, example``. ``path`` joins
the names from the top-level group down with ``/`` (a ``/`` inside a name is written ``\\/``).
Rows are written parents first, siblings in codebook order, so reading a file back reproduces the
tree and the order exactly.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from annotator.core.codebook import join_path, split_path
from annotator.core.validation import InvalidInputError
from annotator.io.csv_safety import guard_cell, unguard_cell

CODEBOOK_COLUMNS = ("path", "colour", "short_name", "definition", "inclusion", "exclusion", "example")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
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
    """Read a codebook CSV; parents missing from the file are implied by their children's paths."""
    reader = csv.DictReader(source)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "path" not in header:
        raise CodebookFormatError(f"{name}: no 'path' column (expected {', '.join(CODEBOOK_COLUMNS)})")
    reader.fieldnames = header
    rows: list[CodebookRow] = []
    seen: set[tuple[str, ...]] = set()
    for line_no, record in enumerate(reader, start=2):
        raw_path = unguard_cell((record.get("path") or "").strip())
        path = split_path(raw_path)
        if not raw_path or any(not part for part in path):
            raise CodebookFormatError(f"{name}, row {line_no}: empty code name in path {raw_path!r}")
        if any(len(part) > MAX_NAME for part in path):
            raise CodebookFormatError(
                f"{name}, row {line_no}: a code name is longer than {MAX_NAME} characters"
            )
        if path in seen:
            raise CodebookFormatError(f"{name}, row {line_no}: code {raw_path!r} appears twice")
        colour = (record.get("colour") or "").strip()
        if colour and not _COLOUR.match(colour):
            raise CodebookFormatError(f"{name}, row {line_no}: colour {colour!r} is not #rrggbb")
        seen.add(path)
        rows.append(
            CodebookRow(
                path=path,
                colour=colour.lower(),
                short_name=unguard_cell(record.get("short_name") or ""),
                definition=unguard_cell(record.get("definition") or ""),
                inclusion=unguard_cell(record.get("inclusion") or ""),
                exclusion=unguard_cell(record.get("exclusion") or ""),
                example=unguard_cell(record.get("example") or ""),
            )
        )
    return rows
