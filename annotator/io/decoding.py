"""Bytes to ``str`` for text-like formats, refusing binary data and guessing legacy encodings.

Order of trust: a byte-order mark, then UTF-16 recognised by where its zero bytes fall, then
strict UTF-8 (almost every modern file), then an encoding the file declares (HTML/XML) if the
bytes decode with it and read as sensibly as any other, then a guess (``encoding_guess``).
Double-encoded UTF-8 is repaired afterwards (``mojibake``). Whatever was not plainly what the
file says it is comes back as a note for the user ("read as KOI8-R (no encoding declared)").
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from annotator.io.encoding_guess import cyrillic_reading, encoding_label, guess_encoding, reads_as_cyrillic
from annotator.io.errors import DocumentImportError
from annotator.io.mojibake import repair_mojibake

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
# C0 controls other than tab, newline, carriage return and form feed: rare in any text. C1
# controls (U+0080–U+009F) are counted after the mojibake repair, which turns most into letters.
_C0_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_C1_CONTROL = re.compile(r"[\x80-\x9f]")
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


@dataclass(frozen=True)
class DecodedText:
    """Decoded text and what the user should know about how it was read (empty when plain)."""

    text: str
    notes: tuple[str, ...] = ()


def decode(data: bytes, source_name: str, *, declared: str | None = None) -> DecodedText:
    """Decode ``data`` with notes on guesses and repairs; refuse with the real reason."""
    if not data.strip():
        raise DocumentImportError(source_name, "file is empty")
    text, note = _read(data, source_name, declared)
    notes = [note] if note else []
    text = _checked(text, source_name)
    text, places = repair_mojibake(text)
    if places:
        notes.append(f"repaired double-encoded UTF-8 (mojibake) in {places:,} place{'s' * (places != 1)}")
    c1 = len(_C1_CONTROL.findall(text, 0, 1_000_000))
    if c1 > _allowed_controls(text):
        raise DocumentImportError(
            source_name,
            f"contains {c1:,} C1 control characters (U+0080–U+009F), which no text uses and which are "
            "not repairable mojibake: saved in an unknown encoding, or binary data",
        )
    return DecodedText(text, tuple(notes))


def _read(data: bytes, source_name: str, declared: str | None) -> tuple[str, str | None]:
    """The text and, when it was not plainly what the file says, a note on how it was read."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), None
            except UnicodeDecodeError:
                raise DocumentImportError(
                    source_name,
                    f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}",
                ) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DocumentImportError(source_name, f"looks like {what}, not text")
    utf16 = _utf16_by_zero_bytes(data, source_name)
    if utf16 is not None:
        return data.decode(utf16), f"read as {encoding_label(utf16)} (no byte-order mark)"
    if b"\x00" in data:
        raise DocumentImportError(source_name, "looks like binary data, not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if declared and declared not in {"utf-8", "utf_8"}:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration lies; fall through to guessing
        else:
            wrong = _better_than_declared(data, text, declared)
            if wrong is None:
                return text, None
            return wrong[1], _declared_note(declared, wrong[0])
    guess = guess_encoding(data)
    if guess is None:
        raise DocumentImportError(
            source_name, "looks like binary data, not text (no plausible text encoding)"
        )
    encoding, text = guess
    if declared:
        return text, _declared_note(declared, encoding)
    missing = "byte-order mark" if encoding.startswith("utf_16") else "encoding declared"
    return text, f"read as {encoding_label(encoding)} (no {missing})"


def _declared_note(declared: str, encoding: str) -> str:
    said = encoding_label(declared)
    return f"read as {encoding_label(encoding)}: the file declares {said}, which does not fit its text"


def _better_than_declared(data: bytes, text: str, declared: str) -> tuple[str, str] | None:
    """A Russian reading of bytes whose declared encoding turns them into something else."""
    reading = cyrillic_reading(data)
    if reading is None or reading[0] == codecs.lookup(declared).name.replace("-", "_"):
        return None
    if reads_as_cyrillic(text):
        return None  # the declared reading is Russian too: trust the file
    return reading


def _utf16_by_zero_bytes(data: bytes, source_name: str) -> str | None:
    """UTF-16 without a BOM, recognised by its zero bytes and a sensible reading.

    ASCII in UTF-16 has a zero byte in every other place: second in little-endian, first in
    big-endian. CJK text has few such bytes (a newline, "一" U+4E00), so the side with more
    zeros is tried first and a reading is taken only if it holds no controls or unassigned
    characters. Binary data fails both readings; text in a CJK script alone, without any zero
    byte, is left to the guess.
    """
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    sample = data[:65536]
    pairs = len(sample) // 2
    zero_first, zero_second = sample[0::2].count(0), sample[1::2].count(0)
    codecs_to_try = ("utf-16-le", "utf-16-be") if zero_second >= zero_first else ("utf-16-be", "utf-16-le")
    for codec in codecs_to_try:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return codec
    many, few = max(zero_first, zero_second), min(zero_first, zero_second)
    if many >= pairs * 0.2 and few <= many * 0.05:
        label = encoding_label(codecs_to_try[0])
        raise DocumentImportError(
            source_name, f"looks like {label} text without a byte-order mark, but is not valid {label}"
        )
    return None


def _plausible(text: str) -> bool:
    """No zero characters, and controls or unassigned code points at most once in a hundred."""
    sample = text[:20_000]
    if "\x00" in sample:
        return False
    odd = len(_C0_CONTROL.findall(sample)) + sum(
        1 for char in sample if not char.isascii() and unicodedata.category(char) in {"Cn", "Co", "Cs", "Cc"}
    )
    return odd <= len(sample) * _MAX_CONTROL_RATIO


def _allowed_controls(text: str) -> float:
    return max(1, min(len(text), 1_000_000) * _MAX_CONTROL_RATIO)


def _checked(text: str, source_name: str) -> str:
    """Reject decoded text that is mostly control characters: binary that happened to decode."""
    text = text.rstrip("\x1a")  # DOS end-of-file marker, still found in old .txt files
    if not text.strip():
        raise DocumentImportError(source_name, "file is empty")
    controls = len(_C0_CONTROL.findall(text, 0, 1_000_000))
    if "\x00" in text or controls > _allowed_controls(text):
        raise DocumentImportError(source_name, "looks like binary data, not text")
    return text
