"""Reads for exports: a group's jobs in a stable order (oldest first, then by id)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Job


async def jobs_of_group(session: AsyncSession, group_id: str) -> list[Job]:
    stmt = select(Job).where(Job.group_id == group_id).order_by(Job.created_at, Job.id)
    return list(await session.scalars(stmt))
