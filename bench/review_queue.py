"""The review queue's query on a large backlog: ``jobs.lowest_confidence`` stored and indexed
(what the product does) against the same condition computed from ``invoice_data`` in SQL
(``json_each`` / ``jsonb_each`` over every job's fields), on SQLite and PostgreSQL.

    .venv/bin/python bench/review_queue.py [--jobs 100000] [--postgres DSN]

Jobs are synthetic (eight fields each, confidences drawn with a fixed seed, a quarter
needing review), written into a freshly migrated database. Timed, median of 5: the queue's
first slice (``needsReview`` and ``lowestConfidence < 0.6``, oldest first, 100 rows) and its
count (``totalCount``), and the least sure first (sorted by the lowest confidence).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job
from ocr_gateway.db.types import utcnow
from ocr_gateway.ids import new_id
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.corrections import lowest_confidence
from ocr_gateway.settings import Settings

FIELDS = ("invoiceNumber", "invoiceDate", "dueDate", "total", "subtotal", "tax", "currency",
          "vendorName")  # fmt: skip
THRESHOLD = 0.6
STORED = "needs_review = :r AND lowest_confidence < :t"  # as the GraphQL filter binds them
JSON_LOWEST = {
    "sqlite": "(SELECT min(CASE WHEN json_extract(f.value, '$.method') = 'manual' THEN 1.0"
    " WHEN json_type(f.value, '$.confidence') IN ('integer', 'real')"
    " THEN json_extract(f.value, '$.confidence') ELSE 0 END) FROM json_each(jobs.invoice_data) f)",
    "postgresql": "(SELECT min(CASE WHEN f.value->>'method' = 'manual' THEN 1.0"
    " WHEN jsonb_typeof(f.value->'confidence') = 'number'"
    " THEN (f.value->>'confidence')::float8 ELSE 0 END) FROM jsonb_each(jobs.invoice_data) f)",
}


def invoice(rng: random.Random) -> dict[str, Any]:
    data = {}
    for name in FIELDS:
        confidence = round(rng.betavariate(5, 1.2), 4)
        data[name] = {"name": name, "type": "string", "value": f"{name}-{rng.randint(1, 99999)}",
                      "normalizedValue": f"{name}-value", "confidence": confidence,
                      "box": [rng.randint(0, 900), rng.randint(0, 1200), 1000, 1300],
                      "page": 1, "method": "label", "needsReview": confidence < 0.5}  # fmt: skip
    return data


async def fill(connection: AsyncConnection, jobs: int) -> None:
    rng = random.Random(7)
    start = utcnow() - timedelta(days=30)
    for first in range(0, jobs, 5000):
        rows = []
        for n in range(first, min(jobs, first + 5000)):
            data = invoice(rng)
            at = start + timedelta(seconds=n)
            rows.append({"id": new_id(), "created_at": at, "updated_at": at, "name": f"job-{n}",
                         "template_id": GENERIC_INVOICE_TEMPLATE["id"], "status": "completed",
                         "priority": "medium", "invoice_data": data, "metadata_": {},
                         "discrepancies": [],
                         "needs_review": any(f["needsReview"] for f in data.values()),
                         "lowest_confidence": lowest_confidence(data)})  # fmt: skip
        await connection.execute(insert(Job), rows)


def queries(dialect: str) -> dict[str, tuple[str, str]]:
    lowest = JSON_LOWEST[dialect]
    computed = f"needs_review = :r AND {lowest} < :t"
    first = "SELECT id FROM jobs WHERE {w} ORDER BY created_at, id LIMIT 100"
    count = "SELECT count(*) FROM jobs WHERE {w}"
    least = "SELECT id FROM jobs ORDER BY {o}, id LIMIT 100"
    return {
        "first slice": (first.format(w=STORED), first.format(w=computed)),
        "totalCount": (count.format(w=STORED), count.format(w=computed)),
        "least sure first": (
            least.format(o="coalesce(lowest_confidence, 2.0)"),
            least.format(o=f"coalesce({lowest}, 2.0)"),
        ),
    }


async def timed(connection: AsyncConnection, sql: str) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(5):
        started = time.perf_counter()
        result = (await connection.execute(text(sql), {"t": THRESHOLD, "r": True})).all()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


async def run(url: str, jobs: int) -> None:
    database = Database(Settings(database_url=url))
    try:
        await migrate.upgrade(database.engine)
        async with database.engine.begin() as connection:
            await fill(connection, jobs)
            if database.engine.dialect.name == "postgresql":
                await connection.execute(text("ANALYZE jobs"))
            else:
                await connection.execute(text("ANALYZE"))
        dialect = database.engine.dialect.name
        async with database.engine.connect() as connection:
            for name, (stored, computed) in queries(dialect).items():
                stored_ms, stored_rows = await timed(connection, stored)
                computed_ms, computed_rows = await timed(connection, computed)
                same = "same rows" if stored_rows == computed_rows else "ROWS DIFFER"
                print(f"{dialect:10} {jobs:>7} jobs  {name:17} stored {stored_ms:8.1f} ms"
                      f"   from JSON {computed_ms:8.1f} ms   ({same})")  # fmt: skip
    finally:
        await database.dispose()


async def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--postgres", help="an empty PostgreSQL database's SQLAlchemy URL")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        await run(f"sqlite+aiosqlite:///{directory}/queue.db", args.jobs)
    if args.postgres:
        await run(args.postgres, args.jobs)


if __name__ == "__main__":
    asyncio.run(main())
