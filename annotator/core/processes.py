"""Whether a process that left a file behind still runs: for tidying up after killed writers.

Temporary files are named after the process that writes them and the host it runs on
(``io/atomic.py``'s exports, ``store/creation.py``'s new projects); a later process removes those
whose writer, on this host, no longer runs. A file from another host (a shared folder) is never
judged from here.
"""

from __future__ import annotations

import hashlib
import os
import socket


def host_tag() -> str:
    """This machine, in eight characters: a shared folder may hold another host's live writes."""
    return hashlib.blake2s(socket.gethostname().encode("utf-8"), digest_size=4).hexdigest()


def is_running(pid: int) -> bool:
    """Whether a process ``pid`` exists on this host (someone else's counts: it may be the writer)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
