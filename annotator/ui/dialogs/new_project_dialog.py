"""File ▸ New project…: where the project file goes and which codebook it starts with.

The same three starts as ``annotator new --codebook fandom|empty|FILE.csv``: the fandom codebook
(the default), none, or a codebook CSV. The project is made by the same service
(``services.projects.create_project``), which reads the CSV before making anything, so a bad
file is refused in one line, as the CLI words it, and no project is left behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.io.csv_reading import csv_refusals
from annotator.store.project import ProjectStore
from annotator.ui.opening import create_for_app
from annotator.ui.plain import plain_label

PROJECT_SUFFIX = ".annotator"
PROJECT_FILTER = "Annotator projects (*.annotator);;All files (*)"
CSV_FILTER = "CSV files (*.csv);;All files (*)"
FANDOM, EMPTY = "fandom", "empty"  # the CLI's words for the two built-in starts


def project_path(text: str) -> Path | None:
    """The project file a typed name means (``.annotator`` added when missing), or None if blank."""
    name = text.strip()
    if not name:
        return None
    return Path(name if name.endswith(PROJECT_SUFFIX) else name + PROJECT_SUFFIX).expanduser()


def unused_name(folder: Path, stem: str = "project") -> Path:
    """``project.annotator`` in ``folder``, or ``project-2.annotator`` … when that is taken."""
    candidate, number = folder / f"{stem}{PROJECT_SUFFIX}", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{number}{PROJECT_SUFFIX}"
    return candidate


def create_chosen_project(path: Path, codebook: str) -> ProjectStore:
    """Make the project and hold it as the app does; a bad CSV is refused as the CLI refuses it."""
    if codebook in (FANDOM, EMPTY):
        return create_for_app(path, codebook)
    with csv_refusals(Path(codebook)):
        return create_for_app(path, codebook)


class NewProjectDialog(QDialog):
    """Asks for the project file and the codebook; ``choice()`` after it was accepted."""

    def __init__(self, folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.folder = folder
        self.path = QLineEdit()
        self.path.setPlaceholderText("Where to save the project file")
        if folder:
            self.path.setText(str(unused_name(Path(folder))))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_project)
        self.fandom = QRadioButton("The fandom codebook (tropes, relationships, themes)")
        self.empty = QRadioButton("An empty codebook")
        self.from_csv = QRadioButton("A codebook CSV file:")
        self.fandom.setChecked(True)
        self.starts = QButtonGroup(self)
        for button in (self.fandom, self.empty, self.from_csv):
            self.starts.addButton(button)
        self.csv_path = QLineEdit()
        self.csv_path.setPlaceholderText("path, colour, definition … (as File ▸ Export CSV writes it)")
        self.csv_browse = QPushButton("Browse…")
        self.csv_browse.clicked.connect(self._browse_csv)
        self.csv_path.textEdited.connect(lambda _t: self.from_csv.setChecked(True))
        self.problem = plain_label()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        csv_row = QHBoxLayout()
        csv_row.setContentsMargins(22, 0, 0, 0)
        csv_row.addWidget(self.csv_path, 1)
        csv_row.addWidget(self.csv_browse)
        starts = QVBoxLayout()
        for button in (self.fandom, self.empty, self.from_csv):
            starts.addWidget(button)
        starts.addLayout(csv_row)
        form = QFormLayout()
        form.addRow("Project file", where)
        form.addRow("Start with", starts)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def codebook(self) -> str:
        """What ``create_project`` takes: "fandom", "empty", or the CSV file's path."""
        if self.empty.isChecked():
            return EMPTY
        if self.from_csv.isChecked():
            return str(Path(self.csv_path.text().strip()).expanduser())
        return FANDOM

    def choice(self) -> tuple[Path, str] | None:
        path = project_path(self.path.text())
        return None if path is None else (path, self.codebook())

    def accept(self) -> None:
        """Only with a place to save and, for a CSV start, a file that is there."""
        path = project_path(self.path.text())
        if path is None:
            self._refuse("Give the project file a name.", self.path)
            return
        if path.exists():
            self._refuse(f"{path.name} already exists; choose another name.", self.path)
            return
        if self.from_csv.isChecked():
            csv = self.csv_path.text().strip()
            if not csv or not Path(csv).expanduser().is_file():
                self._refuse("Choose the codebook CSV file (it was not found).", self.csv_path)
                return
        super().accept()

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.problem.setText(text)
        field.setFocus()

    def _browse_project(self) -> None:
        start = self.path.text() or self.folder
        name, _ = QFileDialog.getSaveFileName(self, "New project", start, PROJECT_FILTER)
        if name:
            self.path.setText(str(project_path(name)))

    def _browse_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Codebook CSV", self.folder, CSV_FILTER)
        if name:
            self.csv_path.setText(name)
            self.from_csv.setChecked(True)


def ask_new_project(parent: QWidget | None, folder: str = "") -> tuple[Path, str] | None:
    """The project file and codebook the researcher chose, or None if they cancelled."""
    dialog = NewProjectDialog(folder, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
