"""Value types shared by importers, services, exporters and the GUI.

Everything here is a frozen dataclass of plain values so it can cross layers (and threads)
without dragging a database session or a Qt object along.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Zone kinds. A document's text is partitioned by the importer into zones; the segments CSV
# reports the innermost non-chapter zone of a span's start and the chapter that contains it.
ZONE_TITLE = "title"
ZONE_SUMMARY = "summary"
ZONE_NOTES = "notes"
ZONE_STORY = "story"
ZONE_END_NOTES = "end_notes"
ZONE_CHAPTER = "chapter"  # covers a whole chapter (heading, its notes and its story text)
ZONE_CHAPTER_HEADING = "chapter_heading"
ZONE_CHAPTER_SUMMARY = "chapter_summary"
ZONE_CHAPTER_NOTES = "chapter_notes"
ZONE_CHAPTER_END_NOTES = "chapter_end_notes"
ZONE_HEADING = "heading"  # a label the importer wrote into the text, e.g. "Summary"

ZONE_KINDS = (
    ZONE_TITLE,
    ZONE_SUMMARY,
    ZONE_NOTES,
    ZONE_STORY,
    ZONE_END_NOTES,
    ZONE_CHAPTER,
    ZONE_CHAPTER_HEADING,
    ZONE_CHAPTER_SUMMARY,
    ZONE_CHAPTER_NOTES,
    ZONE_CHAPTER_END_NOTES,
    ZONE_HEADING,
)
# Zones that are paratext (not the story itself): agreement can exclude them with one word.
PARATEXT_ZONES = frozenset(
    {
        ZONE_SUMMARY,
        ZONE_NOTES,
        ZONE_END_NOTES,
        ZONE_CHAPTER_SUMMARY,
        ZONE_CHAPTER_NOTES,
        ZONE_CHAPTER_END_NOTES,
    }
)


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    """A labelled range ``[start, end)`` of a document's text, in code points."""

    kind: str
    start: int
    end: int
    label: str = ""
    chapter: int | None = None  # 1-based chapter number for chapter-scoped zones


@dataclass(frozen=True)
class ImportedDocument:
    """What an importer produces: normalised text plus metadata, not yet stored."""

    title: str
    source_format: str  # "text", "ao3-html", "ao3-epub", "docx", "markdown"
    text: str  # NFC-normalised, "\n" line ends
    attributes: dict[str, list[str]] = field(default_factory=dict)
    zones: list[ZoneSpec] = field(default_factory=list)
    source_name: str = ""  # the file name it came from
    notes: tuple[str, ...] = ()  # how it was read, for the user ("read as KOI8-R (no encoding declared)")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class CodeInfo:
    id: int
    parent_id: int | None
    name: str
    path: str  # "Trope/Enemies to lovers"
    colour: str  # "#rrggbb"
    short_name: str = ""
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    position: int = 0
    count: int = 0  # annotations using it, when the query asked for counts


@dataclass(frozen=True, slots=True)
class CoderInfo:
    id: int
    name: str
    colour: str
    count: int = 0
    role: str = "coder"  # or "consensus"


@dataclass(frozen=True, slots=True)
class AnnotationInfo:
    id: int
    document_id: int
    start: int
    end: int
    code_id: int
    coder_id: int
    memo: str
    quote: str
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    title: str
    source_format: str
    length: int
    attributes: dict[str, list[str]]
    annotation_count: int = 0


@dataclass(frozen=True)
class DocumentView:
    """Everything the viewer needs to show one document."""

    id: int
    title: str
    text: str
    text_hash: str
    zones: list[ZoneSpec]
    attributes: dict[str, list[str]]
    memo: str = ""
