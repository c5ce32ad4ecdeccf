"""Two duplicates whose invoice data is written at the same time, in two transactions, on a
committed database of each backend: neither may miss the other for good
(``processing.duplicates``, "Races"). The second writer waits for the first (PostgreSQL: the
advisory lock on the shared key; SQLite: ``BEGIN IMMEDIATE``) and then sees its keys."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job
from ocr_gateway.processing.job_invoice import store_invoice_data

TEMPLATE = "000000000000000000000001"
DATA = {
    "vendorName": {"value": "ACME Trading GmbH", "normalizedValue": "ACME Trading GmbH"},
    "invoiceNumber": {"value": "INV-0042", "normalizedValue": "INV-0042"},
}


async def two_jobs(db: Database) -> tuple[str, str]:
    async with db.sessionmaker() as session, session.begin():
        first = Job(name="first.pdf", template_id=TEMPLATE, invoice_data={}, metadata_={})
        session.add(first)
        await session.flush()
        second = Job(name="second.pdf", template_id=TEMPLATE, invoice_data={}, metadata_={})
        session.add(second)
    return first.id, second.id


async def write(db: Database, job_id: str, hold: asyncio.Event | None = None) -> None:
    """Write the job's invoice data; with ``hold``, keep the transaction open until it is set."""
    async with db.sessionmaker() as session, session.begin():
        job = await session.get(Job, job_id)
        assert job is not None
        await store_invoice_data(session, job, DATA)
        if hold is not None:
            await hold.wait()


async def flags(db: Database) -> dict[str, str | None]:
    async with db.sessionmaker() as session:
        rows = await session.execute(select(Job.name, Job.possible_duplicate_of))
        return {name: duplicate_of for name, duplicate_of in rows}


@pytest.mark.parametrize("earlier_first", [True, False], ids=["earlier-first", "later-first"])
async def test_two_duplicates_written_at_once_do_not_miss_each_other(
    committed: Database, earlier_first: bool
) -> None:
    first, second = await two_jobs(committed)
    one, other = (first, second) if earlier_first else (second, first)
    release = asyncio.Event()
    holder = asyncio.create_task(write(committed, one, release))
    await asyncio.sleep(0.3)  # the first transaction has written its keys, not committed
    waiter = asyncio.create_task(write(committed, other))
    await asyncio.sleep(0.5)
    assert not waiter.done(), "the second writer went ahead without waiting for the first"
    release.set()
    await holder
    await asyncio.wait_for(waiter, timeout=30)
    assert await flags(committed) == {"first.pdf": None, "second.pdf": first}
