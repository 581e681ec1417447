"""Search across the project: every place a phrase occurs in the stored texts, with some context.

Matching runs in Python over the stored (NFC) texts, so offsets are the same code points the
viewer and annotations use; case-insensitive matching uses a regular expression rather than
``lower()``, which can change a text's length ("İ") and shift every offset after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from annotator.core.text import normalise_text
from annotator.core.validation import InvalidInputError
from annotator.store.models import Document
from annotator.store.project import ProjectStore

DEFAULT_LIMIT = 2000
CONTEXT_CHARS = 60
MAX_QUERY_LENGTH = 1000
_BATCH = 20  # documents fetched at a time; texts can be megabytes each


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: int
    title: str
    start: int  # [start, end) in code points of the stored text
    end: int
    context: str  # the match with up to CONTEXT_CHARS either side, on one line


def context_of(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> str:
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    snippet = " ".join(text[lo:hi].split())
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")


def search_documents(
    store: ProjectStore,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    cancelled: Callable[[], bool] | None = None,
) -> list[SearchHit]:
    """Case-insensitive matches of ``query`` in all documents, by document then position.

    Stops after ``limit`` hits, or when ``cancelled()`` turns true between documents.
    """
    needle = normalise_text(query).strip()
    if not needle:
        raise InvalidInputError("search text is empty")
    if len(needle) > MAX_QUERY_LENGTH:
        raise InvalidInputError(
            f"search text is {len(needle)} characters long; the limit is {MAX_QUERY_LENGTH}"
        )
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    hits: list[SearchHit] = []
    query_rows = select(Document.id, Document.title, Document.text).order_by(Document.id)
    with store.reading() as session:
        for doc_id, title, text in session.execute(query_rows, execution_options={"yield_per": _BATCH}):
            if cancelled is not None and cancelled():
                break
            for match in pattern.finditer(text):
                hits.append(
                    SearchHit(
                        doc_id,
                        title,
                        match.start(),
                        match.end(),
                        context_of(text, match.start(), match.end()),
                    )
                )
                if len(hits) >= limit:
                    return hits
    return hits
