"""What the API-key check costs per request: cached in-process vs one database read each.

Real HTTP on 127.0.0.1, PostgreSQL, the app under uvicorn (one worker) with API keys on,
an httpx client at ``--concurrency`` for ``--seconds`` after a 2 s warm-up:
  (a) ``{ __typename }`` with a valid key, the key cache on (the default);
  (b) the same with ``OCR_GATEWAY_API_KEY_CACHE_TTL_S=0``: one indexed SELECT per request
      (what every request paid before the cache, less its ``last_used_at`` write);
  (c) the same without a key (introspection is open): the ceiling, no key to check.

    .venv/bin/python bench/api_keys.py [--seconds 10] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TABLE_HEADER, drive, postgres_database, uvicorn_server
from ocr_gateway.auth import Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.settings import Settings

QUERY = {"query": "{ __typename }"}
Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def prepared(url: str) -> str:
    db = Database(Settings(database_url=url))
    await migrate.upgrade(db.engine)
    _row, key = await create_key(db, "bench", [Scope.read])
    await db.dispose()
    return key


async def main(seconds: float, concurrency: int) -> None:
    async with postgres_database("ocr_gateway_bench_keys") as url:
        key = await prepared(url)

        def post(headers: dict[str, str]) -> Request:
            async def request(client: httpx.AsyncClient) -> httpx.Response:
                return await client.post("/graphql", json=QUERY, headers=headers)

            return request

        rows = []
        for name, ttl, headers in (
            ("(a) valid key, cached", "10", {"X-API-Key": key}),
            ("(b) valid key, a database read each", "0", {"X-API-Key": key}),
            ("(c) no key", "10", {}),
        ):
            with uvicorn_server(url, OCR_GATEWAY_API_KEY_CACHE_TTL_S=ttl) as base:
                result = await drive(
                    name,
                    base,
                    post(headers),
                    concurrency=concurrency,
                    seconds=seconds,
                )
            rows.append(result.row())
    print(TABLE_HEADER)
    print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.concurrency))
