"""Rows and settings the notification tests share (written straight to the database)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup, Page
from ocr_gateway.db.types import utcnow
from ocr_gateway.notifications.models import WebhookDelivery
from ocr_gateway.notifications.webhook import record_group_event
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.settings import Settings

SECRET = "0123456789abcdef-secret"


def webhook(url: str, **fields: Any) -> dict[str, Any]:
    return {"webhook": {"url": url, "secret": SECRET, **fields}}


def fast_settings(db: Database, **knobs: Any) -> Settings:
    """The test database's settings, loopback allowed, retries due at once unless told."""
    defaults = {"fetch_allow_loopback": True, "webhook_retry_base_s": 0, "webhook_timeout_s": 5}
    return db.settings.model_copy(update={**defaults, **knobs})


async def create_group(
    db: Database, notifications: dict[str, Any] | None = None, **columns: Any
) -> str:
    async with db.sessionmaker() as session, session.begin():
        group = JobGroup(
            name=columns.pop("name", "March batch"),
            batch_number=columns.pop("batch_number", "B-42"),
            template_id=GENERIC_INVOICE_TEMPLATE["id"],
            priority="medium",
            status=columns.pop("status", "pending"),
            processing_settings={},
            notifications=notifications or {},
            tags=[],
            metadata_={},
            **columns,
        )
        session.add(group)
    return group.id


async def create_job(db: Database, group_id: str | None, page_statuses: list[str]) -> str:
    """A job (in ``group_id``) with one page per status given."""
    async with db.sessionmaker() as session, session.begin():
        job = Job(
            group_id=group_id,
            template_id=GENERIC_INVOICE_TEMPLATE["id"],
            name="invoice-1.pdf",
            status="pending",
            priority="medium",
            invoice_data={},
            metadata_={},
        )
        session.add(job)
        await session.flush()
        for number, status in enumerate(page_statuses, start=1):
            session.add(
                Page(
                    job_id=job.id,
                    page_number=number,
                    page_url=f"https://images.example.com/{number}.png",
                    status=status,
                    image_properties={},
                    annotations=[],
                    metadata_={},
                    attempts=1,
                    error={"code": "not_found", "message": "gone"} if status == "failed" else None,
                )
            )
    return job.id


async def first_page_id(db: Database, job_id: str) -> str:
    async with db.sessionmaker() as session:
        page_id = await session.scalar(
            select(Page.id).where(Page.job_id == job_id).order_by(Page.page_number)
        )
    assert page_id is not None
    return page_id


async def deliveries(db: Database, group_id: str | None = None) -> list[WebhookDelivery]:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.created_at, WebhookDelivery.id)
    if group_id is not None:
        stmt = stmt.where(WebhookDelivery.group_id == group_id)
    async with db.sessionmaker() as session:
        return list(await session.scalars(stmt))


async def only_delivery(db: Database, group_id: str | None = None) -> WebhookDelivery:
    [delivery] = await deliveries(db, group_id)
    return delivery


async def make_due(db: Database) -> None:
    """Every pending delivery due now (as if its backoff or lease had run out)."""
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status == "pending")
            .values(next_attempt_at=utcnow())
        )


async def group_with_event(db: Database, url: str, event: str = "group.completed") -> str:
    """A group whose webhook points at ``url``, with ``event`` recorded (committed)."""
    group_id = await create_group(db, webhook(url), status="completed")
    async with db.sessionmaker() as session, session.begin():
        await record_group_event(session, group_id, event, {})
    return group_id
