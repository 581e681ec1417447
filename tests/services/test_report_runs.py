"""One report run feeds every output: the HTML report shows the run's figures, segments and the
coded work, is well-formed, and never lets user data through as markup."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.etree as etree
import lxml.html
import pytest

from annotator.core.reports.reading import wide
from annotator.core.types import ImportedDocument
from annotator.io.report_html import render_report_html
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.projects import create_project
from annotator.services.report_runs import CHARTED, KINDS, ReportRequest, html_report, run_report
from annotator.services.reports import frequencies_report
from annotator.services.reports_data import ReportFilter
from annotator.store.project import ProjectStore
from tests.services.report_corpus import ReportCorpus, build_report_corpus

HOSTILE = '<img src=/dev/zero onerror="alert(1)"><b>bold</b><script>alert(2)</script>&amp;'


@pytest.fixture
def corpus(project_target: str) -> Iterator[ReportCorpus]:
    store = create_project(project_target, codebook="empty")
    yield build_report_corpus(store, works=3, spans_per_coder=5)
    store.close()


@pytest.fixture
def hostile(project_target: str) -> Iterator[tuple[ProjectStore, int, str]]:
    """A work where every user field — title, text, attribute, code, coder, memos — is markup."""
    store = create_project(project_target, codebook="empty")
    text = f"Before {HOSTILE} middle\nsecond line {HOSTILE} end"
    doc = documents.add_document(
        store, ImportedDocument(f"Title {HOSTILE}", "text", text, {"fandoms": [f"Fandom {HOSTILE}"]}, [])
    )
    group = cb.add_code(store, f"Group {HOSTILE}")
    code = cb.add_code(store, f"Code {HOSTILE}", group.id)
    coder = coders.ensure_coder(store, f"Coder {HOSTILE}")
    ann.apply_code(store, doc.id, 7, 7 + len(HOSTILE), code.id, coder.id, f"Memo {HOSTILE}")
    ann.apply_code(store, doc.id, 0, len(text), group.id, coder.id)
    documents.set_document_memo(store, doc.id, coder.name, f"Doc memo {HOSTILE}")
    [path] = [info.path for info in cb.list_codes(store) if info.id == code.id]  # "/" in names escaped
    yield store, doc.id, path
    store.close()


def _parse(page: str) -> lxml.html.HtmlElement:
    # Well-formed XML (a strict parser reads all of it), then the HTML tree a browser builds.
    etree.fromstring(page.removeprefix("<!DOCTYPE html>").encode("utf-8"))
    return lxml.html.document_fromstring(page)


def _request(kind: str, doc_id: int, code: str) -> ReportRequest:
    return ReportRequest(kind, by="fandoms", code=code, document=doc_id)


@pytest.mark.parametrize("kind", KINDS)
def test_user_data_is_text_in_every_html_report(hostile: tuple[ProjectStore, int, str], kind: str) -> None:
    store, doc_id, code = hostile
    page = render_report_html(html_report(run_report(store, _request(kind, doc_id, code))))
    tree = _parse(page)
    assert not tree.xpath("//script | //img | //iframe | //b | //*[@onerror]")
    body = tree.text_content()
    expected = {
        "frequencies": [code],
        "crosstab": [f"Fandom {HOSTILE}"],
        "cooccurrence": [code],
        "positions": [code],
        "retrieve": [f"Title {HOSTILE}", f"Coder {HOSTILE}", f"Memo {HOSTILE}", HOSTILE],
        "memos": [f"Memo {HOSTILE}", f"Doc memo {HOSTILE}"],
        "document": [f"Title {HOSTILE}", f"Memo {HOSTILE}", f"Doc memo {HOSTILE}", f"Fandom {HOSTILE}"],
    }[kind]
    for text in expected:
        assert text in body  # shown as the text it is, "&amp;" included
    if kind in CHARTED:
        [svg] = tree.xpath("//*[local-name()='svg']")
        assert code[:30] in svg.text_content()  # the chart's labels are text (cut to a length)


def test_the_coded_work_shows_every_character_with_highlights_and_memo_marks(
    hostile: tuple[ProjectStore, int, str],
) -> None:
    store, doc_id, code = hostile
    result = run_report(store, _request("document", doc_id, code))
    tree = _parse(render_report_html(html_report(result)))
    [work] = tree.xpath("//div[@class='work']")
    paragraphs = work.xpath(".//div[@class='text']/p")
    text = documents.document_text(store, doc_id)
    # Each line once, in order; memo marks are the only additions.
    shown = [p.text_content().replace("[1]", "") for p in paragraphs]
    assert shown == text.split("\n")
    marked = [m.text_content() for m in work.xpath(".//mark")]
    assert HOSTILE in marked  # the inner code's span, a highlight of its own
    assert "".join(marked) == text.replace("\n", "")  # the group covers all, cut where the code is
    bars = [b.text_content() for b in work.xpath(".//div[@class='bar']")]
    assert bars.count(code) == 1 and bars.count(code.rsplit("/Code", 1)[0]) == 2  # one line each


def test_html_tables_hold_the_figures_of_the_run(corpus: ReportCorpus) -> None:
    flt = ReportFilter(coders=("ana", "ben"))
    result = run_report(corpus.store, ReportRequest("frequencies", flt))
    tree = _parse(render_report_html(html_report(result)))
    [table] = tree.xpath("//table")
    header = [th.text_content() for th in table.xpath(".//th")]
    assert header == ["code", "coder", "segments", "documents", "characters", "share"]
    cells = {
        (tr[0].text_content(), tr[1].text_content()): [td.text_content() for td in tr[2:5]]
        for tr in table.xpath(".//tbody/tr")
    }
    report = frequencies_report(corpus.store, flt)  # computed apart from the run
    assert len(cells) == len(report.rows)
    for row in report.rows:
        assert cells[(row.code, row.coder)] == [str(row.segments), str(row.documents), str(row.characters)]
    assert wide(result.table).header == tuple(header)


def test_a_report_without_a_work_to_draw_is_a_clear_error(corpus: ReportCorpus) -> None:
    with pytest.raises(Exception, match="choose the work"):
        run_report(corpus.store, ReportRequest("document"))
