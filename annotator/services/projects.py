"""Creating projects and describing them (the ``info`` command, the start page)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.orm import Session

from annotator.io.csv_codebook import read_codebook_csv
from annotator.io.csv_safety import CSV_ENCODING
from annotator.paths import default_codebook_path
from annotator.services.codebook_csv import apply_codebook_rows_in
from annotator.store.creation import create_store
from annotator.store.fast_reads import driver_connection, read_one_snapshot
from annotator.store.models import Setting
from annotator.store.project import ProjectError, ProjectStore
from annotator.store.project_summary import ProjectInfo, read_project_info

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


def project_info(store: ProjectStore) -> ProjectInfo:
    """Documents, codes, coders, zones and counts, read in one transaction (the queries
    ``annotator info`` also runs without SQLAlchemy, in :mod:`annotator.store.quick_info`)."""
    with store.reading() as session:
        read_one_snapshot(session)
        cursor = driver_connection(session).cursor()
        try:
            return read_project_info(cursor, store.location)
        finally:
            cursor.close()
