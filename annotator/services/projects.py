"""Creating projects and describing them (the ``info`` command, the start page)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.types import CodeInfo, CoderInfo, DocumentSummary, ZoneSpec
from annotator.io.csv_codebook import read_codebook_csv
from annotator.io.csv_safety import CSV_ENCODING
from annotator.paths import default_codebook_path
from annotator.services.codebook import list_codes
from annotator.services.codebook_csv import apply_codebook_rows_in
from annotator.services.coders import list_coders
from annotator.services.document_structure import chapters_json, zones_by_document, zones_json
from annotator.services.documents import list_documents
from annotator.store.creation import create_store
from annotator.store.models import Annotation, Setting
from annotator.store.project import ProjectError, ProjectStore

CODEBOOK_CHOICES = ("fandom", "empty")


def create_project(target: str | os.PathLike[str], codebook: str = "fandom") -> ProjectStore:
    """Make a new project at ``target`` starting from the fandom codebook, none, or a CSV file.

    All or nothing: the project appears complete (schema, codebook, the ``initial_codebook``
    setting) or not at all, even if the process is killed midway, so a failed attempt never
    blocks making it again at the same place (see ``annotator.store.creation``).
    """
    rows = []
    if codebook == "fandom":
        source = default_codebook_path()
    elif codebook == "empty":
        source = None
    else:
        source = Path(codebook)
        if not source.is_file():
            raise ProjectError(f"codebook file {source} not found (or use 'fandom' or 'empty')")
    if source is not None:
        with source.open(encoding=CSV_ENCODING, newline="") as handle:
            rows = read_codebook_csv(handle, source.name)

    def start_codebook(session: Session) -> None:
        apply_codebook_rows_in(session, rows)
        session.add(Setting(key="initial_codebook", value=codebook))

    return create_store(target, start_codebook)


@dataclass(frozen=True)
class ProjectInfo:
    location: str
    documents: list[DocumentSummary]
    codes: list[CodeInfo]
    coders: list[CoderInfo]
    annotation_count: int
    zones: dict[int, list[ZoneSpec]] = field(default_factory=dict)  # by document id

    def to_json_dict(self) -> dict[str, object]:
        return {
            "project": self.location,
            "annotations": self.annotation_count,
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "format": d.source_format,
                    "length": d.length,
                    "annotations": d.annotation_count,
                    "attributes": d.attributes,
                    "zones": zones_json(self.zones.get(d.id, [])),
                    "chapters": chapters_json(self.zones.get(d.id, [])),
                }
                for d in self.documents
            ],
            "codes": [
                {"id": c.id, "path": c.path, "colour": c.colour, "annotations": c.count} for c in self.codes
            ],
            "coders": [
                {"id": c.id, "name": c.name, "role": c.role, "annotations": c.count} for c in self.coders
            ],
        }


def project_info(store: ProjectStore) -> ProjectInfo:
    with store.reading() as session:
        total = session.scalar(select(func.count()).select_from(Annotation)) or 0
        zones = zones_by_document(session)
    return ProjectInfo(
        location=store.location,
        documents=list_documents(store),
        codes=list_codes(store),
        coders=list_coders(store),
        annotation_count=total,
        zones=zones,
    )
