"""What a window needs to show a project the moment it opens, read in one go off the GUI thread.

Opening a project used to be quick in a worker and then slow on the GUI thread: the session, the
panels and the viewer each ran their first queries there, and on a slow server (every query a
few round trips) or behind another process's lock the window froze for seconds. The app's open
worker now calls :func:`read_overview` right after opening the store, and the GUI thread builds
the window from the plain values it returns, without a query.

Only coding as a new coder writes (the coder row); a coder already in the project is found by
reading, so opening an SQLite project while another process writes to it waits for nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, wait
from dataclasses import dataclass
from typing import Any, TypeVar

from annotator.core.gc_pause import gc_paused
from annotator.core.types import CodeInfo, CoderInfo, DocumentSummary, DocumentView
from annotator.core.validation import MAX_CODER_NAME_LENGTH, clean_name
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder, list_coders
from annotator.services.document_stats import AnnotationCounts, annotation_counts
from annotator.services.documents import list_documents, load_document
from annotator.services.errors import NotFoundError
from annotator.services.highlights import HighlightRow, highlight_rows
from annotator.services.segments import SegmentFilter, SegmentRow, count_segments, list_segments
from annotator.store.project import ProjectStore

T = TypeVar("T")


@dataclass(frozen=True)
class SegmentsPage:
    """The first ``limit`` segments of the unfiltered list, and how many there are in all."""

    rows: list[SegmentRow]
    total: int


@dataclass(frozen=True)
class OpenedDocument:
    """A work ready to show: its text, zones and memo, and every annotation on it."""

    view: DocumentView
    rows: list[HighlightRow]


@dataclass(frozen=True)
class ProjectOverview:
    """The project as the window first shows it.

    ``coder`` is the one the app codes as (``None`` when no name was given: the app asks first);
    ``segments`` and ``first_document`` are there when they were asked for, and ``own_counts``
    with the first document when other coders coded too (the panels count the coder's alone
    while the others' annotations are hidden).
    """

    coder: CoderInfo | None
    codes: list[CodeInfo]
    coders: list[CoderInfo]
    documents: list[DocumentSummary]
    segments: SegmentsPage | None = None
    first_document: OpenedDocument | None = None
    own_counts: AnnotationCounts | None = None  # the coder's alone, where others coded too


def find_coder(coders: list[CoderInfo], name: str) -> CoderInfo | None:
    """The coder among ``coders`` that ``name`` stands for (names are compared as stored)."""
    cleaned = clean_name(name, what="coder name", limit=MAX_CODER_NAME_LENGTH)
    return next((c for c in coders if c.name == cleaned), None)


def read_overview(
    store: ProjectStore,
    coder_name: str | None,
    *,
    segments_limit: int | None = None,
    first_document: bool = False,
) -> ProjectOverview:
    """Read what the window shows first; make the coder ``coder_name`` if the project lacks it.

    With ``segments_limit`` the first page of segments is read too, and with ``first_document``
    the first work (the one the window opens) with its annotations. Independent reads run side
    by side, each on a connection of its own: on a distant server each costs a few round trips,
    and waiting for them one after another took twice as long.

    The cyclic garbage collector is paused meanwhile: the reads build tens of thousands of
    acyclic rows, and the full collections they set off held the interpreter lock for half a
    second at a time (measured with 1,000 works), freezing the window the reads were meant to
    spare.
    """
    with gc_paused():  # see below
        return _read(store, coder_name, segments_limit, first_document)


def _read(
    store: ProjectStore, coder_name: str | None, segments_limit: int | None, first_document: bool
) -> ProjectOverview:
    listed_coders = _started(list_coders, store)
    listed_codes = _started(list_codes, store)
    listed_documents = _started(list_documents, store)
    page = _started(_segments_page, store, segments_limit) if segments_limit is not None else None
    started: list[Future[Any]] = [
        f for f in (listed_coders, listed_codes, listed_documents, page) if f is not None
    ]
    try:
        coders = listed_coders.result()
        coder = None
        if coder_name is not None:
            coder = find_coder(coders, coder_name)
            if coder is None:  # new to this project: the one write of an open
                coder = ensure_coder(store, coder_name)
                coders = list_coders(store)
        documents = listed_documents.result()
        opened: OpenedDocument | None = None
        own_counts: AnnotationCounts | None = None
        if first_document and coder is not None:
            others_coded = any(c.count for c in coders if c.id != coder.id)
            own = _started(annotation_counts, store, coder.id) if others_coded else None
            if own is not None:
                started.append(own)
            if documents:
                opened = _opened_document(store, documents[0].id, coder.id)
            own_counts = own.result() if own is not None else None
        codes = listed_codes.result()
        segments = page.result() if page is not None else None
    finally:
        wait(started)  # a failure leaves no read running on a store the caller will close
    return ProjectOverview(coder, codes, coders, documents, segments, opened, own_counts)


def _segments_page(store: ProjectStore, limit: int) -> SegmentsPage:
    rows = list_segments(store, SegmentFilter(), limit)
    total = len(rows) if len(rows) < limit else count_segments(store, SegmentFilter())
    return SegmentsPage(rows, total)


def _opened_document(store: ProjectStore, document_id: int, coder_id: int) -> OpenedDocument | None:
    view = _started(load_document, store, document_id, coder_id)
    rows = _started(highlight_rows, store, document_id)
    started: list[Future[Any]] = [view, rows]
    try:
        return OpenedDocument(view.result(), rows.result())
    except NotFoundError:  # deleted by another user just now: the window opens none
        return None
    finally:
        wait(started)


def _started(fn: Callable[..., T], *args: object) -> Future[T]:
    """``fn(*args)`` running on a daemon thread: one that waits on a locked table forever must
    not keep the app from quitting (``ThreadPoolExecutor`` threads are joined at exit)."""
    future: Future[T] = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)

    threading.Thread(target=run, name="annotator-overview", daemon=True).start()
    return future
