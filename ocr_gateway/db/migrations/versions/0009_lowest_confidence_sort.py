"""The index that sorts jobs least sure first: ``(coalesce(lowest_confidence, 2.0), id)``.

``lowestConfidence`` sorts a job without invoice data as if its confidence were 2.0 (after
every real one, on both back ends: ``resources.job``), and cursors page on that value and
the id. The column's own index (0008) does not serve ``ORDER BY coalesce(...)``: SQLite and
PostgreSQL gathered and sorted every job for the first slice (``bench/review_queue.py``,
100,000 jobs on SQLite: 103 ms). An index on the same expression and the id lets both walk
it in order and stop at the slice's end. The sort writes the 2.0 as a literal, not a bound
parameter, so that the query's expression is the index's.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEX = "ix_jobs_lowest_confidence_sort"


def upgrade() -> None:
    op.create_index(INDEX, "jobs", [sa.text("coalesce(lowest_confidence, 2.0)"), "id"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="jobs")
