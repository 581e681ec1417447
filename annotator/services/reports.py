"""Reports over a project: the one source of every figure the CLI, the Reports window and the
report CSV files show.

Each function gathers the data a :class:`ReportFilter` selects (:mod:`.reports_data`) and
computes the report with :mod:`annotator.core.reports`; the lists (retrieval, memos, the pairs
behind a co-occurrence cell) are in :mod:`.reports_lists`.
"""

from __future__ import annotations

from sqlalchemy import select

from annotator.core.reports.attributes import PUBLISHED_YEAR, WORDS_BAND, attribute_name
from annotator.core.reports.cooccurrence import CooccurrenceReport, Proximity, code_cooccurrence
from annotator.core.reports.crosstab import CrosstabReport, code_crosstab
from annotator.core.reports.frequencies import FrequencyReport, code_frequencies
from annotator.core.reports.positions import DocumentStrip, PositionReport, code_positions, document_strip
from annotator.services.errors import NotFoundError, ServiceError
from annotator.services.reports_data import PARTS, ReportFilter, load_report_data
from annotator.store.models import DocumentAttribute
from annotator.store.project import ProjectStore

__all__ = [
    "PARTS",
    "NotFoundError",
    "Proximity",
    "ReportFilter",
    "ServiceError",
    "cooccurrence_report",
    "crosstab_report",
    "document_report",
    "frequencies_report",
    "load_report_data",
    "positions_report",
]


def frequencies_report(store: ProjectStore, flt: ReportFilter | None = None) -> FrequencyReport:
    """Code frequencies per code (groups rolled up) and coder: see ``core.reports.frequencies``."""
    return code_frequencies(load_report_data(store, flt, need_zones=False))


def crosstab_report(store: ProjectStore, attribute: str, flt: ReportFilter | None = None) -> CrosstabReport:
    """Codes by the values of ``attribute`` (as typed: ``fandom``, ``words band`` …)."""
    key = attribute_name(attribute)
    if not key:
        raise ServiceError("name the attribute to cross the codes with, e.g. rating or fandom")
    if key not in (WORDS_BAND, PUBLISHED_YEAR):
        with store.reading() as session:
            known = sorted({name for (name,) in session.execute(select(DocumentAttribute.name).distinct())})
        if key not in {name.casefold() for name in known}:
            shown = ", ".join([*known, WORDS_BAND, PUBLISHED_YEAR])
            raise NotFoundError(f"no work has the attribute {attribute!r}; attributes: {shown}")
    return code_crosstab(load_report_data(store, flt, need_zones=False), key)


def cooccurrence_report(
    store: ProjectStore, proximity: Proximity | None = None, flt: ReportFilter | None = None
) -> CooccurrenceReport:
    proximity = proximity or Proximity()
    mode = proximity.mode
    data = load_report_data(store, flt, need_text=mode == "paragraph", need_zones=mode == "chapter")
    return code_cooccurrence(data, proximity)


def positions_report(store: ProjectStore, flt: ReportFilter | None = None) -> PositionReport:
    return code_positions(load_report_data(store, flt))


def document_report(store: ProjectStore, document_id: int, flt: ReportFilter | None = None) -> DocumentStrip:
    """One work's strips (the filter's coders, codes and zones apply; its work choice does not)."""
    flt = flt or ReportFilter()
    narrowed = ReportFilter(flt.coders, flt.code_paths, (document_id,), (), flt.zones, flt.part)
    data = load_report_data(store, narrowed)
    if document_id not in data.works:
        raise NotFoundError(f"no document with id {document_id}")
    return document_strip(data, document_id)
