"""Duplicate invoices: ``jobs.possible_duplicate_of`` (the earliest earlier job whose invoice
matches, ``ON DELETE SET NULL`` so it never points at a deleted job) and the normalised match
keys that find that job with one indexed query (``processing.duplicates``).

Jobs done before this revision get their keys from ``ocr-gateway migrate`` right after it
(``processing.duplicates.backfill``): the keys come from rules above ``db/``, which a
migration cannot import.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FK = "fk_jobs_possible_duplicate_of_jobs"
KEYS = ("duplicate_key_number", "duplicate_key_amount")
INDEXED = ("possible_duplicate_of", *KEYS)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a REFERENCES clause in place (its default is NULL); a
        # batch copy of ``jobs`` would drop the table that pages reference (ON DELETE CASCADE).
        op.execute(
            f"ALTER TABLE jobs ADD COLUMN possible_duplicate_of VARCHAR(24) CONSTRAINT {FK} "
            "REFERENCES jobs (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("jobs", sa.Column("possible_duplicate_of", sa.String(24)))
        op.create_foreign_key(
            FK, "jobs", "jobs", ["possible_duplicate_of"], ["id"], ondelete="SET NULL"
        )
    for key in KEYS:
        op.add_column("jobs", sa.Column(key, sa.String(255)))
    op.add_column("jobs", sa.Column("duplicate_currency", sa.String(3)))
    for column in INDEXED:
        op.create_index(f"ix_jobs_{column}", "jobs", [column])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in INDEXED:
        op.drop_index(f"ix_jobs_{column}", table_name="jobs")
    if not sqlite:
        op.drop_constraint(FK, "jobs", type_="foreignkey")
    for column in (*INDEXED, "duplicate_currency"):
        if sqlite:  # SQLite >= 3.35 drops a column in place (see 0005)
            op.execute(f"ALTER TABLE jobs DROP COLUMN {column}")
        else:
            op.drop_column("jobs", column)
