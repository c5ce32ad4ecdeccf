"""Reads and writes of field corrections (``models.FieldCorrection``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import FieldCorrection

ORDER = (FieldCorrection.corrected_at, FieldCorrection.id)


async def of_job(session: AsyncSession, job_id: str) -> list[FieldCorrection]:
    """A job's corrections, oldest first."""
    stmt = select(FieldCorrection).where(FieldCorrection.job_id == job_id).order_by(*ORDER)
    return list(await session.scalars(stmt))


async def of_jobs(
    session: AsyncSession, job_ids: Sequence[str]
) -> dict[str, list[FieldCorrection]]:
    """Corrections of many jobs in one statement, each job's oldest first."""
    found: dict[str, list[FieldCorrection]] = defaultdict(list)
    if job_ids:
        stmt = (
            select(FieldCorrection).where(FieldCorrection.job_id.in_(set(job_ids))).order_by(*ORDER)
        )
        for row in await session.scalars(stmt):
            found[row.job_id].append(row)
    return found


async def of_field(session: AsyncSession, job_id: str, field: str) -> FieldCorrection | None:
    stmt = select(FieldCorrection).where(
        FieldCorrection.job_id == job_id, FieldCorrection.field == field
    )
    return await session.scalar(stmt.with_for_update())


def as_mapping(row: FieldCorrection) -> dict[str, Any]:
    """The shape ``processing.corrections.apply_corrections`` takes."""
    return {
        "field": row.field,
        "type": row.type,
        "value": row.value,
        "normalizedValue": row.normalized_value,
        "correctedBy": row.corrected_by,
        "correctedAt": row.corrected_at.isoformat(),
    }
