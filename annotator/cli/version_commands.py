"""``annotator versions PROJECT DOCUMENT``: the versions of an updated work, and an old one's text.

Lists every version of the document, oldest first (number, when it was imported, characters,
file); the last is the current text. ``--export N FILE`` writes version N's text to FILE as
UTF-8, atomically (``annotator.services.version_export``): older versions are read-only in the
app, and this is how one leaves it.
"""

from __future__ import annotations

import argparse
import sys

from annotator.cli.project_commands import _add, _add_project, _project
from annotator.cli.terminal import safe
from annotator.core.validation import InvalidInputError

_HEADERS = ("version", "imported", "characters", "file")


def format_versions(versions: list[tuple[str, str, str, str]]) -> list[str]:
    """Aligned lines: a header, then one line per version (numbers right-aligned)."""
    rows = [_HEADERS, *versions]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADERS))]
    return [
        "  ".join(
            [
                f"{row[0]:<{widths[0]}}",
                f"{row[1]:<{widths[1]}}",
                f"{row[2]:>{widths[2]}}",
                row[3],
            ]
        ).rstrip()
        for row in rows
    ]


def _versions(args: argparse.Namespace) -> int:
    from annotator.services.version_export import export_version
    from annotator.services.version_history import versions_of

    export: list[str] | None = args.export
    number = None
    if export is not None:
        if not export[0].isdigit() or int(export[0]) < 1:
            raise InvalidInputError(f"--export wants a version number (1, 2, …), not {export[0]!r}")
        number = int(export[0])
    with _project(args.project) as store:
        versions = versions_of(store, args.document)
        written = None
        if export is not None and number is not None:
            written = export_version(store, args.document, number, export[1])
    rows = [
        (
            f"{v.number} (current)" if v.current else str(v.number),
            f"{v.imported_at:%Y-%m-%d %H:%M}",
            str(v.length),
            safe(v.source_name),
        )
        for v in versions
    ]
    for line in format_versions(rows):
        print(line)
    if export is not None and written is not None:
        print(
            f"wrote version {number} of document {args.document} ({written} characters) to {safe(export[1])}",
            file=sys.stderr,
        )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add(
        subparsers,
        "versions",
        _versions,
        "list the versions of an updated work; export an old version's text",
        "List every version of DOCUMENT, oldest first (the last is the current text): its number, "
        "when it was imported, its length in characters and its file. --export N FILE writes "
        "version N's text to FILE (UTF-8, atomically).",
    )
    _add_project(parser)
    parser.add_argument("document", type=int, metavar="DOCUMENT", help="the document's id")
    parser.add_argument(
        "--export", nargs=2, metavar=("N", "FILE"), help="write version N's text to FILE (UTF-8)"
    )
