"""The one kind of error a person is shown, and the one way it is turned into a sentence.

Every layer raises a subclass of :class:`UserError` when an action cannot be done as asked
(a bad span, a file that is not a work, a project that cannot be opened). Front ends catch
``USER_ERRORS`` and show :func:`user_message` of it: the CLI on stderr, the app in the status
bar or a worker's report. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class UserError(ValueError):
    """An action was refused and nothing was changed; ``str(error)`` is written for the user."""


# What a front end shows as one line instead of a traceback. OSError covers the disk and the
# network (a full disk, a vanished file, a refused connection), which are the user's to fix too.
USER_ERRORS: tuple[type[BaseException], ...] = (UserError, OSError)


def one_line(exc: BaseException) -> str:
    """The first non-empty line of an error's message, or its type's name if it has none."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__


def user_message(exc: BaseException) -> str:
    """How a front end words an error: the user's sentence, or a labelled unexpected one."""
    if isinstance(exc, USER_ERRORS):
        return one_line(exc)
    return f"unexpected error: {type(exc).__name__}: {one_line(exc)}"
