"""A user's CSV file is refused in one line that names the file: broken CSV, not UTF-8, a codebook
without its columns; a good file is read with its BOM dropped."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

import pytest

from annotator.core.validation import InvalidInputError
from annotator.io.csv_codebook import read_codebook_csv
from annotator.io.csv_reading import read_csv_file


def _rows(handle: TextIO) -> list[list[str]]:
    return list(csv.reader(handle, strict=True))


def test_a_good_file_is_read_without_its_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_bytes("\ufeffpath,colour\nTrope,#ff0000\n".encode())
    assert read_csv_file(path, _rows) == [["path", "colour"], ["Trope", "#ff0000"]]


@pytest.mark.parametrize(
    ("content", "read", "words"),
    [
        (b"path\nKaf\xe9\n", _rows, ["latin.csv: not UTF-8 text; save it as CSV UTF-8"]),
        (b'path\n"unclosed\n', _rows, ["latin.csv: not a valid CSV file"]),
        (b"name,colour\nTrope,#ff0000\n", read_codebook_csv, ["path"]),
    ],
)
def test_a_bad_file_is_refused_in_one_line_naming_it(
    tmp_path: Path, content: bytes, read: object, words: list[str]
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError) as refused:
        read_csv_file(path, read)  # type: ignore[arg-type]
    message = str(refused.value)
    assert "\n" not in message and all(word in message for word in words), message
