"""The codebook as CSV: export, and import in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.codebook import (
    split_path,
)
from annotator.core.validation import InvalidInputError, clean_colour, clean_name
from annotator.io.csv_codebook import CodebookRow, read_codebook_csv, write_codebook_csv
from annotator.services.changes import CODEBOOK, Change
from annotator.services.codebook import (
    TEXT_FIELDS,
    _check_text_field,
    _parent_is,
    add_code_in,
    codes_in,
    lock_codebook,
)
from annotator.services.errors import ServiceError
from annotator.store.models import Code
from annotator.store.project import ProjectStore


def codebook_rows(store: ProjectStore) -> list[CodebookRow]:
    with store.reading() as session:
        codes = codes_in(session, with_counts=False)
    return [
        CodebookRow(
            split_path(c.path), c.colour, c.short_name, c.definition, c.inclusion, c.exclusion, c.example
        )
        for c in codes
    ]


def export_codebook(store: ProjectStore, out: TextIO) -> int:
    return write_codebook_csv(codebook_rows(store), out)


def apply_codebook_rows_in(session: Session, rows: Iterable[CodebookRow]) -> tuple[int, int]:
    """Create missing codes and update existing ones by path; return (created, updated)."""
    lock_codebook(session)
    created = updated = 0
    for row in rows:
        names = [clean_name(n) for n in row.path]
        parent_id: int | None = None
        for depth, name in enumerate(names):
            code = session.scalar(select(Code).where(_parent_is(parent_id), Code.name == name))
            is_leaf = depth == len(names) - 1
            if code is None:
                code = add_code_in(session, name, parent_id, row.colour or None if is_leaf else None)
                created += 1
            elif is_leaf:
                updated += 1
            if is_leaf:
                if row.colour:
                    code.colour = clean_colour(row.colour)
                for key in TEXT_FIELDS:
                    setattr(code, key, _check_text_field(key, getattr(row, key)))
            parent_id = code.id
    session.flush()
    return created, updated


class CodebookImport(NamedTuple):
    """How many codes a codebook CSV created and updated (unpacks as ``created, updated``)."""

    created: int
    updated: int

    @property
    def change(self) -> Change:
        return CODEBOOK if self.created or self.updated else Change()


def import_codebook(store: ProjectStore, source: TextIO, name: str = "codebook") -> CodebookImport:
    """Create and update the codes a codebook CSV lists: every row or none.

    A refusal is one line naming the file and the row (the file's own problems, from the reader,
    and the project's, such as a sibling already named alike).
    """
    try:
        rows = read_codebook_csv(source, name)
    except UnicodeDecodeError as exc:
        raise ServiceError(f"{name}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8") from exc
    created = updated = 0
    with store.transaction() as session:
        for row in rows:
            try:
                made, changed = apply_codebook_rows_in(session, (row,))
            except InvalidInputError as exc:  # raised in the transaction: nothing is kept
                raise ServiceError(f"{name}, row {row.row}: {exc}") from None
            created, updated = created + made, updated + changed
    return CodebookImport(created, updated)
