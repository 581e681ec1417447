"""SQLAlchemy models of a project: documents, their attributes and zones, codes, coders, annotations.

The schema itself is created and evolved by Alembic (``annotator/store/migrations``); these classes
describe it to the ORM and must stay in step with the newest revision (a test checks this).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Deterministic constraint names keep Alembic batch migrations on SQLite workable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC, second precision: the same value on SQLite and PostgreSQL and in CSV."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Setting(Base):
    """Project-level key/value settings (e.g. which codebook it started from)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Document(Base):
    __tablename__ = "documents"
    # AUTOINCREMENT: ids are never reused, so undo can restore a row under its old id.
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    source_format: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(1000), default="")
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    length: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    attributes: Mapped[list[DocumentAttribute]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DocumentAttribute.position",
    )
    zones: Mapped[list[DocumentZone]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DocumentZone.start",
    )


class DocumentAttribute(Base):
    """One value of a multi-valued attribute (a work has several fandoms, tags, …)."""

    __tablename__ = "document_attributes"
    __table_args__ = (Index("ix_document_attributes_name_value", "name", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(String(2000))
    position: Mapped[int] = mapped_column(Integer, default=0)
    document: Mapped[Document] = relationship(back_populates="attributes")


class DocumentZone(Base):
    """A labelled span of a document's text: summary, notes, story, chapter k…"""

    __tablename__ = "document_zones"
    __table_args__ = (CheckConstraint('start >= 0 AND start < "end"', name="span"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(1000), default="")
    chapter: Mapped[int | None] = mapped_column(Integer, nullable=True)
    document: Mapped[Document] = relationship(back_populates="zones")


class DocumentMemo(Base):
    """A coder's memo on a whole document."""

    __tablename__ = "document_memos"
    __table_args__ = (UniqueConstraint("document_id", "coder_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)


class Code(Base):
    __tablename__ = "codes"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    colour: Mapped[str] = mapped_column(String(9), default="#888888")
    definition: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Coder(Base):
    __tablename__ = "coders"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    colour: Mapped[str] = mapped_column(String(9), default="#4477aa")
    # "coder" for a person; "consensus" for the adjudicated version a team agrees on.
    role: Mapped[str] = mapped_column(String(20), default="coder", server_default="coder")


class MergeRecord(Base):
    """One merge of another coder's project into this one: an audit trail for methods sections."""

    __tablename__ = "merge_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(2000))
    merged_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    summary: Mapped[str] = mapped_column(Text, default="")


class Annotation(Base):
    """One coded span: [start, end) code points of a document's text, by one coder, with one code."""

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="span"),
        UniqueConstraint("document_id", "code_id", "coder_id", "start", "end", name="uq_annotation_span"),
        Index("ix_annotations_document_start", "document_id", "start", "end"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)


class Adjudication(Base):
    """A team's decision on a disagreement that leaves no consensus annotation behind.

    Accepting a version is recorded by the consensus coder's annotations themselves; only a
    "neither" decision (no one's version is right) needs a row, keyed like the disagreement:
    document, code and the cluster's ``[start, end)``.
    """

    __tablename__ = "adjudications"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="span"),
        UniqueConstraint("document_id", "code_id", "start", "end", name="uq_adjudication_cluster"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))
    decided_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)


class DocumentVersion(Base):
    """An earlier version of a document's text, kept when an updated work replaced it.

    Versions are appended, never edited: number 1 is the text first imported; the document row
    holds the current version (number = the highest kept + 1). The JSON columns hold what the
    update replaced or moved, so the version can be shown, exported and the update undone:
    ``attributes`` ``{name: [values]}``, ``zones`` whole rows, ``adjudications`` whole rows,
    ``exact_anchors`` ``[annotation id, coder id, code id, old start, old end, new start, new end]``
    of every annotation that re-attached exactly (the others have an ``anchor_reviews`` row).
    """

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_version_number"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(1000))
    source_format: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(1000), default="")
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    length: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime())
    replaced_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    attributes: Mapped[str] = mapped_column(Text, default="{}")
    zones: Mapped[str] = mapped_column(Text, default="[]")
    adjudications: Mapped[str] = mapped_column(Text, default="[]")
    exact_anchors: Mapped[str] = mapped_column(Text, default="[]")


class AnchorReview(Base):
    """An annotation an update could not re-attach exactly: moved to edited text, or orphaned.

    ``kind`` is "changed" (the annotation now spans ``[new_start, new_end)`` of the current text)
    or "orphaned" (its text is gone: the annotation row was removed and this row keeps all of it,
    under its old id, so it can be re-selected or the update undone). ``status`` is "pending"
    until someone accepts, re-selects or drops it.
    """

    __tablename__ = "anchor_reviews"
    __table_args__ = (
        Index("ix_anchor_reviews_document_status", "document_id", "status"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotation_id: Mapped[int] = mapped_column(Integer, index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    old_start: Mapped[int] = mapped_column(Integer)
    old_end: Mapped[int] = mapped_column(Integer)
    old_quote: Mapped[str] = mapped_column(Text)
    new_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    new_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Where the old span's text was in the new text (a re-selection starts there).
    place: Mapped[int] = mapped_column(Integer, default=0)
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime())
    updated_at: Mapped[datetime] = mapped_column(DateTime())
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


class Assignment(Base):
    """A coder assigned to code a document. Where a document has assignments, agreement counts only
    its assigned coders and treats the others as missing there (not as having coded nothing)."""

    __tablename__ = "assignments"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    coder_id: Mapped[int] = mapped_column(
        ForeignKey("coders.id", ondelete="CASCADE"), primary_key=True, index=True
    )
