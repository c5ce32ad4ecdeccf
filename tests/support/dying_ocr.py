"""A stand-in OCR process program for the embedded queue's fault tests: pages whose URL
contains ``die`` end their process mid-page (as the kernel's OOM killer would), ``slow``
ones take 3 s, the others are processed at once (claimed and completed through the real
lifecycle, with no OCR).

Module-level functions: the queue's spawned processes import them by name."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from ocr_gateway.db.engine import Database
from ocr_gateway.enums import PageStatus
from ocr_gateway.processing import pipeline
from ocr_gateway.settings import Settings

_state: dict[str, Any] = {}


def initializer(settings: dict[str, Any], event_sink: Any) -> None:
    del event_sink
    loaded = Settings(**settings)
    _state["settings"] = loaded
    _state["loop"] = asyncio.new_event_loop()
    _state["db"] = Database(loaded)


def process(page_id: str) -> tuple[str, float]:
    loop: asyncio.AbstractEventLoop = _state["loop"]
    return loop.run_until_complete(_process(page_id))


async def _process(page_id: str) -> tuple[str, float]:
    db: Database = _state["db"]
    settings: Settings = _state["settings"]
    work = await pipeline.claim(
        db,
        page_id,
        from_statuses=(PageStatus.queued.value,),
        max_attempts=settings.max_attempts,
    )
    if work is None:
        return "skipped", 0.0
    if "die" in work.page_url:
        os._exit(137)
    if "slow" in work.page_url:
        await asyncio.sleep(3)
    await pipeline.complete(db, page_id, {"ocr_text": "read"})
    return "processed", 0.0
