"""Documents: fetched PDFs and images stored once per sha256; pages made from one point at it
and record where their text came from; jobs carry the e-invoice discrepancies.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ocr_gateway.db.types import JsonType, UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("source_url", sa.String(4096), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("document_id", sa.String(24)))
        batch.add_column(sa.Column("text_source", sa.String(16)))
        batch.create_foreign_key(
            "fk_pages_document_id_documents",
            "documents",
            ["document_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch.create_check_constraint(
            "ck_pages_text_source",
            "text_source IS NULL OR text_source IN ('pdf_text', 'ocr', 'embedded_xml')",
        )
        batch.create_index("ix_pages_document_id", ["document_id"])
        batch.create_index("ix_pages_text_source", ["text_source"])
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(
            sa.Column("discrepancies", JsonType, nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("discrepancies")
    with op.batch_alter_table("pages") as batch:
        batch.drop_index("ix_pages_text_source")
        batch.drop_index("ix_pages_document_id")
        batch.drop_constraint("ck_pages_text_source", type_="check")
        batch.drop_constraint("fk_pages_document_id_documents", type_="foreignkey")
        batch.drop_column("text_source")
        batch.drop_column("document_id")
    op.drop_table("documents")
