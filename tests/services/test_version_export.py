"""An old version of an updated work is exported as it was: UTF-8 text, atomically, both backends."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.services.documents import document_text
from annotator.services.version_export import export_version, write_version_text
from annotator.services.work_updates import update_document
from annotator.store.project import ProjectStore
from tests.ui.updates.edited_work import coded_and_edited


def test_each_version_is_written_as_its_text_in_utf8(seeded_project: ProjectStore, tmp_path: Path) -> None:
    store = seeded_project
    work = coded_and_edited(store, tmp_path)
    update_document(store, work.path, document_id=work.document_id)
    old, current = tmp_path / "old.txt", tmp_path / "current.txt"
    assert export_version(store, work.document_id, 1, old) == len(work.old_text)
    assert old.read_bytes() == work.old_text.encode("utf-8")  # no byte-order mark, \n kept
    assert export_version(store, work.document_id, 2, current) == len(work.new_text)
    assert current.read_text(encoding="utf-8") == document_text(store, work.document_id)
    stream = io.StringIO()
    assert write_version_text(store, work.document_id, 1, stream) == len(work.old_text)
    assert stream.getvalue() == work.old_text
    # Exporting again replaces the file whole; a version that does not exist leaves it as it was.
    assert export_version(store, work.document_id, 1, current) == len(work.old_text)
    assert current.read_text(encoding="utf-8") == work.old_text
    with pytest.raises(UserError, match=f"document {work.document_id} has no version 3"):
        export_version(store, work.document_id, 3, current)
    assert current.read_text(encoding="utf-8") == work.old_text
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []
