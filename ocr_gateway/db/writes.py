"""Statements the services need beyond plain reads: existence checks, rollups, deletes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Base, Job, JobGroup, Page, Template
from ocr_gateway.db.repository import page_status_counts
from ocr_gateway.db.types import utcnow
from ocr_gateway.enums import WorkStatus, derive_status
from ocr_gateway.events import StatusEvent, emit


async def exists_by_id(session: AsyncSession, model: type[Base], id: str) -> bool:
    column: Any = model.id  # type: ignore[attr-defined]
    return bool(await session.scalar(select(exists().where(column == id))))


async def page_number_taken(
    session: AsyncSession, *, job_id: str, page_number: int, except_id: str | None = None
) -> bool:
    clause = exists().where(Page.job_id == job_id, Page.page_number == page_number)
    if except_id is not None:
        clause = clause.where(Page.id != except_id)
    return bool(await session.scalar(select(clause)))


async def template_name_taken(
    session: AsyncSession, name: str, except_id: str | None = None
) -> bool:
    clause = exists().where(func.lower(Template.name) == name.lower())
    if except_id is not None:
        clause = clause.where(Template.id != except_id)
    return bool(await session.scalar(select(clause)))


async def count_where(session: AsyncSession, model: type[Base], *criteria: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*criteria)) or 0)


async def detach_jobs(session: AsyncSession, group_id: str) -> int:
    result = await session.execute(
        update(Job).where(Job.group_id == group_id).values(group_id=None, updated_at=utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def delete_jobs_of_group(session: AsyncSession, group_id: str) -> tuple[int, int]:
    job_ids = select(Job.id).where(Job.group_id == group_id).scalar_subquery()
    pages = await session.execute(delete(Page).where(Page.job_id.in_(job_ids)))
    jobs = await session.execute(delete(Job).where(Job.group_id == group_id))
    return int(jobs.rowcount), int(pages.rowcount)  # type: ignore[attr-defined]


async def delete_pages_of_job(session: AsyncSession, job_id: str) -> int:
    result = await session.execute(delete(Page).where(Page.job_id == job_id))
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass
class StatusChanges:
    """Jobs and groups whose derived status changed, with their new status."""

    jobs: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)


async def refresh_statuses(
    session: AsyncSession, *, job_ids: Sequence[str] = (), group_ids: Sequence[str] = ()
) -> StatusChanges:
    """Re-derive the stored status of jobs and groups from their pages, announcing changes.

    Stored (not computed on read) so that lists can filter and sort on status with an index.
    """
    changes = StatusChanges()
    job_ids = sorted(set(job_ids))
    if job_ids:
        counts = await page_status_counts(session, Page.job_id, job_ids)
        for job_id in job_ids:
            status = derive_status(counts.get(job_id, {}))
            done = status in (WorkStatus.completed, WorkStatus.failed, WorkStatus.partially_failed)
            completed_at = func.coalesce(Job.completed_at, utcnow()) if done else None
            changed = await session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status != status.value)
                .values(status=status.value, completed_at=completed_at)
                .returning(Job.group_id)
            )
            for (group_id,) in changed:
                changes.jobs[job_id] = status.value
                await emit(session, StatusEvent("job", job_id, status.value, job_id, group_id))
        parents = await session.scalars(select(Job.group_id).where(Job.id.in_(job_ids)))
        group_ids = [*group_ids, *(g for g in parents if g)]
    group_ids = sorted(set(group_ids))
    if group_ids:
        counts = await page_status_counts(session, Job.group_id, group_ids)
        for group_id in group_ids:
            status = derive_status(counts.get(group_id, {}))
            changed = await session.execute(
                update(JobGroup)
                .where(JobGroup.id == group_id, JobGroup.status != status.value)
                .values(status=status.value)
                .returning(JobGroup.id)
            )
            if changed.first() is not None:
                changes.groups[group_id] = status.value
                event = StatusEvent("group", group_id, status.value, None, group_id)
                await emit(session, event)
    return changes


async def page_status_changed(session: AsyncSession, page_id: str, status: str) -> None:
    """Announce a page's new status (with its job and group, for filtering subscribers)."""
    row = (
        await session.execute(
            select(Page.job_id, Job.group_id)
            .join(Job, Page.job_id == Job.id)
            .where(Page.id == page_id)
        )
    ).first()
    if row is not None:
        await emit(session, StatusEvent("page", page_id, status, row.job_id, row.group_id))
