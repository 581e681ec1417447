"""The ``gui`` command's check that Qt's X11 plugin can load before Qt would abort the process."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
from pathlib import Path

import pytest

from annotator.cli import gui_commands, main


def test_offscreen_and_wayland_need_no_x11_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert gui_commands.missing_display_library() is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert gui_commands.missing_display_library() is None


def test_a_plugin_that_cannot_load_is_named_and_nothing_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A stand-in PySide6 whose xcb plugin depends on a library no system has: the real loader
    # refuses it exactly as it refuses a plugin whose libxcb-cursor0 is missing.
    fake = tmp_path / "PySide6"
    platforms = fake / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    real = importlib.util.find_spec("PySide6")
    assert real is not None and real.origin is not None
    real_plugin = Path(real.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not real_plugin.exists():  # pragma: no cover - every Linux wheel ships it
        pytest.fail("PySide6 wheel without the xcb plugin")
    shutil.copy(real_plugin, platforms / "libqxcb.so")
    # Keep the copied plugin's own dependencies unresolvable by hiding Qt's lib folder from it.
    monkeypatch.setattr(
        gui_commands.importlib.util,
        "find_spec",
        lambda name: importlib.machinery.ModuleSpec(name, None, origin=str(fake / "__init__.py")),
    )
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    problem = gui_commands.missing_display_library()
    assert problem is not None and problem.startswith("the desktop app needs the system library lib")
    assert main(["gui"]) == 1
    assert "annotator: error: the desktop app needs the system library" in capsys.readouterr().err
