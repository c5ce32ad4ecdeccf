"""Asking for OCR: pages move to ``queued``; the work itself is handed to the page queue
after the request's transaction commits (``Context.after_commit``).

A page already ``queued`` or ``processing`` is left as it is (asking twice changes
nothing); a ``pending``, ``processed`` or ``failed`` page is queued (again).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Job, JobGroup, Page
from ocr_gateway.db.types import utcnow
from ocr_gateway.db.writes import page_status_changed, refresh_statuses
from ocr_gateway.enums import PageStatus
from ocr_gateway.services.common import get_or_404

IN_FLIGHT = (PageStatus.queued.value, PageStatus.processing.value)


async def _queue(session: AsyncSession, pages: Sequence[Page]) -> list[str]:
    now = utcnow()
    queued = []
    for page in pages:
        if page.status in IN_FLIGHT:
            continue
        page.status = PageStatus.queued.value
        page.queued_at = now
        page.error = None
        queued.append(page.id)
    await session.flush()
    for page_id in queued:
        await page_status_changed(session, page_id, PageStatus.queued.value)
    await refresh_statuses(session, job_ids=sorted({p.job_id for p in pages}))
    return queued


async def process_page(session: AsyncSession, id: str) -> tuple[Page, list[str]]:
    page = await get_or_404(session, Page, "Page", id)
    return page, await _queue(session, [page])


async def process_job(session: AsyncSession, id: str) -> tuple[Job, list[str]]:
    job = await get_or_404(session, Job, "Job", id)
    pages = await session.scalars(select(Page).where(Page.job_id == id))
    return job, await _queue(session, list(pages))


async def process_job_group(session: AsyncSession, id: str) -> tuple[JobGroup, list[str]]:
    group = await get_or_404(session, JobGroup, "JobGroup", id)
    pages = await session.scalars(
        select(Page).join(Job, Page.job_id == Job.id).where(Job.group_id == id)
    )
    return group, await _queue(session, list(pages))
