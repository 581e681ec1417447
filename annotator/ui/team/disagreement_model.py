"""``DisagreementModel``: the disagreements listed in the comparison window, as a Qt list model.

It holds plain ``DisagreementItem``s (no database), ordered by start, code and end. A decision
or its undo replaces one region (``RegionItems``): rows whose key stays are changed in place
(``dataChanged``), others are removed and inserted one by one, so the view keeps its current row
and scroll position and never resets for one decision.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.codebook import display_path
from annotator.services.adjudication import DisagreementItem
from annotator.services.adjudication_regions import RegionItems
from annotator.services.changes import Change

KEY_ROLE = Qt.ItemDataRole.UserRole
ModelIndex = QModelIndex | QPersistentModelIndex


def _order(item: DisagreementItem) -> tuple[int, str, int]:
    return (item.start, item.code_path, item.end)


def only_decisions(change: Change, consensus_ids: set[int]) -> bool:
    """Whether ``change`` is decisions (or their undo) alone, which the list applies region by region."""
    if not change.adjudicated_regions or change.everything or change.is_external:
        return False
    if change.annotations_changed_in or change.documents_added or change.documents_removed:
        return False
    if change.codebook_changed or change.annotations_updated:
        return False
    return all(a.coder_id in consensus_ids for a in change.annotations_added)


def row_text(item: DisagreementItem) -> str:
    who = ", ".join(c for c, versions in item.versions.items() if versions)
    mark = "✓ " if item.resolved else "• "
    return f"{mark}{display_path(item.code_path)}  [{item.start}, {item.end})  coded by {who}"


class DisagreementModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[DisagreementItem] = []
        self._keys: list[tuple[int, str, int]] = []  # _order of each row, for bisecting
        self.code_filter: int | None = None

    def set_items(self, items: Sequence[DisagreementItem], code_filter: int | None) -> None:
        """Show another document or code: the one place the model resets."""
        self.beginResetModel()
        self.items = sorted(items, key=_order)
        self._keys = [_order(i) for i in self.items]
        self.code_filter = code_filter
        self.endResetModel()

    @property
    def resolved(self) -> int:
        return sum(1 for i in self.items if i.resolved)

    def row_of(self, key: tuple[int, str, int, int] | None) -> int:
        if key is None:
            return -1
        _, path, start, end = key
        row = bisect_left(self._keys, (start, path, end))
        return row if row < len(self.items) and self.items[row].key == key else -1

    def replace_region(self, region: RegionItems) -> None:
        """Swap the rows of ``region`` (one document and code) for ``region.items``."""
        if self.code_filter not in (None, region.code_id):
            return
        lo = bisect_left(self._keys, (region.start,))
        hi = bisect_left(self._keys, (region.end,))
        old = [r for r in range(lo, hi) if self.items[r].code_id == region.code_id]
        new = {i.key: i for i in region.items}
        for row in reversed(old):
            item = new.pop(self.items[row].key, None)
            if item is not None:  # the same disagreement, another state: change the row in place
                self.items[row] = item
                index = self.index(row)
                self.dataChanged.emit(index, index)
            else:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.items[row], self._keys[row]
                self.endRemoveRows()
        for item in sorted(new.values(), key=_order):
            row = bisect_left(self._keys, _order(item))
            self.beginInsertRows(QModelIndex(), row, row)
            self.items.insert(row, item)
            self._keys.insert(row, _order(item))
            self.endInsertRows()

    def next_open_row(self, after: int, step: int = 1) -> int:
        """The next unresolved row after ``after`` (wrapping round), or -1 when all are resolved."""
        count = len(self.items)
        for n in range(1, count + 1):
            row = (after + step * n) % count
            if not self.items[row].resolved:
                return row
        return -1

    # --- QAbstractListModel ---------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row_text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "resolved" if item.resolved else "open"
        if role == KEY_ROLE:
            return item.key
        return None
