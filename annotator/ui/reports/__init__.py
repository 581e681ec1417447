"""The Reports window (View ▸ Reports…): a report's table, its chart and the segments behind a figure.

:func:`open_reports` imports the window (and so matplotlib) only when asked, keeping the app's
start-up free of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.ui.actions import MenuHost
from annotator.ui.reports.table_model import SegmentItem

if TYPE_CHECKING:
    from annotator.ui.reports.window import ReportsWindow


def open_reports(host: MenuHost) -> ReportsWindow | None:
    """Open a Reports window on the host window's project."""
    session = host.session
    if session is None or host.workspace is None:
        return None
    from annotator.ui.reports.window import ReportsWindow

    def jump(item: SegmentItem) -> None:
        workspace = host.workspace  # the one open now: the project may have changed since
        if workspace is not None and workspace.pane.open_document(item.document_id, (item.start, item.end)):
            if item.annotation_id is not None:
                workspace.pane.select_annotation(item.annotation_id)
            host.window().activateWindow()

    window = ReportsWindow(session, jump, host.window())
    host.keep_dialog(window)
    window.show()
    return window
