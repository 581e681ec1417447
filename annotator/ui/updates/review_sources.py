"""What the review window lists and what its two panes show for one review.

The queue is the reviews of each work's latest update (earlier updates were reviewed before the
next one was allowed). The old pane shows the version the annotation was made on, read once per
version (versions never change); the new pane the work's current text, read once until the
queue is reloaded. Both are kept as plain values here, so stepping through a thousand reviews
of one work reads nothing from the database.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from annotator.core.types import DocumentView, ZoneSpec
from annotator.services.anchor_reviews import ReviewItem, review_items
from annotator.services.documents import load_document
from annotator.services.work_updates import version_text
from annotator.store.project import ProjectStore

KIND_NOTES = {
    "changed": "Its text was edited: the highlighted span is the edited text the update chose.",
    "orphaned": "Its text is gone from this version: select where it is now and re-select, or drop it.",
}


def latest_reviews(store: ProjectStore, document_id: int | None) -> list[ReviewItem]:
    """Every review (any status) of the latest update of one work, or of each updated work."""
    items = review_items(store, document_id)
    latest: dict[int, int] = {}
    for item in items:
        latest[item.document_id] = max(latest.get(item.document_id, 0), item.old_version)
    return [item for item in items if item.old_version == latest[item.document_id]]


@dataclass(frozen=True)
class ShownText:
    """A text for one pane: ``key`` names it (the pane keeps it while the key stays the same)."""

    key: Hashable
    caption: str
    text: str
    start: int
    end: int
    zones: list[ZoneSpec] = field(default_factory=list)


class ReviewTexts:
    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self._old: dict[tuple[int, int], str] = {}
        self._current: dict[int, DocumentView] = {}

    def forget(self) -> None:
        """Read the current texts again next time (an update or its undo replaced them)."""
        self._current.clear()

    def current_text(self, document_id: int) -> str:
        return self._current_view(document_id).text

    def heading(self, item: ReviewItem, label: str) -> str:
        title = self._current_view(item.document_id).title
        return f"{item.kind.capitalize()}: {label}, in “{title}”"

    def note(self, item: ReviewItem) -> str:
        return KIND_NOTES.get(item.kind, "")

    def old_text(self, item: ReviewItem) -> ShownText:
        key = (item.document_id, item.old_version)
        if key not in self._old:
            self._old[key] = version_text(self.store, *key)
        caption = f"Version {item.old_version}: before the update"
        return ShownText(("old", *key), caption, self._old[key], item.old_start, item.old_end)

    def new_text(self, item: ReviewItem) -> ShownText:
        view = self._current_view(item.document_id)
        if item.new_start is not None and item.new_end is not None:
            start, end = item.new_start, item.new_end
        else:  # orphaned: where its text was, so the reviewer looks in the right place
            start = end = min(item.place, len(view.text))
        caption = f"Version {item.new_version}: now"
        return ShownText(("new", view.id, view.text_hash), caption, view.text, start, end, view.zones)

    def _current_view(self, document_id: int) -> DocumentView:
        view = self._current.get(document_id)
        if view is None:
            view = self._current[document_id] = load_document(self.store, document_id)
        return view
