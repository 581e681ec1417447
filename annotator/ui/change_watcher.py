"""Hears other processes' changes to a shared (PostgreSQL) project and hands them to the session.

A background thread waits on a dedicated LISTEN connection (``store.notify.ChangeListener``) and
emits each announcement as a Qt signal, which Qt delivers on the GUI thread; the session then
publishes it through the same door as the app's own actions (``Change.external``).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from annotator.store.notify import ChangeListener
from annotator.store.project import ProjectStore

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25  # how long one wait lasts; also how soon close() is noticed


class ChangeWatcher(QObject):
    heard = Signal(str)  # a payload another process announced

    def __init__(self, store: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="annotator-change-watcher", daemon=True)

    def start(self) -> None:
        """Start listening in the background (a slow server never blocks the window)."""
        self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        """Whether the listener is connected (or gave up) within ``timeout`` seconds; from then
        on nothing announced is missed."""
        return self._ready.wait(timeout)

    def _run(self) -> None:
        try:
            listener = ChangeListener(self._store)
        except Exception:  # the project stays usable; only live refresh is lost
            log.warning("cannot listen for other users' changes", exc_info=True)
            self._ready.set()
            return
        self._ready.set()
        try:
            while not self._stop.is_set():
                for payload in listener.heard(POLL_SECONDS):
                    if not self._stop.is_set():
                        self.heard.emit(payload)
        except Exception:  # the server went away or the database was dropped
            if not self._stop.is_set():
                log.warning("stopped listening for other users' changes", exc_info=True)
        finally:
            listener.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
