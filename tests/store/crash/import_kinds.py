"""Writers that bring files in: a whole folder of works, and the ``annotator code`` command.

``folder`` imports a folder of works the way a researcher does (``files_to_import`` then
``import_files``: one transaction per file): AO3 HTML downloads from ``../shared/samples/real``
when that folder is there, a Markdown and a plain-text work, each copy made unique by a line of
its own. The import's progress callback runs between files, so the file before it is
acknowledged there. KEY the file name, STATE ``ok`` when the work has exactly the attributes and
zones its importer gives (read again by the parent from the file).

``cli`` runs ``annotator code …`` in the killed process: ``annotator.cli.main`` in a child of
the warm host (the same code as the installed command, without paying Python's start-up), and a
few times as the real command in a new interpreter. An annotation is acknowledged when the
command exited 0 and printed ``annotation N: …``. KEY ``cli-<tag>`` (the memo), STATE the id.
"""

from __future__ import annotations

import os
import random
import re
import sys
from functools import cache
from itertools import count
from pathlib import Path

from sqlalchemy import Connection

from annotator.io.file_selection import files_to_import
from annotator.io.importers import read_document
from annotator.services import codebook as cb
from annotator.services.documents import import_files
from annotator.store.project import ProjectStore
from tests.store.crash.protocol import ANY, Journal, Kind, State, rows

REPO = Path(__file__).resolve().parents[3]
REAL_SAMPLES = REPO.parent / "shared" / "samples" / "real"
AO3_SAMPLES = ("218676_incompleteWork.html", "first-as-farce.html")
_NAME = re.compile(r"^F_(?P<tag>[^_]+)_(?P<index>\d+)_")


def _ao3_copy(raw: str, marker: str) -> str:
    """The download with ``marker`` as the first words of the work's text."""
    body = raw.index("<p", raw.index('id="chapters"'))
    cut = raw.index(">", body) + 1
    return f"{raw[:cut]}{marker} {raw[cut:]}"


def work_files(marker: str) -> list[tuple[str, str]]:
    """(file name suffix, content) of one folder's works, each containing ``marker``."""
    files = [
        (f"{name}", _ao3_copy((REAL_SAMPLES / name).read_text(encoding="utf-8"), marker))
        for name in AO3_SAMPLES
        if (REAL_SAMPLES / name).is_file()
    ]
    files.append(("notes.md", f"# {marker}\n\nShe *said* it twice.\n\n## Later\n\nHe did not.\n"))
    files.append(("story.txt", f"{marker}\n\nA plain story, two paragraphs.\n\nThe end.\n"))
    return files


class ImportFolder(Kind):
    name = "folder"
    longest_delay = 0.4  # each file is read and parsed (an AO3 download: ~30 ms) before it is stored

    def _make_folder(self, folder_tag: str) -> Path:
        folder = self.folder / f"import-{folder_tag}"
        folder.mkdir()
        for index, (suffix, content) in enumerate(work_files(f"Copy {folder_tag}.")):
            (folder / f"F_{folder_tag}_{index}_{suffix}").write_text(content, encoding="utf-8")
        return folder

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        folder = self._make_folder(f"{tag}-0")
        journal.ready()
        for n in count(1):
            names = [p.name for p in files_to_import([folder]).files]

            def progress(done: int, total: int, name: str, names: list[str] = names) -> None:
                if done > 0:
                    journal.done(names[done - 1], "ok")  # its transaction committed before this call
                if done < total:
                    journal.doing(names[done], "ok")

            report = import_files(store, [folder / name for name in names], progress)
            assert not report.failed and not report.duplicates, (report.failed, report.duplicates)
            folder = self._make_folder(f"{tag}-{n}")  # the researcher's next folder

    def observe(self, db: Connection) -> State:
        found = rows(
            db,
            "SELECT d.source_name, "
            "(SELECT count(*) FROM document_attributes a WHERE a.document_id = d.id) AS a, "
            "(SELECT count(*) FROM document_zones z WHERE z.document_id = d.id) AS z "
            "FROM documents d WHERE d.source_name LIKE 'F\\_%' ESCAPE '\\'",
        )
        state: State = {}
        for r in found:
            match = _NAME.match(r.source_name)
            assert match, r.source_name
            path = self.folder / f"import-{match['tag']}" / r.source_name
            state[r.source_name] = "ok" if (r.a, r.z) == _expected(path) else f"{r.a}:{r.z}"
        return state


@cache
def _expected(path: Path) -> tuple[int, int]:
    doc = read_document(path)
    return sum(len(values) for values in doc.attributes.values()), len(doc.zones)


CLI_CODE = "CLI/Mark"


class CommandLine(Kind):
    name = "cli"
    ends_by_itself = True

    def prepare(self, store: ProjectStore) -> None:
        cb.add_code(store, "Mark", cb.add_code(store, "CLI").id)

    @staticmethod
    def arguments(location: str, tag: str) -> list[str]:
        start = int(tag) % 1900
        return [
            "code", location, "--document", "1", "--start", str(start), "--end", str(start + 7),
            "--code", CLI_CODE, "--coder", "cli", "--memo", f"cli-{tag}",
        ]  # fmt: skip

    def run_child(self, location: str, journal: Journal, rng: random.Random, tag: str) -> int:
        from annotator.cli import main

        output = os.open(f"{journal.path}.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(output, 1)  # the command's own output, as its caller would read it
        journal.ready()
        journal.doing(f"cli-{tag}", ANY)
        status = main(self.arguments(location, tag))
        sys.stdout.flush()
        return status

    def command(self, location: str, tag: str) -> list[str]:
        """The real command, in a new interpreter."""
        return [sys.executable, "-m", "annotator", *self.arguments(location, tag)]

    def acknowledged_by_exit(self, tag: str, exit_status: int | None, output: str) -> list[tuple[str, str]]:
        match = re.match(r"annotation (\d+): ", output)
        if exit_status == 0 and match:
            return [(f"cli-{tag}", match[1])]
        return []

    def observe(self, db: Connection) -> State:
        found = rows(db, "SELECT id, memo FROM annotations WHERE memo LIKE 'cli-%' ORDER BY id")
        state: State = {}
        for r in found:
            state[r.memo] = f"{state[r.memo]},{r.id}" if r.memo in state else str(r.id)
        return state
