"""Both page queues honour the job's priority: the API hands pages over with it, the
embedded queue dispatches the most urgent job's pages first, and procrastinate jobs are
deferred with it (a worker fetches the highest first)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import update

from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from ocr_gateway.enums import PRIORITY_RANK, Priority
from ocr_gateway.ids import new_id
from ocr_gateway.processing.local import LocalQueue
from ocr_gateway.processing.queue import QueuedPage, hand_over
from ocr_gateway.processing.tasks import TASK_NAME, ProcrastinateQueue
from ocr_gateway.settings import Settings
from tests.api.graphql import create_group, create_job, create_page, gql
from tests.conftest import RecordingQueue, create_postgres_database, drop_postgres_database

PROCESS_GROUP = "mutation($id: ID!) { processJobGroup(id: $id) { id } }"


async def test_the_api_hands_pages_over_with_their_jobs_priority(
    client: httpx.AsyncClient, queue: RecordingQueue
) -> None:
    group = await create_group(client, priority="low")
    slow = await create_job(client, group=group["id"])  # the group's: low
    urgent = await create_job(client, group=group["id"], priority="urgent")
    slow_page = await create_page(client, slow["id"])
    urgent_page = await create_page(client, urgent["id"])

    await gql(client, PROCESS_GROUP, id=group["id"])

    assert queue.enqueued == [urgent_page["id"], slow_page["id"]]  # most urgent first
    assert queue.priorities == {urgent_page["id"]: "urgent", slow_page["id"]: "low"}


async def test_hand_over_enqueues_one_batch_per_priority_most_urgent_first() -> None:
    queue = RecordingQueue()
    pages = [
        QueuedPage("a", Priority.low),
        QueuedPage("b", Priority.high),
        QueuedPage("c", Priority.low),
        QueuedPage("d", Priority.urgent),
    ]
    await hand_over(queue, pages)
    assert queue.enqueued == ["d", "b", "a", "c"]


async def test_the_embedded_queue_dispatches_the_most_urgent_job_first(
    client: httpx.AsyncClient, db: Database
) -> None:
    order = []
    for priority in ("low", "urgent", "medium", "high"):
        job = await create_job(client, name=f"{priority}.pdf", priority=priority)
        page = await create_page(client, job["id"])
        order.append((priority, page["id"]))
    async with db.sessionmaker() as session, session.begin():
        await session.execute(update(Page).values(status="queued"))

    found = await LocalQueue(db, db.settings).next_pages(10)

    ranked = sorted(order, key=lambda item: -PRIORITY_RANK[Priority(item[0])])
    assert found == [page_id for _priority, page_id in ranked]


@pytest.fixture
async def procrastinate_database() -> AsyncIterator[Settings]:
    url = await create_postgres_database()
    settings = Settings(database_url=url)
    database = Database(settings)
    try:
        await migrate.upgrade_all(database.engine, settings)
        yield settings
    finally:
        await database.dispose()
        await drop_postgres_database(url)


@pytest.mark.postgres
async def test_procrastinate_jobs_carry_the_priority_and_are_fetched_by_it(
    procrastinate_database: Settings,
) -> None:
    queue = ProcrastinateQueue(procrastinate_database)
    low, urgent, high = new_id(), new_id(), new_id()
    await queue.start()
    try:
        await hand_over(
            queue,
            [
                QueuedPage(low, Priority.low),
                QueuedPage(urgent, Priority.urgent),
                QueuedPage(high, Priority.high),
            ],
        )
        connector = queue.app.connector
        rows = await connector.execute_query_all_async(
            "SELECT queueing_lock, priority FROM procrastinate_jobs WHERE task_name = %(t)s",
            t=TASK_NAME,
        )
        assert {r["queueing_lock"]: r["priority"] for r in rows} == {
            low: PRIORITY_RANK[Priority.low],
            urgent: PRIORITY_RANK[Priority.urgent],
            high: PRIORITY_RANK[Priority.high],
        }
        fetched = []
        worker_id = await queue.app.job_manager.register_worker()
        for _ in range(3):
            job = await queue.app.job_manager.fetch_job(queues=["ocr"], worker_id=worker_id)
            assert job is not None
            fetched.append(job.task_kwargs["page_id"])
        assert fetched == [urgent, high, low]
    finally:
        await queue.stop()
