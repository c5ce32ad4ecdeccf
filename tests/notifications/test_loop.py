"""The delivery loop: sends what is due, polls, and stops when told."""

from __future__ import annotations

import asyncio

from ocr_gateway.db.engine import Database
from ocr_gateway.notifications.webhook import delivery_loop
from tests.notifications.factories import fast_settings, group_with_event, only_delivery
from tests.notifications.receiver import WebhookReceiver


async def test_the_loop_delivers_until_stopped(db: Database) -> None:
    with WebhookReceiver() as receiver:
        receiver.answer(500)  # and 200 on the retry
        group_id = await group_with_event(db, receiver.url())
        stop = asyncio.Event()
        settings = fast_settings(db, webhook_poll_s=0.02)
        loop = asyncio.create_task(delivery_loop(db, settings, stop))
        for _ in range(250):
            if len(receiver.requests) == 2 or loop.done():
                break
            await asyncio.sleep(0.02)
        stop.set()
        await asyncio.wait_for(loop, timeout=5)
    assert len(receiver.requests) == 2
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
