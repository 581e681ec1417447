"""Document texts kept in memory for one open project (``ProjectStore.texts``).

A document's text never changes once imported, so services keep texts here to cut quotes without
re-reading megabytes per action. Only removing documents makes an entry wrong: whoever deletes a
document evicts it, and a bulk change to the documents (a merge) clears everything.
"""

from __future__ import annotations

from collections.abc import Iterable


class TextCache:
    """Texts by document id; a missing entry only means "read it from the database"."""

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}

    def get(self, document_id: int) -> str | None:
        """The cached text, or None when it has to be read."""
        return self._texts.get(document_id)

    def put(self, document_id: int, text: str) -> None:
        """Remember the text read for ``document_id``."""
        self._texts[document_id] = text

    def evict(self, document_ids: Iterable[int]) -> None:
        """Forget the texts of documents that were removed (unknown ids are ignored)."""
        for document_id in document_ids:
            self._texts.pop(document_id, None)

    def clear(self) -> None:
        """Forget every text."""
        self._texts.clear()

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._texts

    def __len__(self) -> int:
        return len(self._texts)
