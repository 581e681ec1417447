"""Bytes to text: every way a real file arrives mis-encoded is read right and said, or refused with why."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.ao3_html import read_ao3_html
from annotator.io.ao3_webpage import read_html
from annotator.io.decoding import declared_encoding, decode
from annotator.io.errors import DocumentImportError
from annotator.io.mojibake import wholly_double_encoded
from tests.io import ao3_pages
from tests.io.builders import epub_bytes, opf, xhtml

LATIN = "Harry looked at the letter again. It was not his name on it, and he knew it.\n"
CJK = "日本語の文章です。東京は晴れ。\n这是一个中文句子。"
CJK_ONLY = "日本語の文章です東京は晴れ"
RUSSIAN = [
    "Привет!",
    "Да, он пришёл домой.",
    "Гарри улыбнулся.\n",
    "Глава 1\n\nОн не знал, что сказать. Она посмотрела на него и ушла.",
    "Summary: Harry and Draco.\nТекст: Он не знал, что сказать.",
    'ГЛАВА ПЕРВАЯ\n\n"Ёлка" стояла в углу - зелёная и пушистая.',
]
GERMAN = "Das gehört mir. Süß und schön — „Zitat“ …"


@pytest.mark.parametrize("text", [LATIN, CJK, CJK_ONLY], ids=["latin", "cjk", "cjk-only"])
@pytest.mark.parametrize(("codec", "label"), [("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")])
def test_utf16_without_a_byte_order_mark_is_read_and_said(text: str, codec: str, label: str) -> None:
    decoded = decode(text.encode(codec), "story.txt")
    assert decoded.text == text
    assert decoded.notes == (f"read as {label} (no byte-order mark)",)


def test_utf16_by_its_zero_bytes_that_is_not_valid_utf16_names_that() -> None:
    data = LATIN.encode("utf-16-le") + "\ud800".encode("utf-16-le", "surrogatepass") + b"A\x00"
    with pytest.raises(DocumentImportError) as caught:
        decode(data, "story.txt")
    assert str(caught.value) == (
        "story.txt: looks like UTF-16 LE text without a byte-order mark, but is not valid UTF-16 LE"
    )


@pytest.mark.parametrize("text", RUSSIAN)
@pytest.mark.parametrize(("codec", "label"), [("koi8_r", "KOI8-R"), ("cp1251", "Windows-1251")])
def test_russian_without_a_declaration_is_read_in_its_encoding(text: str, codec: str, label: str) -> None:
    decoded = decode(text.encode(codec), "story.txt")
    assert decoded.text == text
    assert decoded.notes == (f"read as {label} (no encoding declared)",)


def test_western_text_is_not_taken_for_russian() -> None:
    text = "“Don’t,” she said — and meant it. Café crème, naïve façade, à la carte."
    decoded = decode(text.encode("cp1252"), "story.txt")
    assert decoded.text == text
    assert decoded.notes == ("read as Windows-1252 (no encoding declared)",)


def test_double_encoded_utf8_is_repaired_and_counted() -> None:
    double = GERMAN.encode("utf-8").decode("cp1252").encode("utf-8")
    assert "gehÃ¶rt" in double.decode("utf-8")
    decoded = decode(double, "story.txt")
    assert decoded.text == GERMAN
    # gehört, Süß, schön, —, „, “, …: seven places, as the user will read it
    assert decoded.notes == ("repaired double-encoded UTF-8 (mojibake) in 7 places",)


def test_double_encoded_utf8_with_c1_controls_is_repaired_not_called_binary() -> None:
    # Decoded as Latin-1 instead of Windows-1252: "„" became "â\x80\x9e", with two C1 controls.
    double = GERMAN.encode("utf-8").decode("latin-1").encode("utf-8")
    assert "\x9e" in double.decode("utf-8")
    decoded = decode(double, "story.txt")
    assert decoded.text == GERMAN
    assert decoded.notes == ("repaired double-encoded UTF-8 (mojibake) in 7 places",)


def test_c1_controls_that_are_not_mojibake_are_refused_by_name() -> None:
    data = ("Some words \x81 and more \x8d words. " * 20).encode("utf-8")
    with pytest.raises(DocumentImportError, match=r"contains 40 C1 control characters \(U\+0080–U\+009F\)"):
        decode(data, "story.txt")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4096),
        bytes(b for b in random.Random(8).randbytes(4096) if b),
        struct.pack("<2000h", *range(2000)),  # zero bytes in every other place, like UTF-16
        bytes(range(1, 32)) * 50,
    ],
    ids=["random", "random-without-zero", "int16-array", "controls"],
)
def test_real_binary_is_refused_as_binary(data: bytes) -> None:
    with pytest.raises(DocumentImportError, match=r"^blob\.txt: looks like binary data"):
        decode(data, "blob.txt")


def _page(charset: str, body: str) -> str:
    return f'<html><head><meta charset="{charset}"><title>T</title></head><body><p>{body}</p></body></html>'


@pytest.mark.parametrize(("codec", "label"), [("koi8_r", "KOI8-R"), ("cp1251", "Windows-1251")])
def test_html_whose_meta_charset_is_wrong_is_read_right_and_said(codec: str, label: str) -> None:
    story = "Он не знал, что сказать. Она посмотрела на него и ушла."
    other = "windows-1251" if codec == "koi8_r" else "koi8-r"
    other_label = "KOI8-R" if other == "koi8-r" else "Windows-1251"
    for declared, declared_label in (("iso-8859-1", "Windows-1252"), (other, other_label)):
        doc = read_ao3_html(_page(declared, story).encode(codec), "story.html")
        assert doc.text.endswith(story)
        said = f"read as {label}: the file declares {declared_label}, which does not fit its text"
        assert doc.notes == (said,)


def test_html_claiming_utf8_in_windows_1252_says_so() -> None:
    story = "“Don’t,” he said. Naïve café."
    doc = read_ao3_html(_page("utf-8", story).encode("cp1252"), "story.html")
    assert doc.text.endswith(story)
    assert doc.notes == ("read as Windows-1252: the file declares UTF-8, which does not fit its text",)


@pytest.mark.parametrize(
    ("charset", "codec"), [("windows-1251", "cp1251"), ("koi8-r", "koi8_r"), ("utf-8", "utf-8")]
)
def test_a_declaration_that_fits_needs_no_note(charset: str, codec: str) -> None:
    data = _page(charset, "Привет, мир. Он не знал, что сказать.").encode(codec)
    assert decode(data, "x.html", declared=declared_encoding(data)).notes == ()


# --- correct UTF-8 is never "repaired" ----------------------------------------------------------

_WORDS = {
    "german": ["gehört", "Süß", "schön", "Straße", "ÄRGER", "Öl", "über"],
    "portuguese": ["NÃO", "SÃO", "IRMÃ", "MÃE", "CORAÇÃO", "não", "irmã", "ação", "Ãgua"],
    "french": ["à", "où", "crème", "naïve", "Œuvre", "ÇA", "été"],
    "russian": ["Гарри", "ночь", "ГЛАВА", "ёлка", "Ёж", "в", "и"],
    "greek": ["Καλημέρα", "κόσμε", "ΑΘΗΝΑ", "ψυχή"],
    "cjk": ["日本語", "东京", "서울", "ひらがな", "カタカナ"],
    "emoji": ["😀", "👩‍👩‍👧", "🏳️‍🌈", "❤️"],
    "combining": ["e\u0301", "n\u0303", "a\u0308\u0301"],
    "symbols": ["©", "™", "€", "±", "×", "½"],
}
_PUNCTUATION = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "“", "”", "’", "—", "…", "«", "»", "-", "!"]
_TOKEN = st.sampled_from([word for words in _WORDS.values() for word in words] + _PUNCTUATION)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(_TOKEN, min_size=1, max_size=40).map("".join).filter(str.strip))
def test_correct_utf8_in_any_script_comes_through_unchanged(text: str) -> None:
    # A text whose every line is, byte for byte, what a double-encoded file holds ("IRMÃ”" alone
    # is "IRMÔ" double-encoded) cannot be told from one; any other correct text must stay as it is.
    assume(not all(line.isascii() or wholly_double_encoded(line) for line in text.splitlines()))
    decoded = decode(text.encode("utf-8"), "story.txt")
    assert decoded.text == text.rstrip("\x1a")
    assert decoded.notes == ()


_WINDOWS_1252_EXTRAS = "ŒœŠšŽžŸƒˆ˜–—‘’‚“”„†‡•…‰‹›€™"
_NOT_LATIN1 = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(
        min_codepoint=0x100, exclude_categories=("Cs", "Cc"), exclude_characters=_WINDOWS_1252_EXTRAS
    ),
)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(_NOT_LATIN1, min_size=1, max_size=60).filter(str.strip))
def test_any_text_without_latin1_letters_comes_through_unchanged(text: str) -> None:
    # Mojibake is made of Latin-1/Windows-1252 characters: without them there is nothing to repair.
    decoded = decode(text.encode("utf-8"), "story.txt")
    assert decoded.text == text and decoded.notes == ()


REAL_SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "real"


def test_real_ao3_downloads_come_through_unchanged_and_without_notes() -> None:
    pages = sorted(REAL_SAMPLES.glob("*.html"))
    if not pages:
        pytest.skip("the real AO3 downloads (../shared/samples/real) are not on this machine")
    for page in pages:
        data = page.read_bytes()
        decoded = decode(data, page.name, declared=declared_encoding(data))
        assert (decoded.text, decoded.notes) == (data.decode("utf-8"), ()), page.name


# --- every HTML-based reader says how it read the text ----------------------------------------


def test_a_saved_work_page_in_windows_1252_says_how_it_was_read() -> None:
    page = ao3_pages.work_page_html(
        ao3_pages.Work(
            work_id=7, title="Café", authors=["a"], chapters=[ao3_pages.Chapter(["“Don’t,” he said."])]
        )
    ).replace('<meta charset="utf-8" />', "")
    doc = read_html(page.encode("cp1252", "xmlcharrefreplace"), "saved page.html")
    assert "“Don’t,” he said." in doc.text and doc.title == "Café"
    assert doc.notes == ("read as Windows-1252 (no encoding declared)",)


def test_an_epub_chapter_with_mojibake_is_repaired_and_the_note_names_the_chapter() -> None:
    story = "Don’t go, he said. Naïve café, déjà vu — it’s fine."
    garbled = story.encode("utf-8").decode("cp1252")
    chapter = xhtml(f"<p>{garbled}</p><p>{garbled}</p>", "One")
    data = epub_bytes(
        {"OEBPS/content.opf": opf([("c1", "ch1.xhtml")], ["c1"], "One"), "OEBPS/ch1.xhtml": chapter}
    )
    doc = read_ao3_epub(data, "story.epub")
    assert story in doc.text and garbled not in doc.text
    assert len(doc.notes) == 1
    assert doc.notes[0].startswith("OEBPS/ch1.xhtml: repaired double-encoded UTF-8 (mojibake)")
