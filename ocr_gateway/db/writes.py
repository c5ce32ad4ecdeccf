"""Statements the services and the page lifecycle need beyond plain reads: existence checks,
status rollups, attempts, deletes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from ocr_gateway.db.models import Base, Document, Job, JobGroup, Page, Template
from ocr_gateway.db.types import utcnow
from ocr_gateway.enums import PageStatus, WorkStatus


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
    pages = await _delete_pages(session, Page.job_id.in_(job_ids))
    jobs = await session.execute(delete(Job).where(Job.group_id == group_id))
    return int(jobs.rowcount), pages  # type: ignore[attr-defined]


async def delete_pages_of_job(session: AsyncSession, job_id: str) -> int:
    return await _delete_pages(session, Page.job_id == job_id)


async def _delete_pages(session: AsyncSession, *criteria: Any) -> int:
    """Delete the pages; the stored documents only they used go too. Returns the page count."""
    deleted = (
        await session.execute(delete(Page).where(*criteria).returning(Page.document_id))
    ).all()
    await drop_unused_documents(session, [document_id for (document_id,) in deleted])
    return len(deleted)


async def drop_unused_documents(session: AsyncSession, document_ids: Iterable[str | None]) -> int:
    """Delete those of the stored documents (bytes in the database) that no page uses any more.

    The rows are locked FOR UPDATE first, so two deletes of a document's last pages cannot
    each see the other's pages and both keep it, and a job being made from it (which holds it
    FOR SHARE, ``services.document``) is waited for and keeps it. Should a page still appear,
    the foreign key refuses the delete in a savepoint: the document stays and the caller's
    delete goes on. Returns how many went."""
    ids = sorted({document_id for document_id in document_ids if document_id})
    if not ids:
        return 0
    unused = ~exists().where(Page.document_id == Document.id)
    try:
        async with session.begin_nested():
            await session.execute(select(Document.id).where(Document.id.in_(ids)).with_for_update())
            result = await session.execute(delete(Document).where(Document.id.in_(ids), unused))
    except IntegrityError:
        return 0
    return int(result.rowcount)  # type: ignore[attr-defined]


# -- what the page lifecycle (``processing.lifecycle``) stores --------------------------


async def page_for_update(session: AsyncSession, page_id: str) -> Page | None:
    """The page, locked until the transaction ends (PostgreSQL; SQLite locks the file)."""
    return await session.scalar(select(Page).where(Page.id == page_id).with_for_update())


async def template_of_job(session: AsyncSession, job_id: str) -> Template | None:
    stmt = select(Template).join(Job, Job.template_id == Template.id).where(Job.id == job_id)
    return await session.scalar(stmt)


async def end_attempt(session: AsyncSession, page_id: str, values: dict[str, Any]) -> str | None:
    """Write ``values`` on the page if its attempt is still in progress (``processing``);
    returns its job id, or None when the page moved on (or is gone)."""
    written = await session.execute(
        update(Page)
        .where(Page.id == page_id, Page.status == PageStatus.processing.value)
        .values(values)
        .returning(Page.job_id)
    )
    job_id: str | None = written.scalar_one_or_none()
    return job_id


async def requeue_processing(
    session: AsyncSession, still_claimed: Callable[[str | None], bool]
) -> list[tuple[str, str]]:
    """Every ``processing`` page whose claimant is not ``still_claimed`` back to ``queued``;
    returns (page id, job id) pairs."""
    rows = await session.execute(
        select(Page.id, Page.claimed_by).where(Page.status == PageStatus.processing.value)
    )
    gone = [page_id for page_id, claimant in rows if not still_claimed(claimant)]
    if not gone:
        return []
    result = await session.execute(
        update(Page)
        .where(Page.id.in_(gone), Page.status == PageStatus.processing.value)
        .values(status=PageStatus.queued.value)
        .returning(Page.id, Page.job_id)
    )
    return [(page_id, job_id) for page_id, job_id in result]


async def page_parents(session: AsyncSession, page_id: str) -> tuple[str, str | None] | None:
    """The page's job id and group id (None for a job outside any group)."""
    row = (
        await session.execute(
            select(Page.job_id, Job.group_id)
            .join(Job, Page.job_id == Job.id)
            .where(Page.id == page_id)
        )
    ).first()
    return None if row is None else (row.job_id, row.group_id)


async def store_job_status(
    session: AsyncSession, job_id: str, status: WorkStatus
) -> tuple[bool, str | None]:
    """Store the job's derived status; returns (changed, the job's group id)."""
    done = status in (WorkStatus.completed, WorkStatus.failed, WorkStatus.partially_failed)
    completed_at = func.coalesce(Job.completed_at, utcnow()) if done else None
    changed = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status != status.value)
        .values(status=status.value, completed_at=completed_at)
        .returning(Job.group_id)
    )
    row = changed.first()
    return (row is not None, None if row is None else row[0])


async def store_group_status(session: AsyncSession, group_id: str, status: WorkStatus) -> bool:
    """Store the group's derived status; True when it changed."""
    changed = await session.execute(
        update(JobGroup)
        .where(JobGroup.id == group_id, JobGroup.status != status.value)
        .values(status=status.value)
        .returning(JobGroup.id)
    )
    return changed.first() is not None


async def groups_of_jobs(session: AsyncSession, job_ids: Sequence[str]) -> list[str]:
    found = await session.scalars(select(Job.group_id).where(Job.id.in_(job_ids)))
    return [group_id for group_id in found if group_id]


async def job_priorities(session: AsyncSession, job_ids: Sequence[str]) -> dict[str, str]:
    if not job_ids:
        return {}
    rows = await session.execute(select(Job.id, Job.priority).where(Job.id.in_(set(job_ids))))
    return {job_id: priority for job_id, priority in rows}


async def pages_with_fields(session: AsyncSession, job_id: str) -> list[Page]:
    """The job's pages in page order, with their extracted fields loaded."""
    stmt = (
        select(Page)
        .where(Page.job_id == job_id)
        .order_by(Page.page_number)
        .options(undefer(Page.extracted_fields))
    )
    return list(await session.scalars(stmt))
