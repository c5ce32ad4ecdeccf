"""No N+1: a nested query costs a fixed number of SQL statements, whatever the row count."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup, Page
from tests.api.graphql import GENERIC_TEMPLATE_ID, gql

NESTED = """
query Nested($limit: Int!) {
  jobGroups(limit: $limit) {
    totalCount
    items {
      id name status
      template { id name }
      progress { percentDone }
      jobs { totalCount items { id name pageCount
        pages { totalCount items { id pageNumber job { id group { id } } } } } }
    }
  }
}
"""
# One statement per relation, whatever the number of rows: jobGroups items + totalCount (2),
# template (1), progress: pages and jobs by status (2), jobs items + totalCount (2),
# pageCount (1), pages items + totalCount (2), page.job (1), job.group (1).
EXPECTED_STATEMENTS = 12


async def seed(db: Database, groups: int, jobs: int = 2, pages: int = 2) -> None:
    async with db.sessionmaker() as session:
        for g in range(groups):
            group = JobGroup(
                name=f"group {g}",
                template_id=GENERIC_TEMPLATE_ID,
                priority="medium",
                status="pending",
                processing_settings={},
                notifications={},
                tags=[],
                metadata_={},
            )
            session.add(group)
            await session.flush()
            for j in range(jobs):
                job = Job(
                    name=f"job {g}.{j}",
                    group_id=group.id,
                    template_id=GENERIC_TEMPLATE_ID,
                    status="pending",
                    priority="medium",
                    invoice_data={},
                    metadata_={},
                )
                session.add(job)
                await session.flush()
                for p in range(pages):
                    session.add(
                        Page(
                            job_id=job.id,
                            page_number=p + 1,
                            page_url=f"https://example.com/{g}/{j}/{p}.png",
                            status="pending",
                            image_properties={},
                            annotations=[],
                            metadata_={},
                            attempts=0,
                        )
                    )
        await session.commit()


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def statements_for(client: httpx.AsyncClient, db: Database, limit: int) -> list[str]:
    with counting(db) as statements:
        data = await gql(client, NESTED, limit=limit)
    groups = data["jobGroups"]["items"]
    assert len(groups) == limit
    assert all(len(g["jobs"]["items"]) == 2 for g in groups)
    assert all(len(j["pages"]["items"]) == 2 for g in groups for j in g["jobs"]["items"])
    transaction = ("SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")
    # The API-key check costs one more statement per request, whatever the query.
    return [s for s in statements if not s.upper().startswith(transaction) and "api_keys" not in s]


@pytest.mark.parametrize("rows", [5, 50])
async def test_nested_query_costs_a_fixed_number_of_statements(
    client: httpx.AsyncClient, db: Database, rows: int
) -> None:
    await seed(db, groups=rows)
    statements = await statements_for(client, db, limit=rows)
    assert len(statements) == EXPECTED_STATEMENTS, "\n\n".join(statements)


async def test_statement_count_does_not_grow_with_rows(
    client: httpx.AsyncClient, db: Database
) -> None:
    await seed(db, groups=50)
    small = await statements_for(client, db, limit=5)
    large = await statements_for(client, db, limit=50)
    assert len(small) == len(large)
