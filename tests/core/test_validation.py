"""The one colour rule (``is_colour``), shared by edits, codebook CSV files and merges."""

from __future__ import annotations

import io

import pytest

from annotator.core.validation import InvalidInputError, clean_colour, is_colour
from annotator.io.csv_codebook import CodebookFormatError, read_codebook_csv

NOT_COLOURS = [
    "",
    "red",
    "#fff",
    "#12345",
    "#1234567",
    "ff0000",
    "#gg0000",
    "#ff0000\n",  # a regex with "$" lets this through
    "#ff0000;",
    '#ff0000"><img src="/dev/zero"><b x="',
    "#ff0000\x00",
    "#\uff10\uff10\uff10\uff10\uff10\uff10",  # full-width digits are digits to str.isdigit, not hex
]


@pytest.mark.parametrize("colour", ["#000000", "#a1B2c3", "#FFFFFF"])
def test_six_hex_digits_in_either_case_are_a_colour(colour: str) -> None:
    assert is_colour(colour)
    assert clean_colour(f" {colour} ") == colour.lower()


@pytest.mark.parametrize("colour", NOT_COLOURS)
def test_anything_else_is_refused_by_edits_and_codebook_files_alike(colour: str) -> None:
    assert not is_colour(colour)
    if is_colour(colour.strip()):  # edits and CSV cells drop surrounding whitespace first
        return
    with pytest.raises(InvalidInputError):
        clean_colour(colour)
    if colour and "\x00" not in colour:
        csv = io.StringIO(f'path,colour\nTrope,"{colour.replace(chr(34), chr(34) * 2)}"\n')
        with pytest.raises(CodebookFormatError, match="is not #rrggbb"):
            read_codebook_csv(csv)
