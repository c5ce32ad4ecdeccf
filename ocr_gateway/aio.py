"""Waiting and stopping in asyncio without losing a cancellation.

On Python 3.11, ``asyncio.wait_for`` swallows a cancellation that reaches its caller in the
same turn of the loop as the awaited thing completes (python/cpython#86296, fixed by 3.12's
rewrite): the caller returns the result instead of raising, and a background loop that was
told to stop goes on forever, with ``stop()`` waiting on it (the suite saw an app's shutdown
hang that way). The two helpers here are what the background loops use instead.
"""

from __future__ import annotations

import asyncio
from typing import Any

CANCEL_AGAIN_S = 1.0


async def wait_until_set(event: asyncio.Event, seconds: float) -> bool:
    """Whether ``event`` is set within ``seconds``; a cancellation always propagates."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel ``task`` and return once it has ended, cancelling it again every second should
    something inside it have swallowed the cancellation. An exception it ended with is raised
    here; a cancellation of the caller propagates (``asyncio.wait`` absorbs neither)."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=CANCEL_AGAIN_S)
    if not task.cancelled():
        task.result()
