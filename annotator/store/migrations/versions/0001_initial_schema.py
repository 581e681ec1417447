"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 14:08:31.432433
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("colour", sa.String(length=9), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coders")),
        sa.UniqueConstraint("name", name=op.f("uq_coders_name")),
    )
    op.create_table(
        "codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("colour", sa.String(length=9), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("inclusion", sa.Text(), nullable=False),
        sa.Column("exclusion", sa.Text(), nullable=False),
        sa.Column("example", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["codes.id"], name=op.f("fk_codes_parent_id_codes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codes")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_codes_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("source_format", sa.String(length=20), nullable=False),
        sa.Column("source_name", sa.String(length=1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_text_hash"), ["text_hash"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_annotations_span")),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name=op.f("fk_annotations_code_id_codes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name=op.f("fk_annotations_coder_id_coders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_annotations_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotations")),
        sa.UniqueConstraint("document_id", "code_id", "coder_id", "start", "end", name="uq_annotation_span"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_annotations_code_id"), ["code_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_annotations_coder_id"), ["coder_id"], unique=False)
        batch_op.create_index("ix_annotations_document_start", ["document_id", "start", "end"], unique=False)

    op.create_table(
        "document_attributes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_attributes_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_attributes")),
    )
    with op.batch_alter_table("document_attributes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_attributes_document_id"), ["document_id"], unique=False)
        batch_op.create_index("ix_document_attributes_name_value", ["name", "value"], unique=False)

    op.create_table(
        "document_memos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name=op.f("fk_document_memos_coder_id_coders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_memos_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_memos")),
        sa.UniqueConstraint("document_id", "coder_id", name=op.f("uq_document_memos_document_id")),
    )
    with op.batch_alter_table("document_memos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_memos_document_id"), ["document_id"], unique=False)

    op.create_table(
        "document_zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=1000), nullable=False),
        sa.Column("chapter", sa.Integer(), nullable=True),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_document_zones_span")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_zones_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_zones")),
    )
    with op.batch_alter_table("document_zones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_zones_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document_zones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_zones_document_id"))

    op.drop_table("document_zones")
    with op.batch_alter_table("document_memos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_memos_document_id"))

    op.drop_table("document_memos")
    with op.batch_alter_table("document_attributes", schema=None) as batch_op:
        batch_op.drop_index("ix_document_attributes_name_value")
        batch_op.drop_index(batch_op.f("ix_document_attributes_document_id"))

    op.drop_table("document_attributes")
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_index("ix_annotations_document_start")
        batch_op.drop_index(batch_op.f("ix_annotations_coder_id"))
        batch_op.drop_index(batch_op.f("ix_annotations_code_id"))

    op.drop_table("annotations")
    op.drop_table("settings")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_text_hash"))

    op.drop_table("documents")
    with op.batch_alter_table("codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_codes_parent_id"))

    op.drop_table("codes")
    op.drop_table("coders")
