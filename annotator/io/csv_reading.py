"""Reading a CSV file a user chose: its format problems as one-line refusals that name the file.

The CLI's `import-codebook`/`import-segments`/`code --from-csv`, the app's File ▸ Import … CSV and
New project's codebook CSV all read through here, so they refuse a file in the same words.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, TypeVar

from annotator.core.validation import InvalidInputError
from annotator.io.csv_codebook import CodebookFormatError
from annotator.io.csv_safety import CSV_ENCODING

T = TypeVar("T")


@contextmanager
def csv_refusals(path: str | Path) -> Iterator[None]:
    """Codebook format errors, malformed CSV and non-UTF-8 bytes as ``InvalidInputError``."""
    name = Path(path).name
    try:
        yield
    except CodebookFormatError as exc:
        raise InvalidInputError(str(exc)) from exc
    except csv.Error as exc:
        raise InvalidInputError(f"{name}: not a valid CSV file ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{name}: not UTF-8 text; save it as CSV UTF-8") from exc


def read_csv_file(path: str | Path, read: Callable[[TextIO], T]) -> T:
    """``read`` applied to the open file (UTF-8, BOM allowed), its problems refused in one line."""
    with csv_refusals(path), open(path, encoding=CSV_ENCODING, newline="") as handle:
        return read(handle)
