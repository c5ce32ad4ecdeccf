"""A real server under a flood of fragment bombs keeps answering /healthz at once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from tests.integration.live import migrated_with_key, server_process
from tests.support.abuse import fragment_bomb

BOMBS_PER_CLIENT = 40
CLIENTS = 4


async def send_bombs(host: str, headers: dict[str, str], query: str) -> list[int]:
    statuses = []
    async with httpx.AsyncClient(base_url=f"http://{host}", headers=headers, timeout=10) as http:
        for _ in range(BOMBS_PER_CLIENT):
            response = await http.post("/graphql", json={"query": query})
            assert response.json()["errors"][0]["extensions"]["code"] in (
                "BAD_USER_INPUT",
                "UNAUTHENTICATED",
            )
            statuses.append(response.status_code)
    return statuses


async def poll_health(host: str, done: asyncio.Event) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(base_url=f"http://{host}", timeout=10) as http:
        while not done.is_set():
            began = time.perf_counter()
            response = await http.get("/healthz")
            latencies.append(time.perf_counter() - began)
            assert response.status_code == 200
            await asyncio.sleep(0.02)
    return latencies


async def test_healthz_keeps_answering_during_a_flood_of_fragment_bombs(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'abuse.db'}"
    key = await migrated_with_key(url)
    env = {"DATABASE_URL": url, "OCR_GATEWAY_LOCAL_WORKERS": "0"}
    senders = [
        ({"X-API-Key": key}, fragment_bomb(30, leaf="templates { totalCount }")),
        ({}, fragment_bomb(30, leaf="templates { totalCount }")),
        ({"X-API-Key": "ogw_000000000000_" + "x" * 43}, fragment_bomb(30)),
        ({}, fragment_bomb(30)),
    ][:CLIENTS]
    with server_process(env) as host:
        done = asyncio.Event()
        health = asyncio.create_task(poll_health(host, done))
        began = time.perf_counter()
        try:
            results = await asyncio.gather(*(send_bombs(host, h, q) for h, q in senders))
        finally:
            done.set()
        flood_seconds = time.perf_counter() - began
        latencies = await health
    assert sum(len(r) for r in results) == CLIENTS * BOMBS_PER_CLIENT
    assert flood_seconds < 30
    assert latencies
    assert max(latencies) < 1.0, sorted(latencies)[-5:]
