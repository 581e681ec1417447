"""Regenerate the screenshots in docs/screenshots/ from the demo project, offscreen.

    python benchmarks/make_screenshots.py [--out docs/screenshots] [--size 1280x720 --size 1920x1080]

Builds a throw-away demo project (the seed works and the fandom codebook) in a temporary
folder, codes a few overlapping spans through the window's own actions (as two coders), and
grabs the main window at each size (a laptop's 1280×720 and a desktop's 1920×1080 by default):
light, with the codebook details pane, and dark. The largest size is saved without a suffix
(the README shows it); the others as ``main-window-1280x720.png`` and so on.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from annotator.services.annotations import list_annotations
from annotator.ui.app import apply_palette, configure_application
from annotator.ui.demo import open_demo_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings

SIZES = [(1280, 720), (1920, 1080)]
# (phrase to find in the first seed work, code path, coder, memo); later ones overlap earlier ones.
CODINGS = [
    ("You were in a holding cell before", "Trope/Captor\\/captive", "alice", ""),
    (
        "You're an escape artist, but artist isn't the word for it.",
        "Point of view/Second-person reader-insert",
        "alice",
        "Reader-insert voice established in the first paragraph.",
    ),
    ("escape artist", "Trope/Hurt\\/comfort", "alice", ""),
    (
        "You escaped everything but Hux, who surmised, with amusement",
        "Power dynamic/Rank\\/hierarchy",
        "alice",
        "Hux outranks; the reader's skill is framed against his amusement.",
    ),
    ("Hux had to begin looking up new methods", "Power dynamic/Rank\\/hierarchy", "bob", ""),
    (
        "your mind is steel and your willpower is nothing they've ever seen before",
        "Power dynamic/Supernatural\\/Force",
        "alice",
        "",
    ),
    ("You haven't been interrogated in a while", "Trope/Slow burn", "bob", ""),
]


def _process(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _code_id(window: MainWindow, path: str) -> int:
    assert window.session is not None
    return next(c.id for c in window.session.codes if c.path == path)


def prepare(window: MainWindow) -> int:
    """Apply CODINGS through the coding actions; return the annotation to show selected."""
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    text = ws.pane.document.text
    selected = 0
    for phrase, path, coder, memo in CODINGS:
        window.set_coder(coder)
        start = text.index(phrase)
        ws.pane.viewer.select_span(start, start + len(phrase))
        ws.coding.apply_code(_code_id(window, path))
        annotation = max(list_annotations(ws.session.store, ws.pane.document.id), key=lambda a: a.id)
        if memo:
            ws.pane.select_annotation(annotation.id)
            ws.annotation.memo.setPlainText(memo)
            ws.annotation.save_memo()
            selected = annotation.id
    window.set_coder("alice")
    ws.pane.viewer.select_span(0, 0)
    ws.pane.select_annotation(selected)
    ws.pane.viewer.scroll_to_span(0, 0)
    ws.pane.viewer.verticalScrollBar().setValue(0)
    ws.session.flush_counts()
    ws.segments.refresh_now()
    return selected


def open_window(
    app: QApplication, location: Path, settings: AppSettings, size: tuple[int, int]
) -> MainWindow:
    window = MainWindow(settings)
    window.resize(*size)
    window.show()
    window.open_location(str(location))
    deadline = time.monotonic() + 60
    while window.workspace is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if window.workspace is None:
        raise SystemExit(f"could not open {location}: {window.last_error}")
    window.resize(*size)
    _process(app)
    return window


def grab(app: QApplication, window: MainWindow, path: Path) -> None:
    _process(app)
    image = window.grab()
    if not image.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path} ({image.width()}×{image.height()})")


def shoot(
    app: QApplication, demo: Path, settings: AppSettings, size: tuple[int, int], out: Callable[[str], Path]
) -> None:
    """The four pictures at one window size: start page, main window, codebook details, dark."""
    start = MainWindow(settings)
    start.resize(*size)
    start.show()
    grab(app, start, out("start-page"))
    start.close()

    window = open_window(app, demo, settings, size)
    prepare(window)
    grab(app, window, out("main-window"))

    ws = window.workspace
    assert ws is not None
    window.set_show_others(True)
    ws.codebook.select_code(_code_id(window, "Trope/Slow burn"))
    ws.docks[2].hide()  # the annotation dock: the codebook gets the whole right column
    _process(app)
    ws.codebook.splitter.setSizes([300, 500])
    grab(app, window, out("codebook-details"))
    ws.docks[2].show()
    window.close()

    apply_palette(app, dark=True)
    dark = open_window(app, demo, settings, size)
    dark_ws = dark.workspace
    assert dark_ws is not None
    dark.set_show_others(False)
    coder = dark_ws.session.coder.id
    assert dark_ws.pane.document is not None
    shown = list_annotations(dark_ws.session.store, dark_ws.pane.document.id)
    dark_ws.pane.select_annotation(max(a.id for a in shown if a.coder_id == coder))
    grab(app, dark, out("main-window-dark"))
    dark.close()


def _named(folder: Path, suffix: str, name: str) -> Path:
    return folder / f"{name}{suffix}.png"


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    )
    parser.add_argument("--size", type=_size, action="append", help="WIDTHxHEIGHT (repeatable)")
    args = parser.parse_args(argv)
    args.size = args.size or SIZES
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="annotator-shots-") as temp:
        tmp = Path(temp)
        QCoreApplication.setOrganizationName("annotator-screenshots")
        QCoreApplication.setApplicationName("annotator-screenshots")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        configure_application(app, identity=False)
        apply_palette(app, dark=False)
        for size in args.size:
            suffix = "" if size == max(args.size) else f"-{size[0]}x{size[1]}"
            demo = tmp / f"demo{suffix}.annotator"  # each size codes its own copy
            open_demo_project(demo).close()
            settings = AppSettings(QSettings(str(tmp / f"shots{suffix}.ini"), QSettings.Format.IniFormat))
            settings.set_coder_name("alice")
            apply_palette(app, dark=False)
            shoot(app, demo, settings, size, partial(_named, args.out, suffix))
    return 0


if __name__ == "__main__":
    sys.exit(main())
