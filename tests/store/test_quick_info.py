"""``annotator info`` reads a project file with the standard library's sqlite3 (no SQLAlchemy to
import): it must show exactly what the services show, and leave to the usual open every project
it should not read itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.services.codebook import add_code, list_codes
from annotator.services.coders import list_coders
from annotator.services.documents import import_files, list_documents
from annotator.services.projects import create_project, project_info
from annotator.store.lock import EXCLUSIVE, ProjectLock
from annotator.store.project import ProjectStore, open_project
from annotator.store.quick_info import quick_project_info
from tests.conftest import SEEDS
from tests.team_support import ALICE, BOB, code_as

AO3 = Path(__file__).resolve().parents[1] / "io" / "data"
WORKS = [AO3 / "ao3-multi-chapter.html", AO3 / "ao3-single-chapter.html", *SEEDS]


def _coded(store: ProjectStore) -> None:
    report = import_files(store, WORKS)
    assert not report.failed and len(report.imported) == len(WORKS)
    parent = next(c for c in list_codes(store) if c.parent_id is None)
    add_code(store, "Zürich <b>ſ</b>", parent_id=parent.id)  # sorted and shown as stored
    code_as(store, "alice", ALICE)
    code_as(store, "bob", BOB)


def test_the_services_read_what_the_orm_reads_on_either_backend(project_target: str) -> None:
    store = create_project(project_target, codebook="fandom")
    try:
        _coded(store)
        info = project_info(store)
        assert info.documents == list_documents(store)
        assert info.codes == list_codes(store)
        assert info.coders == list_coders(store)
        assert info.annotation_count == len(ALICE) + len(BOB) > 0
        chapters = [z for zones in info.zones.values() for z in zones if z.kind == "chapter"]
        assert len(chapters) >= 3 and all(z.start < z.end for z in chapters)
    finally:
        store.close()


def test_a_project_file_is_read_without_sqlalchemy_exactly_as_the_services_read_it(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    store = create_project(path, codebook="fandom")
    _coded(store)
    store.close()
    quick = quick_project_info(str(path))
    store = open_project(path)
    try:
        assert quick is not None and quick == project_info(store)
    finally:
        store.close()
    assert quick.location == str(path.resolve())


def test_what_it_should_not_read_is_left_to_the_usual_open(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    create_project(path, codebook="empty").close()
    assert quick_project_info(str(path)) is not None
    assert quick_project_info("postgresql+psycopg://postgres@127.0.0.1:5432/test") is None
    assert quick_project_info(str(tmp_path / "missing.annotator")) is None
    (tmp_path / "notes.txt").write_text("not a database at all", encoding="utf-8")
    assert quick_project_info(str(tmp_path / "notes.txt")) is None
    # The app holds it: the usual open names the holder in its refusal.
    lock = ProjectLock.acquire(path, EXCLUSIVE, "the annotator app")
    try:
        assert quick_project_info(str(path)) is None
    finally:
        if lock is not None:
            lock.release()
    # A schema this version did not write (older: the usual open upgrades it; newer: refuses).
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0006'")
    connection.close()
    assert quick_project_info(str(path)) is None
