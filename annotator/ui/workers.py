"""Run slow work (imports, exports, opening a project, project search) off the GUI thread.

A :class:`Worker` calls a plain function in ``QThreadPool`` and reports back through Qt signals,
which Qt delivers on the GUI thread. The function receives the worker so it can report progress
and poll for cancellation. SQLAlchemy sessions are per call, so a worker can share the GUI's
``ProjectStore``.

Work that may wait on something outside the app for as long as that lasts (opening a project on
a server whose table another session locked) runs on a thread of its own instead
(:func:`run_detached`): Qt joins the pool's threads when the application object goes, so such a
wait in the pool would keep the app from quitting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from annotator.core.errors import USER_ERRORS, user_message

log = logging.getLogger(__name__)

# Workers whose signals may still fire; holding them keeps their QObjects alive until done.
_running: set[Worker] = set()


class WorkerSignals(QObject):
    progress = Signal(int, int, str)  # done, total, what is being worked on
    finished = Signal(object)  # the function's result
    failed = Signal(str)  # one line for the user


class Worker(QRunnable):
    """``fn(worker)`` on a pool thread; connect to ``signals`` before :func:`start`."""

    def __init__(self, fn: Callable[[Worker], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; _running releases it when done
        self.fn = fn
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, what: str) -> None:
        self.signals.progress.emit(done, total, what)

    def run(self) -> None:
        try:
            result = self.fn(self)
        except USER_ERRORS as exc:
            self._finish(failed=user_message(exc))
        except Exception as exc:  # the user gets a message either way; the log keeps the trace
            log.exception("background task failed")
            self._finish(failed=user_message(exc))
        else:
            self._finish(result=result)

    def _finish(self, *, result: Any = None, failed: str | None = None) -> None:
        if failed is None:
            self.signals.finished.emit(result)
        else:
            self.signals.failed.emit(failed)
        self.done.set()


def start(worker: Worker, pool: QThreadPool | None = None) -> Worker:
    _running.add(worker)
    worker.signals.finished.connect(lambda _result: _running.discard(worker))
    worker.signals.failed.connect(lambda _message: _running.discard(worker))
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker


def start_detached(worker: Worker) -> Worker:
    """Run ``worker`` on a daemon thread of its own, which quitting the app does not wait for."""
    _running.add(worker)
    worker.signals.finished.connect(lambda _result: _running.discard(worker))
    worker.signals.failed.connect(lambda _message: _running.discard(worker))
    threading.Thread(target=worker.run, name="annotator-detached-worker", daemon=True).start()
    return worker


def run_in_background(
    fn: Callable[[Worker], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None],
    on_progress: Callable[[int, int, str], None] | None = None,
    owner: QObject | None = None,
) -> Worker:
    """Run ``fn`` in the pool; with an ``owner``, its callbacks are dropped once the owner is gone.

    Qt forgets a connection to a QObject's bound method when the object goes, but not one to a
    lambda or a plain object's method: those name an ``owner`` (the window they update).
    """
    worker = Worker(fn)
    worker.signals.finished.connect(_while_alive(owner, on_done))
    worker.signals.failed.connect(_while_alive(owner, on_failed))
    if on_progress is not None:
        worker.signals.progress.connect(_while_alive(owner, on_progress))
    return start(worker)


def _while_alive(owner: QObject | None, callback: Callable[..., None]) -> Callable[..., None]:
    if owner is None:
        return callback

    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):  # the window closed while the work ran: nothing to update
            callback(*args)

    return call
