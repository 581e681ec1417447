"""Fixtures for the command-line tests: ``run`` invokes ``annotator`` in-process and captures its output."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from annotator.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(*argv)`` → (exit status, stdout, stderr) of ``annotator *argv``."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke
