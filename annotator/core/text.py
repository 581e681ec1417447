"""Text normalisation rules every stored document obeys, and the hash that identifies it.

Stored text is NFC-normalised with "\n" line ends; offsets everywhere are code points of that text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029|\x85")
# Control characters other than tab and newline carry no meaning in prose and break exports.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """Return ``text`` in the stored form: NFC, "\\n" line ends, no stray control characters."""
    text = text.lstrip("\ufeff")
    text = _LINE_ENDS.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def text_hash(text: str) -> str:
    """SHA-256 of the stored text: how merges recognise the same work across projects."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
