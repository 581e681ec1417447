"""The demo project: the five seed works and the fandom codebook, in ``~/annotator-demo.annotator``.

Made once, then reopened as it is, so a researcher's trial coding survives between runs.
"""

from __future__ import annotations

from pathlib import Path

from annotator.paths import seeds_dir
from annotator.services.documents import import_files
from annotator.services.projects import create_project
from annotator.store.project import ProjectError, ProjectStore
from annotator.ui.opening import open_for_app

DEMO_FILE_NAME = "annotator-demo.annotator"


def default_demo_path() -> Path:
    return Path.home() / DEMO_FILE_NAME


def open_demo_project(path: Path | None = None) -> ProjectStore:
    """Open the demo project at ``path``, creating it from the seeds first if it is not there."""
    target = path or default_demo_path()
    if target.exists() and target.stat().st_size > 0:
        return open_for_app(target)
    store = create_project(target, codebook="fandom")
    try:
        report = import_files(store, sorted(seeds_dir().glob("*.txt")))
    except Exception:
        store.close()
        raise
    if not report.imported:
        store.close()
        reasons = "; ".join(message for _path, message in report.failed[:3])
        raise ProjectError(f"the demo works could not be imported: {reasons or 'no seed files found'}")
    store.close()
    return open_for_app(target)
