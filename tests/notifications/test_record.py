"""Recording events: a pending delivery for a subscribed event, inside the caller's
transaction, with the group's state in the payload."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import delete

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import JobGroup
from ocr_gateway.notifications.webhook import (
    record_group_event,
    record_page_failed,
    record_status_changes,
)
from tests.notifications.factories import (
    create_group,
    create_job,
    deliveries,
    first_page_id,
    only_delivery,
    webhook,
)

URL = "https://hooks.example.com/ocr"


async def record(
    db: Database, group_id: str, event: str, data: dict[str, Any] | None = None
) -> None:
    async with db.sessionmaker() as session, session.begin():
        await record_group_event(session, group_id, event, data or {})


async def test_a_subscribed_event_is_recorded_as_a_pending_delivery(db: Database) -> None:
    group_id = await create_group(db, webhook(URL), status="partially_failed")
    await create_job(db, group_id, ["processed", "processed", "failed"])
    await record(db, group_id, "group.partially_failed")
    delivery = await only_delivery(db, group_id)
    assert (delivery.event, delivery.url, delivery.status) == (
        "group.partially_failed",
        URL,
        "pending",
    )
    assert delivery.attempts == 0
    assert delivery.next_attempt_at == delivery.created_at  # due at once
    payload = delivery.payload
    assert (payload["id"], payload["event"]) == (delivery.id, "group.partially_failed")
    assert datetime.fromisoformat(payload["occurredAt"]) == delivery.created_at
    assert payload["group"] == {
        "id": group_id,
        "name": "March batch",
        "status": "partially_failed",
        "batchNumber": "B-42",
        "priority": "medium",
        "progress": {
            "totalPages": 3,
            "pages": {"pending": 0, "queued": 0, "processing": 0, "processed": 2, "failed": 1},
            "totalJobs": 1,
            "jobs": {
                "pending": 1,  # a job's status is derived by the pipeline, not by this test
                "queued": 0,
                "processing": 0,
                "completed": 0,
                "partiallyFailed": 0,
                "failed": 0,
            },
            "percentDone": 100.0,
        },
    }


async def test_events_outside_the_subscription_are_not_recorded(db: Database) -> None:
    group_id = await create_group(db, webhook(URL, events=["group.failed"]))
    await record(db, group_id, "group.completed")
    await record(db, group_id, "page.failed")
    assert await deliveries(db, group_id) == []
    await record(db, group_id, "group.failed")
    assert [d.event for d in await deliveries(db, group_id)] == ["group.failed"]


async def test_group_outcomes_are_subscribed_when_events_are_left_out(db: Database) -> None:
    group_id = await create_group(db, webhook(URL))
    for event in ("group.completed", "group.failed", "group.partially_failed", "page.failed"):
        await record(db, group_id, event)
    found = {d.event for d in await deliveries(db, group_id)}
    assert found == {"group.completed", "group.failed", "group.partially_failed"}


@pytest.mark.parametrize(
    "notifications",
    [
        {},
        {"email": "ops@example.com"},
        {"webhook": None},
        {"webhook": {"url": URL}},  # stored before validation existed: no secret to sign with
    ],
)
async def test_no_valid_webhook_records_nothing(
    db: Database, notifications: dict[str, Any]
) -> None:
    group_id = await create_group(db, notifications)
    await record(db, group_id, "group.completed")
    assert await deliveries(db, group_id) == []


async def test_a_rolled_back_change_records_nothing(db: Database) -> None:
    group_id = await create_group(db, webhook(URL))
    async with db.sessionmaker() as session, session.begin():
        await record_group_event(session, group_id, "group.completed", {})
        await session.rollback()
    assert await deliveries(db, group_id) == []


async def test_an_unknown_event_is_a_bug(db: Database) -> None:
    group_id = await create_group(db, webhook(URL))
    with pytest.raises(ValueError, match="unknown webhook event"):
        await record(db, group_id, "group.done")
    with pytest.raises(ValueError, match="must not set"):
        await record(db, group_id, "group.failed", {"group": {}})


async def test_status_changes_become_group_events(db: Database) -> None:
    done = await create_group(db, webhook(URL), status="completed")
    busy = await create_group(db, webhook(URL), status="processing")
    async with db.sessionmaker() as session, session.begin():
        await record_status_changes(session, {done: "completed", busy: "processing"})
    assert [d.event for d in await deliveries(db, done)] == ["group.completed"]
    assert await deliveries(db, busy) == []


async def test_a_failed_page_is_reported_with_its_job(db: Database) -> None:
    group_id = await create_group(db, webhook(URL, events=["page.failed"]))
    job_id = await create_job(db, group_id, ["failed", "processed"])
    page_id = await first_page_id(db, job_id)
    async with db.sessionmaker() as session, session.begin():
        await record_page_failed(session, page_id)
    payload = (await only_delivery(db, group_id)).payload
    assert payload["event"] == "page.failed"
    assert payload["job"] == {"id": job_id, "name": "invoice-1.pdf", "status": "pending"}
    assert payload["page"] == {
        "id": page_id,
        "pageNumber": 1,
        "pageUrl": "https://images.example.com/1.png",
        "status": "failed",
        "attempts": 1,
        "error": {"code": "not_found", "message": "gone"},
    }


async def test_a_page_outside_any_group_notifies_nobody(db: Database) -> None:
    job_id = await create_job(db, None, ["failed"])
    async with db.sessionmaker() as session, session.begin():
        await record_page_failed(session, await first_page_id(db, job_id))
    assert await deliveries(db) == []


async def test_deleting_a_group_deletes_its_deliveries(db: Database) -> None:
    group_id = await create_group(db, webhook(URL))
    await record(db, group_id, "group.completed")
    async with db.sessionmaker() as session, session.begin():
        await session.execute(delete(JobGroup).where(JobGroup.id == group_id))
    assert await deliveries(db, group_id) == []
