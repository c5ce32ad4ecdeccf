"""A background loop told to stop stops, whenever the cancellation lands: on the turn of the
loop its event is set, or inside code that swallows it (ocr_gateway/aio.py says why)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from ocr_gateway.aio import cancel_and_wait, wait_until_set
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.processing import local
from ocr_gateway.settings import Settings

Wait = Callable[[asyncio.Event, float], Awaitable[object]]
TURNS = range(6)  # python/cpython#86296 swallows the cancellation at some of these


async def cancelled_after(wait: Wait, turns: int) -> asyncio.Task[None]:
    """A loop waiting on its event like the app's loops, cancelled ``turns`` turns of the
    event loop after the event was set; returns it once it ended or 2 s passed."""
    event = asyncio.Event()

    async def loop() -> None:
        while True:
            await wait(event, 5)
            event.clear()

    task = asyncio.create_task(loop())
    await asyncio.sleep(0)  # it waits
    event.set()
    for _ in range(turns):
        await asyncio.sleep(0)
    task.cancel()
    await asyncio.wait({task}, timeout=2)
    return task


@pytest.mark.parametrize("turns", TURNS)
async def test_a_cancellation_as_the_event_is_set_always_ends_the_loop(turns: int) -> None:
    task = await cancelled_after(wait_until_set, turns)
    assert task.cancelled()


async def test_asyncio_wait_for_loses_one_of_those_cancellations_on_this_python() -> None:
    """Why ``wait_until_set`` exists: on 3.11 the same loop on ``asyncio.wait_for`` goes on."""

    async def wait_for(event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)

    tasks = [await cancelled_after(wait_for, turns) for turns in TURNS]
    lost = [task for task in tasks if not task.done()]
    for task in lost:
        await cancel_and_wait(task)
    assert bool(lost) is (sys.version_info < (3, 12))


async def test_waiting_tells_set_from_timed_out() -> None:
    event = asyncio.Event()
    assert await wait_until_set(event, 0.01) is False
    event.set()
    assert await wait_until_set(event, 0.01) is True


async def test_cancel_and_wait_ends_a_task_that_swallows_the_first_cancellation() -> None:
    swallowed = []

    async def stubborn() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            swallowed.append(True)  # goes on, as a wait_for hit by the race does
        await asyncio.sleep(30)

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    async with asyncio.timeout(5):
        await cancel_and_wait(task)
    assert swallowed == [True]
    assert task.cancelled()


async def test_cancel_and_wait_raises_what_the_task_ended_with() -> None:
    async def failing() -> None:
        try:
            await asyncio.sleep(30)
        finally:
            raise RuntimeError("cleanup failed")

    task = asyncio.create_task(failing())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="cleanup failed"):
        await cancel_and_wait(task)


async def test_the_embedded_queue_stops_even_when_its_wait_loses_the_cancellation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As 3.11's ``wait_for`` does in the race: the dispatcher's wait returns instead of
    raising. ``stop`` still ends it (the loop reads ``_stopping``; a lost cancel is resent)."""
    waiting, lost = asyncio.Event(), []

    async def losing(event: asyncio.Event, seconds: float) -> bool:
        waiting.set()
        try:
            return await wait_until_set(event, seconds)
        except asyncio.CancelledError:
            lost.append(True)
            return True

    monkeypatch.setattr(local, "wait_until_set", losing)
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'queue.db'}")
    db = Database(settings)
    try:
        await migrate.upgrade(db.engine)
        queue = local.LocalQueue(db, settings)
        await queue.start()
        await asyncio.wait_for(waiting.wait(), 30)  # it found nothing queued and waits
        async with asyncio.timeout(5):  # it takes milliseconds; before, it never ended
            await queue.stop()
    finally:
        await db.dispose()
    assert lost == [True]
