"""Offsets are code points of the stored NFC text: quotes, listings and the CSV export all agree.

Hypothesis builds texts out of the characters that break naive offset arithmetic (astral emoji,
ZWJ families, flags, skin tones, variation selectors, decomposed accents, CRLF line ends), imports
them through the real text importer and codes random spans.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.text import normalise_text
from annotator.io.csv_safety import unguard_cell
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders
from annotator.services import documents as docs
from annotator.services.segments import SegmentFilter, export_segments
from annotator.store.project import ProjectStore

PIECES = [
    "fox",
    "The ",
    "she said",
    " ",
    ", ",
    ".",
    "日本語",
    "Ωμέγα",
    "🦊",
    "😀",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",  # astral: one code point, two UTF-16 units
    "👩\u200d👩\u200d👧",
    "👨\u200d💻",  # ZWJ sequences
    "🇬🇧",
    "🇯🇵",  # flags: pairs of regional indicators
    "👍🏽",
    "❤️",  # skin-tone modifier, variation selector
    "e\u0301",
    "A\u030a",
    "n\u0303o",
    "\u1e9b\u0323",  # decomposed: NFC composes (most of) them
    "\r\n",
    "\n",
    "\r\n\r\n",
    "\t",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(lambda parts: "x" + "".join(parts))
_counter = itertools.count()


def _import(store: ProjectStore, folder: Path, raw: str) -> tuple[int, str]:
    path = folder / f"work{next(_counter)}.txt"
    path.write_bytes(raw.encode("utf-8"))
    report = docs.import_files(store, [path], skip_duplicates=False)
    assert not report.failed, report.failed
    [summary] = report.imported
    return summary.id, docs.load_document(store, summary.id).text


def _exported(store: ProjectStore, document_id: int) -> dict[int, tuple[int, int, str]]:
    out = io.StringIO(newline="")
    export_segments(store, out, SegmentFilter(document_ids=(document_id,)))
    rows = csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"), newline=""))
    return {int(r["annotation_id"]): (int(r["start"]), int(r["end"]), unguard_cell(r["text"])) for r in rows}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=texts, data=st.data())
def test_stored_quotes_are_code_point_slices_of_the_stored_text(
    empty_project: ProjectStore, tmp_path: Path, raw: str, data: st.DataObject
) -> None:
    store = empty_project
    coder = coders.ensure_coder(store, "ana").id
    code = cb.add_code(store, f"Code {next(_counter)}").id
    document_id, stored = _import(store, tmp_path, raw)

    assert stored == normalise_text(raw)
    assert unicodedata.is_normalized("NFC", stored) and "\r" not in stored
    assert docs.list_documents(store)[-1].length == len(stored)

    bounds = st.tuples(st.integers(0, len(stored) - 1), st.integers(1, len(stored))).filter(
        lambda s: s[0] < s[1]
    )
    spans = data.draw(st.sets(bounds, min_size=1, max_size=6), label="spans")
    applied = {ann.apply_code(store, document_id, s, e, code, coder).id: (s, e) for s, e in spans}

    listed = {a.id: a for a in ann.list_annotations(store, document_id=document_id)}
    exported = _exported(store, document_id)
    for annotation_id, (start, end) in applied.items():
        expected = stored[start:end]
        assert listed[annotation_id].quote == expected
        assert (listed[annotation_id].start, listed[annotation_id].end) == (start, end)
        assert exported[annotation_id] == (start, end, expected)


def test_crlf_text_is_stored_nfc_with_newlines(empty_project: ProjectStore, tmp_path: Path) -> None:
    raw = "Cafe\u0301 au lait\r\nSecond line 👩\u200d👩\u200d👧\rThird\r\n"
    _, stored = _import(empty_project, tmp_path, raw)
    assert stored == "Café au lait\nSecond line 👩\u200d👩\u200d👧\nThird\n"
    assert len(stored) == len("Café au lait\nSecond line ") + 5 + len("\nThird\n")


def test_a_quote_across_an_emoji_matches_the_code_points(empty_project: ProjectStore, tmp_path: Path) -> None:
    document_id, stored = _import(empty_project, tmp_path, "a🦊b👩\u200d👩\u200d👧c")
    coder = coders.ensure_coder(empty_project, "ana").id
    code = cb.add_code(empty_project, "Fox").id
    assert ann.apply_code(empty_project, document_id, 1, 3, code, coder).quote == "🦊b"
    family = ann.apply_code(empty_project, document_id, 3, 8, code, coder)
    assert family.quote == "👩\u200d👩\u200d👧" and stored[8] == "c"
