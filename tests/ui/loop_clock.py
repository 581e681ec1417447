"""How long the GUI thread was away: a timer that should tick every 10 ms, and the longest gap.

While the event loop runs, a 10 ms ``QTimer`` fires every 10 ms or so; any stretch in which the GUI
thread was busy (a query waiting on a slow server, a lock) shows up as a gap between two ticks. A
window that freezes for half a second has a gap of half a second. Used by the tests and the
benchmark that open projects on slow or busy servers.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

TICK_MS = 10


class LoopClock(QObject):
    """Ticks while started; :attr:`max_gap` is the longest time between two ticks, in seconds.

    With ``counting``, a gap counts only if ``counting()`` still holds when it ends: e.g. "the
    open is still pending", which leaves out the gap in which the finished open builds the window.
    """

    def __init__(self, counting: Callable[[], bool] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._counting = counting
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.max_gap = 0.0
        self.ticks = 0

    def start(self) -> None:
        self._last = time.perf_counter()
        self.max_gap = 0.0
        self.ticks = 0
        self._timer.start()

    def stop(self) -> float:
        """Stop, counting the time since the last tick, and return the longest gap."""
        self._tick()
        self._timer.stop()
        return self.max_gap

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._counting is None or self._counting():
            self.max_gap = max(self.max_gap, now - self._last)
        self._last = now
        self.ticks += 1
