"""Spreadsheet-safe CSV cells.

A cell that starts with ``= + - @``, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets. Such cells are written with a leading apostrophe, and the reader
removes exactly that apostrophe again, so export → import → export is the identity.
"""

from __future__ import annotations

TRIGGERS = frozenset("=+-@\t\r")
# UTF-8 with a byte-order mark: Excel otherwise reads the file as the local code page.
CSV_ENCODING = "utf-8-sig"


def _needs_guard(value: str) -> bool:
    # Apostrophes already in front of a trigger are guarded too, or reading would strip them.
    stripped = value.lstrip("'")
    return bool(stripped) and stripped[0] in TRIGGERS


def guard_cell(value: str) -> str:
    """The cell as written: formula triggers neutralised with a leading apostrophe."""
    return "'" + value if _needs_guard(value) else value


def unguard_cell(value: str) -> str:
    """The value as it was before :func:`guard_cell`."""
    if value.startswith("'") and _needs_guard(value[1:]):
        return value[1:]
    return value
