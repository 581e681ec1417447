"""How the desktop app opens a project: exclusively, so no other process can pull its files away.

The app holds an SQLite project under an exclusive :class:`~annotator.store.lock.ProjectLock`
for as long as it is open. Code anywhere in the app's process may open and close the project
file by another descriptor (a file dialog sniffing file types, the researcher picking the
project file in Import…), which silently drops SQLite's own per-process locks; the sidecar lock
is not dropped that way, so a CLI command or a second app refuses to touch the project instead
of deleting its live write-ahead log. See README "Several processes on one project".
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.services.projects import create_project
from annotator.store.lock import EXCLUSIVE
from annotator.store.project import ProjectStore, open_project, redact_location

__all__ = ["create_for_app", "open_for_app", "redact_location"]

APP_PURPOSE = "the annotator app"
# A CLI command that is just finishing gets this long before the app gives up opening.
OPEN_WAIT_SECONDS = 5.0


def open_for_app(location: str | os.PathLike[str]) -> ProjectStore:
    """Open a project file or server URL the way the app holds it (exclusively, for SQLite)."""
    return open_project(location, access=EXCLUSIVE, purpose=APP_PURPOSE, wait=OPEN_WAIT_SECONDS)


def create_for_app(path: Path, codebook: str = "fandom") -> ProjectStore:
    """Create a project, then hold it as the app does."""
    create_project(path, codebook=codebook).close()
    return open_for_app(path)
