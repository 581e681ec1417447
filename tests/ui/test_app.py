"""Application setup: the light and dark palettes (following the system unless told), the Fusion
style and display name, reusing a running application, and the last-resort message for a bug in a
slot, which names the error, says the work is saved and keeps the trace on stderr."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.ui.app import (
    _show_unexpected,
    apply_palette,
    configure_application,
    create_application,
    make_palette,
    system_prefers_dark,
)

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test application, with its palette, style and name put back afterwards."""
    palette, style, name = qapp.palette(), qapp.style().name(), qapp.applicationDisplayName()
    yield qapp
    qapp.setPalette(palette)
    qapp.setStyle(style)
    qapp.setApplicationDisplayName(name)


def test_dark_and_light_palettes_keep_text_readable_and_disabled_text_grey() -> None:
    light, dark = make_palette(dark=False), make_palette(dark=True)
    assert light.color(Role.Base) == QColor("#ffffff") and light.color(Role.Text) == QColor("#1d1d1f")
    assert dark.color(Role.Base) == QColor("#1c1d20") and dark.color(Role.Text) == QColor("#e6e6e8")
    for palette in (light, dark):
        assert palette.color(Role.Text).lightness() != palette.color(Role.Base).lightness()
        disabled = palette.color(QPalette.ColorGroup.Disabled, Role.Text)
        assert disabled != palette.color(QPalette.ColorGroup.Active, Role.Text)


def test_the_palette_follows_the_system_unless_one_is_chosen(app: QApplication) -> None:
    apply_palette(app, dark=True)
    assert app.palette().color(Role.Window) == QColor("#26272b")
    apply_palette(app)  # the system's choice (the offscreen platform has no dark scheme)
    expected = make_palette(system_prefers_dark())
    assert app.palette().color(Role.Window) == expected.color(Role.Window)


def test_configuring_sets_style_and_name_and_a_running_application_is_reused(app: QApplication) -> None:
    organization = app.organizationName()
    configured = configure_application(app, identity=False)  # tests keep their own QSettings names
    assert configured is app
    assert app.style().name() == "fusion" and app.applicationDisplayName() == "Annotator"
    assert app.organizationName() == organization
    assert create_application() is app


def test_a_bug_in_a_slot_is_shown_in_a_message_and_its_trace_goes_to_stderr(
    app: QApplication, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []

    def read_and_close(tries: int = 100) -> None:
        box = app.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.close()
        elif tries:  # the box runs its own event loop; look again on a later turn
            QTimer.singleShot(10, lambda: read_and_close(tries - 1))

    QTimer.singleShot(0, read_and_close)
    try:
        raise ValueError("span start 5 must be before its end 2")
    except ValueError as exc:
        _show_unexpected(ValueError, exc, exc.__traceback__)  # what sys.excepthook receives
    assert shown == [
        "Something went wrong: ValueError: span start 5 must be before its end 2\n\n"
        "Your work up to the last action is saved."
    ]
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "ValueError: span start 5 must be before its end 2" in err
