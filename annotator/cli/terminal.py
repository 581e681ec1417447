"""What the CLI prints of user-derived text: control characters and stray bytes made visible.

A coder name, a title or a file name can hold terminal escape sequences (``\\x1b]0;…\\a``
retitles a terminal, ``\\x1b[2J`` clears it) or bytes that are not UTF-8. Every such value is
passed through :func:`safe` before it is printed, on a terminal or not, so output shows
``\\x1b`` instead of obeying it and never fails to encode. JSON output goes through
:func:`safe_json`, whose escapes are JSON's own, so a program reading it gets the exact value.
"""

from __future__ import annotations

import json
import re

# C0 controls (newline and tab too: inside a value they would fake a line or a column), DEL,
# C1 controls (U+0080–U+009F; some terminals obey U+009B as CSI), and lone surrogates, which is
# how Python holds command-line and file-name bytes that were not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_JSON_UNPRINTABLE = re.compile("[\x7f-\x9f\ud800-\udfff]")  # json.dumps escapes C0 itself
_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    point = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if 0xDC80 <= point <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{point - 0xDC00:02x}"
    return f"\\x{point:02x}" if point <= 0xFF else f"\\u{point:04x}"


def safe(value: object) -> str:
    """``str(value)`` with every control character and undecodable byte written as an escape."""
    return _UNPRINTABLE.sub(_escape, str(value))


def safe_json(data: object, **options: object) -> str:
    """``json.dumps(data, ensure_ascii=False)`` with C1 controls and lone surrogates as ``\\uXXXX``.

    They only ever occur inside JSON strings, where ``\\uXXXX`` is the standard escape.
    """
    text = json.dumps(data, ensure_ascii=False, **options)  # type: ignore[arg-type]
    return _JSON_UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
