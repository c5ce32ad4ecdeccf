"""``jobs.lowest_confidence``: the confidence of the least sure field of a job's invoice data
(a corrected field counts 1, a field without a numeric confidence 0; null without fields),
indexed, so that the review queue filters (``lowestConfidence: {lt: 0.6}``) and sorts on it
in SQL instead of reading every job's invoice data.

Two indexes: the column alone (a filter on it without needsReview), and the review queue's
``(needs_review, created_at, lowest_confidence)``. Review jobs nearly all have a field under
the review threshold, so "lowest below t" matches most of them and the column's index alone
made SQLite gather and sort them all (``bench/review_queue.py``, 100,000 jobs: 429 ms for
the first slice); with the queue's index it walks them oldest first and stops at 100 (0.9 ms).

Jobs assembled before this revision get theirs here. The rule is copied, not imported
(``processing.corrections.lowest_confidence`` lives above ``db/``, and a migration must keep
doing what it did when it was written); ``tests/db`` checks that the two agree.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from alembic import op

from ocr_gateway.db.types import JsonType

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 1000
QUEUE_INDEX = "ix_jobs_needs_review_created_at_lowest_confidence"


def upgrade() -> None:
    op.add_column("jobs", sa.Column("lowest_confidence", sa.Float()))
    op.create_index("ix_jobs_lowest_confidence", "jobs", ["lowest_confidence"])
    op.create_index(QUEUE_INDEX, "jobs", ["needs_review", "created_at", "lowest_confidence"])
    _backfill()


def _backfill() -> None:
    """In slices of ``BATCH`` jobs by id, so a large table is never read into memory at once."""
    jobs = sa.table(
        "jobs",
        sa.column("id", sa.String(24)),
        sa.column("invoice_data", JsonType),
        sa.column("lowest_confidence", sa.Float()),
    )
    connection = op.get_bind()
    update = (
        sa.update(jobs)
        .where(jobs.c.id == sa.bindparam("job_id"))
        .values(lowest_confidence=sa.bindparam("lowest"))
    )
    last = ""
    while True:
        rows = connection.execute(
            sa.select(jobs.c.id, jobs.c.invoice_data)
            .where(jobs.c.id > last)
            .order_by(jobs.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        values = [
            {"job_id": row.id, "lowest": lowest}
            for row in rows
            if (lowest := _lowest(row.invoice_data)) is not None
        ]
        if values:
            connection.execute(update, values)


def _lowest(invoice_data: Any) -> float | None:
    if not isinstance(invoice_data, dict):
        return None
    found = [_confidence(e) for e in invoice_data.values() if isinstance(e, dict)]
    return min(found) if found else None


def _confidence(entry: dict[str, Any]) -> float:
    if entry.get("method") == "manual":
        return 1.0
    value = entry.get("confidence")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0.0
    return min(1.0, max(0.0, float(value)))


def downgrade() -> None:
    op.drop_index(QUEUE_INDEX, table_name="jobs")
    op.drop_index("ix_jobs_lowest_confidence", table_name="jobs")
    if op.get_bind().dialect.name == "sqlite":  # SQLite >= 3.35 drops a column in place (0005)
        op.execute("ALTER TABLE jobs DROP COLUMN lowest_confidence")
    else:
        op.drop_column("jobs", "lowest_confidence")
