"""The Reports window's filters: several coders, codes, works, values of an attribute, zones.

The same choices as ``annotator report``'s ``--coders``, ``--codes``, ``--documents``,
``--attribute``, ``--zones`` and ``--story-only``/``--paratext-only``: each list takes several
items (Ctrl- or Shift-click, Ctrl+A), and a list with nothing chosen does not filter. Values of
the chosen attribute are alternatives (a work with any of them); the lists combine with AND.
Choosing zones overrides the part of the text. :meth:`FilterPanel.report_filter` gives the
:class:`~annotator.services.reports_data.ReportFilter` a run uses.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.types import ZONE_KINDS
from annotator.services.report_output import attribute_names, attribute_values
from annotator.services.reports_data import ReportFilter
from annotator.ui.plain import no_mnemonic, plain_label
from annotator.ui.session import ProjectSession

PARTS = (("Whole text", ""), ("Story only", "story"), ("Paratext only", "paratext"))
DATA = Qt.ItemDataRole.UserRole


class ChoiceList(QListWidget):
    """Items to choose several of; none chosen means all. Each item's data is what a filter takes."""

    def __init__(self, items: Sequence[tuple[str, object]] = ()) -> None:
        super().__init__()
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setUniformItemSizes(True)
        self.setMinimumHeight(48)
        self.set_items(items)

    def set_items(self, items: Sequence[tuple[str, object]]) -> None:
        self.clear()
        for text, data in items:
            item = QListWidgetItem(" ".join(text.split()))  # an item shows plain text, one line
            item.setData(DATA, data)
            self.addItem(item)

    def chosen(self) -> list[object]:
        """The chosen items' data, in list order."""
        return [self.item(row).data(DATA) for row in range(self.count()) if self.item(row).isSelected()]


class FilterPanel(QWidget):
    filtersChanged = Signal()  # what is chosen changed (not the session's project news)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = session.store
        self.coders = ChoiceList([(c.name, c.name) for c in session.coders])
        self.codes = ChoiceList([(c.path, c.path) for c in session.codes])
        self.works = ChoiceList([(f"{d.id}: {d.title}", d.id) for d in session.documents])
        self.find_work = QLineEdit()
        self.find_work.setPlaceholderText("Find works…")
        self.find_work.setClearButtonEnabled(True)
        self.attribute = QComboBox()
        self.attribute.addItem("Any attribute", "")
        for name in attribute_names(session.store):
            self.attribute.addItem(no_mnemonic(name), name)
        self.values = ChoiceList()
        self.values.setEnabled(False)
        self.part = QComboBox()
        for text, part in PARTS:
            self.part.addItem(text, part)
        self.zones = ChoiceList([(kind.replace("_", " "), kind) for kind in ZONE_KINDS])
        self.clear_button = QPushButton("C&lear filters")
        self.titles: dict[ChoiceList, tuple[QLabel, str]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, widget in (
            ("Coders", self.coders),
            ("Codes (with sub-codes)", self.codes),
            ("Works", self.works),
        ):
            self._add(layout, title, widget)
        layout.addWidget(self.find_work)
        layout.addWidget(self.attribute)
        self._add(layout, "Values", self.values)
        layout.addWidget(self.part)
        self._add(layout, "Zones", self.zones)
        layout.addWidget(self.clear_button)
        for choices in self.titles:
            choices.itemSelectionChanged.connect(self._chosen)
        self.attribute.currentIndexChanged.connect(self._attribute_chosen)
        self.part.currentIndexChanged.connect(self.filtersChanged)
        self.find_work.textChanged.connect(self._find_works)
        self.clear_button.clicked.connect(self.clear)

    def _add(self, layout: QVBoxLayout, title: str, choices: ChoiceList) -> None:
        label = plain_label(title)
        self.titles[choices] = (label, title)
        layout.addWidget(label)
        layout.addWidget(choices, 1)

    def _chosen(self) -> None:
        for choices, (label, title) in self.titles.items():
            n = len(choices.chosen())
            label.setText(f"{title}: {n} of {choices.count()}" if n else f"{title}: all")
        self.part.setEnabled(not self.zones.chosen())  # zones name the text precisely
        self.filtersChanged.emit()

    def _attribute_chosen(self) -> None:
        name = self.attribute.currentData()
        self.values.blockSignals(True)
        self.values.set_items([(v, v) for v in attribute_values(self.store, name)] if name else [])
        self.values.blockSignals(False)
        self.values.setEnabled(bool(name))
        self._chosen()

    def _find_works(self, text: str) -> None:
        needle = text.casefold().strip()
        for row in range(self.works.count()):
            item = self.works.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def clear(self) -> None:
        for choices in self.titles:
            choices.blockSignals(True)
            choices.clearSelection()
            choices.blockSignals(False)
        self.attribute.blockSignals(True)
        self.attribute.setCurrentIndex(0)
        self.attribute.blockSignals(False)
        self.values.set_items([])
        self.values.setEnabled(False)
        self.part.blockSignals(True)
        self.part.setCurrentIndex(0)
        self.part.blockSignals(False)
        self.find_work.clear()
        self._chosen()

    def report_filter(self, *, with_codes: bool = True) -> ReportFilter:
        """The filter chosen; ``with_codes`` False leaves the codes out (a retrieval names its own)."""
        name = self.attribute.currentData()
        zones = tuple(str(kind) for kind in self.zones.chosen())
        return ReportFilter(
            coders=tuple(str(c) for c in self.coders.chosen()),
            code_paths=tuple(str(c) for c in self.codes.chosen()) if with_codes else (),
            document_ids=tuple(int(str(d)) for d in self.works.chosen()),
            attributes=tuple((name, str(v)) for v in self.values.chosen()) if name else (),
            zones=zones,
            part="" if zones else self.part.currentData(),
        )
