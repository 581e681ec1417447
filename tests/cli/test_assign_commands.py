"""``annotator assign`` as a researcher runs it: by coder and ids, from a CSV, listed, refused."""

from __future__ import annotations

from pathlib import Path

from annotator.services.coders import ensure_coder
from annotator.store.project import ProjectStore
from tests.cli.conftest import Run
from tests.team_support import document_id


def _location(store: ProjectStore) -> str:
    return store.location if store.is_sqlite else store.url.render_as_string(hide_password=False)


def test_assign_list_unassign_and_csv(run: Run, seeded_project: ProjectStore, tmp_path: Path) -> None:
    for name in ("alice", "bob"):
        ensure_coder(seeded_project, name)
    where = _location(seeded_project)
    doc0, doc1 = document_id(seeded_project, 0), document_id(seeded_project, 1)

    status, _, err = run("assign", where, "--coder", "alice", "--documents", f"{doc0},{doc1}")
    assert status == 0 and err.strip() == "2 assignment(s) added, 0 removed"
    status, _, err = run("assign", where, "--coder", "alice", "--documents", str(doc1), "--unassign")
    assert status == 0 and err.strip() == "0 assignment(s) added, 1 removed"
    sheet = tmp_path / "who.csv"
    sheet.write_text(f"document_id,coder\n{doc1},bob\n", encoding="utf-8")
    status, _, err = run("assign", where, "--from-csv", str(sheet))
    assert status == 0 and err.strip() == "1 assignment(s) added, 0 removed"

    status, out, _ = run("assign", where)
    lines = {line.split("\t")[0]: line.split("\t")[2] for line in out.splitlines()}
    assert lines[str(doc0)] == "alice" and lines[str(doc1)] == "bob"
    assert lines[str(document_id(seeded_project, 2))] == "(no assignments: every coder counts)"


def test_assign_refuses_unknown_names_and_half_given_options(run: Run, seeded_project: ProjectStore) -> None:
    where = _location(seeded_project)
    status, _, err = run("assign", where, "--coder", "nobody", "--documents", "1")
    assert status == 1 and err == "annotator: error: no coder named 'nobody'\n"
    status, _, err = run("assign", where, "--coder", "alice")
    assert status == 1 and "--coder and --documents go together" in err
    status, _, err = run("assign", where, "--coder", "alice", "--documents", "x")
    assert status == 1 and "document ids are whole numbers" in err
