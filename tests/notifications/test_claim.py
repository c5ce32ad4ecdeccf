"""Claiming: a due delivery is sent by one sender only, even with several at once (SKIP
LOCKED on PostgreSQL, serialised writes on SQLite), and a dead sender's lease runs out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.types import utcnow
from ocr_gateway.notifications import outbox
from ocr_gateway.notifications.webhook import deliver_due
from ocr_gateway.settings import Settings
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database
from tests.notifications.factories import (
    deliveries,
    fast_settings,
    group_with_event,
    make_due,
    only_delivery,
)
from tests.notifications.receiver import WebhookReceiver


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


@pytest.fixture(params=BACKENDS)
async def committed(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database of its own where commits are real, so senders see each other's work."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}"
    else:
        url = await create_postgres_database()
    database = Database(Settings(database_url=url))
    await migrate.upgrade(database.engine)
    yield database
    await database.dispose()
    if request.param == "postgresql":
        await drop_postgres_database(url)


async def test_a_due_delivery_is_sent_once_by_concurrent_senders(
    committed: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(committed, receiver.url())
    receiver.delay = 0.2  # the senders overlap while the first one is sending
    settings = fast_settings(committed)
    claimed = await asyncio.gather(*(deliver_due(committed, settings) for _ in range(4)))
    assert sorted(claimed) == [0, 0, 0, 1]
    assert len(receiver.requests) == 1
    delivery = await only_delivery(committed, group_id)
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


async def test_concurrent_senders_share_a_backlog_without_overlap(
    committed: Database, receiver: WebhookReceiver
) -> None:
    for _ in range(10):
        await group_with_event(committed, receiver.url())
    receiver.delay = 0.05
    settings = fast_settings(committed)
    claimed = await asyncio.gather(*(deliver_due(committed, settings, limit=4) for _ in range(3)))
    assert sum(claimed) == 10
    sent = [r.headers["X-OCR-Gateway-Delivery"] for r in receiver.requests]
    assert sorted(sent) == sorted(d.id for d in await deliveries(committed))
    assert {d.status for d in await deliveries(committed)} == {"delivered"}


async def test_a_dead_senders_delivery_is_retried_once_its_lease_runs_out(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url())
    now = utcnow()
    async with db.sessionmaker() as session, session.begin():
        [held] = await outbox.claim_due(
            session, now=now, lease_until=now + timedelta(minutes=1), limit=10
        )
    # ...and the sender holding it dies before sending.
    settings = fast_settings(db)
    assert await deliver_due(db, settings) == 0  # leased: nobody else takes it yet
    await make_due(db)  # the lease runs out
    assert await deliver_due(db, settings) == 1
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    # Were the first sender alive after all, its late outcome would change nothing.
    async with db.sessionmaker() as session, session.begin():
        assert not await outbox.record_outcome(session, held, {"status": "failed"})
    assert (await only_delivery(db, group_id)).status == "delivered"
