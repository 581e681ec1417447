"""The one user-facing error type and the one way an error becomes a line for the user."""

from __future__ import annotations

import pytest

from annotator.core.errors import USER_ERRORS, UserError, one_line, user_message
from annotator.core.validation import InvalidInputError, InvalidSpanError
from annotator.io.errors import DocumentImportError
from annotator.services.errors import NotFoundError, ServiceError
from annotator.store.project import ProjectError


@pytest.mark.parametrize(
    "error",
    [
        InvalidInputError("x"),
        InvalidSpanError("x"),
        ServiceError("x"),
        NotFoundError("x"),
        ProjectError("x"),
        DocumentImportError("story.epub", "x"),
    ],
)
def test_every_refusal_is_a_user_error(error: Exception) -> None:
    assert isinstance(error, UserError) and isinstance(error, USER_ERRORS)


def test_one_line_takes_the_first_line_that_says_something() -> None:
    assert one_line(ValueError("\n  \n  disk full  \nat line 3\n")) == "disk full"
    assert one_line(KeyError()) == "KeyError"
    assert one_line(OSError("")) == "OSError"


def test_a_user_error_reads_as_itself_and_a_bug_says_it_is_unexpected() -> None:
    assert user_message(ProjectError("no project at /tmp/x\ndetails")) == "no project at /tmp/x"
    assert user_message(OSError(28, "No space left on device")) == "[Errno 28] No space left on device"
    assert user_message(ZeroDivisionError("division by zero")) == (
        "unexpected error: ZeroDivisionError: division by zero"
    )
