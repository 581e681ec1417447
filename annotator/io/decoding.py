"""Bytes to ``str`` for text-like formats, refusing binary data and guessing legacy encodings.

Order of trust: a byte-order mark, then strict UTF-8 (almost every modern file), then an encoding
the file declares (HTML/XML) if the bytes actually decode with it, then charset-normalizer's guess
biased towards Windows-1252, the usual legacy encoding of English fan fiction.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from annotator.io.errors import DocumentImportError

# Longest BOM first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Signatures of common binary formats, so the message can say what the file probably is.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)
# C0/C1 controls other than tab, newline, carriage return and form feed: rare in any text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.01
_DECLARED = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
    rb"""|<meta[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
# Labels the HTML standard maps to windows-1252 because that is what such pages really contain.
_WINDOWS_1252_LABELS = {"ascii", "us-ascii", "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1"}


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML/XML file claims in its first bytes, if it names a known codec."""
    match = _DECLARED.search(data[:2048])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_text(data: bytes, source_name: str, *, declared: str | None = None) -> str:
    """Decode ``data`` as text or raise ``DocumentImportError`` (empty, binary, undecodable)."""
    if not data.strip():
        raise DocumentImportError(source_name, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise DocumentImportError(
                    source_name,
                    f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}",
                ) from None
            return _checked(text, source_name)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DocumentImportError(source_name, f"looks like {what}, not text")
    if b"\x00" in data:
        raise DocumentImportError(source_name, "looks like binary data, not text")
    try:
        return _checked(data.decode("utf-8"), source_name)
    except UnicodeDecodeError:
        pass
    if declared and declared not in {"utf-8", "utf_8"}:
        try:
            return _checked(data.decode(declared), source_name)
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration lies; fall through to guessing
    return _checked(_guess(data, source_name), source_name)


def _guess(data: bytes, source_name: str) -> str:
    best = from_bytes(data).best()
    if best is None:
        raise DocumentImportError(
            source_name, "looks like binary data, not text (no plausible text encoding)"
        )
    # charset-normalizer cannot tell Windows-1252 from its neighbours on short English texts and
    # often names cp1250 for them, turning "crème" into "crčme"; prefer 1252 when it fits.
    if best.encoding != "cp1252" and ("cp1252" in best.could_be_from_charset or _single_byte(best.encoding)):
        try:
            candidate = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if "cp1252" in best.could_be_from_charset or _cp1252_fits(data, best.encoding):
                return candidate
    return str(best)


def _single_byte(encoding: str) -> bool:
    return encoding.startswith(("cp12", "cp4", "cp7", "cp8", "iso8859", "latin", "mac_"))


def _cp1252_fits(data: bytes, other: str) -> bool:
    """True when the other guess only differs from 1252 in letters 1252 also has as letters."""
    results = {match.encoding: match for match in from_bytes(data, cp_isolation=["cp1252", other])}
    western, rival = results.get("cp1252"), results.get(other)
    if western is None:
        return False
    if rival is None:
        return True
    return western.chaos <= rival.chaos and western.coherence >= rival.coherence - 0.05


def _checked(text: str, source_name: str) -> str:
    """Reject decoded text that is mostly control characters: binary that happened to decode."""
    text = text.rstrip("\x1a")  # DOS end-of-file marker, still found in old .txt files
    if not text.strip():
        raise DocumentImportError(source_name, "file is empty")
    controls = len(_CONTROL.findall(text, 0, 1_000_000))
    if "\x00" in text or controls > max(1, min(len(text), 1_000_000) * _MAX_CONTROL_RATIO):
        raise DocumentImportError(source_name, "looks like binary data, not text")
    return text
