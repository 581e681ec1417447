"""Agreement in a worker thread, with the bootstrap's progress and a Cancel that stops it.

The bootstrap reports every block of resamples (``core.bootstrap``); the report checks the
worker's cancel flag and, once set, raises :class:`Cancelled`, which ends the work with no
result (``None``) after the current block instead of an error for the user.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.services.agreement import AgreementResult, BootstrapOptions, TeamFilter, measure_agreement
from annotator.store.project import ProjectStore
from annotator.ui.workers import Worker, run_in_background


class Cancelled(Exception):
    """Raised inside the worker when the person pressed Cancel (never reaches the user)."""


def start_agreement(
    store: ProjectStore,
    flt: TeamFilter,
    options: BootstrapOptions | None,
    on_done: Callable[[AgreementResult | None], None],
    on_failed: Callable[[str], None],
    on_progress: Callable[[int, int, str], None],
) -> Worker:
    """Start ``measure_agreement``; ``on_done`` gets None when it was cancelled."""

    def work(worker: Worker) -> AgreementResult | None:
        def progress(done: int, total: int) -> None:
            if worker.cancelled():
                raise Cancelled
            worker.report(done, total, "resamples")

        try:
            return measure_agreement(store, flt, options, progress)
        except Cancelled:
            return None

    return run_in_background(work, on_done, on_failed, on_progress)
