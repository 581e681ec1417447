"""Document texts kept in memory for one open project (``ProjectStore.texts``).

Services keep texts here to cut quotes without re-reading megabytes per action. A document's text
changes only when its work is updated (or the update undone), which evicts it here; another
process may do that too, so each entry keeps the text's hash, and a write checks it against the
stored one (``services.document_texts.current_text``). Removing documents evicts them; a bulk change to the
documents (a merge) clears everything.
"""

from __future__ import annotations

from collections.abc import Iterable


class TextCache:
    """Texts by document id; a missing entry only means "read it from the database"."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[str, str]] = {}  # document id -> (text, its stored hash)

    def get(self, document_id: int) -> str | None:
        """The cached text, or None when it has to be read."""
        entry = self._texts.get(document_id)
        return None if entry is None else entry[0]

    def hash_of(self, document_id: int) -> str | None:
        """The stored hash the cached text was read with, or None when nothing is cached."""
        entry = self._texts.get(document_id)
        return None if entry is None else entry[1]

    def put(self, document_id: int, text: str, text_hash: str) -> None:
        """Remember the text read for ``document_id`` with its stored hash."""
        self._texts[document_id] = (text, text_hash)

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
