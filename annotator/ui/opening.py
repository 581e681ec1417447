"""How the desktop app opens a project: exclusively, in the background, with everything it shows.

The app holds an SQLite project under an exclusive :class:`~annotator.store.lock.ProjectLock`
for as long as it is open. Code anywhere in the app's process may open and close the project
file by another descriptor (a file dialog sniffing file types, the researcher picking the
project file in Import…), which silently drops SQLite's own per-process locks; the sidecar lock
is not dropped that way, so a CLI command or a second app refuses to touch the project instead
of deleting its live write-ahead log. See README "Several processes on one project".

Opening runs in a worker together with the first reads the window needs
(:func:`~annotator.services.overview.read_overview`): on a slow server or behind another
session's lock it is the worker that waits, and the window stays responsive and can cancel or
quit. A cancelled open that finishes later closes what it opened and shows nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.services.overview import ProjectOverview, read_overview
from annotator.services.projects import create_project
from annotator.store.lock import EXCLUSIVE
from annotator.store.project import ProjectStore, open_project, redact_location
from annotator.ui.panels.segments_panel import LIMIT as SEGMENTS_SHOWN
from annotator.ui.workers import Worker, start_detached

__all__ = [
    "OpenedProject",
    "create_for_app",
    "open_for_app",
    "open_in_background",
    "open_with_overview",
    "redact_location",
]

APP_PURPOSE = "the annotator app"
# A CLI command that is just finishing gets this long before the app gives up opening.
OPEN_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class OpenedProject:
    """An open project and what its window shows first, read with it off the GUI thread."""

    store: ProjectStore
    overview: ProjectOverview


def open_for_app(location: str | os.PathLike[str]) -> ProjectStore:
    """Open a project file or server URL the way the app holds it (exclusively, for SQLite)."""
    return open_project(location, access=EXCLUSIVE, purpose=APP_PURPOSE, wait=OPEN_WAIT_SECONDS)


def create_for_app(path: Path, codebook: str = "fandom") -> ProjectStore:
    """Create a project, then hold it as the app does."""
    create_project(path, codebook=codebook).close()
    return open_for_app(path)


def open_with_overview(
    open_store: Callable[[], ProjectStore], coder_name: str | None, worker: Worker | None = None
) -> OpenedProject | None:
    """Open with ``open_store`` and read the window's first view, coding as ``coder_name``.

    Returns None (having closed the store) when ``worker`` was cancelled meanwhile; a failure
    closes the store too.
    """
    store = open_store()
    try:
        if worker is not None and worker.cancelled():
            store.close()
            return None
        overview = read_overview(store, coder_name, segments_limit=SEGMENTS_SHOWN, first_document=True)
    except BaseException:
        store.close()
        raise
    return OpenedProject(store, overview)


def open_in_background(
    open_store: Callable[[Worker], ProjectStore],
    coder_name: str | None,
    on_opened: Callable[[OpenedProject], None],
    on_failed: Callable[[str], None],
) -> Worker:
    """Open and read in a worker; ``on_opened`` or ``on_failed`` follow on the GUI thread.

    After ``worker.cancel()`` neither is called: what the open still brings is closed unseen.
    """

    def work(worker: Worker) -> OpenedProject | None:
        return open_with_overview(lambda: open_store(worker), coder_name, worker)

    def opened(result: OpenedProject | None) -> None:
        if result is None:
            return
        if worker.cancelled():  # asked on the GUI thread, as cancel() is: no race
            result.store.close()
            return
        on_opened(result)

    def failed(message: str) -> None:
        if not worker.cancelled():
            on_failed(message)

    worker = Worker(work)
    worker.signals.finished.connect(opened)
    worker.signals.failed.connect(failed)
    return start_detached(worker)
