"""Progressive loading: a long text enters the viewer's document a chunk of display blocks at a time.

Putting 5 MB into a ``QTextDocument`` (and finding its display breaks, and styling its zones)
takes a few hundred milliseconds; the first screen needs only the start. ``TextFeed`` shows the
first chunk at once and appends the rest on request; ``ProgressiveLoader`` drives it from a
zero-timer, a chunk of about ``CHUNK_BUDGET`` seconds per event, so the window stays responsive.
Chunks end on display-block boundaries, so no block is ever split; the chunk's inserted line
ends go into the viewer's ``DisplayMap`` as it arrives, and whatever needs a position beyond
the loaded part loads up to it first (``ensure``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QSignalBlocker, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.display import (
    DisplayMap,
    display_breaks_between,
    display_text,
    inserted,
    zone_break_positions,
)
from annotator.core.gc_pause import gc_paused
from annotator.core.types import ZoneSpec
from annotator.ui.viewer.zones import apply_zone_styles, heading_ends_of

FIRST_CHUNK = 200_000  # code points shown by set_document itself: many screens
CHUNK_BUDGET = 0.006  # seconds of work per background chunk (a key press waits at most that)
# The cost per character varies twice over with the zones a chunk styles: a chunk sized on the
# last one's cost can take twice the budget, so chunks stay below ~5 ms of plain text.
MIN_CHUNK, MAX_CHUNK, FIRST_STEP = 10_000, 120_000, 40_000
LOOKAHEAD = 20_000  # code points loaded beyond a position something needs (a few screens)
_WHOLE_TEXT_KEYS = (
    QKeySequence.StandardKey.MoveToEndOfDocument,
    QKeySequence.StandardKey.SelectEndOfDocument,
    QKeySequence.StandardKey.SelectAll,
)


def needs_whole_text(event: QKeyEvent) -> bool:
    """True for keys that go to the document's end (Ctrl+End, select all)."""
    return any(event.matches(key) for key in _WHOLE_TEXT_KEYS)


class TextFeed:
    """Feeds one stored text's display blocks into ``editor``'s document, in order."""

    def __init__(
        self,
        editor: QPlainTextEdit,
        text: str,
        zones: Sequence[ZoneSpec],
        offsets: DisplayMap,
        em: float,
    ) -> None:
        self._editor = editor
        self._text = text
        self._zones = sorted(zones, key=lambda z: (z.start, -z.end))  # outer zones first
        self._zone_breaks = zone_break_positions(text, self._zones) if zones else []
        self._heading_ends = heading_ends_of(self._zones)
        self._entered = 0  # zones [0, _entered) start before the loaded part's end
        self._open: list[ZoneSpec] = []  # entered zones that may reach past the loaded part
        self._offsets = offsets
        self._em = em
        self.labels: dict[int, str] = {}  # zone labels by block number, filled as chunks come
        self._next = 0  # code point where the next display block starts
        self._shown = 0  # code points [0, _shown) are in the document
        self._append(FIRST_CHUNK, first=True)

    @property
    def text(self) -> str:
        return self._text

    @property
    def loaded_to(self) -> int:
        """Code points ``[0, loaded_to)`` of the text are in the document."""
        return self._shown

    def is_done(self) -> bool:
        return self._next >= len(self._text)

    def load(self, size: int) -> None:
        """Append the display blocks that start in the next ``size`` code points."""
        if not self.is_done():
            self._append(size, first=False)

    def _append(self, size: int, first: bool) -> None:
        text = self._text
        lo = self._next
        breaks, self._next = display_breaks_between(
            text, self._zones, lo, lo + max(size, 1), zone_breaks=self._zone_breaks
        )
        self._offsets.add_inserts(inserted(text, breaks))
        # The line end before the next block arrives with the next chunk (as a new block): a
        # stored one ("\n", or a space shown as one) is left for it; an inserted one is not text.
        end = self._next
        if not self.is_done() and text[end - 1] in " \n":
            end -= 1
        shown = display_text(text[lo:end], [b - lo for b in breaks if b < end])
        if first:
            # setPlainText inserts with the caret's character format: a click in an italic
            # zone of the previous work would make this one italic. Start from a plain one.
            self._editor.setCurrentCharFormat(QTextCharFormat())
            self._editor.setPlainText(shown)
        else:
            self._insert_at_end(shown)
        self._shown = end
        if self._zones:
            document = self._editor.document()
            zones = self._zones_reaching(lo, end)
            labels = apply_zone_styles(
                document, zones, self._offsets, self._em, lo, end, heading_ends=self._heading_ends
            )
            self.labels.update(labels)

    def _zones_reaching(self, lo: int, hi: int) -> list[ZoneSpec]:
        """The zones that reach into ``[lo, hi)``, outer first; each chunk looks at only these."""
        zones, entered = self._zones, self._entered
        while entered < len(zones) and zones[entered].start < hi:
            self._open.append(zones[entered])
            entered += 1
        self._entered = entered
        reaching = [z for z in self._open if z.end > lo]
        self._open = [z for z in reaching if z.end > hi]
        return reaching

    def _insert_at_end(self, shown: str) -> None:
        editor = self._editor
        document = editor.document()
        # The scroll bar counts lines (a block not yet laid out as one): near enough to tell.
        bar = editor.verticalScrollBar()
        repaint = bar.value() + 2 * bar.pageStep() >= bar.maximum()
        kept = editor.textCursor()
        anchor, position = kept.anchor(), kept.position()
        layout = document.documentLayout()
        # The plain layout would ask for a full repaint per chunk; only the scroll range changes
        # unless the end of the text is on screen.
        with QSignalBlocker(layout):
            cursor = QTextCursor(document)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            plain = QTextCharFormat()
            cursor.insertBlock(QTextBlockFormat(), plain)  # not the previous block's zone style
            cursor.insertText(shown, plain)
        layout.documentSizeChanged.emit(layout.documentSize())
        moved = editor.textCursor()
        if (moved.anchor(), moved.position()) != (anchor, position):  # a caret at the old end
            moved.setPosition(anchor)
            moved.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            editor.setTextCursor(moved)
        if repaint:
            editor.viewport().update()


class ProgressiveLoader(QObject):
    """Runs a ``TextFeed`` to the end from a zero-timer; ``finished`` when all is loaded."""

    finished = Signal()

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self._editor = editor
        self._feed: TextFeed | None = None
        self._loading = False
        self._chunk = FIRST_STEP
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        editor.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    def _on_scrolled(self, value: int) -> None:
        """Keep ahead of scrolling; reaching the end of the scroll bar means the real end."""
        if self.is_done() or self._loading:  # a chunk going in can move the bar: no re-entry
            return
        bar = self._editor.verticalScrollBar()
        if value >= bar.maximum() > 0:
            self.load_all()
            bar.setValue(bar.maximum())
        elif value >= bar.maximum() - 3 * bar.pageStep():
            self.ensure(self.loaded_to())

    def start(
        self,
        text: str,
        zones: Sequence[ZoneSpec],
        offsets: DisplayMap,
        em: float,
    ) -> dict[int, str]:
        """Show the start of ``text`` now and the rest soon; return the (growing) zone labels."""
        self._timer.stop()
        self._feed = None  # the scroll bar moves while the new text goes in: no old chunks
        self._feed = TextFeed(self._editor, text, zones, offsets, em)
        self._after_load()
        return self._feed.labels

    def is_done(self) -> bool:
        return self._feed is None or self._feed.is_done()

    def loaded_to(self) -> int:
        return 0 if self._feed is None else self._feed.loaded_to

    def ensure(self, position: int) -> None:
        """Load synchronously until code point ``position`` (and a few screens after) is shown."""
        feed = self._feed
        if feed is None or feed.is_done() or position + LOOKAHEAD <= feed.loaded_to:
            return
        self._load(feed, position + LOOKAHEAD - feed.loaded_to)

    def load_all(self) -> None:
        if self._feed is not None and not self._feed.is_done():
            self._load(self._feed, len(self._feed.text))

    def _step(self) -> None:
        feed = self._feed
        if feed is None or feed.is_done():
            return
        began = time.perf_counter()
        with gc_paused():  # a chunk's blocks and labels: no collector pass inside the budget
            self._load(feed, self._chunk)
        elapsed = max(time.perf_counter() - began, 1e-4)
        # Aim the next chunk at the budget: the cost per character varies with zones and load.
        self._chunk = int(min(MAX_CHUNK, max(MIN_CHUNK, self._chunk * CHUNK_BUDGET / elapsed)))

    def _load(self, feed: TextFeed, size: int) -> None:
        self._loading = True
        try:
            feed.load(size)
        finally:
            self._loading = False
        self._after_load()

    def _after_load(self) -> None:
        if self.is_done():
            self._timer.stop()
            self.finished.emit()
        elif not self._timer.isActive():
            self._timer.start()


class IdleSteps(QObject):
    """Runs a list of small jobs one per event-loop pass; ``run`` replaces what is left."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._steps: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def run(self, steps: list[Callable[[], None]]) -> None:
        self._steps = list(steps)
        if self._steps:
            self._timer.start()
        else:
            self._timer.stop()

    def _step(self) -> None:
        if self._steps:
            self._steps.pop(0)()
        if self._steps:
            self._timer.start()
