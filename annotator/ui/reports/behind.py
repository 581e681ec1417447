"""The segments behind one row of a report table: what clicking a figure lists.

Rows that are segments already (retrieval, memos, a work's strips, a cell's pairs) list
themselves; a count lists the segments it counts, read with the service's listings
(:func:`~annotator.services.reports_lists.retrieve_segments` with the row's coder or attribute
value, :func:`~annotator.services.reports_lists.cooccurrence_cell` for a pair of codes).
Runs on a worker thread: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from annotator.core.reports.data import ALL_CODERS, NO_VALUE
from annotator.core.reports.retrieval import Retrieved
from annotator.services import reports_lists
from annotator.services.report_runs import ReportRequest
from annotator.store.project import ProjectStore
from annotator.ui.reports.table_model import SegmentItem


def _item(hit: Retrieved) -> SegmentItem:
    return SegmentItem(
        hit.document_id, hit.title, hit.code, hit.coder, hit.start, hit.end, hit.text, hit.annotation_id
    )


def _direct(row: Mapping[str, object]) -> SegmentItem | None:
    start, end, document_id = row.get("start"), row.get("end"), row.get("document_id")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(document_id, int)):
        return None
    aid = row.get("annotation_id")
    text = row.get("text", row.get("quote", ""))
    return SegmentItem(
        document_id,
        str(row.get("document", "")),
        str(row.get("code", "")),
        str(row.get("coder", "")),
        start,
        end,
        str(text or ""),
        aid if isinstance(aid, int) else None,
    )


def segments_behind(
    store: ProjectStore, request: ReportRequest, row: Mapping[str, object]
) -> list[SegmentItem]:
    direct = _direct(row)
    if direct is not None:
        return [direct]
    flt = request.flt
    if "code_a" in row:
        pairs = reports_lists.cooccurrence_cell(
            store, str(row["code_a"]), str(row["code_b"]), request.proximity, flt
        )
        return [_item(hit) for pair in pairs for hit in pair]
    code = str(row.get("code", ""))
    if not code:
        return []
    keep = None
    if request.kind == "frequencies" and row.get("coder") not in (None, ALL_CODERS):
        flt = replace(flt, coders=(str(row["coder"]),))
    elif request.kind == "crosstab":
        attribute, value = str(row["attribute"]), str(row["value"])
        if value == NO_VALUE:
            keep = attribute  # works without the attribute: no filter names them, so keep by hand
        else:
            flt = replace(flt, attributes=(*flt.attributes, (attribute, value)))
    elif request.kind == "positions":
        position, where = str(row.get("position", "")), str(row.get("where", ""))
        return [_item(h) for h in reports_lists.position_cell(store, code, position, where, flt, context=0)]
    hits = _retrieve(store, code, flt)
    if keep is not None:
        hits = [h for h in hits if not h.attributes.get(keep)]
    return [_item(h) for h in hits]


def _retrieve(store: ProjectStore, code: str, flt: reports_lists.ReportFilter) -> list[Retrieved]:
    # Retrieval lists the code with its sub-codes, as a group's count holds them.
    groups = reports_lists.retrieve_segments(store, code, context=0, flt=flt)
    return [hit for _, hits in groups for hit in hits]
