"""``annotator code``: one coding from its options, or many from ``--from-csv FILE``, all or none.

The file has a header row and the same columns as ``annotator code``'s options: ``document``
(an id), ``start``, ``end``, ``code`` (a path such as ``Trope/Slow burn``), ``coder`` and,
optionally, ``memo``. ``-`` reads standard input. Start-up and opening the project are paid
once instead of once per coding.

Each row is checked the way ``annotator code`` checks its options (the document exists, the
span fits its text, the code exists, the coder name and memo are acceptable); the first bad row
is refused in one line naming the file and row, and nothing is applied. Good rows are turned
into a segments CSV (the quote taken from the document) and stored by
:func:`annotator.services.segments.import_segments`, which writes them in one transaction and
skips exact duplicates of annotations already there.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from annotator.cli.arguments import require_text
from annotator.cli.terminal import safe, safe_json
from annotator.core.validation import InvalidInputError

if TYPE_CHECKING:
    from annotator.io.csv_segments import SegmentRecord
    from annotator.services.segment_import import SegmentImportReport
    from annotator.store.project import ProjectStore

CODING_COLUMNS = ("document", "start", "end", "code", "coder", "memo")
REQUIRED_CODING_COLUMNS = ("document", "start", "end", "code", "coder")


class _Refusal(InvalidInputError):
    pass


def _whole_number(cell: str, column: str, where: str) -> int:
    text = cell.strip()
    if not text.lstrip("-").isdigit() or not text.isascii():
        raise _Refusal(f"{where}: {column} must be a whole number, not {cell[:40]!r}")
    return int(text)


def codings_as_records(store: ProjectStore, source: TextIO, name: str) -> list[SegmentRecord]:
    """The codings in ``source`` as segment records, every row checked; raises on the first bad row.

    What a segments file's reader checks of a row is checked here too (characters a project
    cannot store); the importing service then checks the records against the project as it
    checks a segments file's."""
    from annotator.core.codebook import split_path
    from annotator.core.validation import (
        MAX_CODER_NAME_LENGTH,
        clean_name,
        unstorable_character,
        validate_span,
    )
    from annotator.io.csv_segments import SegmentRecord
    from annotator.services.annotations import MAX_MEMO_LENGTH
    from annotator.services.codebook import codes_in, find_code_by_path
    from annotator.services.documents import document_text
    from annotator.services.errors import NotFoundError

    reader = csv.reader(source)
    header = next(reader, None)
    if header is None:
        raise _Refusal(f"{name}: empty file; the first row names the columns {', '.join(CODING_COLUMNS)}")
    names = [cell.strip().lstrip("\ufeff").lower() for cell in header]
    missing = [column for column in REQUIRED_CODING_COLUMNS if column not in names]
    if missing:
        raise _Refusal(
            f"{name}: no {', '.join(missing)} column "
            f"(the columns are {', '.join(CODING_COLUMNS)}; memo is optional)"
        )
    index = {column: names.index(column) for column in CODING_COLUMNS if column in names}
    records: list[SegmentRecord] = []
    texts: dict[int, str] = {}
    code_paths: dict[str, tuple[str, ...]] = {}
    coders: set[str] = set()
    with store.reading() as session:
        path_of = {code.id: code.path for code in codes_in(session)}
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            where = f"{name} row {number}"
            if len(row) < len(names):
                row = row + [""] * (len(names) - len(row))
            document = _whole_number(row[index["document"]], "document", where)
            start = _whole_number(row[index["start"]], "start", where)
            end = _whole_number(row[index["end"]], "end", where)
            code, coder = row[index["code"]], row[index["coder"]]
            memo = row[index["memo"]] if "memo" in index else ""
            try:
                text = texts.get(document)
                if text is None:
                    text = texts[document] = document_text(store, document)
                validate_span(start, end, len(text))
                path = code_paths.get(code)
                if path is None:
                    path = code_paths[code] = split_path(path_of[find_code_by_path(session, code).id])
                if coder not in coders:
                    clean_name(coder, what="coder name", limit=MAX_CODER_NAME_LENGTH)
                    coders.add(coder)
                for column, cell in (("coder", coder), ("memo", memo)):
                    problem = unstorable_character(cell)
                    if problem is not None:
                        raise InvalidInputError(f"{column} {problem}")
                if len(memo) > MAX_MEMO_LENGTH:
                    raise InvalidInputError(
                        f"memo is {len(memo)} characters long; the limit is {MAX_MEMO_LENGTH:,}"
                    )
            except (InvalidInputError, NotFoundError) as exc:
                raise _Refusal(f"{where}: {exc}") from exc
            records.append(
                SegmentRecord(
                    row=number,
                    annotation_id=None,
                    document_id=document,
                    document_hash="",
                    document="",
                    start=start,
                    end=end,
                    text=text[start:end],
                    code_path=path,
                    coder=coder,
                    memo=memo,
                    created_at=None,
                    updated_at=None,
                )
            )
    return records


def run_code(args: argparse.Namespace) -> int:
    from annotator.cli.project_commands import _project
    from annotator.core.validation import MAX_CODER_NAME_LENGTH, clean_name, validate_span
    from annotator.services.annotations import MAX_MEMO_LENGTH, apply_code
    from annotator.services.changes import Change
    from annotator.services.codebook import find_code_by_path
    from annotator.services.coders import ensure_coder, find_coder
    from annotator.services.documents import document_text
    from annotator.services.errors import NotFoundError
    from annotator.store.notify import announce

    single = ("document", "start", "end", "code", "coder")
    if args.from_csv is not None:
        given = [f"--{name}" for name in (*single, "memo") if getattr(args, name) not in (None, "")]
        if given:
            args.command_parser.error(f"--from-csv takes the codings from the file, not {', '.join(given)}")
        return _code_from_csv(args)
    missing = [f"--{name}" for name in single if getattr(args, name) is None]
    if missing:
        args.command_parser.error(f"the following arguments are required: {', '.join(missing)}")
    require_text(args, "code", "coder", "memo")
    with _project(args.project) as store:
        # Everything is checked before the coder is created, so a refused command changes nothing.
        text = document_text(store, args.document)
        validate_span(args.start, args.end, len(text))
        with store.reading() as session:
            code_id = find_code_by_path(session, args.code).id
        clean_name(args.coder, what="coder name", limit=MAX_CODER_NAME_LENGTH)
        if len(args.memo) > MAX_MEMO_LENGTH:
            raise InvalidInputError(
                f"memo is {len(args.memo)} characters long; the limit is {MAX_MEMO_LENGTH:,}"
            )
        # A coder new to the project is news to the open apps too: they name it on its highlights.
        try:
            with store.reading() as session:
                find_coder(session, args.coder)
            new_coder = False
        except NotFoundError:
            new_coder = True
        coder = ensure_coder(store, args.coder)
        info = apply_code(store, args.document, args.start, args.end, code_id, coder.id, args.memo)
        announce(store, Change(annotations_added=(info,), coders_changed=new_coder).to_payload())
    print(f"annotation {info.id}: {safe_json(info.quote)}")
    return 0


def _stdin_text() -> TextIO:
    """Standard input as UTF-8 whatever the locale (a byte-order mark is dropped)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin
    return io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")


def _code_from_csv(args: argparse.Namespace) -> int:
    from annotator.cli.project_commands import _count, _csv_errors, _project, _read_csv
    from annotator.store.notify import announce

    name = "stdin" if args.from_csv == "-" else Path(args.from_csv).name
    with _project(args.project) as store:
        if args.from_csv == "-":
            with _csv_errors(name):
                report = code_from_csv(store, _stdin_text(), name)
        else:
            report = _read_csv(args.from_csv, lambda handle: code_from_csv(store, handle, name))
        announce(store, report.change.to_payload())
    print(f"applied {_count(report.imported, 'coding')}, skipped {_count(report.duplicates, 'duplicate')}")
    for coder in report.created_coders:
        print(f"new coder: {safe(coder)}")
    return 0


def code_from_csv(store: ProjectStore, source: TextIO, name: str) -> SegmentImportReport:
    """Apply every coding in ``source`` in one transaction, or none if any row is refused."""
    from annotator.services.segment_import import import_segment_records

    return import_segment_records(store, codings_as_records(store, source, name), name)
