"""Word import of the structures Word writes around text (tracked changes, smart tags, content
controls, text boxes, hyperlinks, notes, comments, merged cells), with fixtures built from the
XML of real Word files; and the import's safety limits with these parts present."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from annotator.core.types import PARATEXT_ZONES, ZONE_END_NOTES, ZONE_HEADING, ImportedDocument
from annotator.io.docx import read_docx
from annotator.io.errors import DocumentImportError
from tests.io.builders import assert_well_formed, rewrite_entry, zone_texts
from tests.io.docx_parts import cell, docx_package, para, row, run, separator_notes, table, text_box

INS = '<w:ins w:id="{n}" w:author="Ann" w:date="2024-05-01T10:00:00Z">{inner}</w:ins>'
DEL = '<w:del w:id="{n}" w:author="Ann" w:date="2024-05-01T10:00:00Z"><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'  # noqa: E501


def read(body: str, **parts: str) -> ImportedDocument:
    doc = read_docx(docx_package(body, **parts), "fixture.docx")
    assert_well_formed(doc)
    return doc


def test_tracked_changes_are_read_accepted() -> None:
    body = para(
        run("She "),
        DEL.format(n=1, text="never "),
        INS.format(n=2, inner=run("always ")),
        '<w:moveFrom w:id="3" w:author="Ann">' + run("slowly ") + "</w:moveFrom>",
        run("came back"),
        '<w:moveTo w:id="4" w:author="Ann">' + run(" slowly") + "</w:moveTo>",
        run("."),
    )
    assert read(body).text == "She always came back slowly."


def test_a_deleted_table_row_is_gone_and_an_inserted_one_is_there() -> None:
    body = table(
        row(cell(para(run("kept")))),
        row(cell(para(DEL.format(n=1, text="old"))), props='<w:del w:id="1" w:author="Ann"/>'),
        row(cell(para(INS.format(n=2, inner=run("new")))), props='<w:ins w:id="2" w:author="Ann"/>'),
        columns=1,
    )
    assert read(body).text == "kept\n\nnew"


def test_smart_tags_nested_mid_sentence_keep_their_words() -> None:
    tag = '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="{0}">{1}</w:smartTag>'
    body = para(
        run("the king of "), tag.format("country-region", tag.format("place", run("Egypt"))), run(" died")
    )
    assert read(body).text == "the king of Egypt died"


def test_content_controls_block_inline_and_in_tables_are_read() -> None:
    def sdt(inner: str) -> str:
        return f'<w:sdt><w:sdtPr><w:alias w:val="Field"/><w:id w:val="7"/></w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'  # noqa: E501

    body = (
        sdt(para(run("A block control.")))
        + para(run("Dear "), sdt(run("Reader")), run(","))
        + table(row(sdt(cell(para(run("cell control")))), cell(para(run("plain")))))
        + table(sdt(row(cell(para(run("row control"))))), columns=1)
    )
    assert read(body).text == "A block control.\n\nDear Reader,\n\ncell control\n\nplain\n\nrow control"


def test_a_document_made_only_of_a_content_control_is_not_empty() -> None:
    body = "<w:sdt><w:sdtPr/><w:sdtContent>" + para(run("All of it.")) + "</w:sdtContent></w:sdt>"
    assert read(body).text == "All of it."


def test_a_text_box_is_read_once_after_its_anchor_paragraph() -> None:
    body = para(run("Before."), text_box(para(run("In the box.")), para(run("Second line.")))) + para(
        run("After.")
    )
    assert read(body).text == "Before.\n\nIn the box.\n\nSecond line.\n\nAfter."


@pytest.mark.parametrize(("choice", "fallback"), [(True, False), (False, True)], ids=["choice", "vml"])
def test_a_text_box_with_one_form_only_is_read(choice: bool, fallback: bool) -> None:
    body = para(run("Anchor."), text_box(para(run("Boxed.")), choice=choice, fallback=fallback))
    assert read(body).text == "Anchor.\n\nBoxed."


def test_hyperlink_and_field_results_are_read_without_field_codes() -> None:
    body = para(
        run("See "),
        '<w:hyperlink w:anchor="_Toc1" w:history="1">' + run("the notes") + "</w:hyperlink>",
        run(" on page "),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("4")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:fldSimple w:instr=" NUMPAGES ">' + run(" of 9") + "</w:fldSimple>",
        run("."),
    )
    assert read(body).text == "See the notes on page 4 of 9."


def test_hidden_text_tabs_and_breaks() -> None:
    body = para(
        run("Shown"),
        run(" secret", props="<w:vanish/>"),
        run(" here", props='<w:vanish w:val="false"/>'),
        "<w:r><w:tab/><w:t>tabbed</w:t><w:br/><w:t>next line</w:t></w:r>",
    )
    assert read(body).text == "Shown here\ttabbed\nnext line"


def test_merged_cells_are_read_once_each_in_reading_order() -> None:
    restart, merged = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    body = table(
        row(cell(para(run("wide")), props='<w:gridSpan w:val="2"/>'), cell(para(run("tall")), props=restart)),
        row(cell(para(run("a"))), cell(para(run("b"))), cell(para(), props=merged)),
        row(
            cell(para(run("c"))),
            cell(table(row(cell(para(run("inner")))), columns=1), para()),
            cell(para(run("d"))),
        ),
        columns=3,
    )
    assert read(body).text == "wide\n\ntall\n\na\n\nb\n\nc\n\ninner\n\nd"


FOOTNOTES = separator_notes("footnote") + "".join(
    f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
    f"{run(' ' + text)}</w:p></w:footnote>"
    for n, text in ((1, "Second in the text."), (2, "First in the text."), (3, "Never referred to."))
)


def footnote_ref(n: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{n}"/></w:r>'


def test_footnotes_and_endnotes_form_notes_zones_in_reference_order() -> None:
    endnotes = separator_notes("endnote") + (
        f'<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>{run(" An endnote.")}</w:p>'
        f"<w:p>{run('Its second paragraph.')}</w:p></w:endnote>"
    )
    body = para(run("One"), footnote_ref(2), run(" two"), footnote_ref(1), run(" three")) + para(
        run("End"), '<w:r><w:endnoteReference w:id="1"/></w:r>', run(".")
    )
    doc = read(body, footnotes=FOOTNOTES, endnotes=endnotes)
    assert doc.text == (
        "One[1] two[2] three\n\nEnd[i].\n\n"
        "Footnotes\n\n[1] First in the text.\n\n[2] Second in the text.\n\n"
        "Endnotes\n\n[i] An endnote.\n\nIts second paragraph."
    )
    assert zone_texts(doc, ZONE_END_NOTES) == [
        "Footnotes\n\n[1] First in the text.\n\n[2] Second in the text.",
        "Endnotes\n\n[i] An endnote.\n\nIts second paragraph.",
    ]
    assert ZONE_END_NOTES in PARATEXT_ZONES
    assert zone_texts(doc, ZONE_HEADING) == ["Footnotes", "Endnotes"]


def test_notes_without_references_add_nothing() -> None:
    assert read(para(run("No notes here.")), footnotes=FOOTNOTES).text == "No notes here."


COMMENTS = (
    '<w:comment w:id="0" w:author="Ann Reviewer" w:date="2024-05-01T10:00:00Z" w:initials="AR">'
    "<w:p><w:r><w:annotationRef/></w:r>" + run("Too strong?") + "</w:p>"
    "<w:p>" + run("Maybe soften.") + "</w:p></w:comment>"
    '<w:comment w:id="1" w:author="Bo" w:initials="B"><w:p><w:r><w:annotationRef/></w:r>'
    + run("Lovely.")
    + "</w:p></w:comment>"
    '<w:comment w:id="2" w:author="" w:initials=""><w:p>' + run("A point comment.") + "</w:p></w:comment>"
)


def test_comments_form_a_zone_quoting_the_text_they_cover() -> None:
    def commented(n: int, *inline: str) -> list[str]:
        end = f'<w:commentRangeEnd w:id="{n}"/><w:r><w:commentReference w:id="{n}"/></w:r>'
        return [f'<w:commentRangeStart w:id="{n}"/>', *inline, end]

    body = (
        para(
            run("It was "),
            *commented(1, run("a bright "), INS.format(n=9, inner=run("cold ")), run("day")),
            run("."),
        )
        + para(run("He "), '<w:commentRangeStart w:id="0"/>', run("hated"))
        + para(run("her"), '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>', run("."))
        + para(run("Fine."), '<w:r><w:commentReference w:id="2"/></w:r>')
    )
    doc = read(body, comments=COMMENTS)
    assert doc.text == (
        "It was a bright cold day.\n\nHe hated\n\nher.\n\nFine.\n\nComments\n\n"
        "Bo on “a bright cold day”: Lovely.\n\n"
        "Ann Reviewer on “hated her”: Too strong?\n\nMaybe soften.\n\n"
        "Comment: A point comment."
    )
    assert zone_texts(doc, ZONE_END_NOTES) == [doc.text[doc.text.index("Comments") :]]


def test_headers_and_footers_are_left_out() -> None:
    header = para(run("Running head — page"))
    assert read(para(run("Body text.")), header1=header).text == "Body text."


def test_headings_come_from_styles_and_outline_levels() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Chapter"><w:name w:val="Chapter"/>'
        '<w:basedOn w:val="Heading1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    )
    body = (
        para(run("One"), style="Heading1")
        + para(run("Two"), style="Chapter")
        + '<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr>'
        + run("Three")
        + "</w:p>"
        + para(run("Prose."), style="Normal")
    )
    assert zone_texts(read(body, styles=styles), ZONE_HEADING) == ["One", "Two", "Three"]


def test_every_fixture_imports_to_the_same_text_every_time() -> None:
    body = table(
        row(cell(para(run("x")), props='<w:gridSpan w:val="2"/>'), cell(para(run("y")))),
        row(cell(para(run("p"))), cell(para(run("q"))), cell(para(run("r")))),
        columns=3,
    ) + para(run("Anchor"), text_box(para(run("box"))), footnote_ref(1))
    data = docx_package(body, footnotes=FOOTNOTES)
    docs = [read_docx(data, "same.docx") for _ in range(6)]
    assert len({hashlib.sha256(doc.text.encode()).hexdigest() for doc in docs}) == 1
    assert docs[0].text == "x\n\ny\n\np\n\nq\n\nr\n\nAnchor[1]\n\nbox\n\nFootnotes\n\n[1] Second in the text."


# --- the limits still hold with these parts ---------------------------------------------------


def test_entities_in_the_footnotes_part_are_refused() -> None:
    data = docx_package(para(run("Text"), footnote_ref(1)), footnotes=FOOTNOTES)
    laughs = b'?><!DOCTYPE w [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    hostile = rewrite_entry(data, "word/footnotes.xml", lambda xml: xml.replace(b"?>", laughs, 1))
    with pytest.raises(DocumentImportError, match=r"word/footnotes\.xml declares a DTD"):
        read_docx(hostile, "lol.docx")


def test_a_dtd_hidden_by_a_utf16_encoding_is_refused() -> None:
    def to_utf16(xml: bytes) -> bytes:
        declared = xml.replace(b'encoding="UTF-8"', b'encoding="UTF-16"', 1)
        with_dtd = declared.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x "boo">]>', 1)
        return with_dtd.decode().encode("utf-16")

    hostile = rewrite_entry(docx_package(para(run("Text"))), "word/document.xml", to_utf16)
    with pytest.raises(DocumentImportError, match=r"DTD or entities, refused for safety"):
        read_docx(hostile, "u16.docx")


def test_a_word_document_part_that_is_a_zip_bomb_is_refused() -> None:
    """A document.xml of 8 MB of zeros deflated ~1000-fold: refused before python-docx opens it."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(docx_package(para(run("x")))))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info, source.read(info))
        with bomb.open("word/document.xml", "w") as entry:
            for _ in range(8):
                entry.write(bytes(1 << 20))
    with pytest.raises(DocumentImportError, match=r"word/document\.xml' expands [\d,]+-fold"):
        read_docx(buffer.getvalue(), "bomb.docx")
