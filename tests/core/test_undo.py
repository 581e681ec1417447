"""The undo stack without Qt: push, undo, redo, record, limit, listeners, failing commands."""

from __future__ import annotations

import pytest

from annotator.core.undo import Command, UndoStack


class Add(Command[int]):
    """Adds ``amount`` to a counter; the smallest command that keeps its state on ``self``."""

    def __init__(self, counter: Counter, amount: int, text: str) -> None:
        self.counter, self.amount, self.text = counter, amount, text

    def apply(self) -> int:
        self.counter.value += self.amount
        self.counter.log.append(f"+{self.amount}")
        return self.counter.value

    def revert(self) -> int:
        self.counter.value -= self.amount
        self.counter.log.append(f"-{self.amount}")
        return self.counter.value


class Counter:
    """A tiny model the commands act on, with a log of what ran."""

    def __init__(self) -> None:
        self.value = 0
        self.log: list[str] = []

    def add(self, amount: int, text: str = "") -> Command[int]:
        return Add(self, amount, text or f"Add {amount}")


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


class Flaky(Add):
    """An ``Add`` whose apply or revert fails while its flag is set (a locked database, say)."""

    def __init__(self, counter: Counter, amount: int, text: str) -> None:
        super().__init__(counter, amount, text)
        self.fail_apply = self.fail_revert = False

    def apply(self) -> int:
        if self.fail_apply:
            raise RuntimeError("gone")
        return super().apply()

    def revert(self) -> int:
        if self.fail_revert:
            raise RuntimeError("database locked")
        return super().revert()


def test_a_failing_apply_is_not_pushed() -> None:
    model, stack = Counter(), UndoStack[int]()
    stack.push(model.add(1))
    bad = Flaky(model, 5, "Bad")
    bad.fail_apply = True
    with pytest.raises(RuntimeError, match="gone"):
        stack.push(bad)
    assert stack.undo_text == "Add 1" and model.value == 1


def test_a_failing_revert_leaves_the_stack_unchanged() -> None:
    model, stack = Counter(), UndoStack[int]()
    stack.push(model.add(1))
    flaky = Flaky(model, 2, "Flaky")
    stack.push(flaky)
    flaky.fail_revert = True
    heard: list[str] = []
    stack.listeners.append(lambda: heard.append("changed"))
    with pytest.raises(RuntimeError):
        stack.undo()
    assert (stack.undo_text, stack.can_redo, model.value, heard) == ("Flaky", False, 3, [])
    flaky.fail_revert = False
    assert stack.undo() == 1  # it can be tried again once the cause is gone


def test_a_failing_redo_leaves_the_stack_unchanged() -> None:
    model, stack = Counter(), UndoStack[int]()
    once = Flaky(model, 1, "Once")
    stack.push(once)
    stack.undo()
    once.fail_apply = True
    with pytest.raises(RuntimeError):
        stack.redo()
    assert (stack.can_undo, stack.redo_text, model.value) == (False, "Once", 0)
