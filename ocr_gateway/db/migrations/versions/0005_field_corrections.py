"""Field corrections: a person's value for an invoice field of a job, kept beside the
extracted one; and ``jobs.needs_review``, so lists can filter the jobs still to look at.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from ocr_gateway.db.types import JsonType, UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_corrections",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("job_id", sa.String(24), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("value", sa.Text()),
        sa.Column("normalized_value", sa.Text()),
        sa.Column("previous", JsonType),
        sa.Column("corrected_by", sa.String(255), nullable=False),
        sa.Column("corrected_by_key_id", sa.String(24)),
        sa.Column("corrected_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_field_corrections"),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name="fk_field_corrections_job_id_jobs", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("job_id", "field", name="uq_field_corrections_job_id_field"),
    )
    op.add_column(
        "jobs",
        sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_jobs_needs_review", "jobs", ["needs_review"])
    _backfill_needs_review()


def _backfill_needs_review() -> None:
    """Jobs assembled before this revision: flagged when a field of theirs is."""
    jobs = sa.table(
        "jobs",
        sa.column("id", sa.String(24)),
        sa.column("invoice_data", JsonType),
        sa.column("needs_review", sa.Boolean()),
    )
    connection = op.get_bind()
    flagged = [
        row.id
        for row in connection.execute(sa.select(jobs.c.id, jobs.c.invoice_data))
        if _any_flagged(row.invoice_data)
    ]
    for start in range(0, len(flagged), 500):
        chunk = flagged[start : start + 500]
        connection.execute(
            sa.update(jobs).where(jobs.c.id.in_(chunk)).values(needs_review=sa.true())
        )


def _any_flagged(invoice_data: Any) -> bool:
    if not isinstance(invoice_data, dict):
        return False
    return any(isinstance(f, dict) and f.get("needsReview") for f in invoice_data.values())


def downgrade() -> None:
    op.drop_index("ix_jobs_needs_review", table_name="jobs")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite >= 3.35 drops a column in place; a batch copy of ``jobs`` would drop the
        # table that pages reference (ON DELETE CASCADE).
        op.execute("ALTER TABLE jobs DROP COLUMN needs_review")
    else:
        op.drop_column("jobs", "needs_review")
    op.drop_table("field_corrections")
