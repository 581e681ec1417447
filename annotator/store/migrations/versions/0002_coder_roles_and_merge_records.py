"""coder roles and merge records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:08:37.020915
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merge_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_records")),
    )
    with op.batch_alter_table("coders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), server_default="coder", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("coders", schema=None) as batch_op:
        batch_op.drop_column("role")

    op.drop_table("merge_records")
