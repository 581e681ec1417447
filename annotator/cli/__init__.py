"""The ``annotator`` command: headless, scriptable commands over the services.

Each command group lives in its own module with a ``register(subparsers)`` function. Failures
print one line ``annotator: error: …`` on stderr and exit with status 1 (2 for usage errors).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from annotator import __version__
from annotator.cli.arguments import CommandLineParser, parse_command_line
from annotator.cli.terminal import safe
from annotator.core.errors import USER_ERRORS, user_message
from annotator.store.errors import os_error, unexpected_database_error

COMMAND_MODULES = (
    "annotator.cli.project_commands",
    "annotator.cli.team_commands",
    "annotator.cli.gui_commands",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = CommandLineParser(
        prog="annotator",
        description="Code fan fiction: import works, apply codes to spans, compare coders, export CSV. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a command group not built yet
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parse_command_line(parser, sys.argv[1:] if argv is None else argv)
    if args.command is None:
        # No command: the desktop app's start page (when the GUI is installed).
        try:
            args = parser.parse_args(["gui"])
        except SystemExit:
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
        shown = (os_error(exc) or exc) if isinstance(exc, OSError) else exc
        print(f"annotator: error: {safe(user_message(shown))}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        # A database failure outside a service's transaction (which words its own): one line too.
        print(f"annotator: error: {safe(user_message(unexpected_database_error(exc)))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
