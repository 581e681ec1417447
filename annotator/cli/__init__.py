"""The ``annotator`` command: headless, scriptable commands over the services.

Each command group lives in its own module with a ``register(subparsers)`` function. Failures
print one line ``annotator: error: …`` on stderr and exit with status 1 (2 for usage errors).

Start-up stays fast because only the module of the command being run is imported: a script
that calls ``annotator code`` once per segment, or ``annotator --version``, must not pay for
SQLAlchemy, alembic, numpy or the document parsers it does not use. :data:`COMMANDS` names
each command's module and one-line help, so ``annotator --help`` lists every command without
importing any of them (``tests/cli/test_startup_imports.py`` checks the table against the
modules). A module in :data:`COMMAND_MODULES` that the table does not know yet is imported
eagerly, so a newly added command group works before it is listed here.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from annotator import __version__
from annotator.cli.arguments import CommandLineParser, parse_command_line
from annotator.cli.terminal import safe
from annotator.core.errors import USER_ERRORS, user_message

COMMAND_MODULES = (
    "annotator.cli.project_commands",
    "annotator.cli.team_commands",
    "annotator.cli.qdpx_commands",
    "annotator.cli.report_commands",
    "annotator.cli.gui_commands",
    "annotator.cli.assign_commands",
    "annotator.cli.update_commands",
    "annotator.cli.version_commands",
)

_PROJECT = "annotator.cli.project_commands"
_TEAM = "annotator.cli.team_commands"
_QDPX = "annotator.cli.qdpx_commands"
_REPORT = "annotator.cli.report_commands"
_GUI = "annotator.cli.gui_commands"
_ASSIGN = "annotator.cli.assign_commands"
_UPDATE = "annotator.cli.update_commands"
_VERSIONS = "annotator.cli.version_commands"

# command name -> (module that registers it, its help line in ``annotator --help``), in the order
# the modules register them.
COMMANDS: dict[str, tuple[str, str]] = {
    "new": (_PROJECT, "create a project"),
    "import": (_PROJECT, "import works"),
    "code": (_PROJECT, "apply a code to a span, or many codings from a CSV"),
    "export": (_PROJECT, "export segments and the codebook as CSV"),
    "import-segments": (_PROJECT, "import a segments CSV"),
    "import-codebook": (_PROJECT, "import a codebook CSV"),
    "info": (_PROJECT, "describe a project"),
    "demo": (_PROJECT, "open a demo project"),
    "merge": (_TEAM, "merge coders' copies of a project into one"),
    "agreement": (_TEAM, "inter-coder agreement: percent, Cohen's kappa, Krippendorff's alpha-U"),
    "disagreements": (_TEAM, "write every coder's version of each disagreement to a CSV file"),
    "import-qdpx": (
        _QDPX,
        "import a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA or QualCoder",
    ),
    "export-qdpx": (_QDPX, "export a REFI-QDA project (.qdpx)"),
    "export-qdc": (_QDPX, "export the codebook as REFI-QDA (.qdc)"),
    "report": (
        _REPORT,
        "reports on the coding: frequencies, crosstabs, co-occurrence, positions, retrieval, memos",
    ),
    "gui": (_GUI, "open the desktop app"),
    "assign": (_ASSIGN, "say which coder was assigned which documents"),
    "update": (_UPDATE, "re-import changed works as new versions; annotations follow the text"),
    "reviews": (_UPDATE, "annotations moved by updates: counts, and those waiting for review"),
    "versions": (_VERSIONS, "list the versions of an updated work; export an old version's text"),
}


def _register(module_name: str, subparsers: argparse._SubParsersAction[Any]) -> None:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return  # a command group not built yet
    module.register(subparsers)


def _requested_command(argv: Sequence[str]) -> str | None:
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the module of the command it names is imported.

    Without ``argv`` every command module is imported (the full parser, for tests and docs).
    With an ``argv`` that names no known command (``--help``, a typo), every command is listed
    by name and help line only, which is all argparse shows or needs to refuse the word.
    """
    parser = CommandLineParser(
        prog="annotator",
        description="Code fan fiction: import works, apply codes to spans, compare coders, export CSV. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    known_modules = {module for module, _ in COMMANDS.values()}
    unlisted = [name for name in COMMAND_MODULES if name not in known_modules]
    if argv is None:
        for name in COMMAND_MODULES:
            _register(name, subparsers)
        return parser
    for name in unlisted:
        _register(name, subparsers)
    requested = _requested_command(argv)
    if requested in COMMANDS and requested not in subparsers.choices:
        _register(COMMANDS[requested][0], subparsers)
    if requested in subparsers.choices:
        return parser
    for name, (module, help_) in COMMANDS.items():
        if module in COMMAND_MODULES and name not in subparsers.choices:
            subparsers.add_parser(name, help=help_)
    return parser


def _database_error(exc: Exception) -> BaseException | None:
    """``exc`` worded as a user error if it is a database failure, else None.

    SQLAlchemy is imported only by the commands that open a project; if it is not loaded, the
    failure cannot be one of its errors.
    """
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.SQLAlchemyError):
        return None
    from annotator.store.errors import unexpected_database_error

    return unexpected_database_error(exc)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parse_command_line(parser, words)
    if args.command is None:
        # No command: the desktop app's start page (when the GUI is installed).
        try:
            args = build_parser(["gui"]).parse_args(["gui"])
        except SystemExit:
            parser.print_help()
            return 0
    if getattr(args, "handler", None) is None:  # a command group that is not installed
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        # The reader went away (e.g. `annotator info P | head`): not an error worth a message.
        # Point stdout at devnull so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except USER_ERRORS as exc:
        if isinstance(exc, OSError):
            from annotator.store.errors import os_error

            exc = os_error(exc) or exc
        print(f"annotator: error: {safe(user_message(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # A database failure outside a service's transaction (which words its own): one line too.
        worded = _database_error(exc)
        if worded is None:
            raise
        print(f"annotator: error: {safe(user_message(worded))}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
