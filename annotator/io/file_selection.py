"""Which files an import takes from what the user named: the one rule the app and the CLI share.

A file named directly is taken as it is (the importer reports it if it cannot be read, in order).
A folder is searched recursively for files of a supported type, sorted by path; hidden files and
anything under a hidden folder (a name starting with ".") are left out, as a file manager hides
them. A folder with nothing to import is reported, not silently skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FileSelection:
    files: list[Path] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (what was named, one line)


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def files_to_import(items: Iterable[str | os.PathLike[str]]) -> FileSelection:
    """The files to import from files and folders, in order, each once."""
    # Imported here: it loads every parser, which the app's start-up does not need.
    from annotator.io.importers import SUPPORTED_SUFFIXES

    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for item in items:
        path = Path(item).expanduser()
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in SUPPORTED_SUFFIXES and not _is_hidden(p, path) and p.is_file()
        )
        if not found:
            kinds = ", ".join(SUPPORTED_SUFFIXES)
            problems.append((str(item), f"{item}: no files of a supported type ({kinds})"))
        files += found
    return FileSelection(list(dict.fromkeys(files)), problems)
