"""Project commands: ``new``, ``import``, ``code``, ``export``, ``import-segments``, ``import-codebook``,
``info`` and ``demo``.

PROJECT is a project file path or a database URL everywhere. Each command opens the project,
calls one or more services and prints a short summary; output files are written atomically.
Every user-derived value printed goes through ``terminal.safe`` (JSON through ``safe_json``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from annotator.cli.arguments import require_text
from annotator.cli.code_command import run_code
from annotator.cli.terminal import safe, safe_json
from annotator.core.validation import InvalidInputError
from annotator.io.file_selection import files_to_import  # light: it loads the parsers when called

if TYPE_CHECKING:
    from annotator.services.segments import SegmentFilter
    from annotator.store.project import ProjectStore

# Each command imports the services it calls inside its handler: ``annotator info`` must not pay
# for the document parsers, alembic or numpy that ``import`` or ``code`` need (start-up time is
# paid by every call of a script). ``tests/cli/test_startup_imports.py`` keeps it so.

# The file kinds ``import`` reads (annotator.io.importers.SUPPORTED_SUFFIXES, which imports every
# parser; a test checks the two agree).
IMPORT_SUFFIXES = (".txt", ".html", ".htm", ".epub", ".docx", ".md", ".markdown")

DEMO_LOCATION = "~/annotator-demo.annotator"
T = TypeVar("T")


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


@contextmanager
def _project(target: str) -> Iterator[ProjectStore]:
    from annotator.store.project import open_project

    store = open_project(target)
    try:
        yield store
    finally:
        store.close()


def _csv_errors(path: str) -> AbstractContextManager[None]:
    """Codebook and CSV format problems as one-line user errors naming the file."""
    from annotator.io.csv_reading import csv_refusals

    return csv_refusals(path)


def _read_csv(path: str, read: Callable[[TextIO], T]) -> T:
    from annotator.io.csv_reading import read_csv_file

    return read_csv_file(path, read)


# --- new, import, code ------------------------------------------------------------------------


def _new(args: argparse.Namespace) -> int:
    from annotator.services.projects import create_project, project_info

    codebook = args.codebook
    with _csv_errors(codebook):
        store = create_project(args.project, codebook)
    try:
        info = project_info(store)
    finally:
        store.close()
    print(f"created {safe(info.location)} with {len(info.codes)} codes ({safe(codebook)} codebook)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from annotator.cli.import_progress import import_selection

    selection = files_to_import(args.paths)
    with _project(args.project) as store:
        return import_selection(store, selection)  # progress, refusals, notes, counts, timing


# --- export and CSV imports -------------------------------------------------------------------


def segment_filter(args: argparse.Namespace) -> SegmentFilter:
    from annotator.services.segments import SegmentFilter

    require_text(args, "code", "coder", "attribute", "text")
    pairs = []
    for item in args.attribute or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(f"--attribute wants NAME=VALUE, e.g. rating=Explicit, not {item!r}")
        pairs.append((name.strip(), value.strip()))
    return SegmentFilter(
        code_paths=tuple(args.code or ()),
        coders=tuple(args.coder or ()),
        document_ids=tuple(args.document or ()),
        attributes=tuple(pairs),
        text=args.text or "",
    )


def _export(args: argparse.Namespace) -> int:
    from annotator.io.atomic import atomic_write_text
    from annotator.services.codebook_csv import export_codebook
    from annotator.services.segments import export_segments

    if not args.segments and not args.codebook:
        raise InvalidInputError("nothing to export: give --segments FILE and/or --codebook FILE")
    flt = segment_filter(args)
    with _project(args.project) as store:
        if args.segments:
            rows = atomic_write_text(args.segments, lambda out: export_segments(store, out, flt))
            print(f"exported {_count(rows, 'segment')} to {safe(args.segments)}")
        if args.codebook:
            codes = atomic_write_text(args.codebook, lambda out: export_codebook(store, out))
            print(f"exported {_count(codes, 'code')} to {safe(args.codebook)}")
    return 0


def _import_segments(args: argparse.Namespace) -> int:
    from annotator.services.segments import import_segments
    from annotator.store.notify import announce

    name = Path(args.file).name
    with _project(args.project) as store:
        report = _read_csv(args.file, lambda handle: import_segments(store, handle, name))
        announce(store, report.change.to_payload())
    print(f"imported {_count(report.imported, 'segment')}, skipped {_count(report.duplicates, 'duplicate')}")
    for path in report.created_codes:
        print(f"new code: {safe(path)}")
    for coder in report.created_coders:
        print(f"new coder: {safe(coder)}")
    if report.renumbered:
        moved = _count(report.renumbered, "segment")
        print(f"{moved} got new annotation ids (the file's were taken or out of sequence here)")
    return 0


def _import_codebook(args: argparse.Namespace) -> int:
    from annotator.services.codebook_csv import import_codebook
    from annotator.store.notify import announce

    name = Path(args.file).name
    with _project(args.project) as store:
        result = _read_csv(args.file, lambda handle: import_codebook(store, handle, name))
        announce(store, result.change.to_payload())
    created, updated = result
    print(f"created {_count(created, 'code')}, updated {updated}")
    return 0


# --- info and demo ----------------------------------------------------------------------------


def _info(args: argparse.Namespace) -> int:
    from annotator.cli.project_format import info_lines
    from annotator.store.quick_info import quick_project_info

    info = quick_project_info(args.project)  # a project file: no SQLAlchemy to import
    if info is None:
        from annotator.services.projects import project_info

        with _project(args.project) as store:
            info = project_info(store)
    if args.json:
        print(safe_json(info.to_json_dict(), indent=2))
    else:
        print("\n".join(info_lines(info)))
    return 0


def display_available() -> bool:
    """Whether a window could be shown (offscreen Qt, as in tests and CI, counts as none)."""
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _open_or_create_demo(location: str) -> tuple[ProjectStore, bool]:
    from annotator.paths import seeds_dir
    from annotator.services.documents import import_files
    from annotator.services.projects import create_project
    from annotator.store.project import ProjectError, open_project, resolve_target

    url = resolve_target(location)
    is_file = url.get_backend_name() == "sqlite"
    if not is_file or Path(url.database or "").exists():
        try:
            return open_project(location), False
        except ProjectError:
            if is_file:
                raise  # a file that is not a project: leave it alone
            # an empty database: make the demo in it
    store = create_project(location, "fandom")
    seeds = files_to_import([seeds_dir()]).files
    report = import_files(store, seeds)
    for _, message in report.failed:
        print(f"failed: {safe(message)}", file=sys.stderr)
    return store, True


def _demo(args: argparse.Namespace) -> int:
    from annotator.cli.project_format import demo_lines
    from annotator.services.projects import project_info

    location = args.project or str(Path(DEMO_LOCATION).expanduser())
    store, created = _open_or_create_demo(location)
    try:
        info = project_info(store)
    finally:
        store.close()
    print("\n".join(demo_lines(info, created)))
    if args.no_gui or not display_available():
        return 0
    try:
        gui = importlib.import_module("annotator.cli.gui_commands")
    except ModuleNotFoundError as exc:
        if exc.name != "annotator.cli.gui_commands":
            raise
        print("(the desktop app is not part of this installation)", file=sys.stderr)
        return 0
    try:
        return int(gui.launch_gui(location) or 0)
    except ImportError as exc:  # PySide6 missing or broken: the project is still there to use
        print(f"(the desktop app cannot start: {safe(exc)})", file=sys.stderr)
        return 0


def _add(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Callable[[argparse.Namespace], int],
    help_: str,
    description: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_, description=description)
    parser.set_defaults(handler=handler)
    return parser


def _add_project(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT", help="a project file (.annotator) or a database URL")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = _add(subparsers, "new", _new, "create a project", "Create a new, empty project.")
    _add_project(new)
    new.add_argument(
        "--codebook",
        default="fandom",
        metavar="fandom|empty|FILE.csv",
        help="start from the fandom codebook (default), none, or a codebook CSV",
    )

    imp = _add(
        subparsers,
        "import",
        _import,
        "import works",
        f"Import works into PROJECT; folders are searched for {', '.join(IMPORT_SUFFIXES)} files.",
    )
    _add_project(imp)
    imp.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")

    code = _add(
        subparsers,
        "code",
        run_code,
        "apply a code to a span, or many codings from a CSV",
        "Apply a code to [START, END) of a document (offsets in characters); prints the annotation. "
        "With --from-csv, apply many codings in one call.",
    )
    _add_project(code)
    # Required unless --from-csv is given (checked by _code, worded as argparse words it).
    code.add_argument("--document", type=int, metavar="ID")
    code.add_argument("--start", type=int, metavar="N")
    code.add_argument("--end", type=int, metavar="N")
    code.add_argument("--code", metavar="PATH", help='e.g. "Trope/Slow burn"')
    code.add_argument("--coder", metavar="NAME", help="created if new")
    code.add_argument("--memo", default="", metavar="TEXT")
    code.add_argument(
        "--from-csv",
        metavar="FILE",
        help="apply every row of FILE (- for stdin; columns document,start,end,code,coder[,memo]) "
        "in one transaction; a bad row is refused and nothing is applied",
    )
    code.set_defaults(command_parser=code)

    export = _add(
        subparsers,
        "export",
        _export,
        "export segments and the codebook as CSV",
        "Write the coded segments and/or the codebook as CSV (UTF-8, opens in Excel).",
    )
    _add_project(export)
    export.add_argument("--segments", metavar="FILE")
    export.add_argument("--codebook", metavar="FILE")
    export.add_argument("--code", action="append", metavar="PATH", help="this code and its sub-codes")
    export.add_argument("--coder", action="append", metavar="NAME", help="this coder's segments")
    export.add_argument(
        "--document", action="append", type=int, metavar="ID", help="this document's segments"
    )
    export.add_argument("--attribute", action="append", metavar="NAME=VALUE", help="e.g. rating=Explicit")
    export.add_argument("--text", metavar="WORDS", help="only segments whose quote or memo contains WORDS")

    segs = _add(
        subparsers,
        "import-segments",
        _import_segments,
        "import a segments CSV",
        "Add the coded segments of a segments CSV (as written by export); all rows or none.",
    )
    _add_project(segs)
    segs.add_argument("file", metavar="FILE")

    book = _add(
        subparsers,
        "import-codebook",
        _import_codebook,
        "import a codebook CSV",
        "Create and update codes from a codebook CSV (path, colour, definition, …).",
    )
    _add_project(book)
    book.add_argument("file", metavar="FILE")

    info = _add(
        subparsers, "info", _info, "describe a project", "List documents, codes and coders, with counts."
    )
    _add_project(info)
    info.add_argument("--json", action="store_true", help="machine-readable output")

    demo = _add(
        subparsers,
        "demo",
        _demo,
        "open a demo project",
        "Create (or reopen) a demo project of sample works with the fandom codebook, then open it.",
    )
    demo.add_argument(
        "project", nargs="?", metavar="PROJECT", help=f"where it lives (default {DEMO_LOCATION})"
    )
    demo.add_argument("--no-gui", action="store_true", help="only create it and print a summary")
