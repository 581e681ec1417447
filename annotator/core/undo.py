"""Undo and redo without Qt: a stack of commands that each know how to apply and revert.

Services build commands (they know the store); the GUI adapts this stack to QUndoStack only for
its menu texts and shortcuts. A command's ``apply``/``revert`` return whatever change summary the
caller needs to refresh its views.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

ChangeT = TypeVar("ChangeT")


class Command(ABC, Generic[ChangeT]):
    """One user action that can be undone; ``apply`` runs first when the command is pushed.

    A command keeps what it needs to undo and redo on ``self`` (the rows it removed, the values
    it replaced). ``apply`` after ``revert`` is redo and must restore the very same rows.
    """

    text: str = ""

    @abstractmethod
    def apply(self) -> ChangeT: ...

    @abstractmethod
    def revert(self) -> ChangeT: ...


@dataclass
class UndoStack(Generic[ChangeT]):
    limit: int = 500
    _done: list[Command[ChangeT]] = field(default_factory=list)
    _undone: list[Command[ChangeT]] = field(default_factory=list)
    listeners: list[Callable[[], None]] = field(default_factory=list)

    def push(self, command: Command[ChangeT]) -> ChangeT:
        """Apply ``command`` and remember it; a new action forgets what was undone."""
        change = command.apply()
        self._done.append(command)
        if len(self._done) > self.limit:
            del self._done[0]
        self._undone.clear()
        self._notify()
        return change

    def record(self, command: Command[ChangeT]) -> None:
        """Remember a command whose action already happened (e.g. an import run in a worker)."""
        self._done.append(command)
        if len(self._done) > self.limit:
            del self._done[0]
        self._undone.clear()
        self._notify()

    def undo(self) -> ChangeT | None:
        if not self._done:
            return None
        command = self._done[-1]
        change = command.revert()  # if revert raises, the command stays where it was
        self._done.pop()
        self._undone.append(command)
        self._notify()
        return change

    def redo(self) -> ChangeT | None:
        if not self._undone:
            return None
        command = self._undone[-1]
        change = command.apply()
        self._undone.pop()
        self._done.append(command)
        self._notify()
        return change

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._notify()

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].text if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].text if self._undone else ""

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener()
