"""The REST shim's cost: the same list and get requests through REST and through GraphQL.

Seeds a fresh PostgreSQL database (50 groups x 10 jobs x 4 pages), serves the app with
uvicorn (one worker; API keys on, every request carries a read key) and drives each
scenario at concurrency 16 for a fixed duration, once through ``/api/v1/...`` and once as
the very GraphQL operation the shim runs for it
(``ocr_gateway.rest.operations``), posted to ``/graphql``. Both answer the same data (checked
first), so the difference is the shim: routing, parameter parsing and filter translation,
reshaping the result into the envelope. Rounds alternate which API goes first.

    .venv/bin/python bench/rest_vs_graphql.py [--seconds 10] [--rounds 2] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    TABLE_HEADER,
    LoadResult,
    drive,
    postgres_database,
    uvicorn_server,
)
from bench.graphql_nested import seed
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.rest import operations
from ocr_gateway.rest.envelope import flatten_references
from ocr_gateway.settings import Settings

Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]
LIST_VARIABLES = {"limit": 50, "offset": 0, "order": "desc"}


@dataclass(frozen=True)
class Scenario:
    name: str
    rest: Request
    graphql: Request


def graphql_request(
    operation: operations.Operation, variables: Callable[[], dict[str, Any]], key: str
) -> Request:
    async def send(client: httpx.AsyncClient) -> httpx.Response:
        body = {
            "query": operation.document,
            "variables": variables(),
            "operationName": operation.name,
        }
        return await client.post("/graphql", json=body, headers={HEADER: key})

    return send


def rest_request(path: Callable[[], str], key: str) -> Request:
    async def send(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(path(), headers={HEADER: key})

    return send


def scenarios(page_ids: list[str], group_ids: list[str], key: str) -> list[Scenario]:
    """Every request carries the same read-only API key (one key lookup per request)."""
    return [
        Scenario(
            "list 50 pages",
            rest_request(lambda: "/api/v1/ocr-invoice-job-pages?limit=50", key),
            graphql_request(operations.PAGES.list, lambda: LIST_VARIABLES, key),
        ),
        Scenario(
            "get a page by id",
            rest_request(lambda: f"/api/v1/ocr-invoice-job-pages/{random.choice(page_ids)}", key),
            graphql_request(operations.PAGES.get, lambda: {"id": random.choice(page_ids)}, key),
        ),
        Scenario(
            "list 50 groups (with progress)",
            rest_request(lambda: "/api/v1/ocr-invoice-job-groups?limit=50", key),
            graphql_request(operations.JOB_GROUPS.list, lambda: LIST_VARIABLES, key),
        ),
        Scenario(
            "get a group by id",
            rest_request(lambda: f"/api/v1/ocr-invoice-job-groups/{random.choice(group_ids)}", key),
            graphql_request(
                operations.JOB_GROUPS.get, lambda: {"id": random.choice(group_ids)}, key
            ),
        ),
    ]


async def check_same_data(base: str, key: str, page_id: str) -> None:
    """REST answers exactly what GraphQL answers (relations flattened to ids)."""
    pairs = [
        (f"/api/v1/ocr-invoice-job-pages/{page_id}", operations.PAGES.get, {"id": page_id}),
        ("/api/v1/ocr-invoice-job-groups?limit=50", operations.JOB_GROUPS.list, LIST_VARIABLES),
    ]
    async with httpx.AsyncClient(base_url=base, headers={HEADER: key}) as client:
        for path, operation, variables in pairs:
            rest = (await client.get(path)).json()["data"]
            body = {"query": operation.document, "variables": variables}
            graphql = (await client.post("/graphql", json=body)).json()["data"][operation.field]
            if "items" in graphql:
                graphql = graphql["items"]
            expected = (
                [flatten_references(i) for i in graphql]
                if isinstance(graphql, list)
                else (flatten_references(graphql))
            )
            assert rest == expected, f"REST and GraphQL differ for {path}"


def merge(name: str, parts: list[LoadResult]) -> LoadResult:
    return LoadResult(
        name,
        sum(p.requests for p in parts),
        sum(p.errors for p in parts),
        sum(p.seconds for p in parts),
        [latency for p in parts for latency in p.latencies_ms],
    )


async def run(base: str, cases: list[Scenario], args: argparse.Namespace) -> list[LoadResult]:
    rows: list[LoadResult] = []
    for case in cases:
        runs: dict[str, list[LoadResult]] = {"REST": [], "GraphQL": []}
        for round_ in range(args.rounds):
            order = [("REST", case.rest), ("GraphQL", case.graphql)]
            for api, request in order if round_ % 2 == 0 else order[::-1]:
                result = await drive(
                    f"{case.name}: {api}", base, request,
                    concurrency=args.concurrency, seconds=args.seconds,
                )  # fmt: skip
                runs[api].append(result)
        rows.extend(merge(f"{case.name} — {api}", parts) for api, parts in runs.items())
    return rows


def report(rows: list[LoadResult], args: argparse.Namespace) -> None:
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, concurrency {args.concurrency}, "
        f"{args.rounds} x {args.seconds:g} s per scenario and API"
    )
    print(TABLE_HEADER)
    for row in rows:
        print(row.row())
    print("\n| scenario | REST p50 / GraphQL p50 | REST req/s / GraphQL req/s |\n|---|---:|---:|")
    for rest, graphql in zip(rows[::2], rows[1::2], strict=True):
        name = rest.name.rsplit(" — ", 1)[0]
        print(f"| {name} | {rest.p50 / graphql.p50:.3f} | {rest.rps / graphql.rps:.3f} |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    async with postgres_database("ocr_gateway_bench_rest") as url:
        db = Database(Settings(database_url=url))
        await migrate.upgrade(db.engine)
        page_ids = await seed(db, groups=50, jobs=10, pages=4)
        async with db.engine.connect() as connection:
            group_ids = list(
                (await connection.exec_driver_sql("SELECT id FROM job_groups")).scalars()
            )
        _row, key = await create_key(db, "bench", [Scope.read])
        await db.dispose()
        with uvicorn_server(url) as base:
            await check_same_data(base, key, page_ids[0])
            rows = await run(base, scenarios(page_ids, group_ids, key), args)
    report(rows, args)


if __name__ == "__main__":
    asyncio.run(main())
