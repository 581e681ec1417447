"""adjudications: "neither" decisions on coder disagreements

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "adjudications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_adjudications_span")),
        sa.ForeignKeyConstraint(
            ["code_id"], ["codes.id"], name=op.f("fk_adjudications_code_id_codes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_adjudications_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjudications")),
        sa.UniqueConstraint("document_id", "code_id", "start", "end", name="uq_adjudication_cluster"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("adjudications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adjudications_code_id"), ["code_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("adjudications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adjudications_code_id"))

    op.drop_table("adjudications")
