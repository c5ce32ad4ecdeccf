"""The outbox's statements: record a delivery, claim due ones, write what an attempt did.

Claiming is one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`` that
counts the attempt and moves ``next_attempt_at`` a lease ahead: on PostgreSQL concurrent
senders skip each other's rows; on SQLite writers are serialised and the repeated
``status = 'pending' AND next_attempt_at <= now`` guard leaves nothing for the second one.
The claim is committed before anything is sent, so no transaction stays open across HTTP.
An outcome is written only if the row still carries the attempt that was claimed, so a
sender whose lease ran out cannot overwrite the work of the one that took over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Job, JobGroup, Page
from ocr_gateway.notifications.models import DeliveryStatus, WebhookDelivery

PENDING = DeliveryStatus.pending.value


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery a sender now holds, with the attempt number it is about to make."""

    id: str
    group_id: str
    event: str
    url: str
    payload: dict[str, Any]
    attempt: int
    notifications: dict[str, Any]


async def insert_delivery(
    session: AsyncSession,
    *,
    id: str,
    group_id: str,
    event: str,
    url: str,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    await session.execute(
        insert(WebhookDelivery).values(
            id=id,
            group_id=group_id,
            event=event,
            url=url,
            payload=payload,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


async def claim_due(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int
) -> list[Claimed]:
    """Take up to ``limit`` due deliveries (oldest due first) until ``lease_until``."""
    due = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id.in_(due.scalar_subquery()),
            WebhookDelivery.status == PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=lease_until)
        .returning(
            WebhookDelivery.id,
            WebhookDelivery.group_id,
            WebhookDelivery.event,
            WebhookDelivery.url,
            WebhookDelivery.payload,
            WebhookDelivery.attempts,
        )
        .execution_options(synchronize_session=False)
    )
    rows = claimed.all()
    notifications = await _notifications(session, {row.group_id for row in rows})
    return [
        Claimed(
            id=row.id,
            group_id=row.group_id,
            event=row.event,
            url=row.url,
            payload=row.payload,
            attempt=row.attempts,
            notifications=notifications.get(row.group_id) or {},
        )
        for row in sorted(rows, key=lambda r: r.id)
    ]


async def _notifications(session: AsyncSession, group_ids: set[str]) -> dict[str, Any]:
    if not group_ids:
        return {}
    rows = await session.execute(
        select(JobGroup.id, JobGroup.notifications).where(JobGroup.id.in_(group_ids))
    )
    return {group_id: notifications for group_id, notifications in rows}


async def record_outcome(session: AsyncSession, claimed: Claimed, values: dict[str, Any]) -> bool:
    """Write an attempt's outcome; False when the delivery was taken over meanwhile."""
    written = await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == claimed.id,
            WebhookDelivery.attempts == claimed.attempt,
            WebhookDelivery.status == PENDING,
        )
        .values(values)
        .execution_options(synchronize_session=False)
    )
    return bool(written.rowcount)  # type: ignore[attr-defined]


async def group_for_event(session: AsyncSession, group_id: str) -> dict[str, Any] | None:
    """The group columns an event needs, as committed so far in this transaction."""
    row = (
        await session.execute(
            select(
                JobGroup.id,
                JobGroup.name,
                JobGroup.status,
                JobGroup.batch_number,
                JobGroup.priority,
                JobGroup.notifications,
            ).where(JobGroup.id == group_id)
        )
    ).first()
    return None if row is None else dict(row._mapping)


async def page_for_event(session: AsyncSession, page_id: str) -> dict[str, Any] | None:
    """A page with its job (and the job's group id), for ``page.*`` events."""
    row = (
        await session.execute(
            select(
                Page.id,
                Page.page_number,
                Page.page_url,
                Page.status,
                Page.error,
                Page.attempts,
                Job.id.label("job_id"),
                Job.name.label("job_name"),
                Job.status.label("job_status"),
                Job.group_id,
            )
            .join(Job, Page.job_id == Job.id)
            .where(Page.id == page_id)
        )
    ).first()
    return None if row is None else dict(row._mapping)


async def deliveries_for_groups(
    session: AsyncSession, group_ids: Sequence[str], limit: int
) -> dict[str, list[WebhookDelivery]]:
    """Each group's latest ``limit`` deliveries, newest first, in one statement."""
    if not group_ids:
        return {}
    newest_first = (WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    ranked = (
        select(
            WebhookDelivery.id,
            func.row_number()
            .over(partition_by=WebhookDelivery.group_id, order_by=newest_first)
            .label("rn"),
        )
        .where(WebhookDelivery.group_id.in_(set(group_ids)))
        .subquery()
    )
    rows = await session.scalars(
        select(WebhookDelivery)
        .join(ranked, ranked.c.id == WebhookDelivery.id)
        .where(ranked.c.rn <= limit)
        .order_by(WebhookDelivery.group_id, ranked.c.rn)
    )
    grouped: dict[str, list[WebhookDelivery]] = defaultdict(list)
    for row in rows:
        grouped[row.group_id].append(row)
    return grouped
