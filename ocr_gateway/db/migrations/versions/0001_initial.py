"""Templates, job groups, jobs and pages.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ocr_gateway.db.types import JsonType, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    ]


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "templates",
        *_timestamps(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("languages", JsonType, nullable=False),
        sa.Column("fields", JsonType, nullable=False),
        sa.Column("options", JsonType, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_templates"),
        sa.UniqueConstraint("name", name="uq_templates_name"),
    )
    _indexes("templates", "created_at", "updated_at")

    op.create_table(
        "job_groups",
        *_timestamps(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("batch_number", sa.String(255)),
        sa.Column("template_id", sa.String(24), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("processing_settings", JsonType, nullable=False),
        sa.Column("notifications", JsonType, nullable=False),
        sa.Column("created_by", sa.String(255)),
        sa.Column("assigned_to", sa.String(255)),
        sa.Column("tags", JsonType, nullable=False),
        sa.Column("metadata", JsonType, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_job_groups"),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            name="fk_job_groups_template_id_templates",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "priority IN ('low', 'medium', 'high', 'urgent')", name="ck_job_groups_priority"
        ),
    )
    _indexes(
        "job_groups",
        "created_at",
        "updated_at",
        "batch_number",
        "template_id",
        "priority",
        "status",
        "assigned_to",
    )

    op.create_table(
        "jobs",
        *_timestamps(),
        sa.Column("group_id", sa.String(24)),
        sa.Column("template_id", sa.String(24), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("source_file_name", sa.String(1024)),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("invoice_data", JsonType, nullable=False),
        sa.Column("error", JsonType),
        sa.Column("metadata", JsonType, nullable=False),
        sa.Column("completed_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.ForeignKeyConstraint(
            ["group_id"], ["job_groups.id"], name="fk_jobs_group_id_job_groups", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            name="fk_jobs_template_id_templates",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "priority IN ('low', 'medium', 'high', 'urgent')", name="ck_jobs_priority"
        ),
    )
    _indexes("jobs", "created_at", "updated_at", "group_id", "template_id", "status", "priority")

    op.create_table(
        "pages",
        *_timestamps(),
        sa.Column("job_id", sa.String(24), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(4096), nullable=False),
        sa.Column("page_type", sa.String(16)),
        sa.Column("image_properties", JsonType, nullable=False),
        sa.Column("annotations", JsonType, nullable=False),
        sa.Column("metadata", JsonType, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("ocr_text", sa.Text()),
        sa.Column("ocr_lines", JsonType),
        sa.Column("ocr_words", JsonType),
        sa.Column("mean_confidence", sa.Float()),
        sa.Column("extracted_fields", JsonType),
        sa.Column("engine", sa.String(64)),
        sa.Column("engine_version", sa.String(64)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("timings", JsonType),
        sa.Column("error", JsonType),
        sa.Column("queued_at", UtcDateTime()),
        sa.Column("started_at", UtcDateTime()),
        sa.Column("processed_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_pages"),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name="fk_pages_job_id_jobs", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("job_id", "page_number", name="uq_pages_job_id_page_number"),
        sa.CheckConstraint("page_number >= 1", name="ck_pages_page_number_positive"),
        sa.CheckConstraint(
            "status IN ('pending', 'queued', 'processing', 'processed', 'failed')",
            name="ck_pages_status",
        ),
        sa.CheckConstraint(
            "page_type IS NULL OR page_type IN "
            "('cover', 'header', 'content', 'footer', 'summary', 'attachment')",
            name="ck_pages_page_type",
        ),
    )
    _indexes("pages", "created_at", "updated_at", "job_id", "status")
    op.create_index("ix_pages_job_id_status", "pages", ["job_id", "status"])


def downgrade() -> None:
    op.drop_table("pages")
    op.drop_table("jobs")
    op.drop_table("job_groups")
    op.drop_table("templates")
