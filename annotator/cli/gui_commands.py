"""``annotator gui [PROJECT]``: open the desktop app, on its start page or on a project.

PySide6 is imported only when the command runs, so the headless commands stay usable (and
fast to start) on machines without a display.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
from pathlib import Path

# Debian/Ubuntu packages for the X11 libraries Qt's xcb plugin most often lacks on a fresh system.
_DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
}


def missing_display_library() -> str | None:
    """Why the X11 platform plugin cannot load, or None when it can (or is not the one used).

    Qt aborts the whole process when its platform plugin fails to load, with no exception to
    catch; loading the plugin's shared object first turns that into a message we can print.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and (os.environ.get("WAYLAND_DISPLAY") or not os.environ.get("DISPLAY")):
        return None
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        message = str(exc)
        library = message.split(":", 1)[0].strip()
        package = _DEBIAN_PACKAGES.get(library)
        hint = f" (Debian/Ubuntu: apt install {package})" if package else ""
        return f"the desktop app needs the system library {library}{hint}"
    return None


def launch_gui(location: str | None = None) -> int:
    """Run the desktop app until its window closes; return the exit status."""
    problem = missing_display_library()
    if problem is not None:
        from annotator.store.project import ProjectError  # only on this failure: keeps start-up light

        raise ProjectError(problem)
    from annotator.ui.app import run_gui

    return run_gui(location)


def _run(args: argparse.Namespace) -> int:
    return launch_gui(args.project)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="open the desktop app",
        description="Open the desktop coding workbench, on its start page or on PROJECT.",
    )
    parser.add_argument(
        "project",
        nargs="?",
        default=None,
        metavar="PROJECT",
        help="a project file (.annotator) or a PostgreSQL URL to open straight away",
    )
    parser.set_defaults(handler=_run)
