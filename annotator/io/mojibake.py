"""Repair double-encoded UTF-8 ("gehÃ¶rt" for "gehört") with ftfy, and count what was repaired.

Only ftfy's encoding repairs are switched on: curly quotes, ligatures, full-width letters, line
breaks and control characters of a correct text are the author's and stay as they are.

ftfy alone is too eager for us: it turns the correct Portuguese “IRMÃ” into “IRMÔ, because
"Ã”" is also what "Ô" looks like double-encoded. So the text is repaired only when every line
with characters beyond ASCII is wholly double-encoded: its characters written back as
Windows-1252 (or Latin-1) bytes are valid UTF-8. That is how a double-encoded file looks;
correct prose almost never does (the curly quotes, "é" and "ç" around such a word are not valid
UTF-8 as single bytes). A file only partly double-encoded is left as it is. The property tests
hold correct text in many scripts to coming through unchanged.
"""

from __future__ import annotations

import difflib

import ftfy

_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,  # would put U+FFFD into the text: not a repair
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
# ftfy registers "sloppy-windows-1252": Windows-1252 with its five unused bytes kept as C1 controls.
_SINGLE_BYTE_CODECS = ("sloppy-windows-1252", "latin-1")
_DIFF_LIMIT = 20_000  # characters of one changed line worth diffing to count the places


def repair_mojibake(text: str) -> tuple[str, int]:
    """``text`` with double-encoded UTF-8 decoded once more, and the number of places repaired."""
    if text.isascii():
        return text, 0  # mojibake needs characters beyond ASCII
    lines = text.splitlines(keepends=True)
    if not all(line.isascii() or wholly_double_encoded(line) for line in lines):
        return text, 0
    places = 0
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        fixed = ftfy.fix_text(line, _ENCODING_ONLY)
        if fixed != line:
            lines[index] = fixed
            places += _places_changed(line, fixed)
    return ("".join(lines), places) if places else (text, 0)


def wholly_double_encoded(line: str) -> bool:
    """True when the line's characters, as Windows-1252 or Latin-1 bytes, are valid UTF-8."""
    for codec in _SINGLE_BYTE_CODECS:
        try:
            line.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        return True
    return False


def _places_changed(before: str, after: str) -> int:
    if len(before) > _DIFF_LIMIT:
        return 1
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return max(1, sum(1 for tag, *_ in matcher.get_opcodes() if tag != "equal"))
