"""document versions: earlier texts of updated works, and the review of annotations they moved

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("source_format", sa.String(length=20), nullable=False),
        sa.Column("source_name", sa.String(length=1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("zones", sa.Text(), nullable=False),
        sa.Column("adjudications", sa.Text(), nullable=False),
        sa.Column("exact_anchors", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_versions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_versions")),
        sa.UniqueConstraint("document_id", "number", name="uq_document_version_number"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_versions_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_versions_text_hash"), ["text_hash"], unique=False)

    op.create_table(
        "anchor_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("old_start", sa.Integer(), nullable=False),
        sa.Column("old_end", sa.Integer(), nullable=False),
        sa.Column("old_quote", sa.Text(), nullable=False),
        sa.Column("new_start", sa.Integer(), nullable=True),
        sa.Column("new_end", sa.Integer(), nullable=True),
        sa.Column("place", sa.Integer(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name=op.f("fk_anchor_reviews_code_id_codes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name=op.f("fk_anchor_reviews_coder_id_coders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_anchor_reviews_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_anchor_reviews_version_id_document_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anchor_reviews")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("anchor_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_anchor_reviews_version_id"), ["version_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_anchor_reviews_annotation_id"), ["annotation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_anchor_reviews_code_id"), ["code_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_anchor_reviews_coder_id"), ["coder_id"], unique=False)
        batch_op.create_index("ix_anchor_reviews_document_status", ["document_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("anchor_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_anchor_reviews_document_status")
        batch_op.drop_index(batch_op.f("ix_anchor_reviews_coder_id"))
        batch_op.drop_index(batch_op.f("ix_anchor_reviews_code_id"))
        batch_op.drop_index(batch_op.f("ix_anchor_reviews_annotation_id"))
        batch_op.drop_index(batch_op.f("ix_anchor_reviews_version_id"))

    op.drop_table("anchor_reviews")
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_versions_text_hash"))
        batch_op.drop_index(batch_op.f("ix_document_versions_document_id"))

    op.drop_table("document_versions")
