"""Versions of an updated work, and the report of every annotation an update moved."""

from __future__ import annotations

import csv
import io

from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import documents
from annotator.services import work_updates as wu
from annotator.store.project import ProjectStore
from tests.services.work_update_support import make_team

V1 = "Chapter 1\n\nThe cat sat on the mat. It rained."
V2 = "Chapter 1\n\nThe dog sat on the mat. It rained.\n\nChapter 2\n\nMore."
V3 = "Preface.\n\nChapter 1\n\nThe dog sat on the mat. It rained.\n\nChapter 2\n\nMore."


def _doc(text: str, name: str) -> ImportedDocument:
    return ImportedDocument("Mat", "text", text, {"ao3_work_id": ["5"]}, source_name=name)


def test_versions_are_kept_in_order_with_their_texts(empty_project: ProjectStore) -> None:
    store = empty_project
    doc = documents.add_document(store, _doc(V1, "v1.txt")).id
    wu.apply_update(store, _doc(V2, "v2.txt"))
    wu.apply_update(store, _doc(V3, "v3.txt"))
    versions = wu.versions_of(store, doc)
    assert [(v.number, v.source_name, v.length, v.current) for v in versions] == [
        (1, "v1.txt", len(V1), False),
        (2, "v2.txt", len(V2), False),
        (3, "v3.txt", len(V3), True),
    ]
    assert [wu.version_text(store, doc, n) for n in (1, 2, 3)] == [V1, V2, V3]


def test_the_moved_annotations_report_lists_old_and_new_offsets_and_quotes(
    empty_project: ProjectStore,
) -> None:
    store = empty_project
    doc = documents.add_document(store, _doc(V1, "v1.txt")).id
    [ana, ben], [trope] = make_team(store, 2, 1)
    cat, rain = V1.index("The cat"), V1.index("rained.")
    ann.apply_code(store, doc, cat, cat + 7, trope, ana)
    ann.apply_code(store, doc, rain, rain + 7, trope, ben)
    wu.apply_update(store, _doc(V2, "v2.txt"))
    rows = wu.update_rows(store, doc)
    assert [
        (r.coder, r.kind, r.status, r.old_quote, r.new_quote) for r in sorted(rows, key=lambda r: r.old_start)
    ] == [
        ("coder0", "changed", "pending", "The cat", "The dog"),
        ("coder1", "exact", "exact", "rained.", "rained."),
    ]
    counted = wu.tally((r.coder, r.code, r.kind) for r in rows)
    assert counted.counts == {"exact": 1, "changed": 1, "orphaned": 0}
    assert counted.by_coder == {
        "coder0": {"exact": 0, "changed": 1, "orphaned": 0},
        "coder1": {"exact": 1, "changed": 0, "orphaned": 0},
    }
    out = io.StringIO()
    assert wu.write_update_csv(store, out, doc) == 2
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert table[0].keys() >= {
        "old_start",
        "old_end",
        "old_quote",
        "new_start",
        "new_end",
        "new_quote",
        "kind",
    }
    new_rain = V2.index("rained.")
    assert {(t["old_quote"], t["new_start"], t["new_end"]) for t in table} == {
        ("The cat", str(cat), str(cat + 7)),
        ("rained.", str(new_rain), str(new_rain + 7)),
    }
