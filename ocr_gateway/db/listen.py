"""A PostgreSQL LISTEN that lasts: one dedicated connection, reconnected when it drops.

``listen_forever`` calls ``on_connected`` each time the connection is (re)established:
notifications sent while it was down are lost, so callers re-read or forget what they hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("ocr_gateway.db")


async def listen_forever(
    dsn: str,
    channel: str,
    on_message: Callable[[str], None],
    on_connected: Callable[[], None],
    *,
    application_name: str,
    retry_s: float = 1.0,
    check_s: float = 5.0,
) -> None:
    """Until cancelled."""
    while True:
        try:
            await _listen(dsn, channel, on_message, on_connected, application_name, check_s)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("listener on %s lost (%s); reconnecting", channel, exc)
        await asyncio.sleep(retry_s)


async def _listen(
    dsn: str,
    channel: str,
    on_message: Callable[[str], None],
    on_connected: Callable[[], None],
    application_name: str,
    check_s: float,
) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn, server_settings={"application_name": application_name})

    def deliver(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
        on_message(payload)

    try:
        await connection.add_listener(channel, deliver)
        on_connected()
        while True:  # notice a dead connection even when nothing is sent
            await asyncio.sleep(check_s)
            await connection.fetchval("SELECT 1", timeout=3 * check_s)
    finally:
        with contextlib.suppress(Exception):
            await connection.close(timeout=1)
