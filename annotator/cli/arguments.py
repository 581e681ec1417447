"""Command-line values the way a researcher types them: text may start with ``-``, and must be text.

A usage error (a missing or unknown option) prints one line naming the command and exits 2,
like every other failure prints one line (exit 1); ``annotator COMMAND --help`` has the rest.

argparse takes ``--memo -2+3`` for two options and refuses it; :func:`join_option_values`
rewrites it as ``--memo=-2+3`` first, for every option of the command that takes a value,
unless the next word is itself one of that command's options (``--coder --memo x`` still
says ``--coder`` lacks its value). Values of free-text options (memos, names, code paths)
end up in the database and in CSV files, so :func:`require_text` refuses bytes that were
not UTF-8 (Python holds them as lone surrogates) with one line instead of a traceback later.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import NoReturn

from annotator.cli.terminal import safe
from annotator.core.validation import InvalidInputError

_SURROGATE = re.compile("[\ud800-\udfff]")
_SHOWN_CHARS = 60


class CommandLineParser(argparse.ArgumentParser):
    """argparse with one-line usage errors; the commands' parsers inherit it."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{safe(self.prog)}: error: {safe(message)} (see: {safe(self.prog)} --help)\n")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def join_option_values(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """``argv`` with ``--option VALUE`` written ``--option=VALUE`` where VALUE starts with ``-``."""
    words = list(argv)
    command_at = next((i for i, word in enumerate(words) if not word.startswith("-")), None)
    if command_at is None:
        return words
    command = _subparsers(parser).get(words[command_at])
    if command is None:
        return words
    options = {flag for action in command._actions for flag in action.option_strings}
    takes_value = {
        flag
        for action in command._actions
        if action.option_strings and action.nargs is None
        for flag in action.option_strings
    }
    joined = words[: command_at + 1]
    rest = iter(words[command_at + 1 :])
    for word in rest:
        if word == "--":
            joined += [word, *rest]
            break
        if word in takes_value:
            value = next(rest, None)
            if value is None:
                joined.append(word)
            elif value.startswith("-") and value not in options and value != "--":
                joined.append(f"{word}={value}")
            else:
                joined += [word, value]
        else:
            joined.append(word)
    return joined


def parse_command_line(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """``parser.parse_args`` after :func:`join_option_values`; stray words are the command's error."""
    args, extras = parser.parse_known_args(join_option_values(parser, argv))
    if extras:
        command = _subparsers(parser).get(getattr(args, "command", None) or "", parser)
        command.error(f"unrecognized arguments: {' '.join(extras)}")
    return args


def require_text(args: argparse.Namespace, *names: str) -> None:
    """Refuse, in one line, a free-text option whose value holds bytes that were not UTF-8."""
    for name in names:
        value = getattr(args, name, None)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _SURROGATE.search(item):
                option = "--" + name.replace("_", "-")
                shown = safe(item[:_SHOWN_CHARS]) + ("…" if len(item) > _SHOWN_CHARS else "")
                raise InvalidInputError(f"{option} {shown} is not UTF-8 text; give it in UTF-8")
