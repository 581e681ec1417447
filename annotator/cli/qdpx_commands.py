"""REFI-QDA commands: ``import-qdpx``, ``export-qdpx`` and ``export-qdc``.

Exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder. The import prints what came in, the
position convention the file was read in, and every selection or source it could not take.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from annotator.cli.project_commands import _add, _add_project, _count, _project, segment_filter
from annotator.cli.terminal import safe
from annotator.io.atomic import atomic_write_text
from annotator.io.importers import read_file_bytes
from annotator.services.refi_qda_export import export_qdc, export_qdpx
from annotator.services.refi_qda_import import import_qdpx
from annotator.store.notify import announce

T = TypeVar("T")


def _write_binary(path: str, writer: Callable[[BinaryIO], T]) -> T:
    """Write through the project's one atomic writer: latin-1 carries every byte unchanged."""
    buffer = io.BytesIO()
    result = writer(buffer)
    atomic_write_text(path, lambda out: out.write(buffer.getvalue().decode("latin-1")), encoding="latin-1")
    return result


def _import_qdpx(args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    data = read_file_bytes(path, path.name)
    with _project(args.project) as store:
        report = import_qdpx(store, data, path.name)
        announce(store, report.change.to_payload())
    origin = f" from {safe(report.origin)}" if report.origin else ""
    print(
        f"imported {_count(len(report.documents), 'document')}, {_count(report.annotations, 'annotation')}, "
        f"{_count(report.created_codes, 'new code')}, {_count(report.memos, 'memo')}{origin}"
    )
    print(f"positions read as {report.convention}")
    for doc_id, title in report.documents:
        print(f"document {doc_id}: {safe(title)}")
    for coder in report.created_coders:
        print(f"new coder: {safe(coder)}")
    for line in report.existing:
        print(f"already here: {safe(line)}")
    if report.duplicate_codings:
        print(f"skipped {_count(report.duplicate_codings, 'coding')} already here")
    for line in report.unplaced:
        print(f"not placed: {safe(line)}")
    for line in report.skipped:
        print(f"not imported: {safe(line)}")
    for line in report.notes:
        print(f"note: {safe(line)}")
    return 0


def _export_qdpx(args: argparse.Namespace) -> int:
    flt = segment_filter(args)
    with _project(args.project) as store:
        summary = _write_binary(
            args.file, lambda out: export_qdpx(store, out, flt, nvivo_positions=args.nvivo_positions)
        )
    print(
        f"exported {_count(summary.documents, 'document')}, {_count(summary.annotations, 'annotation')}, "
        f"{_count(summary.codes, 'code')} and {_count(summary.memos, 'memo')} to {safe(args.file)}"
    )
    return 0


def _export_qdc(args: argparse.Namespace) -> int:
    with _project(args.project) as store:
        codes = _write_binary(args.file, lambda out: export_qdc(store, out))
    print(f"exported {_count(codes, 'code')} to {safe(args.file)}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = _add(
        subparsers,
        "import-qdpx",
        _import_qdpx,
        "import a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA or QualCoder",
        "Add the text sources, codebook, users, codings, notes and variables of a .qdpx to PROJECT, "
        "all or nothing; selections that cannot be placed exactly are listed, never moved.",
    )
    _add_project(imp)
    imp.add_argument("file", metavar="FILE.qdpx")

    exp = _add(
        subparsers,
        "export-qdpx",
        _export_qdpx,
        "export a REFI-QDA project (.qdpx)",
        "Write PROJECT's documents, codebook, coders, annotations, memos and attributes as a .qdpx.",
    )
    _add_project(exp)
    exp.add_argument("file", metavar="FILE.qdpx")
    exp.add_argument(
        "--code", action="append", metavar="PATH", help="only this code's (and sub-codes') codings"
    )
    exp.add_argument("--coder", action="append", metavar="NAME", help="only this coder's codings")
    exp.add_argument("--document", action="append", type=int, metavar="ID", help="only this document")
    exp.add_argument("--attribute", action="append", metavar="NAME=VALUE", help="only matching documents")
    exp.add_argument("--text", metavar="WORDS", help="only codings whose quote or memo contains WORDS")
    exp.add_argument(
        "--nvivo-positions",
        action="store_true",
        help="count positions as NVivo does (UTF-16 units, CRLF line ends, text files with a BOM)",
    )

    qdc = _add(
        subparsers,
        "export-qdc",
        _export_qdc,
        "export the codebook as REFI-QDA (.qdc)",
        "Write PROJECT's code tree as a .qdc codebook.",
    )
    _add_project(qdc)
    qdc.add_argument("file", metavar="FILE.qdc")
