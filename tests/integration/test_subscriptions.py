"""Subscriptions over real WebSockets: current state first, then every change, in order;
across two app processes on one PostgreSQL, also after the listener connection is killed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from ocr_gateway.app import create_app
from ocr_gateway.events import LISTENER_NAME
from ocr_gateway.processing.queue import DeferredQueue
from ocr_gateway.settings import Settings
from tests.conftest import POSTGRES_ADMIN_DSN, create_postgres_database, drop_postgres_database
from tests.integration.live import (
    graphql,
    migrated_with_key,
    server_process,
    server_thread,
    subscribe,
)

GROUP = 'mutation { createJobGroup(input: {name: "Batch", template: "000000000000000000000001"}) { id } }'
JOB = 'mutation($g: ID!) { createJob(input: {name: "inv.pdf", group: $g}) { id } }'
PAGE = "mutation($j: ID!, $n: Int!) { createPage(input: {job: $j, pageNumber: $n,"
PAGE += ' pageUrl: "https://e.com/p.png"}) { id } }'
PROCESS = "mutation($id: ID!) { processPage(id: $id) { status } }"
PAGES = "subscription($j: ID) { pageStatusChanged(jobId: $j) { id pageNumber status } }"
JOBS = "subscription($g: ID!) { jobStatusChanged(groupId: $g) { id status } }"
PROGRESS = "subscription($id: ID!) { jobGroupProgress(id: $id) { status"
PROGRESS += " progress { totalPages pages { pending queued } } } }"


@dataclass(frozen=True)
class Live:
    host: str
    key: str


async def make_job(live: Live, pages: int) -> tuple[str, str, list[str]]:
    host, key = live.host, live.key
    group = (await graphql(host, GROUP, key))["createJobGroup"]["id"]
    job = (await graphql(host, JOB, key, g=group))["createJob"]["id"]
    ids = [
        (await graphql(host, PAGE, key, j=job, n=n + 1))["createPage"]["id"] for n in range(pages)
    ]
    return group, job, ids


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    key = await migrated_with_key(url)
    app = create_app(Settings(database_url=url), queue=DeferredQueue())
    with server_thread(app) as host:
        yield Live(host, key)


async def test_page_subscription_yields_current_state_then_changes(live: Live) -> None:
    _group, job, pages = await make_job(live, pages=2)
    async with subscribe(live.host, PAGES, {"j": job}, key=live.key) as sub:
        first = [(await sub.next())["pageStatusChanged"] for _ in pages]
        assert [(p["pageNumber"], p["status"]) for p in first] == [(1, "pending"), (2, "pending")]
        await graphql(live.host, PROCESS, live.key, id=pages[1])
        changed = (await sub.next())["pageStatusChanged"]
        assert (changed["id"], changed["status"]) == (pages[1], "queued")


async def test_job_and_group_subscriptions_follow_their_pages(live: Live) -> None:
    group, job, pages = await make_job(live, pages=1)
    async with (
        subscribe(live.host, JOBS, {"g": group}, key=live.key) as jobs,
        subscribe(live.host, PROGRESS, {"id": group}, key=live.key) as progress,
    ):
        assert (await jobs.next())["jobStatusChanged"] == {"id": job, "status": "pending"}
        now = (await progress.next())["jobGroupProgress"]
        assert now["progress"] == {"totalPages": 1, "pages": {"pending": 1, "queued": 0}}
        await graphql(live.host, PROCESS, live.key, id=pages[0])
        assert (await jobs.next())["jobStatusChanged"] == {"id": job, "status": "queued"}
        later = (await progress.next())["jobGroupProgress"]
        assert later["status"] == "queued"
        assert later["progress"]["pages"] == {"pending": 0, "queued": 1}


async def test_subscribing_to_an_unknown_job_is_an_error(live: Live) -> None:
    import websockets

    url = f"ws://{live.host}/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        init = {"type": "connection_init", "payload": {"X-API-Key": live.key}}
        await ws.send(json.dumps(init))
        await asyncio.wait_for(ws.recv(), 15)
        query = {"query": PAGES, "variables": {"j": "60f7b1b3e4b0e8b3f8b3f8b4"}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 15))
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.postgres
async def test_a_change_through_one_replica_reaches_a_subscriber_of_another() -> None:
    url = await create_postgres_database()
    key = await migrated_with_key(url)
    env = {"DATABASE_URL": url, "OCR_GATEWAY_LOG_LEVEL": "WARNING"}
    try:
        with server_process(env) as a, server_process(env) as b:
            _group, job, pages = await make_job(Live(a, key), pages=2)
            async with subscribe(b, PAGES, {"j": job}, key=key) as sub:
                for _ in pages:
                    await sub.next()
                await graphql(a, PROCESS, key, id=pages[0])
                changed = (await sub.next())["pageStatusChanged"]
                assert (changed["id"], changed["status"]) == (pages[0], "queued")

                admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
                killed = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = $1 AND datname = $2",
                    LISTENER_NAME,
                    url.rsplit("/", 1)[1],
                )
                await admin.close()
                assert killed == 2  # one listener per replica
                # B reconnects and re-sends the current state (events may have been lost)...
                resent = {
                    p["id"]: p["status"]
                    for p in [(await sub.next(seconds=20))["pageStatusChanged"] for _ in pages]
                }
                assert resent == {pages[0]: "queued", pages[1]: "pending"}
                # ... and changes made through A keep arriving.
                await graphql(a, PROCESS, key, id=pages[1])
                again = (await sub.next(seconds=20))["pageStatusChanged"]
                assert (again["id"], again["status"]) == (pages[1], "queued")
    finally:
        await asyncio.sleep(0)
        await drop_postgres_database(url)


async def test_a_subscription_without_a_valid_key_is_refused(live: Live) -> None:
    import websockets

    url = f"ws://{live.host}/graphql"
    for payload in ({}, {"X-API-Key": "ogw_000000000000_" + "x" * 43}):
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 15)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4403
