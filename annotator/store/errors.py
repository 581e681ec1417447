"""Database failures a person can act on, worded as one line instead of a driver's traceback.

``ProjectStore.transaction()`` passes every failure through :func:`translated`: the transaction
was rolled back, so the message can say that nothing was changed. The driver's exception stays
chained as ``__cause__`` for the log.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa

from annotator.core.errors import UserError


class StoreError(UserError):
    """The database refused or failed an action; it was rolled back and nothing was changed."""


class ProjectBusy(StoreError):
    """Another process kept the project locked for longer than we wait."""


class DiskFull(StoreError):
    """The disk (or the server's) has no room for the change."""


class ConcurrentChange(StoreError):
    """A rule the database enforces failed, typically because another user changed the same rows."""


class DataRefused(StoreError):
    """The database refused a value (too long, out of range, a NUL character …)."""


class ConnectionLost(StoreError):
    """The database server went away or cannot be reached."""


class WriteFailed(StoreError):
    """The operating system refused to write the project file (an I/O error, a file size limit)."""


_BUSY = ("database is locked", "database is busy", "lock timeout", "could not obtain lock")
_FULL = ("database or disk is full", "no space left on device", "could not extend file", "disk full")
# PostgreSQL gave up one of two transactions waiting for each other (or a stricter isolation
# level found them overlapping): the other one went through, and trying again will work.
_COLLIDED = ("deadlock detected", "could not serialize access")
_IO = ("disk i/o error", "file too large")
_NOTHING_SAVED = "nothing was saved"


def _message(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return " ".join(str(original).split()).lower()


def store_error(exc: sa.DBAPIError) -> StoreError | None:
    """The one-line error a database failure means to a person; None for one we cannot word."""
    text = _message(exc)
    if any(word in text for word in _FULL):
        return DiskFull(f"the disk is full: {_NOTHING_SAVED}; free some space and try again")
    if any(word in text for word in _BUSY):
        return ProjectBusy(
            "the project is busy: another process has been writing to it for a while; "
            f"{_NOTHING_SAVED}, try again in a moment"
        )
    if any(word in text for word in _COLLIDED):
        return ConcurrentChange(
            "another user or process changed the same part of the project at the same moment: "
            f"{_NOTHING_SAVED}; try again"
        )
    if any(word in text for word in _IO):
        return WriteFailed(
            f"the project file could not be written ({_first_words(text)}): {_NOTHING_SAVED}; "
            "check that the disk has room and is working"
        )
    if isinstance(exc, sa.IntegrityError):
        return ConcurrentChange(
            "the project changed while this was being saved (another user or process?): "
            f"{_NOTHING_SAVED} ({_first_words(text)})"
        )
    if isinstance(exc, sa.DataError):
        return DataRefused(f"the database refused a value: {_first_words(text)}")
    if exc.connection_invalidated or isinstance(exc, sa.InterfaceError):
        return ConnectionLost(f"the connection to the database was lost: {_first_words(text)}")
    return None


def os_error(exc: OSError) -> StoreError | None:
    """A full disk (or a file size limit) met while writing, as one line; None for other errors."""
    if exc.errno == errno.ENOSPC:
        return DiskFull(f"the disk is full: {_NOTHING_SAVED}; free some space and try again")
    if exc.errno == errno.EFBIG:
        return WriteFailed(f"the project file cannot grow any larger (file too large): {_NOTHING_SAVED}")
    return None


def unexpected_database_error(exc: sa.SQLAlchemyError) -> StoreError:
    """Any other database failure that reached a front end, as one line (the cause stays chained)."""
    if isinstance(exc, sa.DBAPIError):
        known = store_error(exc)
        if known is not None:
            return known
    return StoreError(f"the database failed: {_first_words(_message(exc))}")


@contextmanager
def translated() -> Iterator[None]:
    """Turn database failures inside the block into a :class:`StoreError` with one clear line."""
    try:
        yield
    except sa.DBAPIError as exc:
        error = store_error(exc)
        if error is None:
            raise
        raise error from exc
    except OSError as exc:
        error = os_error(exc)
        if error is None:
            raise
        raise error from exc


def _first_words(text: str, limit: int = 160) -> str:
    first = text.split(" [sql:", 1)[0].split("(background on this error", 1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"
