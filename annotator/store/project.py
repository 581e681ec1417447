"""The project handle: where a project lives (SQLite file or PostgreSQL URL) and its transactions.

``ProjectStore`` is the unit of work the services receive. A service opens exactly one
``transaction()`` per user action; when it returns, the work is committed and durable.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.errors import UserError, one_line
from annotator.store.errors import translated
from annotator.store.leftovers import remove_stale_creations
from annotator.store.lock import SHARED, ProjectInUse, ProjectLock
from annotator.store.migrations_runner import current_revision, head_revision, upgrade_to_head
from annotator.store.text_cache import TextCache

# Execution option that marks a connection as opened for writing (SQLite: BEGIN IMMEDIATE).
WRITE_OPTION = "annotator_write"


class ProjectError(UserError):
    """A project cannot be opened or created; the message is meant for the user."""


def _escape_userinfo(text: str) -> str:
    """A URL whose password holds a raw "@" (``user:p@ss@host``) with that "@" escaped.

    The host is what follows the *last* "@" before the path; otherwise the password's tail
    would be taken for the host (and shown to everyone in messages).
    """
    scheme, rest = text.split("://", 1)
    netloc, slash, path = rest.partition("/")
    if netloc.count("@") <= 1:
        return text
    userinfo, host = netloc.rsplit("@", 1)
    return f"{scheme}://{userinfo.replace('@', '%40')}@{host}{slash}{path}"


def redact_location(location: str) -> str:
    """A project location fit to show anyone: a file path as it is, a server URL without password."""
    if "://" not in location:
        return location
    scheme, rest = _escape_userinfo(location).split("://", 1)
    netloc, slash, path = rest.partition("/")
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, has_password, _password = userinfo.partition(":")
        netloc = f"{user}:***@{host}" if has_password else f"{user}@{host}"
    path, question, query = path.partition("?")
    if "password" in query.lower():
        query = "…"
    return f"{scheme}://{netloc}{slash}{path}{question}{query}"


def resolve_target(target: str | os.PathLike[str]) -> URL:
    """A database URL for ``target``: a URL as given, or a path to an SQLite project file."""
    text = os.fspath(target)
    if "://" in text:
        try:
            return make_url(_escape_userinfo(text))
        except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
            # Never echo the text: it may hold a password (an unescaped "@" even hides it badly).
            scheme = text.split("://", 1)[0][:40]
            raise ProjectError(
                f"not a valid database URL ({scheme}://…); expected postgresql+psycopg://user:password@host/database"
            ) from exc
    return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))


# How long a writer waits for another process's write to finish before it gives up with a message.
BUSY_TIMEOUT_MS = 10_000


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Transactions are begun explicitly below, not by the driver: its own rule starts them
        # only at the first INSERT/UPDATE/DELETE, so the reads a service checks before writing
        # ran outside the transaction, and schema changes committed one statement at a time.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit the UI reported survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write transaction takes the write lock at once (waiting up to the busy timeout), so
        # what it read cannot change before it writes; a read transaction sees one snapshot.
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


class ProjectStore:
    """An open project. Create with :func:`open_project` or :func:`create_store`."""

    def __init__(self, engine: Engine, url: URL, lock: ProjectLock | None = None) -> None:
        self.engine = engine
        self.url = url
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        # Document texts, cached by the services that read them (see TextCache).
        self.texts = TextCache()

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display_name(self) -> str:
        if self.is_sqlite and self.url.database:
            return Path(self.url.database).name
        return self.url.render_as_string(hide_password=True)

    @property
    def location(self) -> str:
        """What the user typed to open it: a file path or a URL (password hidden)."""
        if self.is_sqlite and self.url.database:
            return self.url.database
        return self.url.render_as_string(hide_password=True)

    def holds_file(self, path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` is this project's database file or one of its sidecars (-wal, -lock …)."""
        if not (self.is_sqlite and self.url.database):
            return False
        database = Path(self.url.database)
        try:
            candidate = Path(path).expanduser().resolve()
        except (OSError, RuntimeError):
            return False
        names = {database.name + suffix for suffix in ("", "-wal", "-shm", "-journal", "-lock")}
        return candidate.parent == database.parent and candidate.name in names

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception.

        Database failures a person can act on (busy, disk full, a concurrent change) come out as
        one-line ``StoreError``s; nothing of the transaction was saved.
        """
        with translated(), self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look: nothing is committed (failures are worded as in :meth:`transaction`)."""
        with translated(), self._sessions() as session:
            yield session
            session.rollback()

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()


def _make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    _configure_postgresql(engine)
    return engine


# Large values (a work's text, a version's anchors) are compressed as PostgreSQL stores them:
# with LZ4 where the server has it, about three times faster to write than its default (pglz).
_LZ4_WHERE_AVAILABLE = (
    "SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings "
    "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # In autocommit, so the setting is the session's and no transaction is left open.
        was = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(_LZ4_WHERE_AVAILABLE)
        finally:
            dbapi_connection.autocommit = was


def _has_annotator_schema(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return "documents" in names or "alembic_version" in names


def open_project(
    target: str | os.PathLike[str],
    *,
    create: bool = False,
    access: str = SHARED,
    purpose: str = "an annotator command",
    wait: float = 0.0,
) -> ProjectStore:
    """Open (and if needed upgrade) a project; with ``create`` make a new empty one.

    Creating refuses to reuse a location that already holds a project. Opening refuses a
    location that holds none, so a typo never silently creates an empty project. An SQLite
    project is opened under a :class:`~annotator.store.lock.ProjectLock` of ``access`` (the app
    holds it exclusively): a use the lock excludes is refused after ``wait`` seconds.
    """
    url = resolve_target(target)
    lock = None
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database)
        if not create and not path.exists():
            raise ProjectError(f"no project at {path}")
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # what killed creations left in the folder
            remove_stale_creations(path.parent)
        try:
            lock = ProjectLock.acquire(Path(url.database), access, purpose, wait)
        except ProjectInUse as exc:
            raise ProjectError(str(exc)) from None
        except OSError as exc:
            raise ProjectError(f"cannot open {url.database}: {exc.strerror or exc}") from exc
    try:
        return _open(url, create, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _open(url: URL, create: bool, lock: ProjectLock | None) -> ProjectStore:
    is_sqlite = url.get_backend_name() == "sqlite"
    if is_sqlite:
        path = Path(url.database or "")
        if create and path.exists() and path.stat().st_size > 0:
            raise ProjectError(f"{path} already exists; choose another file name")
        if not create and not path.exists():
            raise ProjectError(f"no project at {path}")
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = _make_engine(url)
        # One query answers both "is it a project?" and "is it up to date?" in the usual case.
        revision = current_revision(engine)
        exists = revision is not None or _has_annotator_schema(engine)
    except ProjectError:
        raise
    except Exception as exc:
        raise ProjectError(f"cannot open {resolve_display(url)}: {one_line(exc)}") from exc
    if create and exists:
        engine.dispose()
        raise ProjectError(f"{resolve_display(url)} already holds a project")
    if not create and not exists:
        engine.dispose()
        raise ProjectError(f"{resolve_display(url)} is not an annotator project")
    if revision == head_revision():
        return ProjectStore(engine, url, lock)
    try:
        upgrade_to_head(engine, url)  # imports Alembic: only when there is something to upgrade
    except Exception as exc:
        engine.dispose()
        raise ProjectError(f"cannot prepare {resolve_display(url)}: {one_line(exc)}") from exc
    return ProjectStore(engine, url, lock)


def resolve_display(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)
