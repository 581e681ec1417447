"""The schema revision this version of annotator writes, read without importing Alembic or SQLAlchemy.

Opening a project compares it with the project's ``alembic_version``; ``annotator info`` on a
project file does so before it reads anything (:mod:`annotator.store.quick_info`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The module-level assignments every migration file starts with (Alembic's own template).
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(None|[\"'][^\"']+[\"'])", re.M)


@cache
def head_revision() -> str:
    """The newest revision: the one no migration file names as its ``down_revision``.

    Read from the files' text (a few small files, < 1 ms) rather than through Alembic's script
    directory, which imports Alembic and every migration. ``tests/store/test_migrations_runner.py``
    checks it against Alembic's answer.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(found["revision"].strip("\"'"))
        parent = found.get("down_revision", "None")
        if parent != "None":
            parents.add(parent.strip("\"'"))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()
