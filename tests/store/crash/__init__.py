"""Kill tests: writers of every kind SIGKILLed mid-action, and what each kill left checked.

``crash_writer.py`` (one warm host process) forks a writer per kill; :mod:`.campaign` kills
them and checks the project after each kill; :mod:`.protocol` is what both sides agree on; the
``*_kinds`` modules hold one class per kind of writer. Used by
``tests/store/test_crash_safety.py`` and ``benchmarks/bench_crash_safety.py``.
"""

from __future__ import annotations

from tests.store.crash.codebook_kinds import ImportCodebook, MoveCode
from tests.store.crash.coding_kinds import AddDocument, ApplyCode, EditMemo, ImportSegments
from tests.store.crash.delete_kinds import DeleteCode, UndoDeletion
from tests.store.crash.import_kinds import CommandLine, ImportFolder
from tests.store.crash.protocol import Kind
from tests.store.crash.team_kinds import Adjudicate, MergeCopy

KINDS: dict[str, type[Kind]] = {
    kind.name: kind
    for kind in (
        ApplyCode,
        EditMemo,
        DeleteCode,
        ImportSegments,
        AddDocument,
        MergeCopy,
        ImportCodebook,
        MoveCode,
        Adjudicate,
        UndoDeletion,
        ImportFolder,
        CommandLine,
    )
}
