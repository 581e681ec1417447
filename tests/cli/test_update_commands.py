"""``annotator update`` and ``annotator reviews`` on a real project (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.services import annotations as ann
from annotator.store.project import open_project
from tests.cli.conftest import Run
from tests.services.work_update_support import make_team

OLD = "The cat sat on the mat.\n\nIt was a sunny day in June.\n\nThen it rained."
NEW = "The dog sat on the mat.\n\nIt was a sunny day in June.\n\nLater, snow fell all night."


def test_update_prints_the_counts_writes_the_moved_annotations_and_reviews_lists_what_waits(
    project_target: str, run: Run, tmp_path: Path
) -> None:
    first, second = tmp_path / "work.txt", tmp_path / "work-later.txt"
    first.write_text(OLD, encoding="utf-8")
    second.write_text(NEW, encoding="utf-8")
    assert run("new", project_target, "--codebook", "empty")[0] == 0
    assert run("import", project_target, str(first))[0] == 0
    store = open_project(project_target)
    try:
        [coder], [code] = make_team(store, 1, 1)
        for words in ("cat sat", "sunny day", "rained"):
            ann.apply_code(store, 1, OLD.index(words), OLD.index(words) + len(words), code, coder)
    finally:
        store.close()

    status, out, err = run("update", project_target, str(second))
    assert status == 1 and "not updated: work-later.txt has no AO3 work id" in out

    moved = tmp_path / "moved.csv"
    status, out, err = run("update", project_target, str(second), "--document", "1", "--csv", str(moved))
    assert status == 0, err
    assert "updated document 1 “work” to version 2 from work-later.txt: 2 annotations to review" in out
    lines = [line.split() for line in out.splitlines()]
    assert ["all", "annotations", "1", "1", "1"] in lines
    assert ["coder", "coder0", "1", "1", "1"] in lines
    assert ["code", "Code", "0", "1", "1", "1"] in lines
    with moved.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["kind"], r["old_quote"], r["new_quote"]) for r in rows) == [
        ("changed", "cat sat", "dog sat"),
        ("exact", "sunny day", "sunny day"),
        ("orphaned", "rained", ""),
    ]

    status, out, _ = run("reviews", project_target)
    assert status == 0
    assert "3 annotations re-anchored by updates of 1 work; 2 waiting for review" in out
    assert "changed annotation 1 on document 1: “cat sat” [4, 11) → “dog sat” [4, 11)" in out
    assert "orphaned annotation 3 on document 1: “rained”" in out and "(text gone)" in out

    status, out, _ = run("update", project_target, str(second), "--document", "1")
    assert status == 1 and "has now; nothing to update" in out
