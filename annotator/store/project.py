"""The project handle: where a project lives (SQLite file or PostgreSQL URL) and its transactions.

``ProjectStore`` is the unit of work the services receive. A service opens exactly one
``transaction()`` per user action; when it returns, the work is committed and durable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.errors import UserError, one_line
from annotator.store.migrations_runner import upgrade_to_head
from annotator.store.text_cache import TextCache


class ProjectError(UserError):
    """A project cannot be opened or created; the message is meant for the user."""


def resolve_target(target: str | os.PathLike[str]) -> URL:
    """A database URL for ``target``: a URL as given, or a path to an SQLite project file."""
    text = os.fspath(target)
    if "://" in text:
        try:
            return make_url(text)
        except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
            raise ProjectError(f"not a valid database URL: {text}") from exc
    return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit the UI reported survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


class ProjectStore:
    """An open project. Create with :func:`open_project` or :func:`create_store`."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)
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

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look: nothing is committed."""
        with self._sessions() as session:
            yield session
            session.rollback()

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _has_annotator_schema(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return "documents" in names or "alembic_version" in names


def open_project(target: str | os.PathLike[str], *, create: bool = False) -> ProjectStore:
    """Open (and if needed upgrade) a project; with ``create`` make a new empty one.

    Creating refuses to reuse a location that already holds a project. Opening refuses a
    location that holds none, so a typo never silently creates an empty project.
    """
    url = resolve_target(target)
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
        exists = _has_annotator_schema(engine)
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
    try:
        upgrade_to_head(engine, url)
    except Exception as exc:
        engine.dispose()
        raise ProjectError(f"cannot prepare {resolve_display(url)}: {one_line(exc)}") from exc
    return ProjectStore(engine, url)


def resolve_display(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)
