"""The codebook as a Qt tree model over ``CodeInfo`` values (colour swatch, name, count, key).

The model never writes: an inline rename or a drop calls back into the panel, which runs the
undoable command; the session then hands the model a fresh list of codes. When only names,
colours or counts changed the model updates in place, so the view keeps its expansion and
selection; a structural change (add, move, delete) resets it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap

from annotator.core.types import CodeInfo
from annotator.ui.plain import plain_tooltip

MIME_TYPE = "application/x-annotator-code-id"
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COL_NAME, COL_COUNT, COL_KEY = 0, 1, 2
HEADERS = ("Code", "Uses", "Key")
SHORTCUT_COUNT = 9  # keys 1–9 apply the first nine codes in tree order

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
RenameCallback = Callable[[int, str], object]
MoveCallback = Callable[[int, "int | None", int], object]


def shortcut_codes(codes: Sequence[CodeInfo]) -> list[CodeInfo]:
    """The codes number keys 1–9 apply: the first nine in tree order."""
    return list(codes[:SHORTCUT_COUNT])


def swatch(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class CodebookModel(QAbstractItemModel):
    """Tree of codes; ``internalId`` of an index is the code id."""

    def __init__(
        self,
        on_rename: RenameCallback | None = None,
        on_move: MoveCallback | None = None,
    ) -> None:
        super().__init__()
        self._on_rename = on_rename
        self._on_move = on_move
        self._codes: dict[int, CodeInfo] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._row: dict[int, int] = {}
        self._keys: dict[int, int] = {}
        self._icons: dict[str, QIcon] = {}
        self._uses: Callable[[CodeInfo], int] = lambda code: code.count
        self._uses_tip = "Annotations using each code."
        self._uses_shown: dict[int, int] = {}  # code id → what the Uses column last said
        # Code id → number key; by default the first nine codes get 1–9 (see key_assignments).
        self._key_source: Callable[[Sequence[CodeInfo]], dict[int, int]] = lambda codes: {
            c.id: n for n, c in enumerate(shortcut_codes(codes), start=1)
        }

    # --- content --------------------------------------------------------------------------
    @staticmethod
    def _tree_of(codes: Sequence[CodeInfo]) -> dict[int | None, list[int]]:
        children: dict[int | None, list[int]] = {None: []}
        for code in codes:  # tree order: a parent always comes before its children
            children.setdefault(code.parent_id, []).append(code.id)
            children.setdefault(code.id, [])
        return children

    def same_tree(self, codes: Sequence[CodeInfo]) -> bool:
        """Whether ``codes`` are the codes shown, in the same places (then rows update in place)."""
        return self._tree_of(codes) == self._children and set(self._codes) == {c.id for c in codes}

    def set_codes(self, codes: Sequence[CodeInfo]) -> None:
        children = self._tree_of(codes)
        keys = self._key_source(codes)
        if children == self._children and set(self._codes) == {c.id for c in codes}:
            # In place: repaint only the codes that differ (after a coding action, one count).
            old, old_keys = self._codes, self._keys
            self._codes = {c.id: c for c in codes}
            self._keys = keys
            self._uses_shown = {c.id: self._uses(c) for c in codes}
            self._codes_changed(
                [
                    c.id
                    for c in codes
                    if (old[c.id] is not c and old[c.id] != c) or old_keys.get(c.id) != keys.get(c.id)
                ]
            )
            return
        self.beginResetModel()
        self._codes = {c.id: c for c in codes}
        self._children = children
        self._row = {cid: row for ids in children.values() for row, cid in enumerate(ids)}
        self._keys = keys
        self._uses_shown = {c.id: self._uses(c) for c in codes}
        self.endResetModel()

    def set_key_source(self, keys_of: Callable[[Sequence[CodeInfo]], dict[int, int]]) -> None:
        """Where the Key column's numbers come from (the researcher's assignments)."""
        self._key_source = keys_of
        self._keys = keys_of(list(self._codes.values()))
        self._emit_all_changed(None)

    def set_uses(self, uses_of: Callable[[CodeInfo], int], tip: str) -> None:
        """How the Uses column counts (whose annotations), and its header tooltip saying so."""
        self._uses = uses_of
        shown = {cid: uses_of(code) for cid, code in self._codes.items()}
        changed = [cid for cid, uses in shown.items() if self._uses_shown.get(cid) != uses]
        self._uses_shown = shown
        for cid in changed:
            index = self.index_of(cid, COL_COUNT)
            self.dataChanged.emit(index, index)
        if tip != self._uses_tip:
            self._uses_tip = tip
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_COUNT, COL_COUNT)

    def _codes_changed(self, code_ids: Sequence[int]) -> None:
        for cid in code_ids:
            self.dataChanged.emit(self.index_of(cid, 0), self.index_of(cid, len(HEADERS) - 1))

    def _emit_all_changed(self, parent_id: int | None) -> None:
        ids = self._children.get(parent_id, [])
        if not ids:
            return
        parent = QModelIndex() if parent_id is None else self.index_of(parent_id)
        self.dataChanged.emit(self.index(0, 0, parent), self.index(len(ids) - 1, len(HEADERS) - 1, parent))
        for cid in ids:
            self._emit_all_changed(cid)

    def code_at(self, index: Index) -> CodeInfo | None:
        if not index.isValid():
            return None
        return self._codes.get(int(index.internalId()))

    def index_of(self, code_id: int, column: int = 0) -> QModelIndex:
        if code_id not in self._codes:
            return QModelIndex()
        return self.createIndex(self._row[code_id], column, code_id)

    def codes(self) -> list[CodeInfo]:
        return list(self._codes.values())

    # --- QAbstractItemModel ---------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        parent_id = int(parent.internalId()) if parent.isValid() else None
        ids = self._children.get(parent_id, [])
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if not (0 <= row < len(ids) and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, ids[row])

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        code = self.code_at(index)
        if code is None or code.parent_id is None:
            return QModelIndex()
        return self.index_of(code.parent_id)

    def rowCount(self, parent: Index = ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(int(parent.internalId()) if parent.isValid() else None, []))

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(HEADERS)

    def hasChildren(self, parent: Index = ROOT) -> bool:
        return self.rowCount(parent) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_COUNT:
            return self._uses_tip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        code = self.code_at(index)
        if code is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_NAME:
                return code.name
            if column == COL_COUNT and role == Qt.ItemDataRole.DisplayRole:
                uses = self._uses(code)
                return f"{uses:,}" if uses else ""
            if column == COL_KEY and role == Qt.ItemDataRole.DisplayRole:
                return str(self._keys[code.id]) if code.id in self._keys else ""
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == COL_NAME:
            icon = self._icons.get(code.colour)
            if icon is None:
                icon = self._icons[code.colour] = swatch(code.colour)
            return icon
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = code.path if not code.definition else f"{code.path}\n\n{code.definition}"
            return plain_tooltip(tip[:600])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_COUNT, COL_KEY):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in (COL_COUNT, COL_KEY):
            return QColor("#8a8a8e")
        if role == Qt.ItemDataRole.FontRole and column == COL_NAME and self._children.get(code.id):
            font = QFont()
            font.setBold(True)
            return font
        if role == CODE_ID_ROLE:
            return code.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if index.column() == COL_NAME:
            flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        code = self.code_at(index)
        if code is None or role != Qt.ItemDataRole.EditRole or index.column() != COL_NAME:
            return False
        name = str(value)
        if name == code.name or not name.strip() or self._on_rename is None:
            return False
        self._on_rename(code.id, name)
        return True

    # --- drag and drop --------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = list(dict.fromkeys(int(i.internalId()) for i in indexes if i.isValid()))
        data.setData(MIME_TYPE, QByteArray(",".join(map(str, ids)).encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(MIME_TYPE) and action == Qt.DropAction.MoveAction

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask the panel to move the dragged code under ``parent`` at ``row`` (end if -1)."""
        if not self.canDropMimeData(data, action, row, column, parent) or self._on_move is None:
            return False
        raw = bytes(data.data(MIME_TYPE).data()).decode()
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        if len(ids) != 1 or ids[0] not in self._codes:
            return False
        code_id = ids[0]
        parent_id = int(parent.internalId()) if parent.isValid() else None
        siblings = self._children.get(parent_id, [])
        position = len(siblings) if row < 0 else row
        if code_id in siblings and siblings.index(code_id) < position:
            position -= 1  # the service counts positions among the other siblings
        on_move = self._on_move
        # Run after the view finishes its drop handling: the move resets this model.
        QTimer.singleShot(0, lambda: on_move(code_id, parent_id, position))
        # False: the view must not remove the source rows itself; the reset shows the move.
        return False
