"""Subscriptions (graphql-transport-ws): live status of pages, jobs and groups.

Each first yields the current state read from the database, then one item per change, in
the order the changes were committed. After a gap (the event listener reconnected, or a
subscriber fell too far behind) the current state is yielded again.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from typing import Any

import strawberry
from sqlalchemy import select

from ocr_gateway.auth import AuthFailure, Principal, Scope
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Base
from ocr_gateway.db.models import Job as JobRow
from ocr_gateway.db.models import JobGroup as JobGroupRow
from ocr_gateway.db.models import Page as PageRow
from ocr_gateway.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from ocr_gateway.events import Resync, StatusEvent
from ocr_gateway.ids import is_valid_id
from ocr_gateway.schema.arguments import Info
from ocr_gateway.schema.types import Job, JobGroup, Page

MAX_INITIAL = 1_000


async def _rows(db: Database, stmt: Any) -> Sequence[Any]:
    async with db.read_sessionmaker() as session:  # reads only: never waits for writers
        return list(await session.scalars(stmt))


async def _require(db: Database, model: type[Base], resource: str, id: str | None) -> None:
    if id is None:
        return
    found = await _rows(db, select(model.id).where(model.id == id)) if is_valid_id(id) else []  # type: ignore[attr-defined]
    if not found:
        raise NotFound(resource, id)


def authorize(info: Info, scope: Scope) -> None:
    """Subscriptions check here: Strawberry runs them outside the operation-level check."""
    context = info.context
    if not context.settings.auth_enabled:
        return
    principal = context.principal
    if not isinstance(principal, Principal):
        raise Unauthenticated((principal or AuthFailure.missing).message)
    if not principal.allows(scope):
        raise Forbidden(f"the API key lacks the scope {scope.value} this operation needs")


async def _fresh(info: Info) -> None:
    """End the connection's session between items: no pool connection is held while a
    subscription waits, and the next item's nested fields show the state of now."""
    await info.context.finish(commit=False)


async def _follow(
    info: Info,
    current: Callable[[], Any],
    wanted: Callable[[StatusEvent], bool],
    changed: Callable[[StatusEvent], Any],
) -> AsyncGenerator[Any, None]:
    """Current state, then an item per wanted event (the shape shared by subscriptions)."""
    try:
        async with info.context.hub.subscribe() as queue:
            for item in await current():
                yield item
                await _fresh(info)  # the item is resolved and sent: release its connection
            while True:
                message = await queue.get()
                if isinstance(message, Resync):
                    items = await current()
                elif wanted(message):
                    items = await changed(message)
                else:
                    continue
                for item in items:
                    yield item
                    await _fresh(info)
    finally:
        await _fresh(info)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Pages of a job or of a group: their current state, then each change"
    )
    async def page_status_changed(
        self, info: Info, job_id: strawberry.ID | None = None, group_id: strawberry.ID | None = None
    ) -> AsyncGenerator[Page, None]:
        authorize(info, Scope.read)
        if job_id is None and group_id is None:
            raise InvalidInput.single("jobId", "give jobId or groupId")
        db = info.context.db
        await _require(db, JobRow, "Job", job_id)
        await _require(db, JobGroupRow, "JobGroup", group_id)
        stmt = select(PageRow).join(JobRow, PageRow.job_id == JobRow.id)
        if job_id is not None:
            stmt = stmt.where(PageRow.job_id == job_id)
        if group_id is not None:
            stmt = stmt.where(JobRow.group_id == group_id)
        stmt = stmt.order_by(PageRow.job_id, PageRow.page_number).limit(MAX_INITIAL)

        async def current() -> list[Page]:
            return [Page.from_row(row) for row in await _rows(db, stmt)]

        def wanted(event: StatusEvent) -> bool:
            return (
                event.kind == "page"
                and (job_id is None or event.job_id == job_id)
                and (group_id is None or event.group_id == group_id)
            )

        async def changed(event: StatusEvent) -> list[Page]:
            rows = await _rows(db, select(PageRow).where(PageRow.id == event.id))
            return [Page.from_row(row) for row in rows]

        async for page in _follow(info, current, wanted, changed):
            yield page

    @strawberry.subscription(description="Jobs of a group: their current state, then each change")
    async def job_status_changed(
        self, info: Info, group_id: strawberry.ID
    ) -> AsyncGenerator[Job, None]:
        authorize(info, Scope.read)
        db = info.context.db
        await _require(db, JobGroupRow, "JobGroup", group_id)

        async def current() -> list[Job]:
            stmt = select(JobRow).where(JobRow.group_id == group_id).order_by(JobRow.created_at)
            return [Job.from_row(row) for row in await _rows(db, stmt.limit(MAX_INITIAL))]

        def wanted(event: StatusEvent) -> bool:
            return event.kind == "job" and event.group_id == group_id

        async def changed(event: StatusEvent) -> list[Job]:
            rows = await _rows(db, select(JobRow).where(JobRow.id == event.id))
            return [Job.from_row(row) for row in rows]

        async for job in _follow(info, current, wanted, changed):
            yield job

    @strawberry.subscription(
        description="A group with its progress: now, then after every page, job or status change"
    )
    async def job_group_progress(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[JobGroup, None]:
        authorize(info, Scope.read)
        db = info.context.db
        await _require(db, JobGroupRow, "JobGroup", id)

        async def current() -> list[JobGroup]:
            rows = await _rows(db, select(JobGroupRow).where(JobGroupRow.id == id))
            return [JobGroup.from_row(row) for row in rows]

        async def changed(_event: StatusEvent) -> list[JobGroup]:
            return await current()

        async for group in _follow(info, current, lambda e: e.group_id == id, changed):
            yield group
