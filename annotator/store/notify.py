"""Telling other processes that a project changed, and hearing them: PostgreSQL LISTEN/NOTIFY.

Several researchers (each app a process) and scripts (the CLI) share one PostgreSQL project.
After an action commits, its process announces it on the channel ``annotator_changes`` with a
small JSON payload (``Change.to_payload()`` plus the sender's token); every other app listening on
the same database hears it within milliseconds and refreshes through its change stream.

An SQLite project needs none of this: the desktop app holds it exclusively (see ``store.lock``),
so no other annotator process writes while it is open.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator

from sqlalchemy import text

from annotator.store.project import ProjectStore

CHANNEL = "annotator_changes"
# PostgreSQL refuses payloads of 8000 bytes or more; a bigger change is announced as "reload all".
MAX_PAYLOAD_BYTES = 7900
SENDER_KEY = "sender"

# This process's token: a listener ignores what its own process announced (it already knows).
PROCESS_TOKEN = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


def announcement(change_payload: str, sender: str = PROCESS_TOKEN) -> str:
    """The NOTIFY payload for a change: its JSON with the sender's token (or "everything")."""
    data = json.loads(change_payload or "{}")
    data[SENDER_KEY] = sender
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True)
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        payload = json.dumps({"everything": True, SENDER_KEY: sender})
    return payload


def sender_of(payload: str) -> str:
    try:
        data = json.loads(payload)
    except ValueError:
        return ""
    return str(data.get(SENDER_KEY, "")) if isinstance(data, dict) else ""


def announce(store: ProjectStore, change_payload: str) -> None:
    """Tell every listener that this process changed the project (PostgreSQL; SQLite: nothing).

    Sent after the action committed, outside its transaction; a failure to announce never undoes
    or hides the action (the others then see the change when they next reload).
    """
    if store.is_sqlite or not change_payload or change_payload == "{}":
        return
    try:
        with store.engine.connect() as connection:
            connection.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANNEL, "payload": announcement(change_payload)},
            )
            connection.commit()
    except Exception:  # best effort by design: the action itself is already durable
        return


class ChangeListener:
    """A dedicated connection that LISTENs for other processes' announcements."""

    def __init__(self, store: ProjectStore) -> None:
        import psycopg  # only a shared project needs it; keeps SQLite start-up light

        url = store.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        self._connection = psycopg.connect(conninfo, autocommit=True)
        self._connection.execute(f"LISTEN {CHANNEL}")

    def heard(self, timeout: float) -> Iterator[str]:
        """Payloads other processes announced, waiting up to ``timeout`` seconds for the first."""
        for notify in self._connection.notifies(timeout=timeout, stop_after=1):
            if sender_of(notify.payload) != PROCESS_TOKEN:
                yield notify.payload
        # Drain what arrived at the same moment without waiting again.
        for notify in self._connection.notifies(timeout=0):
            if sender_of(notify.payload) != PROCESS_TOKEN:
                yield notify.payload

    def close(self) -> None:
        self._connection.close()


def listens(store: ProjectStore) -> bool:
    """Whether other processes' changes to this project can be heard (PostgreSQL)."""
    return not store.is_sqlite
