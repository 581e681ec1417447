"""Start-up imports only what it shows: the app's first window, a project's first paint, ``info``.

Issue 15: every module imported before the first paint is start-up time, and a script that calls
``annotator info`` once per project pays its imports each time. Dialogs, reports, the team
statistics, document parsers, plotting and migrations are imported by the action that needs
them. Each check runs the real entry point in a fresh interpreter and lists what ended up in
``sys.modules`` (behaviour, not timing: the machines are shared, so timings belong in
``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Never needed to show a window or describe a project: plotting, data frames, migrations and the
# document parsers (numpy too, except for the viewer's highlight index once a work is shown).
NEVER_AT_START = ("matplotlib", "pandas", "alembic", "docx", "ebooklib", "lxml", "bs4", "markdown_it")
SHOW_MODULES = "import json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"


def _packages_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages in ``sys.modules`` after ``code`` ran in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{SHOW_MODULES}"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("lazy") / "demo.annotator"
    subprocess.run(
        [sys.executable, "-m", "annotator", "demo", str(project), "--no-gui"],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return project


def test_the_start_page_loads_no_statistics_parsers_plotting_or_viewer() -> None:
    pytest.importorskip("PySide6")
    code = (
        "from annotator.ui.app import create_application\n"
        "from annotator.ui.main_window import MainWindow\n"
        "app = create_application()\n"
        "window = MainWindow()\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.menus.help is not None and window.team_menu.actions"
    )
    loaded = _packages_after(code)
    assert "PySide6" in loaded  # the probe sees what the window imported
    assert loaded & {"numpy", *NEVER_AT_START} == set()


def test_a_project_reaches_its_first_paint_without_parsers_plotting_or_migrations(
    demo_project: Path, tmp_path: Path
) -> None:
    pytest.importorskip("PySide6")
    config = tmp_path / "config" / "annotator"
    config.mkdir(parents=True)
    # A coder already chosen, so the window opens straight on the project (no first-run question).
    (config / "Annotator.conf").write_text("[General]\ncoder_name=probe\n", encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "ANNOTATOR_EXIT_AFTER_FIRST_PAINT": "1"}
    code = f"from annotator.cli import main\nassert main(['gui', {str(demo_project)!r}]) == 0"
    loaded = _packages_after(code, env)
    assert "PySide6" in loaded  # the probe sees what the app imported
    # The first paint of a project file is the first screen's (annotator.ui.first_screen): its
    # first work read with sqlite3, before SQLAlchemy and numpy (tests/ui/test_first_screen.py).
    assert loaded & {"sqlalchemy", "numpy", *NEVER_AT_START} == set()
    # Counting only the main window's paint: the project was opened by the data layer, still
    # without the parsers, plotting or migrations.
    env["ANNOTATOR_EXIT_AFTER_FIRST_PAINT"] = "main-window"
    loaded = _packages_after(code, env)
    assert "sqlalchemy" in loaded
    assert loaded & set(NEVER_AT_START) == set()


def test_version_and_info_load_no_statistics_parsers_or_qt(demo_project: Path) -> None:
    for argv in (["--version"], ["info", str(demo_project)], ["info", str(demo_project), "--json"]):
        code = f"from annotator.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
        loaded = _packages_after(code)
        assert loaded & {"numpy", "PySide6", *NEVER_AT_START} == set(), argv
