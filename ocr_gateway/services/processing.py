"""Asking for OCR: pages move to ``queued``; the work itself is handed to the page queue
after the request's transaction commits (``Context.after_commit``).

A page already ``queued`` or ``processing`` is left as it is (asking twice changes
nothing); a ``pending``, ``processed`` or ``failed`` page is queued (again). The transition
and its consequences are the page lifecycle's (``processing.lifecycle``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import writes
from ocr_gateway.db.models import Job, JobGroup, Page
from ocr_gateway.enums import Priority
from ocr_gateway.processing import lifecycle
from ocr_gateway.processing.queue import QueuedPage
from ocr_gateway.services.common import get_or_404


async def _queue(session: AsyncSession, pages: Sequence[Page]) -> list[QueuedPage]:
    """Queue the pages (``processing.lifecycle``); returns what to hand the page queue, each
    page with its job's priority (the job's own, which defaults to its group's)."""
    queued = await lifecycle.queue(session, pages)
    priorities = await writes.job_priorities(session, [page.job_id for page in queued])
    return [QueuedPage(page.id, Priority(priorities[page.job_id])) for page in queued]


async def queue_pages(session: AsyncSession, pages: Sequence[Page]) -> list[QueuedPage]:
    """Queue these pages (``ocr-gateway import --process`` continuing an earlier import)."""
    return await _queue(session, pages)


async def process_page(session: AsyncSession, id: str) -> tuple[Page, list[QueuedPage]]:
    page = await get_or_404(session, Page, "Page", id)
    return page, await _queue(session, [page])


async def process_job(session: AsyncSession, id: str) -> tuple[Job, list[QueuedPage]]:
    job = await get_or_404(session, Job, "Job", id)
    pages = await session.scalars(select(Page).where(Page.job_id == id))
    return job, await _queue(session, list(pages))


async def process_job_group(session: AsyncSession, id: str) -> tuple[JobGroup, list[QueuedPage]]:
    group = await get_or_404(session, JobGroup, "JobGroup", id)
    pages = await session.scalars(
        select(Page).join(Job, Page.job_id == Job.id).where(Job.group_id == id)
    )
    return group, await _queue(session, list(pages))
