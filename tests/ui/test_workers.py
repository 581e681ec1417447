"""Background work: results, progress and failures come back on the GUI thread; a refused action
is reported as its one-line reason, a bug as one labelled line (its trace goes to the log), and a
running task can be asked to stop."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.core.errors import UserError
from annotator.ui.workers import Worker, run_in_background, start_detached


def _failure(qtbot: QtBot, fn: Callable[[Worker], Any]) -> str:
    """Run ``fn`` in the background and return what the user is told when it fails."""
    results: list[object] = []
    failures: list[str] = []
    run_in_background(fn, results.append, failures.append)
    qtbot.waitUntil(lambda: bool(results or failures), timeout=10_000)
    assert results == [] and len(failures) == 1
    return failures[0]


def test_the_result_and_progress_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    seen: list[tuple[str, object, int]] = []

    def count(worker: Worker) -> int:
        assert threading.get_ident() != gui  # the work itself runs off the GUI thread
        for done in range(1, 4):
            worker.report(done, 3, f"work {done}")
        return 42

    worker = run_in_background(
        count,
        lambda result: seen.append(("done", result, threading.get_ident())),
        lambda message: seen.append(("failed", message, threading.get_ident())),
        lambda done, total, what: seen.append(("progress", (done, total, what), threading.get_ident())),
    )
    qtbot.waitUntil(lambda: any(kind == "done" for kind, _, _ in seen), timeout=10_000)
    assert [(kind, value) for kind, value, _ in seen] == [
        ("progress", (1, 3, "work 1")),
        ("progress", (2, 3, "work 2")),
        ("progress", (3, 3, "work 3")),
        ("done", 42),
    ]
    assert {thread for _, _, thread in seen} == {gui}
    assert worker.done.is_set()


def test_a_refused_action_or_a_disk_error_is_reported_as_its_first_line(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(_worker: Worker) -> None:
        raise UserError("\nnotes.pdf is not a work this app can read\n(only .txt, .html, .epub, .docx, .md)")

    def missing(_worker: Worker) -> None:
        open("/nonexistent/folder/codebook.csv", encoding="utf-8").close()

    with caplog.at_level(logging.ERROR):
        assert _failure(qtbot, refuse) == "notes.pdf is not a work this app can read"
        assert _failure(qtbot, missing) == (
            "[Errno 2] No such file or directory: '/nonexistent/folder/codebook.csv'"
        )
    assert caplog.records == []  # the user's to fix, not a bug to log


def test_a_bug_is_one_labelled_line_for_the_user_and_a_trace_in_the_log(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def buggy(_worker: Worker) -> None:
        {"title": "Stardust"}["chapter"]

    with caplog.at_level(logging.ERROR, logger="annotator.ui.workers"):
        assert _failure(qtbot, buggy) == "unexpected error: KeyError: 'chapter'"
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_a_running_task_sees_that_it_was_asked_to_stop(qtbot: QtBot) -> None:
    started, release = threading.Event(), threading.Event()
    results: list[object] = []

    def long_import(worker: Worker) -> tuple[bool, bool]:
        before = worker.cancelled()
        started.set()
        release.wait(10)
        return before, worker.cancelled()

    worker = run_in_background(long_import, results.append, results.append)
    assert started.wait(10)
    worker.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results == [(False, True)]


def test_a_detached_task_runs_on_a_daemon_thread_and_reports_on_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    seen: list[tuple[object, int]] = []

    def wait_on_a_server(_worker: Worker) -> tuple[bool, bool]:
        thread = threading.current_thread()
        return thread.ident != gui, thread.daemon  # a daemon: quitting never waits for it

    worker = Worker(wait_on_a_server)
    worker.signals.finished.connect(lambda result: seen.append((result, threading.get_ident())))
    start_detached(worker)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [((True, True), gui)] and worker.done.is_set()


@pytest.mark.parametrize("outcome", ["result", "failure", "progress"])
def test_news_for_a_window_that_closed_meanwhile_is_dropped_and_an_open_one_gets_it(
    qtbot: QtBot, outcome: str
) -> None:
    """The reports window or a word count may finish after its window closed (CI saw it on a slow
    server): the callback then must not touch deleted widgets."""

    def work(worker: Worker) -> int:
        worker.report(1, 1, "one")
        if outcome == "failure":
            raise UserError("the project closed")
        return 7

    for closes in (True, False):
        heard: list[object] = []
        owner = QWidget()

        def progressed(done: int, total: int, what: str, heard: list[object] = heard) -> None:
            heard.append((done, total, what))

        worker = run_in_background(
            work,
            heard.append,
            heard.append,
            progressed if outcome == "progress" else None,
            owner=owner,
        )
        if closes:
            shiboken6.delete(owner)  # before the GUI thread hears back: news arrives through the event loop
        qtbot.waitUntil(worker.done.is_set, timeout=10_000)
        qtbot.wait(50)  # deliver what was queued
        expected = {"result": [7], "failure": ["the project closed"], "progress": [(1, 1, "one"), 7]}[outcome]
        assert heard == ([] if closes else expected)
        if not closes:
            owner.deleteLater()
