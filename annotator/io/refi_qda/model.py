"""A REFI-QDA project as plain values: what ``reader`` makes of a ``.qdpx`` and ``writer`` writes.

GUIDs are kept in one form (lower case, no braces: :func:`guid_key`) so references match
whatever case or braces a vendor wrote. Source texts are kept as the file holds them (``raw``):
positions are converted to stored offsets later, by ``positions``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


def guid_key(value: str) -> str:
    """``value`` as a GUID in one form (lower case, no braces); other strings unchanged but trimmed."""
    value = value.strip()
    match = _GUID.match(value)
    return match.group(1).lower() if match else value


def new_guid() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class QdaUser:
    guid: str
    name: str


@dataclass(frozen=True)
class QdaCode:
    guid: str
    name: str
    codable: bool = True
    colour: str = ""  # "#rrggbb", or "" when the file gave none (or one we could not read)
    description: str = ""
    children: tuple[QdaCode, ...] = ()


@dataclass(frozen=True)
class QdaCoding:
    guid: str
    code_guid: str
    user_guid: str = ""
    created: str = ""  # xsd:dateTime as written


@dataclass(frozen=True)
class QdaSelection:
    guid: str
    start: int
    end: int
    user_guid: str = ""
    created: str = ""
    modified: str = ""
    codings: tuple[QdaCoding, ...] = ()
    note_guids: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class QdaTextSource:
    guid: str
    name: str
    raw: str | None  # the plain text as stored in the file; None if it could not be read
    problem: str = ""  # why ``raw`` is None
    selections: tuple[QdaSelection, ...] = ()
    note_guids: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (variable guid, value)
    user_guid: str = ""
    description: str = ""


@dataclass(frozen=True)
class QdaNote:
    guid: str
    name: str
    text: str
    user_guid: str = ""
    created: str = ""
    modified: str = ""


@dataclass(frozen=True)
class QdaVariable:
    guid: str
    name: str
    kind: str = "Text"


@dataclass(frozen=True)
class QdaCase:
    guid: str
    name: str
    values: tuple[tuple[str, str], ...] = ()
    source_guids: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdaProject:
    name: str
    origin: str = ""
    users: tuple[QdaUser, ...] = ()
    codes: tuple[QdaCode, ...] = ()
    variables: tuple[QdaVariable, ...] = ()
    cases: tuple[QdaCase, ...] = ()
    sources: tuple[QdaTextSource, ...] = ()
    notes: tuple[QdaNote, ...] = ()
    skipped_sources: tuple[tuple[str, str], ...] = ()  # (name, kind) of PDF, picture, audio, video
    sets: tuple[tuple[str, int], ...] = ()  # (name, members)
    warnings: tuple[str, ...] = field(default=())
