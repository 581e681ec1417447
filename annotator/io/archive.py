"""Open zip-based documents (EPUB, DOCX) without trusting a single byte of them.

Checks before anything is decompressed: it is a zip and not truncated, a bounded number of
entries, no absolute or ``..`` paths, no encryption, and declared sizes within limits (a total
cap and a compression-ratio cap: the signature of a zip bomb). Reads then enforce the same
limits on the bytes actually produced, since headers can lie.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from types import TracebackType
from typing import NoReturn

from annotator.io.errors import DocumentImportError

MAX_ENTRIES = 10_000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # deflated prose and XML stay far below this; runs of zeros reach ~1000
RATIO_APPLIES_ABOVE = 1024 * 1024  # tiny entries may compress absurdly well and harm nobody
_CHUNK = 64 * 1024
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_DRIVE = re.compile(r"^[A-Za-z]:")


class SafeZip:
    """A validated zip archive in memory. ``kind`` names the format in messages ("EPUB")."""

    def __init__(self, data: bytes, source_name: str, kind: str) -> None:
        self.source_name = source_name
        self.kind = kind
        if not data.startswith(_ZIP_SIGNATURES):
            self.fail("not a zip archive" if data.strip() else "file is empty")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            self.fail("zip is truncated" if data.startswith(b"PK\x03\x04") else "zip is damaged")
        if len(infos) > MAX_ENTRIES:
            self.fail(f"zip has {len(infos):,} entries, more than the {MAX_ENTRIES:,} allowed")
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL_UNCOMPRESSED:
            self.fail(
                f"unpacks to {total / 2**20:,.0f} MB, more than the "
                f"{MAX_TOTAL_UNCOMPRESSED // 2**20} MB allowed (a zip bomb?)"
            )
        for info in infos:
            _check_name(self, info.filename)
            if info.flag_bits & 0x1:
                self.fail(f"{_shown(info.filename)} is encrypted")
            if info.file_size > RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                self.fail(f"{_shown(info.filename)} expands {ratio:,}-fold (a zip bomb?)")
        self._budget = MAX_TOTAL_UNCOMPRESSED
        self._infos = {info.filename: info for info in infos}

    def fail(self, reason: str) -> NoReturn:
        raise DocumentImportError(self.source_name, f"not a valid {self.kind} ({reason})")

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """An entry's bytes, stopping as soon as they exceed what its header or the budget allow."""
        info = self._infos.get(name)
        if info is None:
            self.fail(f"{_shown(name)} is missing")
        limit = min(info.file_size, self._budget)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as entry:
                while chunk := entry.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        self.fail(f"{_shown(name)} is larger than its header says (a zip bomb?)")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            self.fail(f"{_shown(name)} is damaged ({type(exc).__name__})")
        self._budget -= size
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _check_name(archive: SafeZip, name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts or "\x00" in name:
        archive.fail(f"unsafe path {_shown(name)} in the archive")


def _shown(name: str) -> str:
    return repr(name[:80])
