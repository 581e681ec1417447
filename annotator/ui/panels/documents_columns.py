"""Which columns the Documents panel shows, remembered between runs, and how wide each one is.

The title comes first and keeps room to be read; the counts (Words, Codings) follow it and always
fit their figures; AO3 metadata columns (Rating, Fandoms, …) come last, are optional, chosen from
the header's context menu, and give up width before the title does. When even that is too
little (many columns in a narrow dock), the metadata scrolls sideways, never the title. By
default a work shows its title, words and codings: in a dock 300 px wide, the title keeps half.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from PySide6.QtCore import QAbstractProxyModel, QEvent, QObject, QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QStyle, QTableView

from annotator.ui.models.documents_model import (
    COL_CODINGS,
    COL_TITLE,
    COL_WORDS,
    COLUMNS,
    NUMBER_COLUMNS,
    DocumentsModel,
)

SETTINGS_KEY = "documents_panel/columns"
VISUAL_ORDER = (COL_TITLE, COL_WORDS, COL_CODINGS)  # then the metadata, in model order
DEFAULT_SHOWN = frozenset({"title", "words", "codings"})
TITLE_MIN = 130  # px the title keeps before anything else is squeezed
TITLE_FLOOR = 80  # px it keeps even when Words and Codings would otherwise not fit
FLEXIBLE_MIN = 48  # px a metadata column keeps ("Tee…" still tells the rating)
FLEXIBLE_MAX = 220  # px a metadata column takes at most: long fandom lists are elided
MEASURE_ROWS_AT_MOST = 50  # rows changed in place measured one by one; more: measure the column


class ColumnChoice:
    """The columns a researcher chose to see (by attribute key), kept in ``settings``."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings
        stored = settings.value(SETTINGS_KEY)
        known = {key for _header, key in COLUMNS}
        if isinstance(stored, str):  # the INI format gives back a one-item list as a string
            stored = [stored]
        if isinstance(stored, list | tuple):
            self.shown = {str(k) for k in stored if str(k) in known} | {"title"}
        else:
            self.shown = set(DEFAULT_SHOWN)

    def set_shown(self, key: str, shown: bool) -> None:
        if key == "title":
            return  # the title is how a work is found: always shown
        if shown:
            self.shown.add(key)
        else:
            self.shown.discard(key)
        # In column order, so the settings file reads like the table.
        self._settings.setValue(SETTINGS_KEY, [k for _h, k in COLUMNS if k in self.shown])
        self._settings.sync()

    def visible(self, column: int, has_values: bool) -> bool:
        """Shown if chosen and, for a metadata column, some work has a value for it."""
        if column == COL_TITLE:
            return True
        return COLUMNS[column][1] in self.shown and (has_values or column in NUMBER_COLUMNS)


def fit_widths(available: int, natural: Mapping[int, int], flexible: Iterable[int]) -> dict[int, int]:
    """Widths of the title and of the columns in ``natural`` for a table ``available`` px wide.

    Count columns get their natural width; metadata columns (``flexible``) get theirs, at most
    ``FLEXIBLE_MAX``, unless that leaves the title less than ``TITLE_MIN``: then they share what
    is left evenly (a narrow one keeps its width, the wide ones give way), down to
    ``FLEXIBLE_MIN`` each. The title takes whatever remains, and never less than ``TITLE_MIN``
    (less only so that the counts stay in view, down to ``TITLE_FLOOR``).
    """
    flexible = [c for c in flexible if c in natural]
    widths = {c: w for c, w in natural.items() if c not in flexible}
    title_min = max(TITLE_FLOOR, min(TITLE_MIN, available - sum(widths.values())))
    room = available - title_min - sum(widths.values())
    wanted = sorted(flexible, key=lambda c: natural[c])
    for i, column in enumerate(wanted):
        share = room // (len(wanted) - i) if room > 0 else 0
        width = max(FLEXIBLE_MIN, min(natural[column], FLEXIBLE_MAX, share))
        widths[column] = width
        room -= width
    widths[COL_TITLE] = max(title_min, available - sum(widths.values()))
    return widths


class DocumentColumns(QObject):
    """Shows the chosen columns of the documents table and keeps them fitted to its width.

    Right-clicking the header opens ``menu``: a check box per column (the title is always
    shown; a metadata column no work has is greyed out). Natural widths are measured when the
    rows change (``update``), not on every resize, which only shares out the width again.
    """

    def __init__(self, table: QTableView, model: DocumentsModel, settings: QSettings) -> None:
        super().__init__(table)
        self.table = table
        self.model = model
        self.choice = ColumnChoice(settings)
        self.menu: QMenu | None = None
        self._natural: dict[int, int] = {}
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # widths are set by fit()
        header.setStretchLastSection(False)
        for place, column in enumerate(VISUAL_ORDER):  # the counts beside the title
            header.moveSection(header.visualIndex(column), place)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.open_menu)
        header.sortIndicatorChanged.connect(lambda _section, _order: self.update())
        table.viewport().installEventFilter(self)

    def has_values(self, column: int) -> bool:
        key = COLUMNS[column][1]
        return column in NUMBER_COLUMNS or any(d.attributes.get(key) for d in self.model.documents())

    def update(self) -> None:
        """Show the chosen columns that have something to show, measured and fitted."""
        for column in range(len(COLUMNS)):
            self.table.setColumnHidden(column, not self.choice.visible(column, self.has_values(column)))
        self._natural = {
            column: max(self._header_width(column), self.table.sizeHintForColumn(column) + 6)
            for column in range(len(COLUMNS))
            if column != COL_TITLE and not self.table.isColumnHidden(column)
        }
        self.fit()

    def measure_rows(self, rows: list[int], columns: Collection[int] | None = None) -> None:
        """Widen the columns (or only ``columns``), if need be, for the (source model) ``rows``
        that changed in place.

        Measuring every row after each coding action blocked the window (~450 ms at 10,000
        works); a changed row can only ask for more room, so only it is measured. A column
        never shrinks this way: it is measured afresh when the rows are replaced (``update``).
        """
        if len(rows) > MEASURE_ROWS_AT_MOST:
            self.update()
            return
        proxy = self.table.model()
        grown = False
        for column, width in self._natural.items():
            if columns is not None and column not in columns:
                continue
            for row in rows:
                index = self.model.index(row, column)
                if isinstance(proxy, QAbstractProxyModel):
                    index = proxy.mapFromSource(index)
                if not index.isValid():
                    continue
                wanted = self.table.sizeHintForIndex(index).width() + 6
                if wanted > width:
                    width, grown = wanted, True
            self._natural[column] = width
        if grown:
            self.fit()

    def _header_width(self, column: int) -> int:
        """Room for the header's label, and for the sort arrow only where it is drawn.

        (Qt's own size hint keeps arrow room in every section: 20 px lost per column.)
        """
        header = self.table.horizontalHeader()
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        width = header.fontMetrics().horizontalAdvance(COLUMNS[column][0]) + 2 * margin + 6
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
            width += header.fontMetrics().height() + margin
        return width

    def fit(self) -> None:
        flexible = [c for c in self._natural if c not in NUMBER_COLUMNS]
        header = self.table.horizontalHeader()
        for column, width in fit_widths(self.table.viewport().width(), self._natural, flexible).items():
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit()
        return False

    def open_menu(self, position: QPoint) -> QMenu:
        menu = QMenu(self.table)
        metadata = [c for c in range(len(COLUMNS)) if c not in VISUAL_ORDER]
        for column in [*VISUAL_ORDER[1:], -1, *metadata]:  # as the table shows them
            if column < 0:
                menu.addSeparator()
                continue
            header, key = COLUMNS[column]
            available = self.has_values(column)
            action = menu.addAction(header if available else f"{header} (no work has one)")
            action.setCheckable(True)
            action.setChecked(key in self.choice.shown)
            action.setEnabled(available)
            action.toggled.connect(lambda shown, k=key: self._choose(k, shown))
        self.menu = menu
        menu.popup(self.table.horizontalHeader().mapToGlobal(position))
        return menu

    def _choose(self, key: str, shown: bool) -> None:
        self.choice.set_shown(key, shown)
        self.update()
