"""The embedded SQLite default under concurrent writers: 16 clients creating, updating and
queueing over both APIs while the app's OCR process (a real second process) claims and
records pages. Every request must succeed: no "database is locked"."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path
from typing import Any

import httpx

from tests.integration.live import migrated_with_key, server_process

WRITERS = 16
ROUNDS = 4
TEMPLATE = "000000000000000000000001"
# Not an image: the OCR process claims the page, fails to decode it and records the failure.
BROKEN_IMAGE = "data:image/png;base64," + base64.b64encode(b"not a png" * 20).decode()
GROUP = "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }"
JOB = "mutation($i: CreateJobInput!) { createJob(input: $i) { id } }"
PROCESS_JOB = "mutation($id: ID!) { processJob(id: $id) { status } }"
UPDATE_GROUP = "mutation($id: ID!) { updateJobGroup(id: $id, input: {priority: high}) { id } }"
POLL = "{ pages(filter: {status: {in: [queued, processing, failed]}}) { totalCount } }"


class Writer:
    def __init__(self, http: httpx.AsyncClient, number: int) -> None:
        self.http, self.number = http, number
        self.failures: list[str] = []

    async def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            self.failures.append(f"{response.status_code} {body}")
            return {}
        data: dict[str, Any] = body["data"]
        return data

    async def rest(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.request(method, f"/api/v1{path}", json=body)
        if response.status_code >= 300:
            self.failures.append(f"{response.status_code} {response.text}")
            return {}
        data: dict[str, Any] = response.json()["data"]
        return data

    async def round(self, index: int) -> None:
        name = f"writer {self.number} round {index}"
        group = await self.graphql(GROUP, i={"name": name, "template": TEMPLATE})
        group_id = group.get("createJobGroup", {}).get("id")
        job = await self.graphql(JOB, i={"name": f"{name}.pdf", "group": group_id})
        job_id = job.get("createJob", {}).get("id")
        for number in (1, 2):
            page = {"job": job_id, "pageNumber": number, "pageUrl": BROKEN_IMAGE}
            await self.rest("POST", "/ocr-invoice-job-pages", page)
        await self.graphql(PROCESS_JOB, id=job_id)
        await self.graphql(UPDATE_GROUP, id=group_id)
        await self.graphql(POLL)

    async def run(self) -> None:
        for index in range(ROUNDS):
            await self.round(index)


async def failed_pages(http: httpx.AsyncClient) -> int:
    query = "{ pages(filter: {status: {eq: failed}}) { totalCount } }"
    response = await http.post("/graphql", json={"query": query})
    count: int = response.json()["data"]["pages"]["totalCount"]
    return count


async def wait_for_failed_pages(http: httpx.AsyncClient, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while await failed_pages(http) < count:
        assert time.monotonic() < deadline, f"the OCR process recorded < {count} pages"
        await asyncio.sleep(0.2)


async def test_concurrent_writers_and_the_ocr_process_get_no_errors(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}"
    key = await migrated_with_key(url)
    env = {"DATABASE_URL": url, "OCR_GATEWAY_LOCAL_WORKERS": "1"}
    limits = httpx.Limits(max_connections=WRITERS + 1)
    with server_process(env) as host:
        async with httpx.AsyncClient(
            base_url=f"http://{host}", headers={"X-API-Key": key}, timeout=60, limits=limits
        ) as http:
            warm_up = Writer(http, 0)
            await warm_up.round(0)  # starts the OCR process before the load
            await wait_for_failed_pages(http, 2, seconds=60)
            writers = [Writer(http, n) for n in range(1, WRITERS + 1)]
            await asyncio.gather(*(writer.run() for writer in writers))
            failures = [f for writer in [warm_up, *writers] for f in writer.failures]
            assert failures == []
            # The OCR process wrote all along: every queued page was claimed and recorded.
            await wait_for_failed_pages(http, 2 + WRITERS * ROUNDS * 2, seconds=120)
