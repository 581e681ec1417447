"""The segments CSV's fast path: finished lines from raw rows, for exports of a million segments.

The columns and the rules for each cell (quoting, formula guard, timestamps) are those of
:mod:`annotator.io.csv_segments`; this module only arranges the work. Every per-document, per-code
and per-coder cell is finished once, a line is one f-string and a batch of lines is one ``write``
(``csv.writer`` took ~10 µs a row for long quotes). The builder is picklable, so a worker process
writing half of a large export writes the same bytes.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TextIO

from annotator.io.csv_segments import LINE_END, VALUE_SEPARATOR, csv_field, text_cell, timestamp_cell

SegmentRow = tuple[int, int, int, int, str, int, int, str, str, str]
"""(annotation id, document id, start, end, quote, code id, coder id, memo, created, updated), the
timestamps as text (see :func:`~annotator.io.csv_segments.timestamp_cell`), ordered by document."""

_NO_END = sys.maxsize  # past any offset: the end of a document's last zone


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
        self.prefix = f"{document_id},{text_cell(title)},{text_hash}"
        self.bounds = list(zone_bounds)
        ends = [*self.bounds[1:], _NO_END]
        self.zones = [
            (start, end, f"{csv_field(kind)},{'' if chapter is None else chapter}")
            for start, end, (kind, chapter) in zip(self.bounds, ends, zone_labels, strict=True)
        ]
        values = (VALUE_SEPARATOR.join(attributes.get(column, ())) for column in attribute_columns)
        self.suffix = "".join("," + text_cell(value) for value in values) + LINE_END


class SegmentLines:
    """Turns :data:`SegmentRow` batches into the data lines of a segments file.

    ``code_paths`` and ``coder_names`` are keyed by id. ``keep(quote, memo)``, when given, leaves
    out the rows it refuses (a text search); it must be picklable too, e.g. a ``functools.partial``.
    """

    def __init__(
        self,
        documents: Mapping[int, DocumentCells],
        code_paths: Mapping[int, str],
        coder_names: Mapping[int, str],
        keep: Callable[[str, str], bool] | None = None,
    ) -> None:
        self.documents = dict(documents)
        self.code_cells = {cid: f"{cid},{text_cell(path)}" for cid, path in code_paths.items()}
        self.coder_cells = {cid: text_cell(name) for cid, name in coder_names.items()}
        self.keep = keep

    def write_rows(self, batches: Iterable[Sequence[SegmentRow]], out: TextIO) -> int:
        """Write the lines of ``batches`` to ``out``, one ``write`` a batch; return how many.

        A row whose document, code or coder is unknown is left out: the names were read before
        the rows, so such a row was coded after the export began.
        """
        # This loop runs a million times: names are locals, the current document's cells and
        # zone are kept unpacked (rows come by document and start, so the zone rarely changes),
        # and dictionaries are indexed, not asked with get().
        documents, code_cells, coder_cells, keep = (
            self.documents,
            self.code_cells,
            self.coder_cells,
            self.keep,
        )
        cell, stamp, zone_at = text_cell, timestamp_cell, bisect_right
        count, current = 0, -1
        prefix, suffix, bounds, zones = "", "", [0], [(0, 0, "")]
        low, high, zone = 0, 0, ""
        for batch in batches:
            lines: list[str] = []
            append = lines.append
            for aid, did, start, end, quote, code_id, coder_id, memo, created, updated in batch:
                try:
                    if did != current:
                        cells = documents[did]
                        prefix, suffix, bounds, zones = cells.prefix, cells.suffix, cells.bounds, cells.zones
                        current, low, high = did, 0, 0
                    code_cell, coder_cell = code_cells[code_id], coder_cells[coder_id]
                except KeyError:
                    continue
                if keep is not None and not keep(quote, memo):
                    continue
                if not low <= start < high:
                    low, high, zone = zones[zone_at(bounds, start) - 1]
                created_cell = stamp(created)
                # A span never edited since it was coded carries the same time twice.
                updated_cell = created_cell if updated == created else stamp(updated)
                append(
                    f"{aid},{prefix},{zone},{start},{end},{cell(quote)},{code_cell},{coder_cell},"
                    f"{cell(memo) if memo else ''},{created_cell},{updated_cell}{suffix}"
                )
            out.write("".join(lines))
            count += len(lines)
        return count
