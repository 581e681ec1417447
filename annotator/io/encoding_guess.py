"""Guessing the legacy encoding of bytes that are not UTF-8, and naming encodings for people.

charset-normalizer makes the first guess. Two corrections follow, each for a mistake it makes on
the short texts fan fiction often is: it names cp1250 (or a neighbour) for English and French in
Windows-1252, and it reads short Russian in KOI8-R as Chinese or Japanese. Russian is checked
directly: in a right reading every word of Cyrillic letters is cased like a word ("Гарри",
"ночь", "ГЛАВА"), while KOI8-R read as Windows-1251 (or the other way round) comes out
in scrambled case ("оПХБЕР") and a Western text read as Cyrillic mixes alphabets inside words.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

CYRILLIC_ENCODINGS = ("cp1251", "koi8_r")
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_MIN_GOOD_SHARE = 0.9
_MIN_WORD_LENGTH = 2.5
_LABELS = {
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1252": "Windows-1252",
    "koi8_r": "KOI8-R",
    "koi8_u": "KOI8-U",
    "utf_8": "UTF-8",
    "utf_16_le": "UTF-16 LE",
    "utf_16_be": "UTF-16 BE",
    "utf_16": "UTF-16",
    "latin_1": "ISO-8859-1",
    "shift_jis": "Shift_JIS",
    "cp932": "Shift_JIS (Windows)",
    "gb18030": "GB18030",
    "big5": "Big5",
    "euc_jp": "EUC-JP",
    "euc_kr": "EUC-KR",
    "mac_roman": "Mac Roman",
}


def encoding_label(encoding: str) -> str:
    """A name people know for a codec name ("koi8_r" → "KOI8-R", "cp1251" → "Windows-1251")."""
    try:
        name = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        name = encoding.lower().replace("-", "_")
    if name in _LABELS:
        return _LABELS[name]
    if name.startswith("iso8859_"):
        return "ISO-8859-" + name.removeprefix("iso8859_")
    return name.upper().replace("_", "-")


def guess_encoding(data: bytes) -> tuple[str, str] | None:
    """The most plausible ``(encoding, text)`` for bytes that are not UTF-8, or None for binary."""
    best = from_bytes(data).best()
    cyrillic = cyrillic_reading(data)
    if cyrillic is not None and (best is None or not reads_as_cyrillic(str(best))):
        return cyrillic
    if best is None:
        return None
    if best.encoding in CYRILLIC_ENCODINGS and cyrillic is not None:
        return cyrillic  # the better cased of KOI8-R and Windows-1251
    western = _western_instead(data, best.encoding, best.could_be_from_charset)
    return ("cp1252", western) if western is not None else (best.encoding, str(best))


def cyrillic_reading(data: bytes) -> tuple[str, str] | None:
    """``(encoding, text)`` when the bytes read as Russian words in KOI8-R or Windows-1251."""
    readings = []
    for encoding in CYRILLIC_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if reads_as_cyrillic(text):
            good, total, lower, _letters = _word_shape(text)
            readings.append((good / total, lower, encoding, text))
    if not readings:
        return None
    _share, _lower, encoding, text = max(readings)
    return encoding, text


def reads_as_cyrillic(text: str) -> bool:
    """Nearly all words beyond ASCII are well-cased Cyrillic, and they are words, not initials.

    Western text with only "à" beyond ASCII reads as the Cyrillic "а" in Windows-1251: requiring
    an average word length that Russian prose has and such letters do not keeps French French.
    """
    good, total, _lower, letters = _word_shape(text)
    return bool(total) and good / total >= _MIN_GOOD_SHARE and letters >= _MIN_WORD_LENGTH * good


def _word_shape(text: str) -> tuple[int, int, int, int]:
    """(well-cased Cyrillic words, words with letters beyond ASCII, their lower-case and all letters)."""
    good = total = lower = letters = 0
    for word in _WORD.findall(text, 0, 200_000):
        if word.isascii():
            continue
        total += 1
        if _CYRILLIC_WORD.fullmatch(word) and (word.islower() or word.isupper() or word.istitle()):
            good += 1
            lower += sum(1 for char in word if char.islower())
            letters += len(word)
    return good, total, lower, letters


def _western_instead(data: bytes, encoding: str, could_be: list[str]) -> str | None:
    """The Windows-1252 reading when charset-normalizer named a neighbour that fits no better.

    It cannot tell Windows-1252 from its neighbours on short English texts and often names
    cp1250 for them, turning "crème" into "crčme"; prefer 1252 when it fits.
    """
    if encoding == "cp1252" or not ("cp1252" in could_be or _single_byte(encoding)):
        return None
    try:
        candidate = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if "cp1252" in could_be or _cp1252_fits(data, encoding):
        return candidate
    return None


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
