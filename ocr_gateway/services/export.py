"""Exports of a group's jobs (CSV, JSON, one XML document per job) and of one job.

The database side of ``ocr_gateway.exports``: loads the rows, turns them into
``ExportJob`` values (the group's ``metadata.buyer`` is the buyer of its invoices) and
hands them to the pure writers. Unknown ids are ``NotFound``; a job whose data cannot make
the document asked for is ``ExportIncomplete`` (naming every missing field).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import exports as rows
from ocr_gateway.db.models import Job, JobGroup
from ocr_gateway.exports import (
    ExportFormat,
    ExportIncomplete,
    ExportJob,
    Party,
    export_document,
    export_table,
)
from ocr_gateway.services.common import get_or_404


def export_job_of(job: Job, group: JobGroup | None) -> ExportJob:
    """A job row (and its group's row, if any) as the writers see it."""
    buyer = Party.from_metadata((group.metadata_ or {}).get("buyer")) if group else None
    return ExportJob(
        id=job.id,
        name=job.name,
        status=job.status,
        group_id=job.group_id,
        invoice_data=job.invoice_data or {},
        buyer=buyer,
        possible_duplicate_of=job.possible_duplicate_of,
    )


async def group_jobs(session: AsyncSession, *, group_id: str) -> list[ExportJob]:
    group = await get_or_404(session, JobGroup, "JobGroup", group_id)
    return [export_job_of(job, group) for job in await rows.jobs_of_group(session, group.id)]


async def group_table(session: AsyncSession, *, group_id: str, format: ExportFormat) -> str:
    """The group's jobs as CSV or JSON, oldest first."""
    return export_table(await group_jobs(session, group_id=group_id), format)


@dataclass(frozen=True)
class Document:
    """One job's document, or why it could not be made."""

    job: ExportJob
    content: bytes | None
    error: ExportIncomplete | None = None


async def group_documents(
    session: AsyncSession, *, group_id: str, format: ExportFormat
) -> list[Document]:
    """One UBL or CII document per job of the group; a job that cannot make one says why."""
    out = []
    for job in await group_jobs(session, group_id=group_id):
        try:
            out.append(Document(job, export_document(job, format)))
        except ExportIncomplete as exc:
            out.append(Document(job, None, exc))
    return out


async def job_document(session: AsyncSession, *, job_id: str, format: ExportFormat) -> bytes:
    job = await get_or_404(session, Job, "Job", job_id)
    group = await session.get(JobGroup, job.group_id) if job.group_id else None
    return export_document(export_job_of(job, group), format)
