"""Column lengths come from the models, and the limits the layers below the store keep agree with them."""

from __future__ import annotations

import pytest

from annotator.core import validation
from annotator.io import csv_codebook, values
from annotator.store.column_limits import max_length
from annotator.store.models import Annotation, Code, Coder, Document, DocumentAttribute, MergeRecord


def test_max_length_is_the_declared_string_length() -> None:
    for column in (Document.title, DocumentAttribute.name, Code.short_name, MergeRecord.source):
        declared = column.property.columns[0].type.length
        assert isinstance(declared, int) and max_length(column) == declared


@pytest.mark.parametrize("column", [Annotation.quote, Annotation.start, Document.imported_at])
def test_columns_without_a_length_are_refused(column: object) -> None:
    with pytest.raises(TypeError, match="not a String column"):
        max_length(column)  # type: ignore[arg-type]


def test_limits_in_core_and_io_fit_the_columns_they_fill() -> None:
    # core and io may not import the store, so they keep their own numbers: these must not drift.
    assert max_length(Code.name) == validation.MAX_NAME_LENGTH
    assert max_length(Coder.name) == validation.MAX_CODER_NAME_LENGTH
    assert max_length(Code.name) == csv_codebook.MAX_NAME
    assert max_length(Document.title) == values.MAX_TITLE_CHARS
    assert max_length(DocumentAttribute.value) == values.MAX_VALUE_CHARS
    assert max_length(DocumentAttribute.name) >= values.MAX_KEY_CHARS
