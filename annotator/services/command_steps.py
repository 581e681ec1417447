"""What every undoable command shares: refusals worded per step, and the rows it restores."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from annotator.core.types import AnnotationInfo, CodeInfo
from annotator.core.undo import Command
from annotator.core.validation import InvalidInputError
from annotator.services import annotations as ann
from annotator.services.changes import Change
from annotator.services.conflicts import ConflictError
from annotator.store.models import Code

_C = TypeVar("_C", bound=Command[Change])


def _refused_as(step: str) -> Callable[[Callable[[_C], Change]], Callable[[_C], Change]]:
    """Word any refusal of an undo or redo as ``cannot undo <action>: <what changed>``."""

    def wrap(method: Callable[[_C], Change]) -> Callable[[_C], Change]:
        @functools.wraps(method)
        def checked(command: _C) -> Change:
            try:
                return method(command)
            except InvalidInputError as exc:  # ServiceError and ConflictError included
                raise ConflictError.of_step(step, command.text, exc) from exc

        return checked

    return wrap


undo_step = _refused_as("undo")
redo_step = _refused_as("redo")


def restored(rows: Sequence[dict[str, Any]]) -> tuple[AnnotationInfo, ...]:
    return tuple(ann.info_from_row(row) for row in rows)


def ids(rows: Sequence[dict[str, Any]]) -> tuple[int, ...]:
    return tuple(int(row["id"]) for row in rows)


def code_row(info: CodeInfo) -> dict[str, Any]:
    """The ``codes`` row a CodeInfo stands for (CodeInfo adds the path and count)."""
    return {column.name: getattr(info, column.name) for column in Code.__table__.columns}
