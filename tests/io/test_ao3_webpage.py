"""Saved AO3 web pages: a work's page reads as its download does; the site's other pages are refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.cli import main as annotator
from annotator.core.types import (
    ZONE_CHAPTER_HEADING,
    ZONE_END_NOTES,
    ZONE_NOTES,
    ZONE_STORY,
    ZONE_SUMMARY,
    ImportedDocument,
)
from annotator.io.ao3_html import read_ao3_html
from annotator.io.ao3_webpage import read_html
from annotator.io.errors import DocumentImportError
from annotator.io.importers import read_document
from annotator.services.documents import import_files, list_documents
from annotator.services.projects import create_project
from annotator.store.project import open_project
from tests.io import ao3_pages
from tests.io.ao3_pages import Chapter, Work
from tests.io.builders import assert_well_formed, zone_texts

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "real"

TAGS = {
    "rating": ["Teen And Up Audiences"],
    "warnings": ["No Archive Warnings Apply"],
    "categories": ["Gen", "F/M"],
    "fandoms": ["The Locked Tomb Series | Gideon the Ninth Series - Tamsyn Muir"],
    "relationships": ["Harrowhark Nonagesimus/Gideon Nav"],
    "characters": ["Gideon Nav", "Harrowhark Nonagesimus"],
    "additional_tags": ["Slow Burn", "Bones? Bones."],
    "language": ["English"],
}
ONE_CHAPTER = Work(
    work_id=41822007,
    title="so I open the window",
    authors=["oriflamme"],
    tags=TAGS,
    series=[(3196530, "it's about the bones 👌", 3)],
    words=5688,
    summary='"You know I had to do it to them," John mumbles.\nHe misses the beach.',
    end_notes="I'm not sourcing all the memes.",
    chapters=[Chapter(["1. If you find yourself in a hole, stop digging.", "---", "It tickles."])],
)
THREE_CHAPTERS = Work(
    work_id=218676,
    title="Fire and Feather",
    authors=["nianeyna", "co_writer"],
    tags={**TAGS, "categories": ["Gen"]},
    updated="2007-06-25",
    complete=False,
    words=7526,
    summary="In a small village, a typical village girl.",
    notes="This is my first fanfic ever.",
    end_notes="My longest work to date.",
    chapters=[
        Chapter(["A/N: Yay!", "Run."], title="Festival", summary="Kaia runs."),
        Chapter(["Kaia woke suddenly."], title="Riversong K'Vala", notes="One more.", end_notes="Italics!"),
        Chapter(["A conversation."], end_notes="Thank goodness."),
    ],
)


def _web(work: Work, *, skin: bool = True, chapter: int | None = None) -> ImportedDocument:
    page = ao3_pages.work_page_html(work, skin=skin, chapter=chapter)
    return read_html(page.encode(), "saved page.html")


def _download(work: Work) -> ImportedDocument:
    return read_html(ao3_pages.download_html(work).encode(), "saved page.html")


def _refusal(page: str, name: str = "page.html") -> str:
    with pytest.raises(DocumentImportError) as caught:
        read_html(page.encode(), name)
    return str(caught.value)


@pytest.mark.parametrize("work", [ONE_CHAPTER, THREE_CHAPTERS], ids=["one chapter", "three chapters"])
@pytest.mark.parametrize("skin", [True, False], ids=["site skin", "no site skin"])
def test_a_saved_work_page_gives_the_same_document_as_the_download(work: Work, skin: bool) -> None:
    page, download = _web(work, skin=skin), _download(work)
    assert_well_formed(page)
    assert page == download
    assert page.attributes["ao3_work_id"] == [str(work.work_id)]
    assert page.attributes["url"] == [f"https://archiveofourown.org/works/{work.work_id}"]


def test_the_download_builder_matches_what_the_importer_reads_from_real_downloads() -> None:
    """Guards the comparison above: the synthetic download must read as a download does."""
    doc = _download(THREE_CHAPTERS)
    assert doc.source_format == "ao3-html"
    assert zone_texts(doc, ZONE_CHAPTER_HEADING) == [
        "Chapter 1: Festival",
        "Chapter 2: Riversong K'Vala",
        "Chapter 3",
    ]
    assert doc.attributes["updated"] == ["2007-06-25"] and doc.attributes["chapters"] == ["3/?"]
    assert doc.attributes["authors"] == ["nianeyna", "co_writer"]


def test_page_furniture_stays_out_of_the_document() -> None:
    doc = _web(THREE_CHAPTERS)
    for furniture in ("Chapter Text", "Work Text", "Kudos", "Log In", "See the end", "Hide Creator"):
        assert furniture not in doc.text
    assert not {"kudos", "hits", "comments", "bookmarks"} & set(doc.attributes)
    assert doc.title == "Fire and Feather"  # not the page's "… [Archive of Our Own]" title


def test_series_neighbours_are_not_series() -> None:
    doc = _web(ONE_CHAPTER)
    assert doc.attributes["series"] == ["it's about the bones 👌"]
    assert doc.attributes["series_part"] == ["3"]


def test_one_chapter_of_a_chaptered_work_keeps_its_number_and_the_work_metadata() -> None:
    second = _web(THREE_CHAPTERS, chapter=2)
    assert zone_texts(second, ZONE_CHAPTER_HEADING) == ["Chapter 2: Riversong K'Vala"]
    assert [z.chapter for z in second.zones if z.kind == ZONE_STORY] == [2]
    assert zone_texts(second, ZONE_SUMMARY) == [] and zone_texts(second, ZONE_END_NOTES) == []
    assert second.attributes["fandoms"] == TAGS["fandoms"]
    assert second.attributes["ao3_work_id"] == ["218676"]
    first, last = _web(THREE_CHAPTERS, chapter=1), _web(THREE_CHAPTERS, chapter=3)
    assert zone_texts(first, ZONE_SUMMARY) == ["In a small village, a typical village girl."]
    assert zone_texts(first, ZONE_NOTES) == ["This is my first fanfic ever."]
    assert zone_texts(last, ZONE_END_NOTES) == ["My longest work to date."]


NOT_FOUND = "is an AO3 error page (Error 404: The page you were looking for doesn't exist.), not a work"
LOCKED = (
    "is an AO3 work locked to registered users (work {}): the page has no work text; log in and use Download"
)
REFUSALS = {
    "404": (
        ao3_pages.error_404_page(),
        f"page.html: {NOT_FOUND}",
    ),
    "404 without skin": (
        ao3_pages.error_404_page(skin=False),
        f"page.html: {NOT_FOUND}",
    ),
    "login": (ao3_pages.login_page(), "page.html: is the AO3 login page, not a work"),
    "login from a work": (
        ao3_pages.login_page(return_to_work=5),
        "page.html: is the AO3 login page, not a work",
    ),
    "locked": (
        ao3_pages.locked_work_page(185710),
        f"page.html: {LOCKED.format(185710)}",
    ),
    "bookmarks": (
        ao3_pages.bookmarks_page(),
        "page.html: is an AO3 list of bookmarks, not a work: open a work and use Download",
    ),
    "works": (
        ao3_pages.works_page(),
        "page.html: is an AO3 list of works, not a work: open a work and use Download",
    ),
    "adult warning": (
        ao3_pages.adult_warning_page(77, "Night Shift"),
        "page.html: is AO3's adult-content warning for 'Night Shift', not the work: choose Proceed on AO3, "
        "then save the page or use Download",
    ),
}


@pytest.mark.parametrize("kind", list(REFUSALS))
def test_a_page_that_is_not_a_work_is_refused_saying_what_it_is(kind: str) -> None:
    page, message = REFUSALS[kind]
    assert _refusal(page) == message


def test_a_listed_summary_does_not_change_what_the_page_is() -> None:
    page = ao3_pages.works_page().replace(
        "Summary of Three.", "This work could have adult content; only available to registered users."
    )
    assert _refusal(page) == "page.html: is an AO3 list of works, not a work: open a work and use Download"


def test_any_other_page_of_the_site_is_refused_by_its_title() -> None:
    page = ao3_pages.site_page(
        "<h2>Tags</h2><p>Browse tags.</p>", title="Tags | Archive of Our Own", main_class="tags-index"
    )
    assert _refusal(page) == "page.html: is an AO3 page (Tags | Archive of Our Own), not a work"


def test_html_that_only_looks_like_the_site_is_still_imported() -> None:
    markup = b'<html><body><div id="main"><p>My own story.</p></div></body></html>'
    doc = read_html(markup, "mine.html")
    assert doc == read_ao3_html(markup, "mine.html") and doc.text.endswith("My own story.")


def _real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"the real sample {name} is not here (../shared/samples/real is not checked out)")
    return path


def test_the_real_saved_work_page_has_its_metadata_summary_and_notes() -> None:
    doc = read_document(_real("unlockedWork.html"))
    assert_well_formed(doc)
    assert doc.title == "so I open the window to hear sounds of people"
    expected = {
        "title": ["so I open the window to hear sounds of people"],
        "authors": ["oriflamme"],
        "rating": ["Teen And Up Audiences"],
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["Gen"],
        "fandoms": ["The Locked Tomb Series | Gideon the Ninth Series - Tamsyn Muir"],
        "language": ["English"],
        "series": ["it's about the bones 👌"],
        "series_part": ["3"],
        "published": ["2022-09-20"],
        "words": ["5688"],
        "chapters": ["1/1"],
        "ao3_work_id": ["41822007"],
        "url": ["https://archiveofourown.org/works/41822007"],
    }
    assert {key: doc.attributes[key] for key in expected} == expected
    assert len(doc.attributes["characters"]) == 4 and len(doc.attributes["additional_tags"]) == 9
    assert doc.attributes["additional_tags"][2] == "One Man's Sad Quest to Recreate Ice Cream"
    [summary] = zone_texts(doc, ZONE_SUMMARY)
    assert summary.startswith('"You know I had to do it to them," John mumbles.')
    assert zone_texts(doc, ZONE_NOTES) == []  # the page's notes only point to the end notes
    [end_notes] = zone_texts(doc, ZONE_END_NOTES)
    assert end_notes.startswith("I'm not sourcing all the memes")
    [story] = zone_texts(doc, ZONE_STORY)
    assert story.startswith("1. If you find yourself in a hole") and story.endswith('"Welcome to the First."')
    assert "Work Text" not in doc.text and "left kudos" not in doc.text


def test_the_real_saved_page_has_the_shape_of_a_real_download() -> None:
    page = read_document(_real("unlockedWork.html"))
    download = read_document(_real("first-as-farce.html"))  # another one-chapter work, downloaded
    assert page.source_format == download.source_format == "ao3-html"
    assert [z.kind for z in page.zones] == [z.kind for z in download.zones]
    shared = set(download.attributes) - {"relationships", "completed"}  # this work has neither
    assert shared <= set(page.attributes) <= set(download.attributes) | {"characters", "updated"}


def test_the_real_locked_work_page_is_refused() -> None:
    with pytest.raises(DocumentImportError) as caught:
        read_document(_real("lockedWorkLoggedOut.html"))
    assert str(caught.value) == f"lockedWorkLoggedOut.html: {LOCKED.format(185710)}"


def test_importing_pages_through_the_command_line(
    project_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder of saved pages: the work pages are imported, each other page is refused by name."""
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a work.html").write_text(ao3_pages.work_page_html(THREE_CHAPTERS), encoding="utf-8")
    (folder / "b download.html").write_text(ao3_pages.download_html(ONE_CHAPTER), encoding="utf-8")
    (folder / "c locked.html").write_text(ao3_pages.locked_work_page(9), encoding="utf-8")
    (folder / "d missing.htm").write_text(ao3_pages.error_404_page(), encoding="utf-8")
    assert annotator(["new", project_target, "--codebook", "empty"]) == 0
    status = annotator(["import", project_target, str(folder)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.strip().splitlines()[-1] == "imported 2, skipped 0 duplicates, failed 2"
    assert [line for line in err.splitlines() if line.startswith("failed: ")] == [
        f"failed: c locked.html: {LOCKED.format(9)}",
        f"failed: d missing.htm: {NOT_FOUND}",
    ]
    store = open_project(project_target)
    try:
        documents = {d.title: d for d in list_documents(store)}
    finally:
        store.close()
    assert set(documents) == {"Fire and Feather", "so I open the window"}
    assert documents["Fire and Feather"].attributes["ao3_work_id"] == ["218676"]
    assert documents["Fire and Feather"].attributes["fandoms"] == TAGS["fandoms"]


def test_a_refused_page_adds_nothing_to_the_project(project_target: str, tmp_path: Path) -> None:
    login = tmp_path / "login.html"
    login.write_text(ao3_pages.login_page(), encoding="utf-8")
    store = create_project(project_target, codebook="empty")
    try:
        report = import_files(store, [login])
        assert report.failed == [(str(login), "login.html: is the AO3 login page, not a work")]
        assert report.imported == [] and list_documents(store) == []
    finally:
        store.close()


def test_a_page_without_the_work_id_links_still_imports() -> None:
    """A page saved by a tool that drops navigation and forms keeps its work, without an id."""
    markup = ao3_pages.work_page_html(replace(ONE_CHAPTER, series=[]))
    for marker in ("/downloads/", "/share", "show_comments", "style=disable", "/comments", "/bookmarks"):
        markup = markup.replace(marker, "/elsewhere")
    doc = read_html(markup.encode(), "page.html")
    assert "ao3_work_id" not in doc.attributes and doc.attributes["fandoms"] == TAGS["fandoms"]
