"""The pipeline records webhook events in the transaction that writes a page's outcome:
a group that completes or fails, and a page that fails for good."""

from __future__ import annotations

from sqlalchemy import select, update

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from ocr_gateway.processing.pipeline import complete, fail
from tests.notifications.factories import create_group, create_job, deliveries, webhook

URL = "https://hooks.example.com/ocr"
ERROR = {"code": "not_found", "message": "the server answered HTTP 404", "transient": False}


async def start_last_page(db: Database, group_id: str, *done: str) -> str:
    """A job in the group with pages ``done`` and one more page being processed."""
    job_id = await create_job(db, group_id, [*done, "processing"])
    async with db.sessionmaker() as session, session.begin():
        page_id = await session.scalar(
            select(Page.id).where(Page.job_id == job_id, Page.status == "processing")
        )
        await session.execute(update(Page).where(Page.id == page_id).values(error=None))
    assert page_id is not None
    return page_id


async def test_the_last_page_processed_sends_group_completed(db: Database) -> None:
    group_id = await create_group(db, webhook(URL), status="processing")
    page_id = await start_last_page(db, group_id, "processed")
    assert await complete(db, page_id, {"ocr_text": "INVOICE"})
    [delivery] = await deliveries(db, group_id)
    assert delivery.event == "group.completed"
    assert delivery.payload["group"]["status"] == "completed"
    assert delivery.payload["group"]["progress"]["percentDone"] == 100.0


async def test_a_final_failure_sends_page_failed_then_the_group_outcome(db: Database) -> None:
    events = ["page.failed", "group.partially_failed"]
    group_id = await create_group(db, webhook(URL, events=events), status="processing")
    page_id = await start_last_page(db, group_id, "processed")
    await fail(db, page_id, ERROR, final=True)
    found = await deliveries(db, group_id)
    assert [d.event for d in found] == ["page.failed", "group.partially_failed"]
    assert found[0].payload["page"]["id"] == page_id
    assert found[0].payload["page"]["error"] == ERROR
    assert found[0].payload["job"]["status"] == "partially_failed"


async def test_a_failure_that_will_be_retried_sends_nothing(db: Database) -> None:
    group_id = await create_group(db, webhook(URL), status="processing")
    page_id = await start_last_page(db, group_id, "processed")
    await fail(db, page_id, {**ERROR, "transient": True}, final=False)
    assert await deliveries(db, group_id) == []


async def test_unsubscribed_group_events_are_not_recorded(db: Database) -> None:
    group_id = await create_group(db, webhook(URL, events=["page.failed"]), status="processing")
    page_id = await start_last_page(db, group_id)
    await fail(db, page_id, ERROR, final=True)
    assert [d.event for d in await deliveries(db, group_id)] == ["page.failed"]
