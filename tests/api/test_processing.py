"""processPage / processJob / processJobGroup: queue and return at once (no OCR here; the
pipeline itself is tested in tests/integration)."""

from __future__ import annotations

import httpx

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from tests.api.graphql import create_group, create_job, create_page, gql, gql_error
from tests.conftest import RecordingQueue

PROCESS_PAGE = "mutation($id: ID!) { processPage(id: $id) { id status queuedAt job { status } } }"
PROCESS_JOB = "mutation($id: ID!) { processJob(id: $id) { id status pageCount } }"
PROCESS_GROUP = "mutation($id: ID!) { processJobGroup(id: $id) { id status progress {"
PROCESS_GROUP += " pages { queued pending } } } }"


async def test_process_page_queues_it_and_returns_at_once(
    client: httpx.AsyncClient, queue: RecordingQueue
) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    result = (await gql(client, PROCESS_PAGE, id=page["id"]))["processPage"]
    assert result["status"] == "queued"
    assert result["queuedAt"] is not None
    assert result["job"]["status"] == "queued"
    assert queue.enqueued == [page["id"]]


async def test_process_page_twice_changes_nothing(
    client: httpx.AsyncClient, queue: RecordingQueue
) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    first = (await gql(client, PROCESS_PAGE, id=page["id"]))["processPage"]
    second = (await gql(client, PROCESS_PAGE, id=page["id"]))["processPage"]
    assert second == first
    assert queue.enqueued == [page["id"]]


async def test_process_page_reruns_a_processed_or_failed_page(
    client: httpx.AsyncClient, db: Database, queue: RecordingQueue
) -> None:
    job = await create_job(client)
    done = await create_page(client, job["id"], pageNumber=1)
    failed = await create_page(client, job["id"], pageNumber=2)
    async with db.sessionmaker() as session:
        for page_id, status in ((done["id"], "processed"), (failed["id"], "failed")):
            row = await session.get(Page, page_id)
            assert row is not None
            row.status = status
        await session.commit()
    for page_id in (done["id"], failed["id"]):
        result = await gql(client, PROCESS_PAGE, id=page_id)
        assert result["processPage"]["status"] == "queued"
    assert queue.enqueued == [done["id"], failed["id"]]


async def test_process_unknown_page_is_not_found(
    client: httpx.AsyncClient, queue: RecordingQueue
) -> None:
    error = await gql_error(client, PROCESS_PAGE, id="60f7b1b3e4b0e8b3f8b3f8b4")
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert queue.enqueued == []


async def test_process_job_queues_every_page_not_in_flight(
    client: httpx.AsyncClient, queue: RecordingQueue
) -> None:
    job = await create_job(client)
    pages = [await create_page(client, job["id"], pageNumber=n) for n in (1, 2, 3)]
    await gql(client, PROCESS_PAGE, id=pages[0]["id"])
    result = (await gql(client, PROCESS_JOB, id=job["id"]))["processJob"]
    assert result == {"id": job["id"], "status": "queued", "pageCount": 3}
    assert sorted(queue.enqueued) == sorted(p["id"] for p in pages)


async def test_process_job_group_queues_the_pages_of_every_job(
    client: httpx.AsyncClient, queue: RecordingQueue
) -> None:
    group = await create_group(client)
    for n in range(2):
        job = await create_job(client, group=group["id"], name=f"inv-{n}")
        await create_page(client, job["id"])
    result = (await gql(client, PROCESS_GROUP, id=group["id"]))["processJobGroup"]
    assert result["status"] == "queued"
    assert result["progress"]["pages"] == {"queued": 2, "pending": 0}
    assert len(queue.enqueued) == 2


async def test_nothing_is_enqueued_when_the_request_rolls_back(
    client: httpx.AsyncClient, queue: RecordingQueue
) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    query = """mutation($id: ID!) {
      processPage(id: $id) { id }
      deleteJob(id: "60f7b1b3e4b0e8b3f8b3f8b4") { id }
    }"""
    body = await client.post("/graphql", json={"query": query, "variables": {"id": page["id"]}})
    assert body.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert queue.enqueued == []
    state = await gql(client, "query($id: ID!) { page(id: $id) { status } }", id=page["id"])
    assert state["page"]["status"] == "pending"
