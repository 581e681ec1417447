"""The main window fits the screen it opens on: its preferred 1400 × 900 where that fits, the free
area where not, so on a 1280 × 720 screen every dock and the coder box are on screen and reachable
(Ctrl+Shift+U). The layout the researcher left (window place, dock sizes) comes back on the next
start, unless it was on a monitor that is gone, where the window is fitted to the screen instead.

The screen sizes are real: each start runs the app in a process of its own whose offscreen
platform has the screens described (``tests/ui/window_on_screen.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication

from annotator.services.projects import create_project
from annotator.ui.screen_fit import FRAME_ROOM, PREFERRED_SIZE, fitted_geometry, on_a_screen

ROOT = Path(__file__).resolve().parents[2]
SMALL = [(0, 0, 1280, 720)]
TWO_MONITORS = [(0, 0, 1920, 1080), (1920, 0, 1920, 1080)]


def _start(tmp_path: Path, screens: list[tuple[int, int, int, int]], *options: str) -> dict[str, Any]:
    """Start the app on ``screens`` with the settings and project in ``tmp_path``; what it showed."""
    config = tmp_path / f"screens-{len(list(tmp_path.glob('screens-*')))}.json"
    config.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": False,
                "windowFrameMargins": False,
                "screens": [
                    {"name": f"S{n}", "x": x, "y": y, "width": w, "height": h, "logicalDpi": 96, "dpr": 1}
                    for n, (x, y, w, h) in enumerate(screens)
                ],
            }
        )
    )
    settings, project = tmp_path / "settings.ini", tmp_path / "study.annotator"
    if not settings.exists():
        settings.write_text("[General]\ncoder_name=alice\n")  # chosen before: nobody is asked
    if not project.exists():
        create_project(project, codebook="fandom").close()
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.window_on_screen", str(settings), str(project), *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _inside(rect: list[int], area: list[int]) -> bool:
    return QRect(*area).contains(QRect(*rect))


def test_the_window_takes_its_preferred_size_where_it_fits_and_no_more_than_the_free_area() -> None:
    big = QRect(0, 0, 1920, 1080)
    assert fitted_geometry(big).size() == PREFERRED_SIZE
    assert fitted_geometry(big).center() == big.marginsRemoved(FRAME_ROOM).center()
    small = QRect(0, 0, 1280, 720)
    fitted = fitted_geometry(small)
    assert fitted == small.marginsRemoved(FRAME_ROOM)  # as big as the screen allows, title bar included
    with_panel = QRect(0, 32, 1366, 736)  # a desktop panel along the top takes 32 pixels
    assert with_panel.contains(fitted_geometry(with_panel).marginsAdded(FRAME_ROOM))
    assert fitted_geometry(big, QSize(600, 400)).size() == QSize(600, 400)


def test_a_place_is_on_a_screen_only_if_all_of_it_fits_there(qapp: QApplication) -> None:
    area = qapp.primaryScreen().availableGeometry()  # the tests' own offscreen screen
    inside = area.adjusted(10, 40, -10, -10)
    assert on_a_screen(inside)
    assert not on_a_screen(inside.translated(area.width() + 300, 0))  # where a second monitor was
    assert not on_a_screen(inside.adjusted(0, 0, 20, 0))  # wider than the screen
    assert not on_a_screen(inside.translated(-200, 0))  # partly off its left edge


def test_on_a_1280_by_720_screen_every_dock_and_the_coder_box_are_on_screen(tmp_path: Path) -> None:
    shown = _start(tmp_path, SMALL)
    screen = shown["screen"]
    assert screen == [0, 0, 1280, 720]
    assert _inside(shown["window"], screen)
    assert set(shown["docks"]) == {"Documents", "Codebook", "Annotation", "Segments"}
    for title, dock in shown["docks"].items():
        width, height = dock["rect"][2:]
        assert dock["shown"] and _inside(dock["rect"], screen), title
        assert width >= 250 and height >= 150, title  # usable, not squeezed to a sliver
    coder = shown["coder_box"]
    assert coder["shown"] and _inside(coder["rect"], screen) and coder["rect"][2] >= 100
    assert coder["focused"]  # Ctrl+Shift+U reached it


def test_the_layout_comes_back_and_a_window_left_on_an_unplugged_monitor_comes_back_on_screen(
    tmp_path: Path,
) -> None:
    # On two monitors: the researcher puts the window on the second and drags the Segments dock taller.
    first = _start(tmp_path, TWO_MONITORS, "--move", "2100,100", "--drag-segments", "-80")
    assert first["screen"] == [1920, 0, 1920, 1080] and first["window"][:2] == [2100, 100]
    taller = first["segments_height"]
    # Next start, same monitors: the same place and the same dock size.
    again = _start(tmp_path, TWO_MONITORS)
    assert again["window"] == first["window"] and again["segments_height"] == taller
    # The second monitor is gone and the laptop screen is small: the window is fitted to it.
    alone = _start(tmp_path, SMALL)
    assert alone["screen"] == [0, 0, 1280, 720] and _inside(alone["window"], alone["screen"])
    for title, dock in alone["docks"].items():
        assert dock["shown"] and _inside(dock["rect"], alone["screen"]), title
    assert _inside(alone["coder_box"]["rect"], alone["screen"])
