"""``pages.claimed_by``: the OCR process of a page's latest attempt (host:pid:start), so
that the embedded queue queues a ``processing`` page again only when that process is gone
(``processing.claimants``), not while another process on the same database reads it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pages", sa.Column("claimed_by", sa.String(255)))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite >= 3.35 drops a column in place
        op.execute("ALTER TABLE pages DROP COLUMN claimed_by")
    else:
        op.drop_column("pages", "claimed_by")
