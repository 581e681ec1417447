"""The cheap revision check: opening an up-to-date project reads one row and never imports Alembic."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from annotator.services.projects import create_project
from annotator.store.migrations_runner import alembic_config, current_revision, head_revision
from annotator.store.project import _make_engine, open_project, resolve_target


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_an_empty_database_has_no_revision(project_target: str) -> None:
    url = resolve_target(project_target)
    engine = _make_engine(url) if url.get_backend_name() == "sqlite" else create_engine(url)
    try:
        assert current_revision(engine) is None
    finally:
        engine.dispose()


def test_opening_an_up_to_date_project_imports_no_alembic(project_target: str) -> None:
    create_project(project_target, codebook="empty").close()
    probe = (
        "import json, sys\n"
        "from annotator.store.project import open_project\n"
        f"store = open_project({project_target!r})\n"
        "store.close()\n"
        "print(json.dumps('alembic' in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=dict(os.environ), timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) is False
    store = open_project(project_target)
    try:
        assert current_revision(store.engine) == head_revision()
    finally:
        store.close()
