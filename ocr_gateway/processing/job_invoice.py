"""Writing a job's invoice data: what its pages' extraction assembled, corrections last.

Every writer of ``Job.invoice_data`` goes through ``store_invoice_data`` (the page lifecycle when
a job's last page is done, ``services.correction`` when a person corrects a field), so a
correction survives re-processing and ``Job.needs_review``, ``Job.lowest_confidence`` and the
duplicate-invoice flags (``processing.duplicates``) always follow the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import corrections as stored
from ocr_gateway.db.models import Job
from ocr_gateway.processing import duplicates
from ocr_gateway.processing.corrections import (
    apply_corrections,
    lowest_confidence,
    needs_review,
)


async def store_invoice_data(session: AsyncSession, job: Job, assembled: Mapping[str, Any]) -> None:
    """Set the job's invoice data from ``assembled`` (corrections in it are replaced by the
    job's stored ones), its ``needs_review`` flag, its ``lowest_confidence`` and its (and its
    followers') duplicate flags."""
    rows = await stored.of_job(session, job.id)
    data = apply_corrections(assembled, [stored.as_mapping(row) for row in rows])
    job.invoice_data = data
    job.needs_review = needs_review(data)
    job.lowest_confidence = lowest_confidence(data)
    await duplicates.refresh(session, job)
