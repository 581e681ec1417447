"""Report figures equal an independent computation from the segments CSV, on both backends.

The project is generated (:mod:`tests.services.report_corpus`: three coders, overlapping codes,
multi-valued fandoms, chapters and paratext zones, a work without zones or word count). It is
exported with the project's own exporter; the expectations are computed here from that file
with ``csv`` and ``collections`` (and from the generator's plain specs for what the file does
not hold: works without segments, text lengths, zones), never from the report code.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.core.reports.data import ALL_CODERS
from annotator.io.csv_safety import unguard_cell
from annotator.services import reports
from annotator.services.segments import export_segments
from annotator.store.project import ProjectStore
from tests.services.report_corpus import CODERS, ReportCorpus, WorkSpec, build_report_corpus

PARATEXT = {"summary", "notes", "end_notes", "chapter_summary", "chapter_notes", "chapter_end_notes"}


@dataclass(frozen=True)
class Row:
    id: int
    doc: int
    zone: str
    chapter: str
    start: int
    end: int
    code: str
    coder: str
    memo: str
    text: str


@pytest.fixture
def corpus(empty_project: ProjectStore) -> ReportCorpus:
    return build_report_corpus(empty_project)


def exported(store: ProjectStore) -> list[Row]:
    out = io.StringIO()
    export_segments(store, out, parallel_from=None)
    out.seek(0)
    return [
        Row(
            int(r["annotation_id"]),
            int(r["document_id"]),
            r["zone"],
            r["chapter"],
            int(r["start"]),
            int(r["end"]),
            unguard_cell(r["code_path"]),
            unguard_cell(r["coder"]),
            unguard_cell(r["memo"]),
            unguard_cell(r["text"]),
        )
        for r in csv.DictReader(out)
    ]


def under(code: str, group: str) -> bool:
    return code == group or code.startswith(group + "/")


def characters(rows: list[Row]) -> int:
    return len({(r.doc, i) for r in rows for i in range(r.start, r.end)})


def expected_frequencies(rows: list[Row], paths: list[str], coders: list[str], in_scope: int) -> dict:
    expected = {}
    for path in paths:
        for coder in [*coders, ALL_CODERS]:
            mine = [r for r in rows if under(r.code, path) and coder in (ALL_CODERS, r.coder)]
            chars = characters(mine)
            expected[(path, coder)] = (len(mine), len({r.doc for r in mine}), chars, chars / in_scope)
    return expected


def figures(report: reports.FrequencyReport) -> dict:
    return {
        (r.code, r.coder): (r.segments, r.documents, r.characters, pytest.approx(r.share))
        for r in report.rows
    }


def test_frequencies_per_code_and_coder_match_the_segments_csv(corpus: ReportCorpus) -> None:
    rows = exported(corpus.store)
    total = sum(len(w.text) for w in corpus.works)
    report = reports.frequencies_report(corpus.store)
    assert report.coders == (*CODERS, ALL_CODERS)
    assert report.characters_in_scope == total
    assert figures(report) == expected_frequencies(rows, list(corpus.codes), list(CODERS), total)
    # The group rolls up its sub-codes: more segments than any of them.
    trope = {r.coder: r.segments for r in report.rows if r.code == "Trope"}
    fluff = {r.coder: r.segments for r in report.rows if r.code == "Trope/Fluff"}
    assert trope[ALL_CODERS] > fluff[ALL_CODERS] > 0


def test_frequencies_filtered_by_coders_codes_and_story_zones(corpus: ReportCorpus) -> None:
    rows = exported(corpus.store)
    story = [
        r for r in rows if r.zone not in PARATEXT and r.coder in ("ana", "cy") and under(r.code, "Trope")
    ]
    paratext = sum(z.end - z.start for w in corpus.works for z in w.zones if z.kind in PARATEXT)
    in_scope = sum(len(w.text) for w in corpus.works) - paratext
    flt = reports.ReportFilter(coders=("ana", "cy"), code_paths=("Trope",), part="story")
    report = reports.frequencies_report(corpus.store, flt)
    assert report.coders == ("ana", "cy", ALL_CODERS)
    assert report.characters_in_scope == in_scope
    paths = ["Trope", "Trope/Slow burn", "Trope/Fluff"]
    assert figures(report) == expected_frequencies(story, paths, ["ana", "cy"], in_scope)
    assert len(story) < len(rows)


def test_paratext_only_and_named_zones(corpus: ReportCorpus) -> None:
    rows = exported(corpus.store)
    report = reports.frequencies_report(corpus.store, reports.ReportFilter(part="paratext"))
    pooled = {r.code: r.segments for r in report.rows if r.coder == ALL_CODERS}
    assert pooled["Angst"] == sum(1 for r in rows if r.code == "Angst" and r.zone in PARATEXT)
    headings = reports.frequencies_report(corpus.store, reports.ReportFilter(zones=("chapter_heading",)))
    pooled = {r.code: r.segments for r in headings.rows if r.coder == ALL_CODERS}
    assert pooled["Humour"] == sum(1 for r in rows if r.code == "Humour" and r.zone == "chapter_heading")


def words_of(work: WorkSpec) -> int:
    stated = work.attributes.get("words")
    return int(stated[0].replace(",", "")) if stated else len(work.text.split())


def band(words: int) -> str:
    bounds = [(1000, "<1k"), (5000, "1k-5k"), (10000, "5k-10k"), (20000, "10k-20k"), (50000, "20k-50k")]
    bounds.append((100000, "50k-100k"))
    return next((label for bound, label in bounds if words < bound), "100k+")


@pytest.mark.parametrize("attribute", ["Fandom", "rating", "words band", "published_year"])
def test_crosstab_matches_the_segments_csv(corpus: ReportCorpus, attribute: str) -> None:
    rows = exported(corpus.store)
    values: dict[int, list[str]] = {}
    for work in corpus.works:
        if attribute == "Fandom":
            values[work.id] = work.attributes["fandoms"]
        elif attribute == "rating":
            values[work.id] = work.attributes["rating"]
        elif attribute == "words band":
            values[work.id] = [band(words_of(work))]
        else:
            values[work.id] = [work.attributes["published"][0][:4]]
    works, words = Counter(), Counter()
    for work in corpus.works:
        for value in values[work.id]:
            works[value] += 1
            words[value] += words_of(work)
    report = reports.crosstab_report(corpus.store, attribute)
    assert set(report.values) == set(works)
    assert report.multi_valued == (attribute == "Fandom")
    assert any("each of its values" in note for note in report.notes) == (attribute == "Fandom")
    for path in corpus.codes:
        for value in works:
            mine = [r for r in rows if under(r.code, path) and value in values[r.doc]]
            documents = len({r.doc for r in mine})
            cell = report.cell(path, value)
            assert (cell.works, cell.documents, cell.segments, cell.words) == (
                works[value],
                documents,
                len(mine),
                words[value],
            )
            assert cell.percent_documents == pytest.approx(100 * documents / works[value])
            assert cell.rate_per_10k_words == pytest.approx(10_000 * len(mine) / words[value])


def test_crosstab_of_an_unknown_attribute_names_the_known_ones(corpus: ReportCorpus) -> None:
    with pytest.raises(reports.NotFoundError, match="fandoms"):
        reports.crosstab_report(corpus.store, "fandm")


def test_attribute_filter_takes_derived_values(corpus: ReportCorpus) -> None:
    rows = exported(corpus.store)
    year = corpus.works[0].attributes["published"][0][:4]
    chosen = {w.id for w in corpus.works if w.attributes["published"][0].startswith(year)}
    flt = reports.ReportFilter(attributes=(("published year", year),))
    report = reports.frequencies_report(corpus.store, flt)
    assert report.works == len(chosen)
    pooled = {r.code: r.segments for r in report.rows if r.coder == ALL_CODERS}
    assert pooled["Humour"] == sum(1 for r in rows if r.code == "Humour" and r.doc in chosen)


def chapter_unit(work: WorkSpec, offset: int) -> int:
    return sum(1 for start in work.chapter_starts if start <= offset)


def is_near(a: Row, b: Row, work: WorkSpec, mode: str, distance: int) -> bool:
    last_a, last_b = max(a.start, a.end - 1), max(b.start, b.end - 1)
    if mode == "overlap":
        return a.start < b.end and b.start < a.end
    if mode == "distance":
        return max(a.start, b.start) - min(a.end, b.end) <= distance
    if mode == "paragraph":
        lines_a = range(work.text.count("\n", 0, a.start), work.text.count("\n", 0, last_a) + 1)
        lines_b = range(work.text.count("\n", 0, b.start), work.text.count("\n", 0, last_b) + 1)
        return bool(set(lines_a) & set(lines_b))
    units_a = range(chapter_unit(work, a.start), chapter_unit(work, last_a) + 1)
    units_b = range(chapter_unit(work, b.start), chapter_unit(work, last_b) + 1)
    return bool(set(units_a) & set(units_b))


def brute_pairs(rows: list[Row], corpus: ReportCorpus, mode: str, distance: int) -> list[tuple[Row, Row]]:
    works = {w.id: w for w in corpus.works}
    return [
        (a, b)
        for a in rows
        for b in rows
        if a.id < b.id
        and a.doc == b.doc
        and a.coder == b.coder
        and a.code != b.code
        and is_near(a, b, works[a.doc], mode, distance)
    ]


@pytest.mark.parametrize(
    ("mode", "distance"), [("overlap", 0), ("distance", 15), ("paragraph", 0), ("chapter", 0)]
)
def test_cooccurrence_matches_every_pair_of_the_segments_csv(
    corpus: ReportCorpus, mode: str, distance: int
) -> None:
    rows = exported(corpus.store)
    pairs = brute_pairs(rows, corpus, mode, distance)
    report = reports.cooccurrence_report(corpus.store, reports.Proximity(mode, distance))
    counts = Counter(r.code for r in rows)
    assert dict(zip(report.codes, report.segments, strict=True)) == {p: counts[p] for p in corpus.codes}
    for cell in report.cells:
        between = [(a, b) for a, b in pairs if {a.code, b.code} == {cell.code_a, cell.code_b}]
        met_a = {x.id for pair in between for x in pair if x.code == cell.code_a}
        met_b = {x.id for pair in between for x in pair if x.code == cell.code_b}
        assert (cell.pairs, cell.segments_a, cell.segments_b) == (len(between), len(met_a), len(met_b))
        total = counts[cell.code_a] + counts[cell.code_b]
        assert cell.jaccard == pytest.approx((len(met_a) + len(met_b)) / total)
    assert sum(cell.pairs for cell in report.cells) == len(pairs) > 0


def test_a_cell_lists_the_segment_pairs_behind_it(corpus: ReportCorpus) -> None:
    from annotator.services.reports_lists import cooccurrence_cell

    rows = exported(corpus.store)
    pairs = brute_pairs(rows, corpus, "distance", 15)
    wanted = sorted(
        (a.id, b.id) if a.code == "Angst" else (b.id, a.id)
        for a, b in pairs
        if {a.code, b.code} == {"Angst", "Humour"}
    )
    listed = cooccurrence_cell(corpus.store, "Angst", "Humour", reports.Proximity("distance", 15), context=5)
    assert sorted((a.annotation_id, b.annotation_id) for a, b in listed) == wanted
    assert all(a.code == "Angst" and b.code == "Humour" for a, b in listed)
    report = reports.cooccurrence_report(corpus.store, reports.Proximity("distance", 15))
    assert report.cell("Humour", "Angst").pairs == len(listed)


def test_positions_by_third_and_chapter_match_the_segments_csv(corpus: ReportCorpus) -> None:
    rows = exported(corpus.store)
    lengths = {w.id: len(w.text) for w in corpus.works}
    report = reports.positions_report(corpus.store)
    for path, parts, chapters in zip(report.codes, report.by_part, report.by_chapter, strict=True):
        mine = [r for r in rows if under(r.code, path)]
        thirds = Counter(
            "start"
            if r.start / lengths[r.doc] < 1 / 3
            else "middle"
            if r.start / lengths[r.doc] < 2 / 3
            else "end"
            for r in mine
        )
        assert parts == (thirds["start"], thirds["middle"], thirds["end"])
        by_chapter = Counter(r.chapter or "(none)" for r in mine)
        assert dict(zip(report.chapters, chapters, strict=True)) == {
            c: by_chapter[c] for c in report.chapters
        }
        assert sum(chapters) == len(mine)


def test_document_strip_holds_the_works_segments(corpus: ReportCorpus) -> None:
    rows = exported(corpus.store)
    work = corpus.works[0]
    strip = reports.document_report(corpus.store, work.id, reports.ReportFilter(coders=("ben",)))
    assert strip.length == len(work.text)
    assert [c[1] for c in strip.chapters] == work.chapter_starts
    expected = sorted((r.code, r.start, r.end) for r in rows if r.doc == work.id and r.coder == "ben")
    assert sorted((s.code, s.start, s.end) for s in strip.spans) == expected
    assert {s.coder for s in strip.spans} == {"ben"}
    with pytest.raises(reports.NotFoundError):
        reports.document_report(corpus.store, 999_999)


def test_retrieval_within_and_not_match_the_segments_csv(corpus: ReportCorpus) -> None:
    from annotator.services.reports_lists import retrieve_segments

    rows = exported(corpus.store)
    texts = {w.id: w.text for w in corpus.works}
    angst = [r for r in rows if r.code == "Angst"]
    trope = [r for r in rows if under(r.code, "Trope")]
    same = defaultdict(list)
    for t in trope:
        same[(t.doc, t.coder)].append(t)
    inside = {
        a.id for a in angst if any(t.start <= a.start and a.end <= t.end for t in same[(a.doc, a.coder)])
    }
    apart = {
        a.id for a in angst if not any(t.start < a.end and a.start < t.end for t in same[(a.doc, a.coder)])
    }
    groups = retrieve_segments(corpus.store, "Angst", within="Trope", context=12)
    hits = [hit for _, group in groups for hit in group]
    assert {hit.annotation_id for hit in hits} == inside
    by_id = {r.id: r for r in rows}
    for hit in hits:
        row = by_id[hit.annotation_id]
        assert (hit.text, hit.memo, hit.coder) == (row.text, row.memo, row.coder)
        assert hit.before == texts[row.doc][max(0, row.start - 12) : row.start]
        assert hit.after == texts[row.doc][row.end : row.end + 12]
        assert hit.attributes["rating"]
    groups = retrieve_segments(corpus.store, "Angst", without="Trope", group_by="work")
    assert {hit.annotation_id for _, group in groups for hit in group} == apart
    assert [key for key, _ in groups] == sorted(
        {key for key, _ in groups}, key=lambda k: int(k.split(":")[0])
    )
    bare = retrieve_segments(corpus.store, "Angst", context=0)
    assert {(h.annotation_id, h.text, h.memo, h.before) for _, g in bare for h in g} == {
        (a.id, a.text, a.memo, "") for a in angst
    }
    everything = retrieve_segments(corpus.store, "Trope")
    assert [key for key, _ in everything] == ["Trope", "Trope/Slow burn", "Trope/Fluff"][: len(everything)]
    assert sum(len(g) for _, g in everything) == len(trope)


def test_memos_gather_annotation_and_document_memos(corpus: ReportCorpus) -> None:
    from annotator.services.reports_lists import list_memos

    rows = exported(corpus.store)
    memos = list_memos(corpus.store)
    annotation = {(m.annotation_id, m.memo) for m in memos if m.kind == "annotation"}
    assert annotation == {(r.id, r.memo) for r in rows if r.memo}
    documents = {(m.document_id, m.coder, m.memo) for m in memos if m.kind == "document"}
    assert documents == set(corpus.document_memos)
    found = list_memos(corpus.store, "FLUFF")
    assert [(m.kind, m.memo) for m in found if m.kind == "document"] == [("document", "Mostly fluff")]
    assert all("fluff" in (m.memo + m.quote + m.code + m.title + m.coder).casefold() for m in found)
    only_ben = list_memos(corpus.store, flt=reports.ReportFilter(coders=("ben",)))
    assert {m.coder for m in only_ben} == {"ben"}


def test_bad_filters_are_one_clear_error(corpus: ReportCorpus) -> None:
    with pytest.raises(reports.ServiceError, match="unknown zone"):
        reports.frequencies_report(corpus.store, reports.ReportFilter(zones=("prologue",)))
    with pytest.raises(reports.ServiceError, match="either zones or a part"):
        reports.frequencies_report(corpus.store, reports.ReportFilter(zones=("story",), part="story"))
    with pytest.raises(reports.NotFoundError, match="no code at path"):
        reports.frequencies_report(corpus.store, reports.ReportFilter(code_paths=("Nope",)))
    with pytest.raises(reports.NotFoundError):
        reports.frequencies_report(corpus.store, reports.ReportFilter(coders=("zed",)))


def test_attribute_values_offer_what_the_filter_takes(corpus: ReportCorpus) -> None:
    from annotator.core.reports.attributes import WORD_BANDS
    from annotator.services.report_output import attribute_values

    fandoms = Counter(f for w in corpus.works for f in w.attributes["fandoms"])
    assert attribute_values(corpus.store, "fandom") == sorted(fandoms, key=lambda f: (-fandoms[f], f))
    years = sorted({w.attributes["published"][0][:4] for w in corpus.works})
    assert attribute_values(corpus.store, "published_year") == years
    assert attribute_values(corpus.store, "words_band") == [label for _, label in WORD_BANDS]
    for value in attribute_values(corpus.store, "fandoms"):  # each value keeps its works
        flt = reports.ReportFilter(attributes=(("fandoms", value),))
        assert reports.frequencies_report(corpus.store, flt).works == fandoms[value]


def test_a_positions_cell_lists_the_segments_it_counts(corpus: ReportCorpus) -> None:
    from annotator.services.reports_lists import position_cell

    rows = exported(corpus.store)
    lengths = {w.id: len(w.text) for w in corpus.works}
    report = reports.positions_report(corpus.store)
    for path, parts in zip(report.codes, report.by_part, strict=True):
        for part, count in zip(("start", "middle", "end"), parts, strict=True):
            hits = position_cell(corpus.store, path, "part", part, context=0)
            expected = {
                r.id
                for r in rows
                if under(r.code, path)
                and part
                == (
                    "start"
                    if 3 * r.start < lengths[r.doc]
                    else "middle"
                    if 3 * r.start < 2 * lengths[r.doc]
                    else "end"
                )
            }
            assert {h.annotation_id for h in hits} == expected and len(hits) == count
    with pytest.raises(Exception, match="a part is one of"):
        position_cell(corpus.store, report.codes[0], "part", "beginning")


def test_annotations_waiting_for_review_are_left_out_of_every_report_and_counted_in_a_note(
    seeded_project: ProjectStore, tmp_path: Path
) -> None:
    from annotator.services import reports_lists
    from annotator.services.report_runs import ReportRequest, html_report, run_report
    from annotator.services.reports_data import review_note
    from annotator.services.work_updates import accept_review, pending_reviews
    from tests.services.waiting_support import updated_with_waiting

    store = seeded_project
    updated = updated_with_waiting(store, tmp_path)
    note = "2 annotations moved by an update wait for review and are not counted"
    assert review_note(len(updated.waiting)) == note
    # The expected figures come from the segments CSV, leaving out the rows it marks pending.
    out = io.StringIO()
    export_segments(store, out, parallel_from=None)
    out.seek(0)
    rows = list(csv.DictReader(out))
    current = [r for r in rows if r["review"] != "pending"]
    assert {int(r["annotation_id"]) for r in current} == updated.counted
    leaves = sorted(set(updated.work.code_names.values()))
    coders = sorted({r["coder"] for r in rows}, key=str.casefold)
    frequencies = reports.frequencies_report(store)
    shown = {(r.code, r.coder): r.segments for r in frequencies.rows}
    for path in leaves:
        for coder in [*coders, ALL_CODERS]:
            expected = sum(1 for r in current if r["code_path"] == path and coder in (ALL_CODERS, r["coder"]))
            assert shown.get((path, coder), 0) == expected, (path, coder)
    assert note in frequencies.notes
    assert note in reports.positions_report(store).notes
    assert note in reports.cooccurrence_report(store).notes
    assert note in reports.crosstab_report(store, "words_band").notes
    # Only the updated work in scope: its one pending pair still counts as 2; another work: none.
    assert (
        note
        in reports.frequencies_report(
            store, reports.ReportFilter(document_ids=(updated.work.document_id,))
        ).notes
    )
    elsewhere = reports.ReportFilter(document_ids=(updated.other_document,))
    assert not any("wait" in n for n in reports.frequencies_report(store, elsewhere).notes)
    # Retrieval lists leave them out too, and its run says so (CLI, HTML and window show run notes).
    edited = updated.work.code_names["edited"]
    notes: list[str] = []
    hits = [h for _, group in reports_lists.retrieve_segments(store, edited, notes=notes) for h in group]
    assert {h.annotation_id for h in hits} == {
        int(r["annotation_id"]) for r in current if r["code_path"] == edited
    }
    assert notes == [note]
    for request in (
        ReportRequest("retrieve", code=edited),
        ReportRequest("memos"),
        ReportRequest("document", document=updated.work.document_id),
        ReportRequest("frequencies"),
    ):
        result = run_report(store, request)
        assert result.notes.count(note) == 1, request.kind
        assert note in html_report(result, with_chart=False).notes
    strip = run_report(store, ReportRequest("document", document=updated.work.document_id))
    assert strip.work is not None
    assert {span.annotation_id for span in strip.work.spans} == {updated.work.annotation_ids["kept"]}
    # One reviewed: it counts again, and the note says one.
    [review] = [r for r in pending_reviews(store) if r.annotation_id == min(updated.waiting)]
    accept_review(store, review.review_id)
    again = reports.frequencies_report(store)
    assert "1 annotation moved by an update waits for review and is not counted" in again.notes
    pooled = {(r.code, r.coder): r.segments for r in again.rows}
    assert pooled[(edited, ALL_CODERS)] == shown[(edited, ALL_CODERS)] + 1
