"""API keys checked without a database round trip per request.

    KeyCache.authenticate(key)   a dictionary lookup for a key checked in the last ``ttl_s``
                                 seconds; else one indexed read (``auth.authenticate``),
                                 remembered (keys that exist, revoked ones included; at most
                                 ``size`` of them, least recently used first out)
    revocation                   PostgreSQL: ``auth.revoke_key`` sends a NOTIFY at commit;
                                 every API process LISTENs and empties its cache, and empties
                                 it again whenever its listener reconnects (what was sent
                                 meanwhile is lost). SQLite: a revoked key stops working
                                 within ``ttl_s`` seconds.
    last use                     kept in memory, written every ``touch_s`` seconds by a
                                 background task (and at stop), never on the request path

Entries are found by the SHA-256 of the presented key, so only the holder of a key finds
its entry. Unknown keys are not remembered: a flood of random keys cannot push the real
ones out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ocr_gateway import auth
from ocr_gateway.aio import cancel_and_wait
from ocr_gateway.auth import AuthFailure, Principal
from ocr_gateway.db.engine import Database
from ocr_gateway.db.listen import listen_forever
from ocr_gateway.db.types import utcnow
from ocr_gateway.settings import Settings

log = logging.getLogger("ocr_gateway.auth")
LISTENER_NAME = "ocr_gateway_key_listener"


@dataclass(frozen=True)
class _Entry:
    outcome: Principal | AuthFailure
    expires_at: float


class KeyCache:
    def __init__(
        self, db: Database, settings: Settings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.db = db
        self.ttl_s = settings.api_key_cache_ttl_s
        self.size = settings.api_key_cache_size
        self.touch_s = settings.api_key_touch_s
        self.clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._last_used: dict[str, datetime] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.listening = asyncio.Event()

    async def authenticate(self, key: str | None) -> Principal | AuthFailure:
        if not key:
            return AuthFailure.missing
        digest = auth.key_hash(key.strip())
        outcome = self._cached(digest)
        if outcome is None:
            outcome = await auth.authenticate(self.db, key)
            if outcome is not AuthFailure.unknown:
                self._remember(digest, outcome)
        if isinstance(outcome, Principal):
            self._last_used[outcome.key_id] = utcnow()
        return outcome

    def clear(self) -> None:
        self._entries.clear()

    def _cached(self, digest: str) -> Principal | AuthFailure | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if entry.expires_at <= self.clock():
            del self._entries[digest]
            return None
        self._entries.move_to_end(digest)
        return entry.outcome

    def _remember(self, digest: str, outcome: Principal | AuthFailure) -> None:
        self._entries[digest] = _Entry(outcome, self.clock() + self.ttl_s)
        self._entries.move_to_end(digest)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    # ------------------------------------------------------------ background work

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._record_use_forever(), name="key-use"))
        if self.db.dialect == "postgresql":
            listener = listen_forever(
                self.db.settings.postgres_conninfo,
                auth.REVOKED_CHANNEL,
                on_message=lambda _prefix: self.clear(),
                on_connected=self._on_listening,
                application_name=LISTENER_NAME,
            )
            self._tasks.append(asyncio.create_task(listener, name="key-revocations"))

    def _on_listening(self) -> None:
        self.clear()  # revocations sent while no listener was connected are lost
        self.listening.set()

    async def stop(self) -> None:
        for task in self._tasks:
            await cancel_and_wait(task)
        self._tasks.clear()
        await self.record_use()

    async def record_use(self) -> None:
        """Write the last-use times gathered since the previous write."""
        used, self._last_used = self._last_used, {}
        if not used:
            return
        try:
            await auth.record_use(self.db, used)
        except Exception as exc:  # the database is down: keep them for the next try
            log.warning("could not record API key use (%s); will retry", exc)
            self._last_used = {**used, **self._last_used}

    async def _record_use_forever(self) -> None:
        while True:
            await asyncio.sleep(self.touch_s)
            await self.record_use()
