"""GraphQL over real HTTP on PostgreSQL: nested groups -> jobs -> pages, and a single page.

Seeds a fresh PostgreSQL database with 200 groups x 10 jobs x 5 pages, serves the app with
uvicorn (one worker) and drives it for a fixed duration at concurrency 16 with
(a) 50 groups with their template, jobs and each job's pages, (b) one page by id.
Prints requests/s, p50, p99 and the SQL statements one request costs.

    .venv/bin/python bench/graphql_nested.py [--seconds 20] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import sys
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TABLE_HEADER, drive, postgres_database, uvicorn_server
from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup, Page
from ocr_gateway.db.types import utcnow
from ocr_gateway.ids import new_id
from ocr_gateway.settings import Settings

GENERIC = "000000000000000000000001"
NESTED = """query Nested {
  jobGroups(limit: 50) { totalCount items { id name status priority template { id name }
    jobs(limit: 10) { totalCount items { id name status
      pages(limit: 5) { items { id pageNumber pageUrl status } } } } } }
}"""
SINGLE = "query One($id: ID!) { page(id: $id) { id pageNumber pageUrl status job { id name } } }"


async def seed(db: Database, groups: int, jobs: int, pages: int) -> list[str]:
    now = utcnow()
    group_rows: list[dict[str, Any]] = []
    job_rows: list[dict[str, Any]] = []
    page_rows: list[dict[str, Any]] = []
    for g in range(groups):
        gid = new_id()
        group_rows.append(
            {
                "id": gid,
                "name": f"Batch {g:03d}",
                "template_id": GENERIC,
                "priority": random.choice(["low", "medium", "high", "urgent"]),
                "status": "pending",
                "processing_settings": {},
                "notifications": {},
                "tags": [f"q{g % 4 + 1}"],
                "metadata_": {"n": g},
                "created_at": now,
                "updated_at": now,
            }
        )
        for j in range(jobs):
            jid = new_id()
            job_rows.append(
                {
                    "id": jid,
                    "group_id": gid,
                    "template_id": GENERIC,
                    "name": f"invoice-{g:03d}-{j:02d}.pdf",
                    "status": "pending",
                    "priority": "medium",
                    "invoice_data": {},
                    "metadata_": {},
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for p in range(pages):
                page_rows.append(
                    {
                        "id": new_id(),
                        "job_id": jid,
                        "page_number": p + 1,
                        "page_url": f"https://files.example.com/{jid}/{p + 1}.png",
                        "status": "pending",
                        "image_properties": {},
                        "annotations": [],
                        "metadata_": {},
                        "attempts": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    async with db.sessionmaker() as session:
        await session.execute(insert(JobGroup), group_rows)
        await session.execute(insert(Job), job_rows)
        for start in range(0, len(page_rows), 5000):
            await session.execute(insert(Page), page_rows[start : start + 5000])
        await session.commit()
    return [row["id"] for row in page_rows]


async def statements_per_request(db: Database, query: str, variables: dict[str, Any]) -> int:
    """Run the query in-process once (after a warm-up) and count the SQL it sends."""
    app = create_app(db.settings, db=db)
    _row, key = await create_key(db, "bench-count", [Scope.read])
    transport = httpx.ASGITransport(app=app)
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    headers = {HEADER: key}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", headers=headers
    ) as client:
        body = {"query": query, "variables": variables}
        await client.post("/graphql", json=body)
        event.listen(db.engine.sync_engine, "before_cursor_execute", record)
        response = await client.post("/graphql", json=body)
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert "errors" not in response.json(), response.text
    return len(seen)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    async with postgres_database() as url:
        db = Database(Settings(database_url=url))
        await migrate.upgrade(db.engine)
        page_ids = await seed(db, groups=200, jobs=10, pages=5)
        _row, key = await create_key(db, "bench", [Scope.read])
        nested_sql = await statements_per_request(db, NESTED, {})
        single_sql = await statements_per_request(db, SINGLE, {"id": page_ids[0]})
        await db.dispose()
        with uvicorn_server(url) as base:

            async def nested(client: httpx.AsyncClient) -> httpx.Response:
                return await client.post("/graphql", json={"query": NESTED}, headers={HEADER: key})

            async def single(client: httpx.AsyncClient) -> httpx.Response:
                variables = {"id": random.choice(page_ids)}
                body = {"query": SINGLE, "variables": variables}
                return await client.post("/graphql", json=body, headers={HEADER: key})

            results = [
                await drive(
                    "(a) nested: 50 groups x 10 jobs x 5 pages",
                    base,
                    nested,
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                ),
                await drive(
                    "(b) single page by id",
                    base,
                    single,
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                ),
            ]
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, concurrency {args.concurrency}, {args.seconds:g} s each"
    )
    print(TABLE_HEADER)
    for result in results:
        print(result.row())
    print(f"\nSQL statements per request: nested {nested_sql}, single page {single_sql}")


if __name__ == "__main__":
    asyncio.run(main())
