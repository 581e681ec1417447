"""``annotator versions`` lists an updated work's versions and exports an old one; report and export
commands flag or leave out annotations waiting for review (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.services.work_updates import versions_of
from annotator.store.project import ProjectStore, open_project
from tests.cli.conftest import Run
from tests.services.waiting_support import UpdatedProject, updated_with_waiting

NOTE = "2 annotations moved by an update wait for review and are not counted"


def _updated(target: str, run: Run, tmp_path: Path) -> UpdatedProject:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    assert run("new", target)[0] == 0
    status, _, err = run("import", target, *sorted(str(p) for p in seeds.iterdir() if p.is_file()))
    assert status == 0, err
    store: ProjectStore = open_project(target)
    try:
        return updated_with_waiting(store, tmp_path)
    finally:
        store.close()


def test_versions_lists_each_version_and_exports_an_old_one(
    project_target: str, run: Run, tmp_path: Path
) -> None:
    updated = _updated(project_target, run, tmp_path)
    doc = str(updated.work.document_id)
    store = open_project(project_target)
    try:
        versions = versions_of(store, updated.work.document_id)
    finally:
        store.close()
    status, out, err = run("versions", project_target, doc)
    assert status == 0, err
    lines = [line.split() for line in out.splitlines()]
    assert lines[0] == ["version", "imported", "characters", "file"]
    assert [line[0] for line in lines[1:]] == ["1", "2"]
    assert lines[2][1] == "(current)"
    first, current = versions
    assert lines[1][1:] == [
        f"{first.imported_at:%Y-%m-%d}",
        f"{first.imported_at:%H:%M}",
        str(len(updated.work.old_text)),
        first.source_name,
    ]
    assert lines[2][2:] == [
        f"{current.imported_at:%Y-%m-%d}",
        f"{current.imported_at:%H:%M}",
        str(current.length),
        current.source_name,
    ]

    target = tmp_path / "exports" / "old version.txt"
    target.parent.mkdir()
    status, out, err = run("versions", project_target, doc, "--export", "1", str(target))
    assert status == 0, err
    assert target.read_bytes() == updated.work.old_text.encode("utf-8")
    assert f"wrote version 1 of document {doc} ({len(updated.work.old_text)} characters)" in err
    assert [p.name for p in target.parent.iterdir()] == ["old version.txt"]  # no temporary left

    status, _, err = run("versions", project_target, doc, "--export", "7", str(target))
    assert status == 1 and f"document {doc} has no version 7" in err
    assert target.read_bytes() == updated.work.old_text.encode("utf-8")
    status, _, err = run("versions", project_target, doc, "--export", "one", str(target))
    assert status == 1 and "--export wants a version number" in err
    status, _, err = run("versions", project_target, "99")
    assert status == 1 and "no document with id 99" in err


def test_reports_leave_out_and_exports_flag_annotations_waiting_for_review(
    project_target: str, run: Run, tmp_path: Path
) -> None:
    updated = _updated(project_target, run, tmp_path)
    status, out, err = run("report", project_target, "frequencies")
    assert status == 0, err
    assert f"  - {NOTE}" in out.splitlines()
    page = tmp_path / "report.html"
    edited = updated.work.code_names["edited"]
    status, out, err = run("report", project_target, "retrieve", "--code", edited, "--html", str(page))
    assert status == 0, err
    assert out.splitlines()[-2:] == ["Notes:", f"  - {NOTE}"]
    assert f"<li>{NOTE}</li>" in page.read_text(encoding="utf-8")
    segments = tmp_path / "segments.csv"
    status, _, err = run("export", project_target, "--segments", str(segments))
    assert status == 0, err
    with segments.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {int(r["annotation_id"]) for r in rows if r["review"] == "pending"} == updated.waiting
    assert {int(r["annotation_id"]) for r in rows if r["review"] == ""} == updated.counted
