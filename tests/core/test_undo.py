"""The undo stack without Qt: push, undo, redo, record, limit, listeners, failing commands."""

from __future__ import annotations

import pytest

from annotator.core.undo import Command, UndoStack


class Counter:
    """A tiny model the commands act on, with a log of what ran."""

    def __init__(self) -> None:
        self.value = 0
        self.log: list[str] = []

    def add(self, amount: int, text: str = "") -> Command[int]:
        def do() -> int:
            self.value += amount
            self.log.append(f"+{amount}")
            return self.value

        def undo() -> int:
            self.value -= amount
            self.log.append(f"-{amount}")
            return self.value

        return Command(text or f"Add {amount}", do, undo)


def test_push_applies_and_undo_redo_walk_the_history() -> None:
    model, stack = Counter(), UndoStack[int]()
    assert stack.push(model.add(1)) == 1
    assert stack.push(model.add(10)) == 11
    assert (stack.can_undo, stack.can_redo, stack.undo_text, stack.redo_text) == (True, False, "Add 10", "")
    assert stack.undo() == 1
    assert (stack.undo_text, stack.redo_text) == ("Add 1", "Add 10")
    assert stack.undo() == 0
    assert stack.undo() is None  # nothing left: a no-op, not an error
    assert stack.redo() == 1 and stack.redo() == 11
    assert stack.redo() is None
    assert model.log == ["+1", "+10", "-10", "-1", "+1", "+10"]


def test_a_new_action_forgets_what_was_undone() -> None:
    model, stack = Counter(), UndoStack[int]()
    stack.push(model.add(1))
    stack.push(model.add(2))
    stack.undo()
    stack.push(model.add(5))
    assert not stack.can_redo and stack.redo() is None
    assert model.value == 6


def test_record_remembers_without_applying() -> None:
    model, stack = Counter(), UndoStack[int]()
    model.value = 7  # the action already happened elsewhere (an import in a worker)
    stack.record(model.add(7, "Import"))
    assert model.log == [] and stack.undo_text == "Import"
    assert stack.undo() == 0
    assert stack.redo() == 7


def test_the_limit_drops_the_oldest_commands() -> None:
    model, stack = Counter(), UndoStack[int](limit=3)
    for amount in (1, 2, 4, 8):
        stack.push(model.add(amount))
    stack.record(model.add(0, "recorded"))
    undone = 0
    while stack.undo() is not None:
        undone += 1
    assert undone == 3 and model.value == 1 + 2  # "Add 1" and "Add 2" fell off the bottom


def test_listeners_hear_every_change_of_state() -> None:
    model, stack = Counter(), UndoStack[int]()
    heard: list[tuple[bool, bool]] = []
    stack.listeners.append(lambda: heard.append((stack.can_undo, stack.can_redo)))
    stack.push(model.add(1))
    stack.undo()
    stack.redo()
    stack.record(model.add(1))
    stack.clear()
    stack.undo()  # nothing to undo: no notification
    assert heard == [(True, False), (False, True), (True, False), (True, False), (False, False)]


def test_a_failing_apply_is_not_pushed() -> None:
    model, stack = Counter(), UndoStack[int]()
    stack.push(model.add(1))

    def boom() -> int:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        stack.push(Command("Bad", boom, boom))
    assert stack.undo_text == "Add 1" and model.value == 1


def test_a_failing_revert_leaves_the_stack_unchanged() -> None:
    model, stack = Counter(), UndoStack[int]()
    stack.push(model.add(1))
    fail = [True]

    def revert() -> int:
        if fail[0]:
            raise RuntimeError("database locked")
        model.value -= 2
        return model.value

    def apply() -> int:
        model.value += 2
        return model.value

    stack.push(Command("Flaky", apply, revert))
    heard: list[str] = []
    stack.listeners.append(lambda: heard.append("changed"))
    with pytest.raises(RuntimeError):
        stack.undo()
    assert (stack.undo_text, stack.can_redo, model.value, heard) == ("Flaky", False, 3, [])
    fail[0] = False
    assert stack.undo() == 1  # it can be tried again once the cause is gone


def test_a_failing_redo_leaves_the_stack_unchanged() -> None:
    model, stack = Counter(), UndoStack[int]()
    fail = [False]

    def apply() -> int:
        if fail[0]:
            raise RuntimeError("gone")
        model.value += 1
        return model.value

    def revert() -> int:
        model.value -= 1
        return model.value

    stack.push(Command("Once", apply, revert))
    stack.undo()
    fail[0] = True
    with pytest.raises(RuntimeError):
        stack.redo()
    assert (stack.can_undo, stack.redo_text, model.value) == (False, "Once", 0)
