"""The segments CSV's fast path: finished UTF-8 lines from raw rows, for exports of a million segments.

The columns and the rules for each cell (quoting, formula guard, timestamps) are those of
:mod:`annotator.io.csv_segments`; this module only arranges the work, in bytes. The rows' text
arrives as UTF-8 (``annotator.store.fast_reads.utf8_row_batches``) and leaves as UTF-8, so no
text is decoded or encoded on the way. Every per-document, per-code and per-coder cell is
finished once; a row only adds its pieces to one list per batch, joined once (``csv.writer``
took ~10 µs a row for long quotes, a text line built with an f-string and encoded ~3 µs); and a
thread writes the joined batches to the file while the next rows are read (:class:`ChunkWriter`).
"""

from __future__ import annotations

import codecs
import os
import queue
import sys
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import BinaryIO, TextIO

from annotator.io.csv_safety import TRIGGERS
from annotator.io.csv_segments import LINE_END, REVIEW_PENDING, VALUE_SEPARATOR, csv_field, text_cell

SegmentRow = tuple[int, int, int, int, bytes, int, int, bytes, bytes, bytes | None]
"""(annotation id, document id, start, end, quote, code id, coder id, memo, created, updated),
ordered by document, with text as UTF-8 bytes, the timestamps as text (see
:func:`~annotator.io.csv_segments.timestamp_cell`) and ``updated`` None when it equals ``created``."""

_NO_END = sys.maxsize  # past any offset: the end of a document's last zone
# Only a cell starting with one of these can need the formula guard.
_GUARD_FIRST = frozenset(character.encode() for character in TRIGGERS | {"'"})
_TRIGGERS = frozenset(character.encode() for character in TRIGGERS)
_UTF8_NAMES = frozenset({"utf-8", "utf-8-sig"})
_SYNC_DATA = getattr(os, "fdatasync", os.fsync)  # the data only, where the platform can


def _utf8(value: str) -> bytes:
    return value.encode("utf-8")


def _text_cell(value: bytes) -> bytes:
    """:func:`~annotator.io.csv_segments.text_cell` of UTF-8 text, in bytes: the formula guard of
    :func:`~annotator.io.csv_safety.guard_cell` (its triggers are ASCII, so a byte never stands for
    part of another character), then ``csv.writer``'s quoting. A test holds the two equal."""
    if value[:1] in _GUARD_FIRST and value.lstrip(b"'")[:1] in _TRIGGERS:
        value = b"'" + value
    if b'"' in value:
        return b'"' + value.replace(b'"', b'""') + b'"'
    if b"," in value or b"\n" in value or b"\r" in value:
        return b'"' + value + b'"'
    return value


class DocumentCells:
    """The cells of one document, finished once: id, title, hash, zone and chapter, attributes.

    ``zone_bounds`` are sorted offsets starting with 0; text from ``zone_bounds[i]`` up to the next
    bound lies in zone ``zone_labels[i]``, a (kind, chapter number or None) pair.
    """

    def __init__(
        self,
        document_id: int,
        title: str,
        text_hash: str,
        zone_bounds: Sequence[int],
        zone_labels: Sequence[tuple[str, int | None]],
        attributes: Mapping[str, Sequence[str]],
        attribute_columns: Sequence[str],
    ) -> None:
        self.prefix = _utf8(f"{document_id},{text_cell(title)},{text_hash},")
        self.bounds = list(zone_bounds)
        ends = [*self.bounds[1:], _NO_END]
        self.zones = [
            (start, end, _utf8(f"{csv_field(kind)},{'' if chapter is None else chapter},"))
            for start, end, (kind, chapter) in zip(self.bounds, ends, zone_labels, strict=True)
        ]
        values = (VALUE_SEPARATOR.join(attributes.get(column, ())) for column in attribute_columns)
        rest = "".join("," + text_cell(value) for value in values) + LINE_END
        # The review cell, then the attributes: one finished tail for rows waiting for review and
        # one for the others, so a row only chooses between them.
        self.suffix = _utf8("," + rest)
        self.pending_suffix = _utf8("," + REVIEW_PENDING + rest)


class SegmentLines:
    """Turns :data:`SegmentRow` batches into the data lines of a segments file.

    ``code_paths`` and ``coder_names`` are keyed by id. ``keep(quote, memo)``, when given, leaves
    out the rows it refuses (a text search). ``pending`` holds the ids of annotations waiting for
    review after an update: their review cell says ``pending``.
    """

    def __init__(
        self,
        documents: Mapping[int, DocumentCells],
        code_paths: Mapping[int, str],
        coder_names: Mapping[int, str],
        keep: Callable[[str, str], bool] | None = None,
        pending: Iterable[int] = (),
    ) -> None:
        self.documents = dict(documents)
        self.pending = frozenset(pending)
        self.code_cells = {cid: _utf8(f"{cid},{text_cell(path)},") for cid, path in code_paths.items()}
        self.coder_cells = {cid: _utf8(text_cell(name) + ",") for cid, name in coder_names.items()}
        self.keep = keep

    def write_rows(self, batches: Iterable[Sequence[SegmentRow]], out: TextIO) -> int:
        """Write the lines of ``batches`` to ``out``; return how many.

        A row whose document, code or coder is unknown is left out (read from one snapshot with
        the names, as the export reads them, there is none). When ``out`` is a UTF-8 file the lines
        go to its binary buffer from a :class:`ChunkWriter`; to any other text stream, as text.
        """
        count = 0
        buffer = utf8_buffer(out)
        if buffer is None:
            for chunk, lines in self.chunks(batches):
                out.write(chunk.decode("utf-8"))
                count += lines
            return count
        # The text layer writes what it holds (a byte-order mark included) before the bytes follow.
        out.write("")
        out.flush()
        with ChunkWriter(buffer) as writer:
            for chunk, lines in self.chunks(batches):
                writer.write(chunk)
                count += lines
        return count

    def chunks(self, batches: Iterable[Sequence[SegmentRow]]) -> Iterator[tuple[bytes, int]]:
        """The lines of each batch as one UTF-8 ``bytes``, with how many lines it holds."""
        # This loop runs a million times, so it is written for CPython: names are locals; the
        # current document's cells and zone are kept unpacked (rows come by document and start,
        # so the zone rarely changes); the code and coder cells of a pair are joined once; a
        # quote's cell is its bytes between separators chosen here (copied only to double a '"');
        # and a row adds five or six pieces to its batch's list, joined once.
        documents, code_cells, coder_cells, keep, pending = (
            self.documents,
            self.code_cells,
            self.coder_cells,
            self.keep,
            self.pending,
        )
        cell, guard_first, zone_at = _text_cell, _GUARD_FIRST, bisect_right
        pairs: dict[int, bytes] = {}  # (code id << 32 | coder id) → "code id,code path,coder,"
        current = -1
        prefix, suffix, waiting, bounds, zones = b"", b"", b"", [0], [(0, 0, b"")]
        low, high, zone = 0, 0, b""
        for batch in batches:
            pieces: list[bytes] = []
            extend = pieces.extend
            count = 0
            for aid, did, start, end, quote, code_id, coder_id, memo, created, updated in batch:
                try:
                    if did != current:
                        cells = documents[did]
                        prefix, suffix, waiting = cells.prefix, cells.suffix, cells.pending_suffix
                        bounds, zones = cells.bounds, cells.zones
                        current, low, high = did, 0, 0
                    try:
                        pair = pairs[code_id << 32 | coder_id]
                    except KeyError:
                        pair = pairs[code_id << 32 | coder_id] = code_cells[code_id] + coder_cells[coder_id]
                except KeyError:
                    continue
                if keep is not None and not keep(quote.decode("utf-8"), memo.decode("utf-8")):
                    continue
                if not low <= start < high:
                    low, high, zone = zones[zone_at(bounds, start) - 1]
                if quote[:1] in guard_first:
                    opening, quote, closing = b",", cell(quote), b","
                elif b'"' in quote:
                    opening, quote, closing = b',"', quote.replace(b'"', b'""'), b'",'
                elif b"," in quote or b"\n" in quote or b"\r" in quote:
                    opening, closing = b',"', b'",'
                else:
                    opening = closing = b","
                head = b"%d,%b%b%d,%d%b" % (aid, prefix, zone, start, end, opening)
                if updated is None:  # never edited since it was coded: the same time twice
                    day, time = created[:10], created[11:19]
                    stamps = b",%bT%bZ,%bT%bZ" % (day, time, day, time)
                else:
                    stamps = b",%bT%bZ,%bT%bZ" % (created[:10], created[11:19], updated[:10], updated[11:19])
                tail = waiting if aid in pending else suffix
                if memo:
                    extend((head, quote, closing, pair, cell(memo), stamps, tail))
                else:
                    extend((head, quote, closing, pair, stamps, tail))
                count += 1
            yield b"".join(pieces), count


def utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The binary file under ``out`` when bytes written there are what text written to ``out`` would
    become: ``out`` encodes UTF-8 (with a byte-order mark or not) on a platform whose line end is
    ``\\n`` (opened with ``newline=""``, as CSV files must be, or with the default). None for
    anything else, e.g. a StringIO, which then receives text."""
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is None or not isinstance(encoding, str) or os.linesep != "\n":
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return buffer if name in _UTF8_NAMES else None


class ChunkWriter:
    """Writes byte chunks to a binary file from a thread of its own, in order.

    Writing 700 MB costs the kernel ~1.5 s of copying on these machines; ``write`` releases the
    GIL while it copies, so from a thread that time overlaps the reading and line building of
    the next chunks. Every ``sync_bytes`` the thread also flushes a file to the disk, so that the
    writer's final ``fsync`` (see :mod:`annotator.io.atomic`) waits for the last part only.
    At most ``depth`` chunks wait. A failed write is raised by the next :meth:`write` or by
    :meth:`close`; leaving the ``with`` block waits until every chunk is written (or the thread
    has stopped), so the caller may then close or delete the file.
    """

    def __init__(self, target: BinaryIO, depth: int = 4, sync_bytes: int = 64 << 20) -> None:
        self._target = target
        self._sync_bytes = sync_bytes
        self._chunks: queue.Queue[bytes | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="segments-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        unsynced = 0
        while (chunk := self._chunks.get()) is not None:
            if self._error is not None:
                continue  # after a failure, only drain so the producer never blocks
            try:
                self._target.write(chunk)
                unsynced += len(chunk)
                if unsynced >= self._sync_bytes:
                    unsynced = 0
                    self._sync()
            except BaseException as exc:
                self._error = exc

    def _sync(self) -> None:
        try:
            descriptor = self._target.fileno()
        except (OSError, ValueError, AttributeError):
            self._sync_bytes = sys.maxsize  # not a file of its own (e.g. BytesIO): nothing to sync
            return
        self._target.flush()
        try:
            _SYNC_DATA(descriptor)
        except OSError:
            self._sync_bytes = sys.maxsize  # e.g. a pipe; the data itself was written

    def write(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._chunks.put(chunk)

    def close(self) -> None:
        """Wait until every chunk is written; raise the error that stopped the writing, if any."""
        if self._thread.is_alive():
            self._chunks.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
            return
        # Already failing: stop the thread and let the first exception be the one raised.
        self._error = self._error or exc
        if self._thread.is_alive():
            self._chunks.put(None)
            self._thread.join()
