"""The review queue as a Qt list model: one row per changed or orphaned annotation, with its status.

It holds the service's ``ReviewItem`` values (plain, frozen) and the decision this window saw
for each, so ``data()`` never reads the database. A decision made here, or undone, reaches the
model through :meth:`ReviewQueueModel.apply_states` with the re-read states of one work's
reviews (four columns each): rows are updated in place (no reset), so the list keeps its
selection and scroll position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.services.anchor_reviews import CONTEXT, ReviewItem
from annotator.services.review_states import ReviewState
from annotator.ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
PENDING = "pending"
KIND_LABELS = {"changed": "changed", "orphaned": "orphaned", "exact": "exact"}
STATUS_MARKS = {PENDING: "•", "accepted": "✓", "reselected": "✎", "dropped": "✗"}
PREVIEW = 80  # characters of the old quote in the list


def _flat(text: str, limit: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ReviewQueueModel(QAbstractListModel):
    """Rows of ``ReviewItem``; ``label_of(item)`` names its code and coder for the list."""

    def __init__(self, label_of: Callable[[ReviewItem], str]) -> None:
        super().__init__()
        self._items: list[ReviewItem] = []
        self._row_of: dict[int, int] = {}  # review id → row
        self._label_of = label_of

    # --- filling --------------------------------------------------------------------------
    def set_items(self, items: Sequence[ReviewItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._row_of = {item.review_id: row for row, item in enumerate(self._items)}
        self.endResetModel()

    def apply_states(self, states: Iterable[ReviewState], text: str) -> list[int]:
        """Take the re-read ``states`` of listed reviews (``text``: their work's current text, where
        a placed span's quote and context are cut); return the rows that changed."""
        changed: list[int] = []
        for state in states:
            row = self._row_of.get(state.review_id)
            if row is None:
                continue
            item = self._items[row]
            start, end = state.new_start, state.new_end
            if start is None or end is None or state.status == "dropped":  # as review_items says it
                start = end = None
            if (item.status, item.new_start, item.new_end) == (state.status, start, end):
                continue
            quote: str | None = None
            context: tuple[str, str] | None = None
            if start is not None and end is not None:
                quote, context = (
                    text[start:end],
                    (text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]),
                )
            self._items[row] = replace(
                item, status=state.status, new_start=start, new_end=end, new_quote=quote, new_context=context
            )
            changed.append(row)
            index = self.index(row)
            self.dataChanged.emit(index, index)
        return changed

    # --- asking ---------------------------------------------------------------------------
    def items(self) -> list[ReviewItem]:
        return list(self._items)

    def item_at(self, row: int) -> ReviewItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, review_id: int) -> int:
        return self._row_of.get(review_id, -1)

    def reviewed(self) -> int:
        return sum(1 for item in self._items if item.status != PENDING)

    def next_pending(self, after: int) -> int:
        """The first pending row after ``after`` (wrapping round), or -1 when all are reviewed."""
        count = len(self._items)
        for step in range(1, count + 1):
            row = (after + step) % count
            if self._items[row].status == PENDING:
                return row
        return -1

    def document_ids(self) -> set[int]:
        return {item.document_id for item in self._items}

    # --- Qt -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            mark = STATUS_MARKS.get(item.status, "✓")
            kind = KIND_LABELS.get(item.kind, item.kind)
            return f"{mark} {kind} · {self._label_of(item)} — “{_flat(item.old_quote)}”"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(item.old_quote[:1000])
        return None
