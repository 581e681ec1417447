"""Build ``.qdpx`` files for tests in the shapes real exports have (NVivo 12.6, ATLAS.ti 23).

The shapes copied from ``../shared/refi-qda/samples``: NVivo writes ``Sources/<guid>.txt`` with a
UTF-8 BOM and CRLF line ends, ``plainTextPath="internal://<guid>.txt"``, lower-case GUIDs, and
puts the selection's user and the coding's user apart; ATLAS.ti writes upper-case GUIDs and a
``project.qde`` with ``xsi:schemaLocation``.
"""

# ruff: noqa: E501  (XML copied in the shape real exports write it, one element to a line)

from __future__ import annotations

import io
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "refi-qda"
NS = "urn:QDA-XML:project:1.0"
USER_A = "8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645"
USER_B = "f93ad076-5ca1-4f46-abf4-b4b67130a6e2"
SOURCE = "56a79789-d535-4fb8-bedd-a915504c54ba"
CODE_PARENT = "3c51efbb-071f-43a7-9f32-228b89668e8d"
CODE_CHILD = "8baf0c83-56c4-4dc8-9e5b-cf6d6073bdb5"


def qdpx(qde: str, files: dict[str, bytes] | None = None, qde_name: str = "project.qde") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def selection(
    start: int, end: int, code: str = CODE_CHILD, guid: str = "fd960901-8191-4db1-a3dd-a91626d56c4b"
) -> str:
    return (
        f'<PlainTextSelection guid="{guid}" name="" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{USER_A}" creationDateTime="2025-06-11T16:31:16Z">'
        f'<Description /><Coding guid="f0700850-5e65-4b33-ae59-83d36a021670" creatingUser="{USER_B}" '
        f'creationDateTime="2025-06-08T12:42:55Z"><CodeRef targetGUID="{code}" /></Coding></PlainTextSelection>'
    )


def nvivo_project(
    text: str,
    selections: str,
    *,
    extra_sources: str = "",
    tail: str = "",
    source_path: str = "",
    replace: dict[str, str] | None = None,
) -> bytes:
    """An NVivo-shaped project: one text source in ``Sources/`` (BOM, CRLF as given)."""
    path = source_path or f"internal://{SOURCE}.txt"
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Untitled" origin="NVivo for Windows 12.6" basePath="" xmlns="{NS}">
  <Users><User guid="{USER_A}" name="Gergo" /><User guid="{USER_B}" name="floriansipos" /></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_PARENT}" name="1. Perceived Susceptibility" isCodable="true">
      <Description>Az emberek akkor hajlandók cselekedni.</Description>
      <Code guid="{CODE_CHILD}" name="alacsony fogékonyság" isCodable="true" />
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{SOURCE}" name="videos_selection" richTextPath="internal://{SOURCE}.docx" plainTextPath="{path}" creatingUser="{USER_A}">
      <Description />
      {selections}
    </TextSource>
    {extra_sources}
  </Sources>
  {tail}
  <Description />
</Project>"""
    for old, new in (replace or {}).items():
        assert old in qde, old
        qde = qde.replace(old, new)
    return qdpx(qde, {f"Sources/{SOURCE}.txt": b"\xef\xbb\xbf" + text.encode("utf-8")})
