"""The page lifecycle: a delete that leaves a job or group done has the consequences a
processed page has (statuses, invoiceData, events, webhooks), whoever triggers it."""

from __future__ import annotations

import asyncio
import socket
import sys
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup, Page
from ocr_gateway.events import StatusEvent
from ocr_gateway.processing import claimants, lifecycle
from ocr_gateway.processing.pipeline import complete
from tests.api.graphql import gql
from tests.notifications.factories import create_group, create_job, deliveries, webhook

URL = "https://hooks.example.com/ocr"
TOTAL = {"value": "10.00", "normalizedValue": "10.00", "confidence": 0.9}
DELETE_PAGE = "mutation($id: ID!) { deletePage(id: $id) { id } }"
DELETE_JOB = "mutation($id: ID!) { deleteJob(id: $id, cascade: true) { deletedPages } }"


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[StatusEvent]:
    """The status events the lifecycle emits (still emitted for real)."""
    seen: list[StatusEvent] = []
    real = lifecycle.emit

    async def recording(session: Any, event: StatusEvent) -> None:
        seen.append(event)
        await real(session, event)

    monkeypatch.setattr(lifecycle, "emit", recording)
    return seen


async def pages_of(db: Database, job_id: str) -> list[Page]:
    async with db.sessionmaker() as session:
        stmt = select(Page).where(Page.job_id == job_id).order_by(Page.page_number)
        return list(await session.scalars(stmt))


async def with_total(db: Database, page_id: str) -> None:
    async with db.sessionmaker() as session, session.begin():
        fields = {"fields": {"total": TOTAL}}
        await session.execute(
            update(Page).where(Page.id == page_id).values(extracted_fields=fields)
        )


async def rows(db: Database, job_id: str, group_id: str) -> tuple[Job, JobGroup]:
    async with db.sessionmaker() as session:
        job = await session.get(Job, job_id, populate_existing=True)
        group = await session.get(JobGroup, group_id, populate_existing=True)
    assert job is not None
    assert group is not None
    return job, group


async def test_deleting_the_last_unprocessed_page_completes_job_and_group(
    client: httpx.AsyncClient, db: Database, emitted: list[StatusEvent]
) -> None:
    group_id = await create_group(db, webhook(URL), status="pending")
    job_id = await create_job(db, group_id, ["processed", "pending"])
    done, waiting = await pages_of(db, job_id)
    await with_total(db, done.id)

    await gql(client, DELETE_PAGE, id=waiting.id)

    job, group = await rows(db, job_id, group_id)
    assert (job.status, group.status) == ("completed", "completed")
    assert job.invoice_data["total"]["normalizedValue"] == "10.00"
    assert job.invoice_data["total"]["pageId"] == done.id
    assert job.error is None
    assert [d.event for d in await deliveries(db, group_id)] == ["group.completed"]
    assert {(e.kind, e.id, e.status) for e in emitted} == {
        ("job", job_id, "completed"),
        ("group", group_id, "completed"),
    }


async def test_a_delete_and_a_processed_page_end_the_same(db: Database) -> None:
    """Two identical jobs: one finishes by processing its last page, one by deleting it."""
    outcomes = []
    for finish in ("process", "delete"):
        group_id = await create_group(db, webhook(URL), status="processing")
        job_id = await create_job(db, group_id, ["processed", "processing"])
        done, last = await pages_of(db, job_id)
        await with_total(db, done.id)
        if finish == "process":
            assert await complete(db, last.id, {"ocr_text": "no fields here"})
        else:
            async with db.sessionmaker() as session, session.begin():
                await session.delete(await session.get(Page, last.id))
                await session.flush()
                await lifecycle.settle(session, job_ids=[job_id])
        job, group = await rows(db, job_id, group_id)
        events = [d.event for d in await deliveries(db, group_id)]
        outcomes.append((job.status, group.status, job.invoice_data["total"]["value"], events))
    assert outcomes[0] == outcomes[1] == ("completed", "completed", "10.00", ["group.completed"])


async def test_deleting_a_failed_page_clears_the_jobs_error(
    client: httpx.AsyncClient, db: Database
) -> None:
    group_id = await create_group(db, status="partially_failed")
    job_id = await create_job(db, group_id, ["processed", "failed"])
    async with db.sessionmaker() as session, session.begin():
        await lifecycle.settle(session, job_ids=[job_id])
    job, _group = await rows(db, job_id, group_id)
    assert job.status == "partially_failed"
    assert job.error == {"code": "pages_failed", "message": "pages [2] failed"}

    _done, failed = await pages_of(db, job_id)
    await gql(client, DELETE_PAGE, id=failed.id)

    job, group = await rows(db, job_id, group_id)
    assert (job.status, group.status, job.error) == ("completed", "completed", None)


async def test_deleting_the_unfinished_job_completes_the_group_and_sends_the_webhook(
    client: httpx.AsyncClient, db: Database, emitted: list[StatusEvent]
) -> None:
    group_id = await create_group(db, webhook(URL), status="processing")
    await create_job(db, group_id, ["processed", "processed"])
    unfinished = await create_job(db, group_id, ["processed", "queued"])

    await gql(client, DELETE_JOB, id=unfinished)

    async with db.sessionmaker() as session:
        group = await session.get(JobGroup, group_id, populate_existing=True)
    assert group is not None
    assert group.status == "completed"
    [delivery] = await deliveries(db, group_id)
    assert delivery.event == "group.completed"
    assert delivery.payload["group"]["progress"]["totalJobs"] == 1
    assert ("group", group_id, "completed") in {(e.kind, e.id, e.status) for e in emitted}


async def test_deleting_a_page_of_an_unfinished_job_sends_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    group_id = await create_group(db, webhook(URL), status="processing")
    job_id = await create_job(db, group_id, ["processed", "queued", "pending"])
    _done, _queued, pending = await pages_of(db, job_id)

    await gql(client, DELETE_PAGE, id=pending.id)

    job, group = await rows(db, job_id, group_id)
    assert (job.status, group.status) == ("processing", "processing")
    assert await deliveries(db, group_id) == []


def amount(value: str, confidence: float) -> dict[str, Any]:
    return {"value": value, "normalizedValue": value, "confidence": confidence}


async def with_fields(db: Database, page_id: str, fields: dict[str, Any]) -> None:
    async with db.sessionmaker() as session, session.begin():
        stored = {"fields": fields}
        await session.execute(
            update(Page).where(Page.id == page_id).values(extracted_fields=stored)
        )


async def test_the_job_takes_the_amounts_that_add_up_over_its_pages(
    client: httpx.AsyncClient, db: Database
) -> None:
    group_id = await create_group(db, webhook(URL), status="pending")
    job_id = await create_job(db, group_id, ["processed", "processed", "pending"])
    first, second, waiting = await pages_of(db, job_id)
    # page 1: a carried-over "Total" read with more confidence than page 2's grand total
    first_fields = {"subtotal": amount("40.00", 0.8), "total": amount("25.00", 0.9)}
    await with_fields(db, first.id, first_fields)
    await with_fields(db, second.id, {"tax": amount("8.00", 0.7), "total": amount("48.00", 0.6)})

    await gql(client, DELETE_PAGE, id=waiting.id)

    job, _ = await rows(db, job_id, group_id)
    total = job.invoice_data["total"]
    assert (total["normalizedValue"], total["pageId"]) == ("48.00", second.id)
    assert total["needsReview"] is False  # 0.6 is above the default threshold (0.5)
    assert job.invoice_data["subtotal"]["pageId"] == first.id


async def test_totals_that_add_up_nowhere_need_review(
    client: httpx.AsyncClient, db: Database
) -> None:
    group_id = await create_group(db, webhook(URL), status="pending")
    job_id = await create_job(db, group_id, ["processed", "pending"])
    done, waiting = await pages_of(db, job_id)
    fields = {
        "subtotal": amount("40.00", 0.9),
        "tax": amount("8.00", 0.9),
        "total": amount("50.00", 0.9),
    }
    await with_fields(db, done.id, fields)

    await gql(client, DELETE_PAGE, id=waiting.id)

    job, _ = await rows(db, job_id, group_id)
    total = job.invoice_data["total"]
    assert (total["normalizedValue"], total["needsReview"]) == ("50.00", True)
    assert total["warning"] == "totals_mismatch"
    assert job.invoice_data["subtotal"]["needsReview"] is False


async def test_a_page_whose_tries_ocr_processes_used_up_fails_for_good(db: Database) -> None:
    """A worker that died on the page's last try: the retry that claims it from
    ``processing`` fails it (``page.failed`` sent) instead of reading it once more."""
    events = ["page.failed", "group.failed"]
    group_id = await create_group(db, webhook(URL, events=events), status="processing")
    job_id = await create_job(db, group_id, ["processing"])
    (page,) = await pages_of(db, job_id)
    async with db.sessionmaker() as session, session.begin():
        await session.execute(update(Page).where(Page.id == page.id).values(attempts=3))
    async with db.sessionmaker() as session, session.begin():
        claimed = await lifecycle.claim(
            session, page.id, from_statuses=("queued", "processing"), max_attempts=3
        )
    assert claimed is None
    (failed,) = await pages_of(db, job_id)
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert failed.error is not None
    assert failed.error["code"] == "ocr_process_died"
    assert "3 attempts" in failed.error["message"]
    job, group = await rows(db, job_id, group_id)
    assert (job.status, group.status) == ("failed", "failed")
    assert [d.event for d in await deliveries(db, group_id)] == events


async def test_processing_a_page_anew_gives_it_its_tries_again(db: Database) -> None:
    job_id = await create_job(db, None, ["failed"])
    (page,) = await pages_of(db, job_id)
    async with db.sessionmaker() as session, session.begin():
        row = await session.get(Page, page.id)
        assert row is not None
        row.attempts = 3
        await lifecycle.queue(session, [row])
    async with db.sessionmaker() as session, session.begin():
        claimed = await lifecycle.claim(session, page.id, from_statuses=("queued",), max_attempts=3)
        assert claimed is not None
        assert (claimed[0].status, claimed[0].attempts) == ("processing", 1)


async def test_requeue_leaves_the_pages_a_live_process_reads(db: Database) -> None:
    """Another app on the same database (``serve`` beside ``import --process``) keeps its
    pages; those of a process that is gone, or of none recorded, are queued again."""
    job_id = await create_job(db, None, ["processing", "processing", "processing"])
    live, gone, unknown = await pages_of(db, job_id)
    ended = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await ended.wait()
    owners = {
        live.id: claimants.this_process(),
        gone.id: f"{socket.gethostname()}:{ended.pid}:1",
        unknown.id: None,
    }
    async with db.sessionmaker() as session, session.begin():
        for page_id, owner in owners.items():
            await session.execute(update(Page).where(Page.id == page_id).values(claimed_by=owner))
    async with db.sessionmaker() as session, session.begin():
        assert await lifecycle.requeue_interrupted(session) == 2
    statuses = [page.status for page in await pages_of(db, job_id)]
    assert statuses == ["processing", "queued", "queued"]


async def test_a_claim_records_its_process(db: Database) -> None:
    job_id = await create_job(db, None, ["queued"])
    (page,) = await pages_of(db, job_id)
    async with db.sessionmaker() as session, session.begin():
        claimed = await lifecycle.claim(
            session, page.id, from_statuses=("queued",), claimant=claimants.this_process()
        )
        assert claimed is not None
    (row,) = await pages_of(db, job_id)
    assert row.claimed_by == claimants.this_process()
