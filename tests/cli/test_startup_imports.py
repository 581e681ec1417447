"""Start-up stays light: what ``annotator --version``, ``info`` and the app's first window import.

Every CLI call pays its imports again (a script calling ``annotator code`` per segment pays them
per segment), and the app's first paint waits for them. Each check runs in a fresh interpreter
and lists the heavy packages that ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import COMMAND_MODULES, COMMANDS, build_parser

PARSERS = ("bs4", "lxml", "docx", "markdown_it", "ftfy", "charset_normalizer", "soupsieve")
HEAVY = ("sqlalchemy", "alembic", "numpy", "matplotlib", "coloraide", "PySide6", *PARSERS)


def _loaded_after(code: str) -> set[str]:
    """The top-level packages among HEAVY that ``code`` leaves imported in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1])) & set(HEAVY)


def test_version_and_help_import_none_of_the_heavy_packages() -> None:
    for argv in (["--version"], ["--help"], ["no-such-command"]):
        code = f"from annotator.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
        assert _loaded_after(code) == set(), argv


def test_info_on_a_project_file_imports_none_of_the_heavy_packages(tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    subprocess.run(
        [sys.executable, "-m", "annotator", "new", str(project), "--codebook", "empty"],
        check=True,
        timeout=120,
    )
    info = f"from annotator.cli import main\nmain(['info', {str(project)!r}])"
    assert _loaded_after(info) == set()  # the standard library's sqlite3 reads it
    # A project held by the app is opened the usual way, which says who holds it.
    held = (
        "from pathlib import Path\nfrom annotator.store.lock import ProjectLock\n"
        f"ProjectLock.acquire(Path({str(project)!r}), 'exclusive', 'the app')\n{info}"
    )
    loaded = _loaded_after(held)
    assert "sqlalchemy" in loaded  # the probe does see what a command imports
    assert loaded & {"numpy", "matplotlib", "PySide6", *PARSERS} == set()


def test_the_app_start_imports_no_parsers_migrations_or_plotting() -> None:
    # numpy is not in the list: the viewer's highlight index (annotator.ui.viewer.highlight) holds
    # its spans in numpy arrays, so the first paint of a coded work needs it.
    pytest.importorskip("PySide6")
    loaded = _loaded_after("import annotator.ui.app, annotator.ui.main_window")
    assert "PySide6" in loaded
    assert loaded & {"matplotlib", "coloraide", "alembic", *PARSERS} == set()


def test_the_command_table_matches_what_the_modules_register() -> None:
    """``annotator --help`` lists :data:`COMMANDS` without importing the modules: keep it true."""
    parser = build_parser()  # imports every module
    registered = next(action for action in parser._actions if hasattr(action, "choices") and action.choices)
    helps = {choice.dest: choice.help for choice in registered._choices_actions}
    assert helps == {name: help_ for name, (module, help_) in COMMANDS.items() if module in COMMAND_MODULES}
    for name, (module, _) in COMMANDS.items():
        assert registered.choices[name].get_default("handler").__module__.startswith("annotator.cli"), name
        assert module in COMMAND_MODULES, name


def test_each_command_is_found_in_its_own_module() -> None:
    for name, (module, _) in COMMANDS.items():
        parser = build_parser([name])
        choices = next(
            action.choices for action in parser._actions if hasattr(action, "choices") and action.choices
        )
        assert choices[name].get_default("handler") is not None, (name, module)


def test_the_import_help_lists_the_file_kinds_the_importers_read() -> None:
    from annotator.cli.project_commands import IMPORT_SUFFIXES
    from annotator.io.importers import SUPPORTED_SUFFIXES

    assert IMPORT_SUFFIXES == SUPPORTED_SUFFIXES
