"""Parents deleted while their children are listed (issue 12, F3): jobs deleted while their
pages are listed, groups deleted while their jobs are listed, over REST and GraphQL, on the
compiled and the executor path, on a committed database of each backend. Every answer is a
success (a query reads one snapshot) or, for a field whose row vanished, NOT_FOUND: never a
500 and never INTERNAL_SERVER_ERROR."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from typing import Any

import httpx
import pytest

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from tests.conftest import (
    RecordingQueue,
)

pytestmark = pytest.mark.slow
SECONDS = 4.0
LISTERS = 6
CHURNERS = 2
TEMPLATE = "000000000000000000000001"
GROUP = "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }"
JOB = "mutation($i: CreateJobInput!) { createJob(input: $i) { id } }"
PAGE = "mutation($i: CreatePageInput!) { createPage(input: $i) { id } }"
DELETE_JOB = "mutation($id: ID!) { deleteJob(id: $id, cascade: true) { deletedPages } }"
DELETE_GROUP = "mutation($id: ID!, $c: Boolean!) { deleteJobGroup(id: $id, cascade: $c) { id } }"
GRAPHQL_LISTS = [
    "{ pages(limit: 60) { totalCount items { id pageNumber job { id name status"
    " group { id name } template { id } } } } }",
    "{ jobs(limit: 40) { totalCount items { id group { id name } template { id }"
    " pages(limit: 5) { totalCount items { id job { id } } } } } }",
    "{ jobGroups(limit: 20) { totalCount items { id template { id } jobs(limit: 5) {"
    " totalCount items { id pages(limit: 3) { items { id job { id group { id } } } } } } } } }",
    "{ pagesConnection(first: 30) { edges { node { id job { id group { id } } } } } }",
]
REST_LISTS = ["/api/v1/ocr-invoice-job-pages?limit=60", "/api/v1/ocr-invoice-job-groups?limit=20"]


class Race:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.answers: Counter[str] = Counter()
        self.problems: list[str] = []
        self.deletes = 0
        self.groups: list[str] = []

    def judge(self, what: str, response: httpx.Response) -> None:
        status = response.status_code
        self.answers[str(status)] += 1
        text = response.text
        if status >= 500 or "INTERNAL_SERVER_ERROR" in text:
            self.problems.append(f"{what}: {status} {text[:300]}")
            return
        body = response.json()
        codes = {e.get("extensions", {}).get("code") for e in body.get("errors") or []}
        if codes - {"NOT_FOUND"}:
            self.problems.append(f"{what}: {codes} {text[:300]}")
        if codes:
            self.answers["NOT_FOUND"] += 1

    async def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        self.judge(query[:40], response)
        data: dict[str, Any] = response.json().get("data") or {}
        return data

    async def build_group(self, n: int) -> tuple[str, list[str]]:
        group = await self.graphql(GROUP, i={"name": f"race {n}", "template": TEMPLATE})
        group_id = group["createJobGroup"]["id"]
        jobs = []
        for j in range(3):
            job = await self.graphql(JOB, i={"name": f"race {n}.{j}", "group": group_id})
            job_id = job["createJob"]["id"]
            jobs.append(job_id)
            for number in (1, 2, 3):
                url = f"https://example.com/{n}/{j}/{number}.png"
                page = {"job": job_id, "pageNumber": number, "pageUrl": url}
                await self.graphql(PAGE, i=page)
        return group_id, jobs

    async def churn(self, worker: int, deadline: float) -> None:
        for n in itertools.count():
            if time.monotonic() > deadline:
                return
            group_id, jobs = await self.build_group(worker * 10_000 + n)
            self.groups.append(group_id)
            await asyncio.sleep(0.05)
            await self.graphql(DELETE_JOB, id=jobs[0])
            await self.graphql(DELETE_GROUP, id=group_id, c=n % 2 == 0)
            self.deletes += 2
            for job_id in jobs[1:]:
                await self.graphql(DELETE_JOB, id=job_id)  # a detached job, or gone already

    async def list_forever(self, worker: int, deadline: float) -> None:
        for n in itertools.count(worker):
            if time.monotonic() > deadline:
                return
            choice = n % (len(GRAPHQL_LISTS) + len(REST_LISTS) + 1)
            if choice < len(GRAPHQL_LISTS):
                await self.graphql(GRAPHQL_LISTS[choice])
            elif choice < len(GRAPHQL_LISTS) + len(REST_LISTS):
                path = REST_LISTS[choice - len(GRAPHQL_LISTS)]
                self.judge(path, await self.http.get(path))
            elif self.groups:
                path = f"/api/v1/ocr-invoice-job-groups/{self.groups[-1]}/jobs"
                self.judge("jobs of a group", await self.http.get(path))


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "executor"])
async def test_deleting_parents_while_listing_never_answers_500(
    committed: Database, compiled: bool
) -> None:
    settings = committed.settings.model_copy(update={"compiled_reads": compiled})
    _row, key = await create_key(committed, "races", [Scope.admin])
    app = create_app(settings, db=committed, queue=RecordingQueue())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={HEADER: key}, timeout=60
    ) as http:
        race = Race(http)
        deadline = time.monotonic() + SECONDS
        await asyncio.gather(
            *(race.churn(i, deadline) for i in range(CHURNERS)),
            *(race.list_forever(i, deadline) for i in range(LISTERS)),
        )
    assert race.problems == [], race.problems[:5]
    assert race.deletes >= 4, race.answers
    assert race.answers["200"] > 20, race.answers
