"""Counting, off the GUI thread, the words of works whose metadata states no word count.

The works table and the documents panel both show a Words column; AO3 states the figure, other
files do not. One count runs at a time per view; when it ends the view takes the figures and is
asked again, so works imported meanwhile are counted next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject

from annotator.services.document_stats import word_counts
from annotator.store.project import ProjectStore
from annotator.ui.workers import Worker, run_in_background


class WordCounter:
    """Counts for ``owner``; figures that arrive after the owner's window closed are dropped."""

    def __init__(self, owner: QObject, counted: Callable[[dict[int, int]], None]) -> None:
        self._owner = owner
        self._counted = counted
        self._worker: Worker | None = None

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def count(self, store: ProjectStore, missing: Sequence[int]) -> None:
        """Count ``missing`` works unless nothing is missing or a count is still running."""
        if not missing or self._worker is not None:
            return
        ids = list(missing)
        self._worker = run_in_background(
            lambda _worker: word_counts(store, ids), self._done, self._failed, owner=self._owner
        )

    def _done(self, counts: dict[int, int]) -> None:
        self._worker = None
        self._counted(counts)

    def _failed(self, _message: str) -> None:
        self._worker = None  # the project closed meanwhile, or the server went: no figures
