"""What the menus call: Update work…, Review updated annotations…, Versions of a work….

Each opens a non-modal window the main window keeps until it or the project closes. The windows
are imported on first use: updating pulls in the importers and the text alignment, which the
app's start-up does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.errors import USER_ERRORS, user_message
from annotator.ui.actions import MenuHost

if TYPE_CHECKING:
    from annotator.ui.updates.review_window import ReviewWindow
    from annotator.ui.updates.update_action import UpdateWorkDialog
    from annotator.ui.updates.version_viewer import VersionsDialog


def _current_document(host: MenuHost) -> int | None:
    workspace = host.workspace
    doc = workspace.pane.document if workspace is not None else None
    return doc.id if doc is not None else None


def update_work(host: MenuHost) -> UpdateWorkDialog | None:
    """File ▸ Update work…: the dialog that asks for the new file and the work it updates."""
    from annotator.ui.updates.update_action import UpdateWorkDialog

    session = host.session
    if session is None:
        return None
    dialog = UpdateWorkDialog(session, host.settings, _current_document(host), host.window())
    dialog.reviewRequested.connect(lambda document_id: review_updates(host, document_id))
    dialog.updated.connect(lambda _report: host.show_message(dialog.status.text()))
    host.keep_dialog(dialog)
    return dialog


def review_updates(host: MenuHost, document_id: int | None = None) -> ReviewWindow | None:
    """The review queue of ``document_id``, or of every updated work."""
    from annotator.ui.updates.review_window import ReviewWindow

    session = host.session
    if session is None:
        return None
    try:
        window = ReviewWindow(session, document_id, host.window())
    except USER_ERRORS as exc:
        host.show_message(user_message(exc))
        return None
    host.keep_dialog(window)
    return window


def show_versions(host: MenuHost, document_id: int | None = None) -> VersionsDialog | None:
    """The versions of ``document_id`` (else of the open work)."""
    from annotator.ui.updates.version_viewer import VersionsDialog

    session = host.session
    document_id = document_id if document_id is not None else _current_document(host)
    if session is None or document_id is None:
        host.show_message("Open a work first: its versions are listed then.")
        return None
    title = next((d.title for d in session.documents if d.id == document_id), f"work {document_id}")
    try:
        dialog = VersionsDialog(session, document_id, title, host.window())
    except USER_ERRORS as exc:
        host.show_message(user_message(exc))
        return None
    host.keep_dialog(dialog)
    return dialog
